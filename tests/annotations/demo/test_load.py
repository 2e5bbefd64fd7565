from __future__ import annotations

import re
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Model

from annotations.demo.load import DEMO_CONTENT, DemoError, demo_load, demo_read
from annotations.models import AnnotationSet, PositionSummary, Tag, Theme
from readings.corpus import corpus_read
from readings.models import Document, Membership, Seminar, SeminarReading
from tests.demo_seminar import LoadedDemo

pytestmark = pytest.mark.django_db

MANIFEST = settings.COUNTERPOINT_SEEDS_DIR / "corpus.toml"
CONTENT = demo_read()
READING_FILES = CONTENT.readings  # "essay" → file name
THEMES = [theme.name for theme in CONTENT.themes]


def _load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def demo(demo_loaded: LoadedDemo) -> str:
    return demo_loaded.output


def _key() -> AnnotationSet:
    return AnnotationSet.objects.get(kind=AnnotationSet.Kind.KEY)


def _document(reading: str) -> Document:
    return Document.objects.get(original_filename=READING_FILES[reading])


def _pairs(annotation_set: AnnotationSet) -> dict[tuple[int, int], str]:
    """(passage, theme) → stance, for a set's passage-level tags."""
    return {
        (tag.passage_id, tag.theme_id): tag.stance
        for tag in annotation_set.tags.filter(span_start=0, span_end=0)
    }


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(text: str, length: int = 8) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


# Loading -----------------------------------------------------------------------------------


def test_loading_the_demo_twice_changes_nothing_and_prints_every_log_in(demo: str) -> None:
    def state() -> dict[str, list[int]]:
        models: tuple[type[Model], ...] = (get_user_model(), Seminar, Membership, SeminarReading)
        models += (Document, Theme, AnnotationSet, Tag, PositionSummary)
        return {m.__name__: sorted(m._default_manager.values_list("pk", flat=True)) for m in models}

    before = state()
    again = _load_demo()
    assert state() == before
    assert again == demo
    for role, username in [
        ("instructor", "instructor"),
        ("student", "amara"),
        ("student", "ben"),
        ("student", "chen"),
    ]:
        assert re.search(rf"^\s+{role}\s+{username}\b", demo, re.MULTILINE), demo
    assert "read-together" in demo


def test_every_demo_account_logs_in_with_the_shared_password_and_has_its_role(demo: str) -> None:
    seminar = Seminar.objects.get()
    roles = dict(seminar.memberships.values_list("user__username", "role"))
    assert roles == {
        "instructor": "instructor",
        "amara": "student",
        "ben": "student",
        "chen": "student",
    }
    for user in get_user_model().objects.filter(username__in=roles):
        assert user.check_password("read-together")
        assert user.first_name


def test_the_seminar_reads_the_seed_readings_in_corpus_order_with_the_seed_themes(
    demo: str,
) -> None:
    seminar = Seminar.objects.get()
    corpus = corpus_read(MANIFEST)
    files = list(
        seminar.seminar_readings.order_by("position").values_list(
            "document__original_filename", flat=True
        )
    )
    assert files == [entry.path.name for entry in corpus.entries]
    themes = list(seminar.themes.order_by("position"))
    assert [theme.name for theme in themes] == list(corpus.themes) == THEMES
    for theme in themes:
        assert theme.description and theme.guiding_question.endswith("?")


def test_the_sets_are_shared_blind_and_not_yet_revealed(demo: str) -> None:
    sets = AnnotationSet.objects.order_by("kind", "title")
    assert [(s.kind, s.owner.username) for s in sets] == [
        ("key", "instructor"),
        ("student", "amara"),
        ("student", "ben"),
        ("student", "chen"),
    ]
    for annotation_set in sets:
        assert annotation_set.visibility == AnnotationSet.Visibility.SEMINAR
        assert annotation_set.blind and annotation_set.revealed_at is None
        assert not annotation_set.locked


# The instructor key -------------------------------------------------------------------------


def test_the_key_tags_every_theme_in_both_readings_except_the_documented_silence(
    demo: str,
) -> None:
    assert CONTENT.silences == {("essay", "Taiwan")}
    key = _key()
    for reading in READING_FILES:
        document = _document(reading)
        for theme in THEMES:
            count = key.tags.filter(passage__document=document, theme__name=theme).count()
            if (reading, theme) in CONTENT.silences:
                assert count == 0, (reading, theme)
            else:
                assert count > 0, (reading, theme)


def test_the_documented_silence_is_real() -> None:
    essay = (settings.COUNTERPOINT_SEEDS_DIR / READING_FILES["essay"]).read_text()
    analysis = (settings.COUNTERPOINT_SEEDS_DIR / READING_FILES["analysis"]).read_text()
    assert "taiwan" not in essay.lower()
    assert "taiwan" in analysis.lower()


def test_the_key_tags_only_body_passages_and_mostly_with_a_stance(demo: str) -> None:
    tags = list(_key().tags.select_related("passage"))
    assert len(tags) >= 60
    assert all(tag.passage.is_body for tag in tags)
    with_stance = [tag for tag in tags if tag.stance]
    assert len(with_stance) / len(tags) >= 0.7
    assert sum(bool(tag.note) for tag in tags) / len(tags) >= 0.8
    # Many passages speak to two themes at once.
    by_passage = defaultdict(set)
    for tag in tags:
        by_passage[tag.passage_id].add(tag.theme_id)
    assert sum(len(themes) > 1 for themes in by_passage.values()) >= 10


