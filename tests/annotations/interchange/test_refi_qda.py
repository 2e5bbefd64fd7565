"""REFI-QDA: our .qdpx and .qdc checked by the standard's XSDs, imports, and round trips; and
projects and codebooks from other tools, made by hand here: what is read, what is listed with
its reason, and which archives are refused before anything is unpacked."""

from __future__ import annotations

import io
import zipfile

import pytest

from annotations.interchange.exports.collect import set_record, theme_records
from annotations.interchange.exports.qdc import codebook_xml
from annotations.interchange.exports.qdpx import project_xml, qdpx
from annotations.interchange.imports import qdpx as qdpx_import
from annotations.interchange.imports.qdpx import parse_qdc, parse_qdpx
from annotations.interchange.imports.records import ImportRejected
from annotations.interchange.services import annotation_set_import, codebook_import
from annotations.models import AnnotationSet, Tag, Theme
from readings.importing.limits import Limits
from readings.models import Document, Seminar
from tests.annotations.interchange.conftest import tag_facts
from tests.annotations.interchange.refi_qda import SAMPLE, errors
from tests.factories import SeminarFactory

SAMPLE_QDE = (SAMPLE / "project.qde").read_bytes()
SAMPLE_TXT = (SAMPLE / "sources" / "11111111-1111-1111-1111-111111111111.txt").read_bytes()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# The validator itself -----------------------------------------------------------------------


def test_the_hand_authored_sample_is_valid() -> None:
    assert errors("project", SAMPLE_QDE) == []


@pytest.mark.parametrize(
    ("broken", "why"),
    [
        (
            b'name="Sample Study"',
            b"",
        ),
        (b'guid="20000000-0000-0000-0000-000000000002"', b'guid="not-a-guid"'),
        (b'isCodable="true" color="#33cc33"', b'isCodable="maybe" color="#33cc33"'),
        (b'startPosition="0"', b'startPosition="zero"'),
        (b"<Users>", b"<Users><Unknown/>"),
    ],
    ids=["no project name", "bad GUID", "bad boolean", "bad position", "unknown element"],
)
def test_broken_variants_of_the_sample_are_invalid(broken: bytes, why: bytes) -> None:
    assert broken in SAMPLE_QDE
    assert errors("project", SAMPLE_QDE.replace(broken, why, 1))


# Our exports --------------------------------------------------------------------------------


def _key() -> AnnotationSet:
    return AnnotationSet.objects.get(kind=AnnotationSet.Kind.KEY)


@pytest.mark.django_db
def test_our_project_is_valid_and_holds_the_readings_named_by_guid(demo) -> None:
    record = set_record(_key(), base_url="https://counterpoint.example")
    assert errors("project", project_xml(record)) == []
    with zipfile.ZipFile(io.BytesIO(qdpx(record))) as archive:
        names = set(archive.namelist())
        assert "project.qde" in names
        for reading in record.readings:
            assert archive.read(f"sources/{reading.guid}.txt").decode("utf-8") == reading.text


@pytest.mark.django_db
def test_every_seminars_project_and_codebook_are_valid(demo) -> None:
    for annotation_set in AnnotationSet.objects.all():
        assert errors("project", project_xml(set_record(annotation_set, base_url=""))) == []
    assert errors("codebook", codebook_xml(theme_records(demo.seminar.pk))) == []
    assert errors("codebook", codebook_xml([])) == []


@pytest.mark.django_db
def test_selections_count_code_points_of_the_source_text(demo) -> None:
    record = set_record(_key(), base_url="")
    data = qdpx(record)
    parsed = parse_qdpx(data)
    by_quote = {(t.quote.start, t.quote.end): t for t in parsed.tags}
    for tag in record.tags:
        incoming = by_quote[(tag.start, tag.end)]
        assert incoming.quote.exact == tag.reading.text[tag.start : tag.end]
        assert incoming.reading.content_hash == tag.reading.content_hash


@pytest.mark.django_db
def test_demo_round_trip_through_qdpx_keeps_every_tag(demo) -> None:
    key = _key()
    first = qdpx(set_record(key, base_url=""))
    report = annotation_set_import(
        seminar=key.seminar, owner=key.owner, title="Again", parsed=parse_qdpx(first)
    )
    assert report.orphans == [] and report.imported == key.tags.count()
    assert report.annotation_set is not None
    assert tag_facts(report.annotation_set) == tag_facts(key)
    # Exported again, the project says the same: same selections, codes, stances and notes.
    again = parse_qdpx(qdpx(set_record(report.annotation_set, base_url="")))
    facts = lambda p: sorted(  # noqa: E731
        (
            t.quote.start,
            t.quote.end,
            t.quote.exact,
            t.themes,
            t.stance,
            t.note,
            t.reading.content_hash,
        )
        for t in p.tags
    )
    assert facts(again) == facts(parse_qdpx(first))


@pytest.mark.django_db
def test_codebook_round_trip_into_an_empty_seminar(demo) -> None:
    data = codebook_xml(theme_records(demo.seminar.pk))
    seminar = SeminarFactory()
    report = codebook_import(seminar=seminar, parsed=parse_qdc(data))
    original = Theme.objects.filter(seminar=demo.seminar).order_by("position")
    copied = Theme.objects.filter(seminar=seminar).order_by("position")
    assert report.created == [t.name for t in original]
    fields = ("name", "colour", "description", "guiding_question")
    assert [[getattr(t, f) for f in fields] for t in copied] == [
        [getattr(t, f) for f in fields] for t in original
    ]
    assert codebook_import(seminar=seminar, parsed=parse_qdc(data)).created == []


# Importing other tools' projects ------------------------------------------------------------


