"""The annotation importers under the limits of readings.importing.limits (issue 19, items 2
and 4): JSON values and nesting, REFI-QDA members that cannot be unpacked, projects and
codebooks past their size or element limits, backups past what one restore may write, and
the fuzzy search for a quote bounded in work and time."""

from __future__ import annotations

import hashlib
import json
import zipfile
from difflib import SequenceMatcher

import pytest

from annotations.interchange import services
from annotations.interchange.imports import matching, qdpx, w3c
from annotations.interchange.imports.backup import MAX_ROWS, parse_backup
from annotations.interchange.imports.hypothesis import parse_hypothesis
from annotations.interchange.imports.matching import Quote, locate
from annotations.interchange.imports.qdpx import parse_qdc, parse_qdpx
from annotations.interchange.imports.records import ImportRejected
from annotations.interchange.imports.w3c import load_json, parse_w3c
from annotations.models import AnnotationSet, Theme
from readings.importing.limits import MB, Budget, Limits
from tests.factories import seminar_world
from tests.security.hostile import files


def message(parse, data: bytes) -> str:
    with pytest.raises(ImportRejected) as caught:
        parse(data)
    return caught.value.message


# JSON -------------------------------------------------------------------------------------------


def test_json_that_would_build_too_many_objects_is_refused_before_parsing(monkeypatch) -> None:
    monkeypatch.setattr(w3c, "JSON_LIMITS", Limits(max_elements=1000))
    calls = []
    monkeypatch.setattr(json, "loads", lambda *a: calls.append(a))
    assert message(parse_w3c, b"[" + b"[]," * 2000 + b"[]]").startswith(
        "The Web Annotation file holds more than 1,000 values (objects, lists, strings and "
        "numbers), more than one import may read."
    )
    assert not calls


def test_json_nested_deeper_than_the_limit_is_refused_however_it_nests() -> None:
    """300 levels: within Python's recursion limit, so json.loads alone accepts it."""
    deep = '{"a": ' * 300 + '"[{[{ inside a string"' + "}" * 300
    assert message(parse_hypothesis, deep.encode()).startswith(
        "The Hypothesis file nests more than 200 levels deep"
    )
    shallow = '{"a": ' * 150 + '"x"' + "}" * 150
    assert load_json(shallow.encode(), "test")  # brackets in strings do not count


def test_unstorable_characters_are_still_removed_and_plain_files_are_not_walked(
    monkeypatch,
) -> None:
    assert load_json(b'{"note": "a\\ud800b\\u0000c\xc2\x85d"}', "test") == {"note": "abcd"}
    walked = []
    monkeypatch.setattr(w3c, "clean_all", lambda value: walked.append(value))
    assert load_json(b'{"note": "caf\\u00e9"}', "test") == {"note": "café"}
    assert not walked


# REFI-QDA ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (files.encrypted_member_qdpx, "holds an encrypted (password-protected) part"),
        (files.method_99_qdpx, "(method 99, WinZip's AES encryption)"),
        (files.corrupt_deflate_qdpx, "is damaged: project.qde cannot be unpacked"),
    ],
)
def test_a_project_that_cannot_be_unpacked_is_refused_with_a_message(make, expected) -> None:
    """These were 500s (RuntimeError, NotImplementedError, zlib.error)."""
    text = message(parse_qdpx, make().data)
    assert text.startswith("The REFI-QDA project ") and expected in text


