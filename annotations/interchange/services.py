"""Writes of imports: an annotation set from a file, themes from a codebook, a seminar from a
backup. Each is one transaction: an error anywhere leaves nothing written.

Anchoring is the pure annotations.interchange.imports.matching: the position if the reading is
the one the file was made on and the text there is the quote; else the quote (its context
decides between repeats); else a fuzzy match. A range equal to a passage becomes a
whole-passage tag, a range inside one a span; a range across passages is an orphan, listed
with its reason.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction

from annotations.interchange.imports.matching import Located, Placed, locate, place
from annotations.interchange.imports.records import (
    ImportRejected,
    IncomingTag,
    IncomingTheme,
    Orphan,
    ParsedFile,
)
from annotations.models import AnnotationSet, PositionSummary, Stance, Tag, Theme
from annotations.pagecache import revisions
from annotations.palette import colour_is_accessible
from annotations.services import annotation_set_create, theme_create
from readings.importing.limits import Budget
from readings.models import Document, Passage, Seminar, SeminarReading

if TYPE_CHECKING:
    from django.contrib.auth.models import User as UserModel

_DOCUMENT_PATH = re.compile(r"/documents/(\d+)/?(?:[#?].*)?$")


@dataclass
class ImportReport:
    format: str
    annotation_set: AnnotationSet | None = None
    imported: int = 0
    merged: int = 0  # annotations that landed on a tag another one had made
    fuzzy: int = 0  # found only approximately
    themes_created: list[str] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)


@dataclass
class CodebookReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    skipped: list[Orphan] = field(default_factory=list)


@dataclass(frozen=True)
class _Reading:
    document_id: int
    text: str
    content_hash: str
    passages: list[tuple[int, int, int]]  # (passage id, start, end) in text order


def _seminar_readings(seminar: Seminar) -> dict[int, _Reading]:
    documents = Document.objects.filter(
        pk__in=SeminarReading.objects.filter(seminar=seminar).values("document_id")
    ).only("pk", "text", "content_hash")
    passages: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for row in (
        Passage.objects.filter(document__in=documents)
        .order_by("document_id", "start")
        .values_list("document_id", "pk", "start", "end")
    ):
        passages[row[0]].append(row[1:])
    return {d.pk: _Reading(d.pk, d.text, d.content_hash, passages[d.pk]) for d in documents}


def _preferred(tag: IncomingTag, readings: dict[int, _Reading]) -> int | None:
    """The reading the file says the annotation is on: same text first, then our own IRI."""
    hint = tag.reading
    match = _DOCUMENT_PATH.search(hint.iri) if hint.iri else None
    named = int(match.group(1)) if match and int(match.group(1)) in readings else None
    if hint.content_hash:
        same = [pk for pk, r in readings.items() if r.content_hash == hint.content_hash]
        return named if named in same else (same[0] if same else None)
    return named


def _theme_for(
    name: str,
    seminar: Seminar,
    themes: dict[str, Theme],
    incoming: dict[str, IncomingTheme],
    create: bool,
    report: ImportReport,
) -> Theme | str:
    theme = themes.get(name.casefold())
    if theme is not None:
        return theme if theme.is_active else f"The theme “{theme.name}” is retired."
    if not create:
        return f"The codebook has no theme called “{name}” (only instructors add themes)."
    spec = incoming.get(name.casefold(), IncomingTheme(name))
    theme = _create_theme(seminar, spec)
    themes[name.casefold()] = theme
    report.themes_created.append(theme.name)
    return theme


def _create_theme(seminar: Seminar, spec: IncomingTheme) -> Theme:
    colour = spec.colour.lower() if re.fullmatch(r"#[0-9a-fA-F]{6}", spec.colour or "") else ""
    if colour and not colour_is_accessible(colour):
        colour = ""  # another tool's colour that would make unreadable chips: take ours
    return theme_create(
        seminar=seminar,
        name=spec.name[:80],
        description=spec.description,
        guiding_question=spec.guiding_question[:300],
        colour=colour,
    )


def annotation_set_import(
    *,
    seminar: Seminar,
    owner,
    title: str,
    parsed: ParsedFile,
    create_themes: bool = False,
    default_theme: Theme | None = None,
    budget: Budget | None = None,
) -> ImportReport:
    """A new set of `owner` holding every annotation of `parsed` that can be anchored; the
    rest are listed in the report's orphans with the reason. All or nothing. Refused
    (ImportRejected) when placing them outlasts `budget` (the one the file was read under)."""
    report = ImportReport(format=parsed.format, orphans=list(parsed.skipped))
    # Anchoring is the costly part (a fuzzy search per quote not found as it is): bounded in
    # time, so a file of 50,000 crafted quotes is refused within seconds.
    budget = budget or Budget(what="The file's annotations", doing="to place in the readings")
    readings = _seminar_readings(seminar)
    texts = [(pk, r.text) for pk, r in readings.items()]
    incoming_themes = {t.name.casefold(): t for t in parsed.themes}
    with transaction.atomic():
        themes: dict[str, Theme] = {}
        for theme in Theme.objects.filter(seminar=seminar).order_by("retired_at", "pk"):
            themes.setdefault(theme.name.casefold(), theme)  # an active one wins over retired
        tags: dict[tuple[int, int, int, int], Tag] = {}
        for incoming in parsed.tags:
            budget.check()
            quote = incoming.quote.exact
            where = locate(
                texts, incoming.quote, preferred=_preferred(incoming, readings), budget=budget
            )
            if isinstance(where, str):
                report.orphans.append(Orphan(incoming.ref, quote, where))
                continue
            placed = _place(where, readings)
            if isinstance(placed, str):
                report.orphans.append(Orphan(incoming.ref, quote, placed))
                continue
            chosen: list[Theme] = []
            for name in incoming.themes:
                named = _theme_for(name, seminar, themes, incoming_themes, create_themes, report)
                if isinstance(named, str):
                    report.orphans.append(Orphan(incoming.ref, quote, named))
                else:
                    chosen.append(named)
            if not incoming.themes:
                if default_theme is None:
                    report.orphans.append(
                        Orphan(
                            incoming.ref,
                            quote,
                            "It names no theme, and no theme was chosen for such annotations.",
                        )
                    )
                    continue
                chosen.append(default_theme)
            if where.anchor.method == "fuzzy":
                report.fuzzy += 1
            stance = incoming.stance if incoming.stance in Stance.values else ""
            passage_id = cast(int, placed.passage)  # _Reading.passages is keyed by passage pk
            for theme in chosen:
                key = (passage_id, theme.pk, placed.span_start, placed.span_end)
                if key in tags:
                    existing = tags[key]
                    if incoming.note and incoming.note not in existing.note:
                        existing.note = f"{existing.note}\n\n{incoming.note}".strip()
                    existing.stance = existing.stance or stance
                    report.merged += 1
                    continue
                tags[key] = Tag(
                    passage_id=passage_id,
                    theme=theme,
                    span_start=placed.span_start,
                    span_end=placed.span_end,
                    stance=stance,
                    note=incoming.note,
                    author=owner,
                    # Both None where the file gave no time: auto_now_add fills them in (the
                    # plugin reports both on the first line).
                    created_at=incoming.created,  # type: ignore[misc]
                    updated_at=incoming.modified or incoming.created,
                )
        annotation_set = annotation_set_create(
            seminar=seminar, owner=owner, title=title[:200] or "Imported annotations"
        )
        _store_tags(annotation_set, list(tags.values()))
    report.annotation_set = annotation_set
    report.imported = len(tags)
    return report


def _place(where: Located, readings: dict[int, _Reading]) -> Placed | str:
    reading = readings[cast(int, where.key)]  # the keys given to locate() are document pks
    return place(reading.passages, where.anchor.start, where.anchor.end)


def _store_tags(annotation_set: AnnotationSet, tags: list[Tag]) -> None:
    """Create the tags, then give them back the times they were made (auto_now would not)."""
    # None where the file gave no time (see the Tag(...) in annotations_import).
    times: list[tuple[datetime | None, datetime | None]] = [
        (tag.created_at, tag.updated_at) for tag in tags
    ]
    for tag in tags:
        tag.annotation_set = annotation_set
    created = Tag.objects.bulk_create(tags, batch_size=500)
    dated = []
    for tag, (made, changed) in zip(created, times, strict=True):
        if made is not None:
            tag.created_at, tag.updated_at = made, changed or made
            dated.append(tag)
    if dated:
        Tag.objects.bulk_update(dated, ["created_at", "updated_at"], batch_size=500)
    revisions.bump("set", annotation_set.pk)


def codebook_import(*, seminar: Seminar, parsed: ParsedFile) -> CodebookReport:
    """Add the codebook's themes the seminar lacks (by name, ignoring case); all or nothing."""
    report = CodebookReport(skipped=list(parsed.skipped))
    with transaction.atomic():
        taken = {
            name.casefold()
            for name in Theme.objects.active()
            .filter(seminar=seminar)
            .values_list("name", flat=True)
        }
        for spec in parsed.themes:
            if spec.name.casefold() in taken:
                report.existing.append(spec.name)
                continue
            try:
                theme = _create_theme(seminar, spec)
            except ValidationError as error:
                raise ImportRejected(f"“{spec.name}”: {' '.join(error.messages)}") from error
            taken.add(spec.name.casefold())
            report.created.append(theme.name)
    return report


