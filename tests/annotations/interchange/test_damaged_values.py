"""Imports whose values have the wrong shape are refused or listed, never a 500.

Found by the fuzz pass (tests/security/test_fuzz.py), which changes a few values of real
exports: a backup with a list where a role or a kind belongs, or `true` for its summaries; a
Hypothesis row whose target or selector is a number; a REFI-QDA code whose name is only
control characters, so nothing is left of it once cleaned.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.interchange.exports.backup import seminar_backup
from annotations.models import AnnotationSet, Tag
from readings.models import Passage, Seminar
from tests.clients import client_for
from tests.factories import SeminarWorld, TagFactory, seminar_world
from tests.jobs.worker import finish_job

pytestmark = pytest.mark.django_db


def _world() -> SeminarWorld:
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind=Passage.Kind.PARAGRAPH)[0]
    TagFactory(annotation_set=world.key, passage=passage, theme=world.themes[0])
    return world


def _post(world: SeminarWorld, name: str, field: str, filename: str, data: bytes):
    url = reverse(f"annotations:{name}", args=[world.seminar.pk])
    upload = SimpleUploadedFile(filename, data)
    return client_for(world.instructor).post(url, {field: upload, "format": "auto"})


DAMAGE: dict[str, Callable[[dict], None]] = {
    "role-object": lambda b: b["members"][0].update(role={}),
    "passage-kind-list": lambda b: b["readings"][0]["passages"][0].update(kind=[]),
    "set-kind-list": lambda b: b["sets"][0].update(kind=["key"]),
    "visibility-object": lambda b: b["sets"][0].update(visibility={"a": 1}),
    "tag-reading-list": lambda b: b["sets"][0]["tags"][0].update(reading=[]),
    "stance-list": lambda b: b["sets"][0]["tags"][0].update(stance=[]),
    "summaries-true": lambda b: b["sets"][0].update(summaries=True),
    "summaries-null": lambda b: b["sets"][0].update(summaries=None),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_backup_with_values_of_the_wrong_shape_is_refused(damage: str) -> None:
    world = _world()
    backup = seminar_backup(world.seminar)
    DAMAGE[damage](backup)
    seminars = Seminar.objects.count()
    started = _post(world, "seminar_restore", "restore-file", "b.json", json.dumps(backup).encode())
    response = finish_job(client_for(world.instructor), started)  # a worker restores it
    assert response.status_code == 200
    assert "The backup is damaged" in response.content.decode()
    assert Seminar.objects.count() == seminars


@pytest.mark.parametrize(
    ("target", "selector"),
    [(319, None), ([{"source": "u", "selector": 32}], None), (None, True), ("u", None)],
    ids=["target-number", "selector-number", "selector-true", "target-string"],
)
def test_hypothesis_rows_with_targets_of_the_wrong_shape_are_listed(target, selector) -> None:
    world = _world()
    if target is None:
        target = [{"source": "u", "selector": selector}]
    row = {"id": "h1", "uri": "u", "text": "A note.", "tags": ["Trade"], "target": target}
    data = json.dumps({"total": 1, "rows": [row]}).encode()
    url = reverse("annotations:set_import", args=[world.seminar.pk])
    upload = SimpleUploadedFile("h.json", data)
    response = client_for(world.student).post(url, {"file": upload, "format": "hypothesis"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Imported 0 tags into" in body
    assert "A page note: it quotes no text." in body


def test_a_qdpx_code_named_only_by_controls_is_an_orphan_not_a_500() -> None:
    world = _world()
    passage = world.documents[0].passages.filter(kind=Passage.Kind.PARAGRAPH)[0]
    project = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="P">'
        '<CodeBook><Codes><Code guid="c1" name="\u009b" isCodable="true"/></Codes></CodeBook>'
        f'<Sources><TextSource guid="t1" name="E"><PlainTextContent>{passage.text}'
        f'</PlainTextContent><PlainTextSelection guid="s1" startPosition="0" endPosition="5">'
        '<Coding guid="g1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>'
        "</TextSource></Sources></Project>"
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", project)
    response = _post(world, "set_import", "file", "p.qdpx", buffer.getvalue())
    body = response.content.decode()
    assert response.status_code == 200
    assert "No theme can be made of" in body and "A theme needs a name." in body
    imported = AnnotationSet.objects.get(title="P")
    assert not Tag.objects.filter(annotation_set=imported).exists()
