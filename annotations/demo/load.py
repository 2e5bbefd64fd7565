"""The demo seminar: the seed readings, their themes, an instructor key and three students' sets.

The content lives in seminar.toml, written by us; this module reads it, checks that every
passage it names is still the passage it was written for, and writes it through the services.

Loading is idempotent and never overwrites: accounts, readings, the seminar, its members and its
themes are created when missing, and an annotation set is created whole (tags and summaries)
when its owner has no set of that title in the seminar. Whoever reworks the demo keeps their
changes; deleting a set (or the seminar) and loading again restores it.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from annotations.models import AnnotationSet, Theme
from annotations.services import (
    annotation_set_create,
    passage_tag,
    position_summary_save,
    theme_create,
)
from annotations.stances import STANCES
from readings.corpus import corpus_load
from readings.models import Document, Membership, Passage, Seminar
from readings.services import seminar_create, seminar_join, seminar_reading_add

DEMO_CONTENT = Path(__file__).with_name("seminar.toml")
DEMO_PASSWORD = "read-together"


class DemoError(Exception):
    pass


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str


@dataclass(frozen=True)
class ThemeSpec:
    name: str
    description: str
    guiding_question: str


@dataclass(frozen=True)
class TagSpec:
    entry: str  # names the passage block in error messages: "amara's passage 3 (essay ¶ 7)"
    reading: str
    label: str
    check: str
    theme: str
    stance: str
    note: str


@dataclass(frozen=True)
class SummarySpec:
    entry: str
    reading: str
    theme: str
    text: str


@dataclass(frozen=True)
class SetSpec:
    owner: str
    title: str
    kind: str
    tags: tuple[TagSpec, ...]
    summaries: tuple[SummarySpec, ...] = ()


@dataclass(frozen=True)
class DemoContent:
    title: str
    description: str
    term: str
    readings: dict[str, str]  # reading key ("essay") → file name in the seed corpus.toml
    instructor: DemoAccount
    students: tuple[DemoAccount, ...]
    themes: tuple[ThemeSpec, ...]
    silences: frozenset[tuple[str, str]]  # (reading key, theme name) the key leaves untagged
    sets: tuple[SetSpec, ...]  # the key first, then one per student

    @property
    def accounts(self) -> tuple[DemoAccount, ...]:
        return (self.instructor, *self.students)


@dataclass(frozen=True)
class DemoResult:
    seminar: Seminar
    accounts: tuple[DemoAccount, ...]


def passage_check(text: str) -> str:
    """The fingerprint seminar.toml gives for a passage: 8 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode()).hexdigest()[:8]


# Reading the content ----------------------------------------------------------------------


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DemoError(f"{where} needs a '{key}'.")
    return value.strip()


def _account(table: dict[str, Any], role: str, where: str) -> DemoAccount:
    return DemoAccount(
        username=_text(table, "username", where),
        role=role,
        first_name=str(table.get("first_name", "")).strip(),
    )


@dataclass(frozen=True)
class _Names:
    """What a passage block may refer to: the reading keys and the theme names."""

    readings: dict[str, str]
    theme_names: frozenset[str]


def _passage_tags(blocks: list[dict[str, Any]], owner: str, content: _Names) -> tuple[TagSpec, ...]:
    tags = []
    for index, block in enumerate(blocks, start=1):
        at = str(block.get("at", "")).strip()
        entry = f"{owner} passage {index} ({at or 'no at'})"
        reading, _, label = at.partition(" ")
        if reading not in content.readings or not label:
            known = ", ".join(content.readings)
            raise DemoError(f"{entry}: 'at' must be a reading ({known}) and a label, e.g. ¶ 3.")
        check = _text(block, "check", entry).lower()
        themed = block.get("tag")
        if not isinstance(themed, dict) or not themed:
            raise DemoError(f"{entry} tags no theme.")
        for theme, values in themed.items():
            if theme not in content.theme_names:
                raise DemoError(f"{entry}: “{theme}” is not one of the demo themes.")
            stance = str(values.get("stance", ""))
            if stance and stance not in STANCES:
                raise DemoError(f"{entry}, {theme}: the stance must be one of {list(STANCES)}.")
            tags.append(
                TagSpec(
                    entry=entry,
                    reading=reading,
                    label=label.strip(),
                    check=check,
                    theme=theme,
                    stance=stance,
                    note=str(values.get("note", "")).strip(),
                )
            )
    return tuple(tags)