@pytest.mark.django_db
def test_the_hand_authored_sample_imports_with_every_selection_accounted_for(demo) -> None:
    data = _zip(
        {"Study.qde": SAMPLE_QDE, "Sources/11111111-1111-1111-1111-111111111111.txt": SAMPLE_TXT}
    )
    parsed = parse_qdpx(data)
    assert [t.quote.exact for t in parsed.tags] == ["Diet and health", "health are clo"]
    report = annotation_set_import(
        seminar=demo.seminar, owner=_key().owner, title="Sample", parsed=parsed, create_themes=True
    )
    # Its interview is not one of the seminar's readings: both text selections are orphans,
    # and the picture, PDF, audio, video and transcript selections are listed too.
    reasons = [o.reason for o in report.orphans]
    assert report.imported == 0 and len(report.orphans) == 7
    assert sum("not found" in r for r in reasons) == 2
    assert any("picture" in r for r in reasons) and any("audio" in r for r in reasons)


@pytest.mark.django_db
def test_a_project_from_another_tool_finds_its_quotes_by_text(demo) -> None:
    document = Document.objects.filter(seminars=demo.seminar).first()
    assert document is not None
    passage = document.passages.filter(kind="paragraph").first()
    assert passage is not None
    source = f"Copied by hand into another tool.\n\n{passage.text}\n".encode()
    start = len("Copied by hand into another tool.\n\n")
    qde = SAMPLE_QDE.replace(
        b'startPosition="0" endPosition="15"',
        f'startPosition="{start}" endPosition="{start + len(passage.text)}"'.encode(),
    )
    data = _zip({"other.qde": qde, "sources/11111111-1111-1111-1111-111111111111.txt": source})
    report = annotation_set_import(
        seminar=demo.seminar,
        owner=_key().owner,
        title="Other",
        parsed=parse_qdpx(data),
        create_themes=True,
    )
    tag = Tag.objects.get(annotation_set=report.annotation_set)
    assert (tag.passage_id, tag.span_start, tag.span_end, tag.theme.name) == (
        passage.pk,
        0,
        0,
        "Health",
    )
    assert "Health" in report.themes_created


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "not a zip"),
        (_zip({"a.qde": SAMPLE_QDE, "b.qde": SAMPLE_QDE}), "exactly one project"),
        (_zip({"sources/x.txt": b"x"}), "exactly one project"),
        (_zip({"p.qde": b"<Project name='x'><Users>"}), "not well-formed"),
        (_zip({"p.qde": b"<CodeBook/>"}), "not a REFI-QDA project"),
    ],
    ids=["not zip", "two projects", "no project", "malformed XML", "wrong root"],
)
@pytest.mark.django_db
def test_bad_projects_are_refused_and_nothing_is_stored(demo, data: bytes, message: str) -> None:
    before = AnnotationSet.objects.count()
    with pytest.raises(ImportRejected) as error:
        parsed = parse_qdpx(data)
        annotation_set_import(seminar=demo.seminar, owner=_key().owner, title="x", parsed=parsed)
    assert message in error.value.message
    assert AnnotationSet.objects.count() == before


def test_entity_declarations_are_refused() -> None:
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Project name="&b;"/>'
    with pytest.raises(ImportRejected, match="entities"):
        parse_qdpx(_zip({"p.qde": bomb}))
    with pytest.raises(ImportRejected, match="entities"):
        parse_qdc(bomb.replace(b"Project", b"CodeBook"))


@pytest.mark.django_db
def test_a_project_whose_sources_are_missing_lists_their_selections(demo) -> None:
    parsed = parse_qdpx(_zip({"project.qde": SAMPLE_QDE}))
    assert parsed.tags == []
    assert any("not in the file" in o.reason for o in parsed.skipped)


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = _zip({"project.qde": SAMPLE_QDE, "sources/big.txt": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ImportRejected, match="zip bomb"):
        parse_qdpx(bomb)


def test_a_codebook_that_is_not_one_is_refused() -> None:
    with pytest.raises(ImportRejected, match="not a REFI-QDA codebook"):
        parse_qdc(SAMPLE_QDE)
    with pytest.raises(ImportRejected, match="not well-formed"):
        parse_qdc(b"<CodeBook")


@pytest.mark.django_db
def test_nothing_is_half_written_when_an_import_fails_midway(demo, monkeypatch) -> None:
    import annotations.interchange.services as interchange

    key = _key()
    parsed = parse_qdpx(qdpx(set_record(key, base_url="")))
    sets, themes = AnnotationSet.objects.count(), Theme.objects.count()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(interchange, "_store_tags", boom)
    other = Seminar.objects.create(title="Empty")
    with pytest.raises(RuntimeError):
        annotation_set_import(
            seminar=other, owner=key.owner, title="x", parsed=parsed, create_themes=True
        )
    assert (AnnotationSet.objects.count(), Theme.objects.count()) == (sets, themes)


# Projects and codebooks from other tools ---------------------------------------------------

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


def _archive(project: bytes, **sources: bytes) -> bytes:
    return _zip({"project.qde": project} | {f"sources/{n}": d for n, d in sources.items()})


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
    monkeypatch.setattr(qdpx_import, "MAX_ENTRIES", 2)
    with pytest.raises(ImportRejected, match="more than 2 files"):
        parse_qdpx(data)
    monkeypatch.setattr(qdpx_import, "MAX_ENTRIES", 10)
    monkeypatch.setattr(qdpx_import, "QDA_LIMITS", Limits(max_unpacked_bytes=10))
    with pytest.raises(ImportRejected, match="project unpacks to more than 10 bytes"):
        parse_qdpx(data)


def test_a_project_with_too_many_codings_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qdpx_import, "MAX_ANNOTATIONS", 1)
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
