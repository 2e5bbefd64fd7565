"""REFI-QDA projects and codebooks from other tools, made by hand here: what is read, what is
listed with its reason, and which archives are refused before anything is unpacked."""

from __future__ import annotations

import io
import zipfile

import pytest

from annotations.interchange.imports import qdpx
from annotations.interchange.imports.qdpx import parse_qdc, parse_qdpx
from annotations.interchange.imports.records import ImportRejected
from readings.importing.limits import Limits

TEXT = "Trade binds states. Security comes first."
CODES = """
<CodeBook><Codes>
  <Code guid="c-trade" name="Trade" isCodable="true"/>
  <Code guid="c-stance" name="Stance" isCodable="false">
    <Code guid="c-opposes" name="opposes" isCodable="true"/>
  </Code>
</Codes></CodeBook>"""


def _coding(code: str) -> str:
    return f'<Coding guid="g-{code}"><CodeRef targetGUID="{code}"/></Coding>'


def _selection(name: str, start: object, end: object, *codes: str) -> str:
    codings = "".join(_coding(code) for code in codes)
    return (
        f'<PlainTextSelection guid="s-{name}" name="{name}" startPosition="{start}" '
        f'endPosition="{end}">{codings}</PlainTextSelection>'
    )


def _project(source: str, codes: str = CODES) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Other tool">'
        f"{codes}<Sources>{source}</Sources></Project>"
    ).encode()


def _archive(project: bytes, **files: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project)
        for name, data in files.items():
            archive.writestr(f"sources/{name}", data)
    return buffer.getvalue()


def _inline_source(*selections: str) -> str:
    return (
        f'<TextSource guid="t1" name="Essay"><PlainTextContent>{TEXT}</PlainTextContent>'
        f"{''.join(selections)}</TextSource>"
    )


def test_a_source_with_its_text_inline_gives_tags_with_theme_and_stance() -> None:
    parsed = parse_qdpx(
        _archive(_project(_inline_source(_selection("one", 0, 18, "c-trade", "c-opposes"))))
    )
    (tag,) = parsed.tags
    assert tag.quote.exact == "Trade binds states" and tag.themes == ("Trade",)
    assert tag.stance == "opposes" and tag.reading.title == "Essay"
    assert parsed.title == "Other tool"


def test_selections_that_cannot_become_tags_are_listed_with_the_reason() -> None:
    source = _inline_source(
        _selection("bad", "x", 5, "c-trade"),
        _selection("uncoded", 0, 5),
        _selection("foreign", 0, 5, "c-unknown"),
    )
    parsed = parse_qdpx(_archive(_project(source)))
    assert parsed.tags == []
    assert [(o.ref, o.reason) for o in parsed.skipped] == [
        ("Essay: selection bad", "Its start or end position is not a number."),
        ("Essay: selection uncoded", "It has no coding with a codable code."),
        ("Essay: selection foreign", "Its codes are not in the project's codebook."),
    ]


def test_a_source_text_is_read_from_the_archives_sources_folder() -> None:
    source = (
        '<TextSource guid="t1" name="Essay" plainTextPath="internal://essay.txt">'
        f"{_selection('one', 20, 41, 'c-trade')}</TextSource>"
    )
    parsed = parse_qdpx(_archive(_project(source), **{"essay.txt": TEXT.encode("utf-8-sig")}))
    (tag,) = parsed.tags
    assert tag.quote.exact == "Security comes first."


def test_a_source_text_that_is_not_utf8_is_refused() -> None:
    source = (
        '<TextSource guid="t1" name="Essay" plainTextPath="internal://essay.txt">'
        f"{_selection('one', 0, 5, 'c-trade')}</TextSource>"
    )
    with pytest.raises(ImportRejected, match="essay.txt is not UTF-8 text"):
        parse_qdpx(_archive(_project(source), **{"essay.txt": "café".encode("latin-1")}))


def test_a_source_whose_text_lives_outside_the_archive_lists_its_selections() -> None:
    source = (
        '<TextSource guid="t1" name="Essay" plainTextPath="absolute:///home/x/essay.txt">'
        f"{_selection('one', 0, 5, 'c-trade')}</TextSource>"
    )
    (orphan,) = parse_qdpx(_archive(_project(source))).skipped
    assert "its 1 selections cannot be placed" in orphan.reason


def test_archives_with_too_many_files_or_too_much_to_unpack_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _archive(_project(_inline_source()), **{"a.txt": b"a", "b.txt": b"b"})
    monkeypatch.setattr(qdpx, "MAX_ENTRIES", 2)
    with pytest.raises(ImportRejected, match="more than 2 files"):
        parse_qdpx(data)
    monkeypatch.setattr(qdpx, "MAX_ENTRIES", 10)
    monkeypatch.setattr(qdpx, "QDA_LIMITS", Limits(max_unpacked_bytes=10))
    with pytest.raises(ImportRejected, match="project unpacks to more than 10 bytes"):
        parse_qdpx(data)


def test_a_project_with_too_many_codings_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qdpx, "MAX_ANNOTATIONS", 1)
    source = _inline_source(_selection("one", 0, 5, "c-trade"), _selection("two", 6, 11, "c-trade"))
    with pytest.raises(ImportRejected, match="more than 1 codings"):
        parse_qdpx(_archive(_project(source)))


def _codebook(codes: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes></CodeBook>'
    ).encode()


def test_a_codebook_lists_codes_it_cannot_use_and_refuses_one_with_none() -> None:
    parsed = parse_qdc(
        _codebook(
            '<Code guid="a" name="Trade" isCodable="true"/>'
            '<Code guid="b" name="Old" isCodable="false"/>'
        )
    )
    assert [t.name for t in parsed.themes] == ["Trade"]
    assert [(o.ref, o.reason) for o in parsed.skipped] == [
        ("code “Old”", "It is not codable (a retired theme?).")
    ]
    with pytest.raises(ImportRejected, match="holds no codable code"):
        parse_qdc(_codebook('<Code guid="b" name="Old" isCodable="false"/>'))