def test_every_addressed_reading_and_theme_has_a_position_summary(demo: str) -> None:
    key = _key()
    for reading in READING_FILES:
        for theme in THEMES:
            summary = key.summaries.filter(document=_document(reading), theme__name=theme).first()
            if (reading, theme) in CONTENT.silences:
                assert summary is None, (reading, theme)
            else:
                assert summary is not None, (reading, theme)
                sentences = re.findall(r"[.!?](?:\s|$)", summary.text)
                assert 3 <= len(sentences) <= 5, summary.text


def test_no_demo_text_shares_a_run_of_eight_words_with_the_seed_texts(demo: str) -> None:
    seed_runs: set[tuple[str, ...]] = set()
    for filename in READING_FILES.values():
        seed_runs |= _runs((settings.COUNTERPOINT_SEEDS_DIR / filename).read_text())
    seminar = Seminar.objects.get()
    ours = [seminar.title, seminar.description]
    ours += [
        t for theme in seminar.themes.all() for t in (theme.description, theme.guiding_question)
    ]
    ours += list(PositionSummary.objects.values_list("text", flat=True))
    ours += list(Tag.objects.exclude(note="").values_list("note", flat=True))
    assert len(ours) > 100
    for text in ours:
        shared = _runs(text) & seed_runs
        assert not shared, f"{text!r} repeats the seed text: {' '.join(sorted(shared)[0])}"


def test_the_eight_word_check_would_catch_a_copied_sentence() -> None:
    essay = (settings.COUNTERPOINT_SEEDS_DIR / READING_FILES["essay"]).read_text()
    copied = "As they put it: " + " ".join(_words(essay)[200:209])
    assert _runs(copied) & _runs(essay)


# Students -----------------------------------------------------------------------------------


def test_each_student_set_overlaps_the_key_partly_and_disagrees_with_it(demo: str) -> None:
    key = _pairs(_key())
    key_themes = defaultdict(set)
    for passage, theme in key:
        key_themes[passage].add(theme)
    students = AnnotationSet.objects.filter(kind=AnnotationSet.Kind.STUDENT)
    assert students.count() == 3
    for student in students:
        pairs = _pairs(student)
        shared = pairs.keys() & key.keys()
        assert 0.4 <= len(shared) / len(pairs) <= 0.9, (student.title, len(shared), len(pairs))
        assert pairs.keys() - key.keys(), f"{student.title} adds nothing to the key"
        other_stance = [p for p in shared if pairs[p] and key[p] and pairs[p] != key[p]]
        themes = defaultdict(set)
        for passage, theme in pairs:
            themes[passage].add(theme)
        other_theme = [p for p in themes if p in key_themes and not themes[p] & key_themes[p]]
        assert other_stance or other_theme, f"{student.title} never disagrees with the key"


def test_the_students_split_on_at_least_two_passages(demo: str) -> None:
    # passage → theme → stances given
    stances: defaultdict[int, defaultdict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for tag in Tag.objects.filter(annotation_set__kind=AnnotationSet.Kind.STUDENT):
        if tag.stance:
            stances[tag.passage_id][tag.theme_id].add(tag.stance)
    split = {p for p, by_theme in stances.items() if any(len(s) > 1 for s in by_theme.values())}
    assert len(split) >= 2


# Safety and ownership ----------------------------------------------------------------------


def _content_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEMO_CONTENT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "demo_seminar.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_wrong_check_stops_the_loader_naming_the_entry_and_stores_nothing(
    tmp_path: Path,
) -> None:
    path = _content_with(tmp_path, 'check = "0868a4e3"', 'check = "00000000"')
    with pytest.raises(DemoError, match=r"key passage 11 \(essay ¶ 11\): check 00000000"):
        demo_load(path)
    assert not Seminar.objects.exists() and not Document.objects.exists()


def test_a_label_that_is_gone_stops_the_loader_naming_the_entry(tmp_path: Path) -> None:
    path = _content_with(tmp_path, 'at = "analysis ¶ 64"', 'at = "analysis ¶ 99"')
    with pytest.raises(DemoError, match=r"key passage \d+ \(analysis ¶ 99\).* no passage ¶ 99"):
        demo_load(path)


def test_a_key_tag_that_contradicts_a_declared_silence_is_refused(tmp_path: Path) -> None:
    path = _content_with(
        tmp_path,
        'tag."Reverse Kissinger" = { stance = "opposes", note = "No wedge today." }',
        'tag.Taiwan = { stance = "opposes" }',
    )
    with pytest.raises(DemoError, match="declares Taiwan silent"):
        demo_read(path)


def test_loading_again_keeps_changes_and_restores_a_deleted_set(demo: str) -> None:
    tag = _key().tags.filter(stance="opposes").first()
    assert tag is not None
    Tag.objects.filter(pk=tag.pk).update(stance="supports", note="Changed my mind.")
    amara = AnnotationSet.objects.get(owner__username="amara")
    tag_count = amara.tags.count()
    amara.delete()

    _load_demo()

    tag.refresh_from_db()
    assert (tag.stance, tag.note) == ("supports", "Changed my mind.")
    restored = AnnotationSet.objects.get(owner__username="amara")
    assert restored.tags.count() == tag_count