def demo_read(path: Path = DEMO_CONTENT) -> DemoContent:
    """Parse and check seminar.toml (passages are checked against the database on load)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise DemoError(f"No demo content at {path}.") from error
    except tomllib.TOMLDecodeError as error:
        raise DemoError(f"{path} is not valid TOML: {error}") from error

    seminar = data.get("seminar", {})
    readings = {str(k): str(v) for k, v in data.get("readings", {}).items()}
    if not readings:
        raise DemoError("The demo content names no [readings].")
    themes = tuple(
        ThemeSpec(
            name=_text(t, "name", f"theme {i}"),
            description=str(t.get("description", "")).strip(),
            guiding_question=str(t.get("guiding_question", "")).strip(),
        )
        for i, t in enumerate(data.get("theme", []), start=1)
    )
    partial = _Names(readings=readings, theme_names=frozenset(t.name for t in themes))
    instructor = _account(data.get("instructor", {}), Membership.Role.INSTRUCTOR, "[instructor]")

    key = data.get("key", {})
    silences = frozenset((str(s["reading"]), str(s["theme"])) for s in key.get("silences", []))
    summaries = []
    for index, item in enumerate(key.get("summary", []), start=1):
        entry = f"key summary {index} ({item.get('reading')}, {item.get('theme')})"
        if item.get("reading") not in readings or item.get("theme") not in partial.theme_names:
            raise DemoError(f"{entry}: unknown reading or theme.")
        summaries.append(
            SummarySpec(entry, item["reading"], item["theme"], _text(item, "text", entry))
        )
    key_set = SetSpec(
        owner=instructor.username,
        title=_text(key, "title", "[key]"),
        kind=AnnotationSet.Kind.KEY,
        tags=_passage_tags(key.get("passage", []), "key", partial),
        summaries=tuple(summaries),
    )
    # A silence is a claim about the reading: the key must not contradict it.
    specs: tuple[TagSpec | SummarySpec, ...] = (*key_set.tags, *key_set.summaries)
    for spec in specs:
        if (spec.reading, spec.theme) in silences:
            raise DemoError(f"{spec.entry}: the key declares {spec.theme} silent in this reading.")

    students, student_sets = [], []
    for index, item in enumerate(data.get("student", []), start=1):
        account = _account(item, Membership.Role.STUDENT, f"student {index}")
        students.append(account)
        student_sets.append(
            SetSpec(
                owner=account.username,
                title=_text(item, "title", f"student {account.username}"),
                kind=AnnotationSet.Kind.STUDENT,
                tags=_passage_tags(item.get("passage", []), f"{account.username}'s", partial),
            )
        )
    return DemoContent(
        title=_text(seminar, "title", "[seminar]"),
        description=str(seminar.get("description", "")).strip(),
        term=str(seminar.get("term", "")).strip(),
        readings=readings,
        instructor=instructor,
        students=tuple(students),
        themes=themes,
        silences=silences,
        sets=(key_set, *student_sets),
    )


# Loading ----------------------------------------------------------------------------------


def _user(account: DemoAccount):
    user, created = get_user_model().objects.get_or_create(
        username=account.username, defaults={"first_name": account.first_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _documents(content: DemoContent, manifest: Path, owner) -> dict[str, Document]:
    """The readings by key, in corpus order."""
    by_file = {doc.original_filename: doc for doc, _ in corpus_load(manifest, owner=owner)}
    documents = {}
    for key, filename in content.readings.items():
        if filename not in by_file:
            raise DemoError(f"Reading '{key}' names {filename}, which {manifest} does not list.")
        documents[key] = by_file[filename]
    order = list(by_file)
    return dict(sorted(documents.items(), key=lambda item: order.index(item[1].original_filename)))


def _resolve(specs: tuple[TagSpec, ...], documents: dict[str, Document]) -> list[Passage]:
    """The passage each tag names, refusing a label that is gone or a text that changed."""
    passages = {
        key: {p.label: p for p in document.passages.all()} for key, document in documents.items()
    }
    resolved = []
    for spec in specs:
        passage = passages[spec.reading].get(spec.label)
        if passage is None:
            raise DemoError(
                f"{spec.entry}: “{documents[spec.reading]}” has no passage {spec.label}."
            )
        actual = passage_check(passage.text)
        if actual != spec.check:
            raise DemoError(
                f"{spec.entry}: check {spec.check} does not match the passage (its text now hashes "
                f"to {actual}). The reading was split differently: find the passage again."
            )
        resolved.append(passage)
    return resolved


def _seminar(content: DemoContent, instructor) -> Seminar:
    seminar = Seminar.objects.filter(title=content.title, created_by=instructor).first()
    if seminar is None:
        seminar = seminar_create(
            title=content.title,
            description=content.description,
            term=content.term,
            instructor=instructor,
        )
    return seminar


def _themes(seminar: Seminar, specs: tuple[ThemeSpec, ...]) -> dict[str, Theme]:
    themes = {theme.name: theme for theme in Theme.objects.filter(seminar=seminar)}
    for spec in specs:
        if spec.name not in themes:
            themes[spec.name] = theme_create(
                seminar=seminar,
                name=spec.name,
                description=spec.description,
                guiding_question=spec.guiding_question,
            )
    return themes


def _fill_set(
    annotation_set: AnnotationSet,
    spec: SetSpec,
    passages: list[Passage],
    themes: dict[str, Theme],
    documents: dict[str, Document],
) -> None:
    owner = annotation_set.owner
    for tag, passage in zip(spec.tags, passages, strict=True):
        theme = themes[tag.theme]
        if theme.is_active:  # someone may have retired a demo theme; it takes no new tags
            passage_tag(
                annotation_set=annotation_set,
                passage=passage,
                theme=theme,
                author=owner,
                stance=tag.stance,
                note=tag.note,
            )
    for summary in spec.summaries:
        position_summary_save(
            annotation_set=annotation_set,
            theme=themes[summary.theme],
            document=documents[summary.reading],
            text=summary.text,
        )


def demo_load(path: Path = DEMO_CONTENT, *, manifest: Path | None = None) -> DemoResult:
    """Create whatever part of the demo seminar is missing; loading twice changes nothing."""
    content = demo_read(path)
    manifest = manifest or settings.COUNTERPOINT_SEEDS_DIR / "corpus.toml"
    with transaction.atomic():
        users = {account.username: _user(account) for account in content.accounts}
        instructor = users[content.instructor.username]
        documents = _documents(content, manifest, instructor)
        # Every run checks every passage reference, whether or not it writes the set.
        targets = [_resolve(spec.tags, documents) for spec in content.sets]

        seminar = _seminar(content, instructor)
        for document in documents.values():
            seminar_reading_add(seminar=seminar, document=document)
        members = set(seminar.memberships.values_list("user__username", flat=True))
        for account in content.students:
            # A closed join code means the instructor closed the door: leave it that way.
            if account.username not in members and seminar.join_code:
                seminar_join(code=seminar.join_code, user=users[account.username])
                members.add(account.username)
        themes = _themes(seminar, content.themes)

        for spec, passages in zip(content.sets, targets, strict=True):
            owner = users[spec.owner]
            if owner.username not in members and spec.kind == AnnotationSet.Kind.STUDENT:
                continue
            if AnnotationSet.objects.filter(
                seminar=seminar, owner=owner, title=spec.title
            ).exists():
                continue
            annotation_set = annotation_set_create(
                seminar=seminar,
                owner=owner,
                title=spec.title,
                kind=spec.kind,
                visibility=AnnotationSet.Visibility.SEMINAR,
                blind=True,
            )
            _fill_set(annotation_set, spec, passages, themes, documents)
    return DemoResult(seminar=seminar, accounts=content.accounts)
