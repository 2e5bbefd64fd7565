"""Imported annotations, codebooks and backups are cleaned as typed text is: control
characters and lone surrogates never reach the database (PostgreSQL refuses U+0000, a Word
handout refuses them all), on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.interchange.exports.backup import seminar_backup
from annotations.interchange.imports.backup import parse_backup
from annotations.interchange.imports.qdpx import parse_qdc, parse_qdpx
from annotations.interchange.services import seminar_restore
from annotations.models import AnnotationSet, Tag, Theme
from readings.models import Passage, Seminar
from tests.clients import client_for
from tests.factories import SeminarWorld, TagFactory, seminar_world

pytestmark = pytest.mark.django_db

NUL = "Con\u0000trol"  # each reads "Control" once cleaned
CONTROLS = "Con\u000b\u001b\u0085tr\ud800ol"


def _passage(world: SeminarWorld) -> Passage:
    return world.documents[0].passages.filter(kind=Passage.Kind.PARAGRAPH)[0]


def _import(world: SeminarWorld, data: dict | list, fmt: str, user=None):
    upload = SimpleUploadedFile("annotations.json", json.dumps(data).encode())
    return client_for(user or world.instructor).post(
        reverse("annotations:set_import", args=[world.seminar.pk]),
        {"file": upload, "format": fmt},
    )


@pytest.mark.parametrize("payload", [NUL, CONTROLS], ids=["nul", "controls"])
def test_w3c_note_label_and_theme_are_cleaned(payload: str) -> None:
    world = seminar_world()
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": f"Set {payload}",
        "first": {
            "type": "AnnotationPage",
            "items": [
                {
                    "type": "Annotation",
                    "motivation": "tagging",
                    "body": [
                        {"type": "TextualBody", "purpose": "tagging", "value": f"New {payload}"},
                        {"type": "TextualBody", "purpose": "commenting", "value": payload},
                    ],
                    "target": {
                        "source": "urn:x:doc",
                        "selector": {"type": "TextQuoteSelector", "exact": _passage(world).text},
                    },
                }
            ],
        },
    }
    response = _import(world, collection, "w3c")
    assert response.status_code == 200
    assert "Imported 1 tag into" in response.content.decode()
    imported = AnnotationSet.objects.get(title="Set Control")
    tag = Tag.objects.get(annotation_set=imported)
    assert tag.note == "Control"
    assert tag.theme.name == "New Control"
    assert Theme.objects.filter(seminar=world.seminar, name="New Control").count() == 1


@pytest.mark.parametrize("payload", [NUL, CONTROLS], ids=["nul", "controls"])
def test_hypothesis_text_tags_and_user_are_cleaned(payload: str) -> None:
    world = seminar_world()
    row = {
        "id": "h1",
        "uri": "https://example.org/reading",
        "user": f"acct:{payload}@hypothes.is",
        "text": payload,
        "tags": [f"Tr{payload}ade", world.themes[0].name],
        "target": [
            {
                "source": "https://example.org/reading",
                "selector": [{"type": "TextQuoteSelector", "exact": _passage(world).text}],
            }
        ],
    }
    response = _import(world, {"total": 1, "rows": [row]}, "hypothesis", user=world.student)
    assert response.status_code == 200
    assert "Imported 1 tag into" in response.content.decode()
    tag = Tag.objects.get(annotation_set__owner=world.student)
    assert tag.note == "Control"
    assert tag.theme == world.themes[0]


def test_qdpx_project_and_codebook_are_cleaned() -> None:
    # XML 1.0 cannot hold U+0000 or most C0 controls, but it can hold C1 controls and a
    # source file in the archive can hold anything.
    text = "Trade binds\u0000 states."
    project = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Pro\u0085ject">'
        '<CodeBook><Codes><Code guid="c1" name="Tr\u009bade" isCodable="true">'
        "<Description>About\u0086 trade</Description></Code></Codes></CodeBook>"
        '<Notes><Note guid="n1"><PlainTextContent>No\u0085te</PlainTextContent></Note></Notes>'
        '<Sources><TextSource guid="t1" name="Es\u0085say" plainTextPath="internal://t1.txt">'
        '<PlainTextSelection guid="s1" startPosition="0" endPosition="20">'
        '<Coding guid="g1"><CodeRef targetGUID="c1"/></Coding><NoteRef targetGUID="n1"/>'
        "</PlainTextSelection></TextSource></Sources></Project>"
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", project)
        archive.writestr("sources/t1.txt", text.encode())
    parsed = parse_qdpx(buffer.getvalue())
    assert parsed.title == "Project"
    assert [(t.name, t.description) for t in parsed.themes] == [("Trade", "About trade")]
    [tag] = parsed.tags
    assert (tag.themes, tag.note, tag.quote.exact) == (("Trade",), "Note", "Trade binds states.")
    assert tag.reading.title == "Essay"
    codebook = parse_qdc(
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        b'<Code guid="c1" name="Tr\xc2\x9bade" isCodable="true"/></Codes></CodeBook>'
    )
    assert [t.name for t in codebook.themes] == ["Trade"]


def test_backup_with_controls_restores_without_them() -> None:
    world = seminar_world()
    TagFactory(annotation_set=world.key, passage=_passage(world), theme=world.themes[0])
    backup = seminar_backup(world.seminar)
    backup["seminar"]["title"] = f"Restored {NUL}"
    backup["sets"][0]["tags"][0]["note"] = CONTROLS
    backup["themes"][0]["guiding_question"] = NUL
    parsed = parse_backup(json.dumps(backup).encode())
    seminar_restore(backup=parsed, importer=world.instructor)
    restored = Seminar.objects.get(title="Restored Control")
    assert Tag.objects.get(annotation_set__seminar=restored).note == "Control"
    assert Theme.objects.get(seminar=restored, name="Trade").guiding_question == "Control"
