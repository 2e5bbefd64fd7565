"""The annotation importers under the limits of readings.importing.limits (issue 19, items 2
and 4): JSON values and nesting, REFI-QDA members that cannot be unpacked, projects and
codebooks past their size or element limits, backups past what one restore may write, and
the fuzzy search for a quote bounded in work and time."""

from __future__ import annotations

import zipfile

import pytest

from annotations.interchange.imports import qdpx
from annotations.interchange.imports.qdpx import parse_qdc, parse_qdpx
from annotations.interchange.imports.records import ImportRejected
from readings.importing.limits import MB, Limits
from tests.security.hostile import files


def message(parse, data: bytes) -> str:
    with pytest.raises(ImportRejected) as caught:
        parse(data)
    return caught.value.message


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
