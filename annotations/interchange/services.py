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
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from annotations.codebook.forms import ThemeForm
from annotations.interchange.backup_records import (
    Backup,
    BackupMember,
    BackupReading,
    BackupTheme,
)
from annotations.interchange.imports.matching import Located, Placed, locate, place
from annotations.interchange.imports.records import (
    ImportRejected,
    IncomingTag,
    IncomingTheme,
    Orphan,
    ParsedFile,
)
from annotations.models import (
    AnnotationSet,
    DiscussionPick,
    PositionSummary,
    Tag,
    Theme,
    theme_name_key,
)
from annotations.pagecache import revisions
from annotations.palette import colour_is_accessible
from annotations.services import annotation_set_create, theme_create, theme_name_clean
from annotations.stances import NO_STANCE, STANCES
from readings.importing.limits import Budget
from readings.models import Document, Note, Passage, Seminar, SeminarReading

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
    key = theme_name_key(name)
    theme = themes.get(key)
    if theme is not None:
        return theme if theme.is_active else f"The theme “{theme.name}” is retired."
    if not create:
        return f"The codebook has no theme called “{name}” (only instructors add themes)."
    spec = incoming.get(key, IncomingTheme(name))
    try:
        theme = _create_theme(seminar, spec)
    except ValidationError as refused:
        # A name only the database's lower() takes for another theme's, or one blank once
        # cleaned: say so, no 500.
        reason = " ".join(refused.messages)
        return reason if name.strip() else f"No theme can be made of “{name}”: {reason}"
    themes[key] = theme
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
    kind: str = AnnotationSet.Kind.REFERENCE,
) -> ImportReport:
    """A new set of `owner` holding every annotation of `parsed` that can be anchored; the
    rest are listed in the report's orphans with the reason. All or nothing. Refused
    (ImportRejected) when placing them outlasts `budget` (the one the file was read under)."""
    if (
        kind == AnnotationSet.Kind.STUDENT
        and AnnotationSet.objects.filter(seminar=seminar, owner=owner, kind=kind).exists()
    ):
        raise ImportRejected(
            "You have a student-work set in this seminar already, and a person's work is one "
            "set: import this file as a reference, or change the other set's kind first."
        )
    report = ImportReport(format=parsed.format, orphans=list(parsed.skipped))
    # Anchoring is the costly part (a fuzzy search per quote not found as it is): bounded in
    # time, so a file of 50,000 crafted quotes is refused within seconds.
    budget = budget or Budget(what="The file's annotations", doing="to place in the readings")
    readings = _seminar_readings(seminar)
    texts = [(pk, r.text) for pk, r in readings.items()]
    incoming_themes = {theme_name_key(t.name): t for t in parsed.themes}
    with transaction.atomic():
        themes: dict[str, Theme] = {}
        active_first = F("retired_at").asc(nulls_first=True)  # PostgreSQL sorts NULL last
        for theme in Theme.objects.filter(seminar=seminar).order_by(active_first, "pk"):
            themes.setdefault(theme_name_key(theme.name), theme)  # an active one wins
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
            stance = incoming.stance if incoming.stance in STANCES else NO_STANCE
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
            seminar=seminar, owner=owner, title=title[:200] or "Imported annotations", kind=kind
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
            theme_name_key(name)
            for name in Theme.objects.active()
            .filter(seminar=seminar)
            .values_list("name", flat=True)
        }
        for spec in parsed.themes:
            if theme_name_key(spec.name) in taken:
                report.existing.append(spec.name)
                continue
            try:
                theme = _create_theme(seminar, spec)
            except ValidationError as error:
                raise ImportRejected(f"“{spec.name}”: {' '.join(error.messages)}") from error
            taken.add(theme_name_key(spec.name))
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
    picks: int = 0
    # Readings that had left the seminar, restored for the tags, summaries and picks on them.
    readings_left: int = 0