# Seminar backups ---------------------------------------------------------------------------


@dataclass
class RestoreReport:
    seminar: Seminar
    readings_created: int = 0
    readings_reused: int = 0
    themes_created: int = 0
    themes_reused: int = 0
    sets: int = 0
    tags: int = 0


def _when(value: str | None):
    from annotations.interchange.imports.records import parse_time

    return parse_time(value) if value else None


def _restore_reading(item: dict, *, owner, reuse_from) -> tuple[Document, bool]:
    """An existing document with the same text and the same passages, or a new one."""
    shape = [(p["position"], p["start"], p["end"]) for p in item["passages"]]
    for document in reuse_from.filter(content_hash=item["content_hash"]):
        if (
            list(document.passages.order_by("position").values_list("position", "start", "end"))
            == shape
        ):
            return document, False
    text = item["text"]
    document = Document.objects.create(
        title=item["title"][:300],
        subtitle=str(item.get("subtitle", ""))[:300],
        authors=[str(a) for a in item.get("authors", []) if isinstance(a, str)],
        publication=str(item.get("publication", ""))[:200],
        published=str(item.get("published", ""))[:40],
        source_note=str(item.get("source_note", "")),
        language=str(item.get("language") or "en")[:20],
        text=text,
        content_hash=item["content_hash"],
        original_filename=str(item.get("original_filename", ""))[:255],
        original_format=item["original_format"]
        if item.get("original_format") in Document.Format.values
        else Document.Format.TXT,
        owner=owner,
    )
    Passage.objects.bulk_create(
        [
            Passage(
                document=document,
                position=p["position"],
                kind=p["kind"],
                text=text[p["start"] : p["end"]],
                start=p["start"],
                end=p["end"],
                section=str(p.get("section", ""))[:300],
                word_count=p.get("word_count") if isinstance(p.get("word_count"), int) else 0,
                label=p["label"][:40],
                anchor=p["anchor"][:20],
                emphasis=p.get("emphasis") if isinstance(p.get("emphasis"), list) else [],
            )
            for p in item["passages"]
        ],
        batch_size=500,
    )
    return document, True


