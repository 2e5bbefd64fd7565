from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from readings.models import Document, Passage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _call(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def corpus() -> Path:
    manifest = settings.COUNTERPOINT_SEEDS_DIR / "corpus.toml"
    assert manifest.exists(), f"The seed corpus is missing: {manifest} (set COUNTERPOINT_SEEDS_DIR)"
    return manifest


def test_load_corpus_loads_every_listed_document_with_its_metadata(corpus: Path) -> None:
    output = _call("load_corpus", str(corpus))
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
    output = _call("load_corpus", str(corpus))
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
    output = _call("import_document", str(path), "--title", "Note", "--author", "Ann Author")
    document = Document.objects.get()
    assert "Imported: Note" in output
    assert document.original_format == "md" and document.authors == ["Ann Author"]
    assert "*" not in document.text


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
    lines = [json.loads(line) for line in _call("export_passages").splitlines()]
    assert [set(line) for line in lines] == [
        {"document", "position", "kind", "label", "start", "end", "text"}
    ] * len(lines)
    assert [line["kind"] for line in lines] == ["paragraph", "heading", "paragraph"]
    assert lines[2]["text"] == "One paragraph. Two sentences."
    assert [line["label"] for line in lines] == ["¶ 1", "§ 1", "¶ 2"]


def test_load_demo_creates_the_instructor_and_the_seed_readings_once(corpus: Path) -> None:
    first = _call("load_demo")
    second = _call("load_demo")
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