def _restore_reading(
    reading: BackupReading, *, owner, reuse_from, taken: set[int]
) -> tuple[Document, bool]:
    """An existing document with the same text and the same passages (and not already used by
    this restore), or a new one."""
    shape = [(p.position, p.start, p.end) for p in reading.passages]
    for document in reuse_from.filter(content_hash=reading.content_hash).exclude(pk__in=taken):
        if (
            list(document.passages.order_by("position").values_list("position", "start", "end"))
            == shape
        ):
            return document, False
    text = reading.text
    document = Document.objects.create(
        title=reading.title[:300],
        subtitle=reading.subtitle[:300],
        authors=list(reading.authors),
        publication=reading.publication[:200],
        published=reading.published[:40],
        source_note=reading.source_note,
        language=reading.language[:20],
        text=text,
        content_hash=reading.content_hash,
        original_filename=reading.original_filename[:255],
        original_format=reading.original_format
        if reading.original_format in Document.Format.values
        else Document.Format.TXT,
        ocr_engine=reading.ocr_engine[:100],
        owner=owner,
    )
    created = Passage.objects.bulk_create(
        [
            Passage(
                document=document,
                position=p.position,
                kind=p.kind,
                text=text[p.start : p.end],
                start=p.start,
                end=p.end,
                section=p.section[:300],
                word_count=p.word_count,
                label=p.label[:40],
                anchor=p.anchor[:20],
                emphasis=[list(span) for span in p.emphasis],
            )
            for p in reading.passages
        ],
        batch_size=500,
    )
    Note.objects.bulk_create(
        [
            Note(document=document, passage=passage, number=number, text=text)
            for p, passage in zip(reading.passages, created, strict=True)
            for number, text in p.notes
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


def _checked_themes(themes: tuple[BackupTheme, ...]) -> list[BackupTheme]:
    """The backup's themes as the codebook would take them from a person: checked by its form
    (name, colour, guiding question) and the slug by the slug field's own validator, names in
    NFKC, no two active themes alike. A file that breaks them is refused, since what the form
    refuses is what the pages cannot show."""
    checked: list[BackupTheme] = []
    active: dict[str, int] = {}
    for index, spec in enumerate(themes, start=1):
        where = f"The backup cannot be restored: theme {index} (“{spec.name[:80]}”)"
        form = ThemeForm(
            {
                "name": spec.name,
                "colour": spec.colour,
                "description": spec.description,
                "guiding_question": spec.guiding_question,
            },
            current=spec.colour,
        )
        if not form.is_valid():
            problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
            raise ImportRejected(f"{where}: {problems}")
        name = theme_name_clean(form.cleaned_data["name"])
        slug_field = Theme._meta.get_field("slug")  # its validators: the characters, the length
        try:
            if spec.slug:
                slug_field.run_validators(spec.slug)
        except ValidationError as error:
            raise ImportRejected(
                f"{where} has the web address “{spec.slug}”, which may hold only letters, "
                f"digits, hyphens and underscores, {slug_field.max_length} at most."
            ) from error
        if spec.retired_at is None:
            key = theme_name_key(name)
            if key in active:
                raise ImportRejected(
                    f"The backup cannot be restored: themes {active[key]} and {index} are both "
                    f"called “{themes[active[key] - 1].name}”; a codebook's active themes need "
                    "different names."
                )
            active[key] = index
        checked.append(replace(spec, name=name, colour=form.cleaned_data["colour"]))
    return checked


def _store_picks(picks: list[DiscussionPick]) -> int:
    """Create the picks a theme does not have yet, with the times they were made."""
    if not picks:
        return 0
    have = set(
        DiscussionPick.objects.filter(theme__in={p.theme_id for p in picks}).values_list(
            "theme_id", "passage_id"
        )
    )
    new = [p for p in picks if (p.theme_id, p.passage_id) not in have]
    times = [p.created_at for p in new]
    created = DiscussionPick.objects.bulk_create(new)
    dated = []
    for pick, made in zip(created, times, strict=True):
        if made is not None:
            pick.created_at = made
            dated.append(pick)
    if dated:
        DiscussionPick.objects.bulk_update(dated, ["created_at"])
    revisions.seminars_changed({pick.theme.seminar_id for pick in created})
    return len(created)


def seminar_restore(
    *,
    backup: Backup,
    importer: UserModel | None = None,
    into: Seminar | None = None,
    restore_people: bool = False,
) -> RestoreReport:
    """Restore a checked backup (annotations.interchange.imports.backup.parse_backup), all or
    nothing.

    Without `into`, a new seminar (joining closed). With `restore_people` (the command line,
    run by whoever runs the server) members, set owners, tag authors, the seminar's creator and
    the readings' owners come back as they were, missing accounts created without a usable
    password. Without it (the web page), the importer owns every restored set and no one else
    is added: a file must not be able to put people into a seminar or words into their mouths.
    Readings are reused when a document with the same text and passages is there (and, on the
    web, owned by the importer; other readings come back as the importer's own copies, from the
    text the file holds); readings that had left the seminar come back as documents outside it,
    with their tags, summaries and picks. Themes join active ones of the same name in `into`,
    and their picks with them.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    from readings.models import Membership

    User = get_user_model()
    checked_themes = _checked_themes(backup.themes)
    with transaction.atomic():
        users: dict[str, UserModel] = {}

        def account(username: str, member: BackupMember | None = None) -> UserModel:
            if username not in users:
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "first_name": member.first_name[:150],
                        "last_name": member.last_name[:150],
                        "email": member.email[:254],
                    }
                    if member
                    else {},
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                users[username] = user
            return users[username]

        if restore_people:
            for member in backup.members:
                account(member.username, member)

        def person(username: str | None) -> UserModel | None:
            if not restore_people:
                return importer
            return account(username) if username else None

        instructors = [m.username for m in backup.members if m.role == "instructor"]
        lead = importer or (person(instructors[0]) if instructors else None)
        seminar = into or Seminar.objects.create(
            title=backup.seminar.title[:200],
            description=backup.seminar.description,
            term=backup.seminar.term[:60],
            created_by=person(backup.seminar.created_by) or lead,
            archived_at=backup.seminar.archived_at,
        )
        report = RestoreReport(seminar=seminar)
        if restore_people:
            for member in backup.members:
                Membership.objects.get_or_create(
                    seminar=seminar, user=users[member.username], defaults={"role": member.role}
                )
        elif into is None and importer is not None:
            Membership.objects.create(seminar=seminar, user=importer, role="instructor")

        # On the web only the importer's own documents: linking one they merely read would
        # let the restored seminar outlive their membership of the owner's (issue 19).
        reuse_from = (
            Document.objects.all()
            if restore_people or importer is None
            else Document.objects.addable_by(importer)
        )
        documents: list[Document] = []
        top = SeminarReading.objects.filter(seminar=seminar).aggregate(top=Max("position"))["top"]
        first_free = 0 if top is None else top + 1
        for reading in backup.readings:
            document, created = _restore_reading(
                reading,
                owner=person(reading.owner) or lead,
                reuse_from=reuse_from,
                taken={d.pk for d in documents},
            )
            documents.append(document)
            report.readings_created += created
            report.readings_reused += not created
            if reading.position is None:
                report.readings_left += 1
            else:
                SeminarReading.objects.get_or_create(
                    seminar=seminar,
                    document=document,
                    defaults={
                        "position": first_free + reading.position,
                        "due_date": reading.due_date,
                    },
                )
        passages = [
            dict(Passage.objects.filter(document=document).values_list("position", "pk"))
            for document in documents
        ]

        top = Theme.objects.filter(seminar=seminar).aggregate(top=Max("position"))["top"]
        first_free = 0 if top is None else top + 1
        themes: list[Theme] = []
        for index, spec in enumerate(checked_themes):
            if spec.retired_at is None:
                # The index's own folding: a clash found here that the check above missed is
                # a second theme of this file, only the database folds the two names together.
                twin = Theme.objects.active().filter(seminar=seminar).named(spec.name).first()
                if twin is not None and twin in themes:
                    first = themes.index(twin) + 1
                    raise ImportRejected(
                        f"The backup cannot be restored: themes {first} and {index + 1} are "
                        f"both called “{twin.name}”; a codebook's active themes need different "
                        "names."
                    )
                if twin is not None:
                    themes.append(twin)
                    report.themes_reused += 1
                    continue
            themes.append(
                Theme.objects.create(
                    seminar=seminar,
                    name=spec.name,
                    slug=_free_slug(seminar, spec.slug, spec.name),
                    colour=spec.colour,
                    description=spec.description,
                    guiding_question=spec.guiding_question,
                    position=first_free + spec.position,
                    retired_at=spec.retired_at,
                )
            )
            report.themes_created += 1
        for theme, spec in zip(themes, backup.themes, strict=True):
            if spec.merged_into is not None and theme.retired_at is not None:
                theme.merged_into = themes[spec.merged_into]
                theme.save(update_fields=["merged_into"])
        report.picks = _store_picks(
            [
                DiscussionPick(
                    theme=theme,
                    passage_id=passages[pick.reading][pick.passage],
                    added_by=person(pick.added_by),
                    created_at=pick.created_at,  # type: ignore[misc]  # None: auto_now_add
                )
                for theme, spec in zip(themes, backup.themes, strict=True)
                for pick in spec.picks
            ]
        )

        restored_sets: list[AnnotationSet] = []
        # One student-work set per person: restored into one importer, or next to a set the
        # person has already, a second is kept as a reference.
        with_student_work = set(
            AnnotationSet.objects.filter(
                seminar=seminar, kind=AnnotationSet.Kind.STUDENT
            ).values_list("owner_id", flat=True)
        )
        for item in backup.sets:
            # parse_backup requires an owner, so `person` finds one.
            owner = cast("UserModel", person(item.owner) or lead)
            kind = item.kind
            if kind == AnnotationSet.Kind.STUDENT:
                if owner.pk in with_student_work:
                    kind = AnnotationSet.Kind.REFERENCE
                with_student_work.add(owner.pk)
            annotation_set = AnnotationSet.objects.create(
                seminar=seminar,
                owner=owner,
                title=item.title[:200],
                kind=kind,
                archived_at=item.archived_at,
                visibility=item.visibility,
                blind=item.blind,
                revealed_at=item.revealed_at,
                locked=item.locked,
            )
            if item.created_at:
                AnnotationSet.objects.filter(pk=annotation_set.pk).update(
                    created_at=item.created_at
                )
            tags = [
                Tag(  # type: ignore[misc]  # times None where the file has none: auto_now
                    passage_id=passages[tag.reading][tag.passage],
                    theme=themes[tag.theme],
                    span_start=tag.span[0],
                    span_end=tag.span[1],
                    stance=tag.stance,
                    note=tag.note,
                    author=person(tag.author),
                    created_at=tag.created_at,
                    updated_at=tag.updated_at,
                )
                for tag in item.tags
            ]
            _store_tags(annotation_set, tags)
            PositionSummary.objects.bulk_create(
                PositionSummary(
                    annotation_set=annotation_set,
                    theme=themes[summary.theme],
                    document=documents[summary.reading],
                    text=summary.text,
                )
                for summary in item.summaries
            )
            report.sets += 1
            report.tags += len(tags)
            restored_sets.append(annotation_set)
        for annotation_set, item in zip(restored_sets, backup.sets, strict=True):
            if item.copied_from is not None:
                annotation_set.copied_from = restored_sets[item.copied_from]
                annotation_set.save(update_fields=["copied_from"])
    return report