def _free_slug(seminar: Seminar, wanted: str, name: str) -> str:
    from django.utils.text import slugify

    base = (wanted or slugify(name))[:80] or "theme"
    taken = set(Theme.objects.filter(seminar=seminar).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def seminar_restore(
    *,
    backup: dict[str, Any],
    importer: UserModel | None = None,
    into: Seminar | None = None,
    restore_people: bool = False,
) -> RestoreReport:
    """Restore a checked backup (annotations.interchange.imports.backup.parse_backup), all or
    nothing.

    Without `into`, a new seminar (joining closed). With `restore_people` (the command line,
    run by whoever runs the server) members, set owners and tag authors come back as they
    were, missing accounts created without a usable password. Without it (the web page), the
    importer owns every restored set and no one else is added: a file must not be able to put
    people into a seminar or words into their mouths. Readings are reused when a document
    with the same text and passages is there (and, on the web, visible to the importer).
    Themes join active ones of the same name in `into`.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    from readings.models import Membership

    User = get_user_model()
    with transaction.atomic():
        users: dict[str, UserModel] = {}
        if restore_people:
            for member in backup["members"]:
                user, created = User.objects.get_or_create(
                    username=member["username"],
                    defaults={
                        "first_name": str(member.get("first_name", ""))[:150],
                        "last_name": str(member.get("last_name", ""))[:150],
                        "email": str(member.get("email", ""))[:254],
                    },
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                users[member["username"]] = user

        def person(username: str | None) -> UserModel | None:
            if not restore_people:
                return importer
            if not username:
                return None
            if username not in users:
                user, created = User.objects.get_or_create(username=username)
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                users[username] = user
            return users[username]

        instructors = [m["username"] for m in backup["members"] if m["role"] == "instructor"]
        lead = importer or (person(instructors[0]) if instructors else None)
        seminar = into or Seminar.objects.create(
            title=backup["seminar"]["title"][:200],
            description=str(backup["seminar"].get("description", "")),
            term=str(backup["seminar"].get("term", ""))[:60],
            created_by=lead,
        )
        report = RestoreReport(seminar=seminar)
        if restore_people:
            for member in backup["members"]:
                Membership.objects.get_or_create(
                    seminar=seminar,
                    user=users[member["username"]],
                    defaults={"role": member["role"]},
                )
        elif into is None and importer is not None:
            Membership.objects.create(seminar=seminar, user=importer, role="instructor")

        reuse_from = (
            Document.objects.all()
            if restore_people or importer is None
            else Document.objects.visible_to(importer)
        )
        documents: dict[str, Document] = {}
        top = SeminarReading.objects.filter(seminar=seminar).aggregate(top=Max("position"))["top"]
        position = -1 if top is None else top
        for item in backup["readings"]:
            document, created = _restore_reading(item, owner=lead, reuse_from=reuse_from)
            documents[item["content_hash"]] = document
            report.readings_created += created
            report.readings_reused += not created
            _, added = SeminarReading.objects.get_or_create(
                seminar=seminar, document=document, defaults={"position": position + 1}
            )
            position += added

        existing = {t.name.casefold(): t for t in Theme.objects.active().filter(seminar=seminar)}
        top = Theme.objects.filter(seminar=seminar).aggregate(top=Max("position"))["top"]
        themes: list[Theme] = []
        for index, item in enumerate(backup["themes"]):
            retired = _when(item.get("retired_at"))
            twin = existing.get(item["name"].casefold()) if retired is None else None
            if twin is not None:
                themes.append(twin)
                report.themes_reused += 1
                continue
            themes.append(
                Theme.objects.create(
                    seminar=seminar,
                    name=item["name"][:80],
                    slug=_free_slug(seminar, str(item.get("slug", "")), item["name"]),
                    colour=item["colour"],
                    description=str(item.get("description", "")),
                    guiding_question=str(item.get("guiding_question", ""))[:300],
                    position=(0 if top is None else top + 1) + index,
                    retired_at=retired,
                )
            )
            report.themes_created += 1
        for theme, item in zip(themes, backup["themes"], strict=True):
            if item.get("merged_into") is not None and theme.retired_at is not None:
                theme.merged_into = themes[item["merged_into"]]
                theme.save(update_fields=["merged_into"])

        passages = {
            digest: dict(Passage.objects.filter(document=document).values_list("position", "pk"))
            for digest, document in documents.items()
        }
        restored_sets: list[AnnotationSet] = []
        for item in backup["sets"]:
            annotation_set = AnnotationSet.objects.create(
                seminar=seminar,
                # parse_backup requires an owner, so `person` finds one.
                owner=cast("UserModel", person(item["owner"]) or lead),
                title=item["title"][:200],
                kind=item["kind"],
                visibility=item["visibility"],
                blind=bool(item.get("blind", True)),
                revealed_at=_when(item.get("revealed_at")),
                locked=bool(item.get("locked", False)),
            )
            created_at = _when(item.get("created_at"))
            if created_at:
                AnnotationSet.objects.filter(pk=annotation_set.pk).update(created_at=created_at)
            tags = [
                Tag(
                    passage_id=passages[tag["reading"]][tag["passage"]],
                    theme=themes[tag["theme"]],
                    span_start=tag["span"][0],
                    span_end=tag["span"][1],
                    stance=tag.get("stance", ""),
                    note=tag.get("note", ""),
                    author=person(tag.get("author")),
                    created_at=_when(tag.get("created_at")),
                    updated_at=_when(tag.get("updated_at")),
                )
                for tag in item.get("tags", [])
            ]
            _store_tags(annotation_set, tags)
            PositionSummary.objects.bulk_create(
                PositionSummary(
                    annotation_set=annotation_set,
                    theme=themes[s["theme"]],
                    document=documents[s["reading"]],
                    text=s["text"],
                )
                for s in item.get("summaries", [])
            )
            report.sets += 1
            report.tags += len(tags)
            restored_sets.append(annotation_set)
        for annotation_set, item in zip(restored_sets, backup["sets"], strict=True):
            if item.get("copied_from") is not None:
                annotation_set.copied_from = restored_sets[item["copied_from"]]
                annotation_set.save(update_fields=["copied_from"])
    return report