def test_an_oversized_project_is_refused_from_its_header_before_unpacking(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a member was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    assert message(parse_qdpx, files.oversized_qdpx(70 * MB).data).startswith(
        "The REFI-QDA project unpacks to more than 60 MB (at project.qde)"
    )


def test_a_project_with_too_many_elements_is_refused_before_its_tree_is_built(
    monkeypatch,
) -> None:
    monkeypatch.setattr(qdpx, "QDA_LIMITS", Limits(max_elements=1000))
    assert message(parse_qdpx, files.many_elements_qdpx(2000).data).startswith(
        "The REFI-QDA project holds more than 1,000 elements (tags)"
    )


def test_a_deeply_nested_project_says_so() -> None:
    assert message(parse_qdpx, files.nested_qdpx(300).data).startswith(
        "The REFI-QDA project nests more than 200 levels deep"
    )


def test_a_codebook_of_more_codes_than_a_seminar_uses_is_refused() -> None:
    assert message(parse_qdc, files.many_codes_qdc(qdpx.MAX_CODES + 1).data) == (
        "The codebook holds more than 2,000 codes, more than a seminar's themes should be. "
        "Import the codes you use, or split the codebook."
    )
    assert len(parse_qdc(files.many_codes_qdc(qdpx.MAX_CODES).data).themes) == qdpx.MAX_CODES


# Backups ----------------------------------------------------------------------------------------


def _backup(passages: int) -> bytes:
    text = "x" * (2 * passages)
    return json.dumps(
        {
            "format": "counterpoint-seminar-backup",
            "version": 1,
            "seminar": {"title": "Big"},
            "members": [],
            "themes": [],
            "sets": [],
            "readings": [
                {
                    "title": "R",
                    "text": text,
                    "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                    "passages": [
                        {
                            "position": n,
                            "kind": "paragraph",
                            "start": 2 * n,
                            "end": 2 * n + 1,
                            "label": f"¶ {n}",
                            "anchor": f"p{n}",
                        }
                        for n in range(passages)
                    ],
                }
            ],
        }
    ).encode()


def test_a_backup_holding_more_than_a_restore_may_write_is_refused_on_the_web() -> None:
    data = _backup(MAX_ROWS["passages"] + 1)
    assert message(parse_backup, data) == (
        "The backup holds 20,001 passages; a restore on the web may write at most 20,000. The "
        "server's administrator can restore it with “manage.py import_seminar”, which has no "
        "such limit."
    )
    assert parse_backup(data, max_rows=None).readings[0].title == "R"


# Anchoring --------------------------------------------------------------------------------------


def test_a_long_quote_of_common_words_aligns_a_bounded_number_of_windows(monkeypatch) -> None:
    """Such a quote once aligned 750 windows of a 200 KB reading: 13 s for one annotation."""
    made = []

    class Counting(SequenceMatcher):
        def __init__(self, *args, **kwargs) -> None:
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(matching, "SequenceMatcher", Counting)
    text = files.prose(200_000)
    quote = Quote(exact="alliance partnership border trade " * 30)
    assert isinstance(locate([(1, text)], quote), str)  # not found, even approximately
    assert len(made) <= matching._MAX_WINDOWS


def test_anchoring_stops_at_the_deadline() -> None:
    clock = iter(range(0, 10_000, 1))
    budget = Budget(Limits(seconds=3), clock=lambda: float(next(clock)))
    with pytest.raises(ImportRejected, match="took longer than 3 s"):
        locate([(1, files.prose(200_000))], Quote(exact="the of and to in a " * 20), budget=budget)


@pytest.mark.django_db
def test_a_set_import_past_its_deadline_writes_nothing() -> None:
    world = seminar_world()
    annotation = {
        "type": "Annotation",
        "body": {"purpose": "tagging", "value": "A theme of its own"},
        "target": {
            "selector": {
                "type": "TextQuoteSelector",
                "exact": "The opening paragraph states the claim plainly.",
            }
        },
    }
    parsed = parse_w3c(json.dumps([annotation] * 50).encode())
    clock = iter(range(100_000))
    budget = Budget(Limits(seconds=20), clock=lambda: float(next(clock)))
    with pytest.raises(ImportRejected, match="took longer than 20 s"):
        services.annotation_set_import(
            seminar=world.seminar,
            owner=world.instructor,
            title="Late",
            parsed=parsed,
            create_themes=True,
            budget=budget,
        )
    assert not AnnotationSet.objects.filter(title="Late").exists()
    assert not Theme.objects.filter(name="A theme of its own").exists()
