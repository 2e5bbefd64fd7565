"""The management commands: the seed corpus loaded once, documents imported and exported, the
demo; and their error paths and options: what a person at the terminal is told."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from readings.corpus import CorpusError, corpus_read
from readings.models import Document, Passage
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "A Reading\n\nThe first paragraph makes its point.\n\nThe second paragraph answers it.\n"


def _call(*args: str) -> tuple[str, str]:
    """What the command printed: standard output and standard error."""
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _manifest(folder: Path, body: str) -> Path:
    manifest = folder / "corpus.toml"
    manifest.write_text(body, encoding="utf-8")
    return manifest


@pytest.fixture
def corpus() -> Path:
    manifest = settings.COUNTERPOINT_SEEDS_DIR / "corpus.toml"
    assert manifest.exists(), f"The seed corpus is missing: {manifest} (set COUNTERPOINT_SEEDS_DIR)"
    return manifest


def test_load_corpus_loads_every_listed_document_with_its_metadata(corpus: Path) -> None:
    output, _ = _call("load_corpus", str(corpus))
    essay = Document.objects.get(title="China and Russia Will Not Be Split")
    analysis = Document.objects.get(publication="NEST Centre")
    assert essay.authors == ["Michael McFaul", "Evan S. Medeiros"]
    assert essay.subtitle == "The “Reverse Kissinger” Delusion"
    assert essay.published == "2025-04-04"
    assert essay.author_line == "McFaul & Medeiros"
    assert analysis.authors == [] and analysis.author_line == "NEST Centre"
    assert "Loaded: China and Russia Will Not Be Split" in output
    for passage in Passage.objects.select_related("document"):
        assert passage.document.text[passage.start : passage.end] == passage.text


def test_loading_the_corpus_twice_changes_nothing(corpus: Path) -> None:
    _call("load_corpus", str(corpus))
    before = list(Passage.objects.values_list("id", "document_id", "start", "end", "text"))
    output, _ = _call("load_corpus", str(corpus))
    assert "Already loaded" in output
    assert Document.objects.count() == 2
    assert list(Passage.objects.values_list("id", "document_id", "start", "end", "text")) == before


def test_load_corpus_names_a_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No corpus manifest"):
        _call("load_corpus", str(tmp_path / "corpus.toml"))
    assert Document.objects.count() == 0


def test_load_corpus_with_a_missing_file_stores_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A first reading. It is short.\n")
    (tmp_path / "corpus.toml").write_text(
        '[[document]]\nfile = "a.txt"\ntitle = "A"\n[[document]]\nfile = "gone.txt"\ntitle = "B"\n'
    )
    with pytest.raises(CommandError, match="gone.txt"):
        _call("load_corpus", str(tmp_path / "corpus.toml"))


def test_import_document_imports_one_file_with_title_and_authors(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# Why Trade Matters\n\nTrade ties *bind* partners. They also create leverage.\n"
    )
    output, _ = _call("import_document", str(path), "--title", "Note", "--author", "Ann Author")
    document = Document.objects.get()
    assert "Imported: Note" in output
    assert document.original_format == "md" and document.authors == ["Ann Author"]
    assert "*" not in document.text


def test_import_document_keeps_a_markdown_files_footnotes_as_notes(tmp_path: Path) -> None:
    path = tmp_path / "treaty.md"
    path.write_text("Treaties are kept in private.[^1] Nobody reads them.\n\n[^1]: Ames, p. 4.\n")
    _call("import_document", str(path), "--title", "Treaty")
    document = Document.objects.get()
    assert document.text == "Treaties are kept in private. Nobody reads them."
    assert [(n.number, n.text, n.passage.position) for n in document.notes.all()] == [
        (1, "Ames, p. 4.", 0)
    ]


def test_import_document_refuses_an_unsupported_file_and_stores_nothing(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(CommandError, match="cannot be imported. Supported formats"):
        _call("import_document", str(path), "--title", "Sheet")
    assert Document.objects.count() == 0


def test_export_passages_prints_json_lines_with_the_documented_keys(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text(
        "An opening claim. It is short.\n\nHEADING HERE\n\nOne paragraph. Two sentences.\n"
    )
    _call("import_document", str(path), "--title", "Short")
    lines = [json.loads(line) for line in _call("export_passages")[0].splitlines()]
    assert [set(line) for line in lines] == [
        {"document", "position", "kind", "label", "start", "end", "text"}
    ] * len(lines)
    assert [line["kind"] for line in lines] == ["paragraph", "heading", "paragraph"]
    assert lines[2]["text"] == "One paragraph. Two sentences."
    assert [line["label"] for line in lines] == ["¶ 1", "§ 1", "¶ 2"]


def test_load_demo_creates_the_instructor_and_the_seed_readings_once(corpus: Path) -> None:
    first, _ = _call("load_demo")
    second, _ = _call("load_demo")
    assert "instructor" in first and first == second
    instructor = UserFactory._meta.model.objects.get(username="instructor")
    assert instructor.check_password("read-together")
    assert Document.objects.filter(owner=instructor).count() == 2


def test_seed_corpus_loads_with_pull_quotes_headings_and_list_items_apart(corpus: Path) -> None:
    _call("load_corpus", str(corpus))
    essay = Document.objects.get(title="China and Russia Will Not Be Split")
    analysis = Document.objects.get(publication="NEST Centre")

    def kinds(document: Document, kind: str) -> list[str]:
        return list(document.passages.filter(kind=kind).values_list("text", flat=True))

    assert kinds(essay, "heading") == [
        "HISTORY DOES NOT ALWAYS RHYME",
        "A FOOL'S ERRAND",
        "A COSTLY PIVOT",
    ]
    assert len(kinds(essay, "pull_quote")) == 3
    assert essay.passages.filter(kind="front_matter", text="FOREIGN AFFAIRS").count() == 1
    assert len(kinds(analysis, "list_item")) == 5
    assert "Executive summary" in kinds(analysis, "heading")
    for text in kinds(essay, "paragraph"):
        assert text[0].isupper() or text[0] in "“\"'‘", text[:40]
        assert text.rstrip()[-1] in '.!?”"’)', text[-40:]


# import_document -----------------------------------------------------------------------------


def test_import_document_says_which_file_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Cannot read .*missing\.txt"):
        _call("import_document", str(tmp_path / "missing.txt"), "--title", "Gone")
    assert not Document.objects.exists()


def test_import_document_asks_for_a_title_when_the_file_names_none(tmp_path: Path) -> None:
    source = tmp_path / "untitled.txt"
    source.write_text("just one paragraph of text with no heading at all.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="give one with --title"):
        _call("import_document", str(source))
    assert not Document.objects.exists()


def test_import_document_refuses_an_unknown_owner(tmp_path: Path) -> None:
    source = tmp_path / "reading.txt"
    source.write_text(TEXT, encoding="utf-8")
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        _call("import_document", str(source), "--title", "A Reading", "--owner", "nobody")
    assert not Document.objects.exists()


def test_import_document_gives_the_document_to_its_owner_and_prints_warnings(
    tmp_path: Path,
) -> None:
    ines = UserFactory(username="ines")
    source = tmp_path / "reading.txt"
    # Windows-1252 bytes: the reader decodes them and warns that it guessed the encoding.
    source.write_bytes(TEXT.replace("first", "caf\xe9").encode("cp1252"))
    out, err = _call("import_document", str(source), "--owner", "ines", "--title", "A Reading")
    document = Document.objects.get()
    assert document.owner == ines and document.title == "A Reading"
    assert "café" in document.text
    assert f"Imported: A Reading ({document.passages.count()} passages), id {document.pk}" in out
    assert err.strip(), "the reader's warning about the encoding reaches the terminal"


# load_corpus and its manifest -----------------------------------------------------------------


def test_load_corpus_refuses_an_unknown_owner(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, "")
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        _call("load_corpus", str(manifest), "--owner", "nobody")


def test_load_corpus_gives_the_documents_to_the_owner(tmp_path: Path) -> None:
    ines = UserFactory(username="ines")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    manifest = _manifest(tmp_path, '[[document]]\nfile = "a.txt"\ntitle = "A Reading"\n')
    out, _ = _call("load_corpus", str(manifest), "--owner", "ines")
    assert Document.objects.get().owner == ines
    assert "Loaded: A Reading" in out


def test_a_manifest_that_is_not_toml_is_named_in_the_error(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, "[[document]\nfile = ")
    with pytest.raises(CorpusError, match="is not valid TOML"):
        corpus_read(manifest)


def test_a_manifest_entry_needs_a_file_and_a_title(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, '[[document]]\nfile = "a.txt"\n')
    with pytest.raises(CorpusError, match="Document 1 .* needs a 'file' and a 'title'"):
        corpus_read(manifest)


def test_a_listed_file_the_importer_refuses_stops_the_load(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    manifest = _manifest(tmp_path, '[[document]]\nfile = "empty.txt"\ntitle = "Empty"\n')
    with pytest.raises(CommandError, match=r"empty\.txt: The file is empty"):
        _call("load_corpus", str(manifest))
    assert not Document.objects.exists()


# export_passages ----------------------------------------------------------------------------


def test_export_passages_prints_only_the_chosen_document() -> None:
    wanted = DocumentFactory(title="Wanted")
    DocumentFactory(title="Other")
    out, _ = _call("export_passages", "--document", str(wanted.pk))
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and {row["document"] for row in rows} == {"Wanted"}
    assert len(rows) == wanted.passages.count()


# load_demo ----------------------------------------------------------------------------------


def test_load_demo_says_where_to_find_the_corpus_when_it_is_missing(tmp_path: Path) -> None:
    with (
        override_settings(COUNTERPOINT_SEEDS_DIR=tmp_path),
        pytest.raises(CommandError, match="Set COUNTERPOINT_SEEDS_DIR"),
    ):
        _call("load_demo")


def test_load_demo_names_the_reading_a_wrong_corpus_lacks(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    _manifest(tmp_path, '[[document]]\nfile = "a.txt"\ntitle = "A Reading"\n')
    with (
        override_settings(COUNTERPOINT_SEEDS_DIR=tmp_path),
        pytest.raises(CommandError, match="The demo seminar cannot be loaded: Reading '"),
    ):
        _call("load_demo")
