"""Writes to annotations: themes, sets, tags and summaries. Each is one transaction."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from annotations import stances
from annotations.models import AnnotationSet, DiscussionPick, PositionSummary, Tag, Theme
from annotations.pagecache import revisions
from annotations.palette import colour_is_accessible, next_colour
from readings.models import Document, Passage, Seminar, SeminarReading

# Themes -----------------------------------------------------------------------------------


def _unique_slug(seminar: Seminar, name: str, *, exclude: int | None = None) -> str:
    base = slugify(name)[:80] or "theme"
    taken = set(
        Theme.objects.filter(seminar=seminar)
        .exclude(pk=exclude)  # type: ignore[misc]  # pk=None excludes nothing, as wanted
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_colour(colour: str) -> str:
    colour = colour.lower()
    if not colour_is_accessible(colour):
        raise ValidationError("This colour does not give theme chips enough contrast.")
    return colour


def theme_name_clean(name: str) -> str:
    """A theme's name as stored: NFKC, so that a Kelvin sign or full-width letters are the
    letters they look like (and SQLite's lower() and PostgreSQL's agree on them), trimmed."""
    return unicodedata.normalize("NFKC", name).strip()


def theme_create(
    *,
    seminar: Seminar,
    name: str,
    description: str = "",
    guiding_question: str = "",
    colour: str = "",
) -> Theme:
    name = theme_name_clean(name)
    if not name:
        raise ValidationError("A theme needs a name.")
    with transaction.atomic():
        themes = Theme.objects.select_for_update().filter(seminar=seminar)
        if themes.active().named(name).exists():
            raise ValidationError(f"The codebook already has a theme called “{name}”.")
        used = set(themes.values_list("colour", flat=True))
        top = themes.aggregate(top=Max("position"))["top"]
        return Theme.objects.create(
            seminar=seminar,
            name=name,
            slug=_unique_slug(seminar, name),
            colour=_check_colour(colour) if colour else next_colour(used),
            description=description,
            guiding_question=guiding_question,
            position=0 if top is None else top + 1,
        )


def theme_update(
    *, theme: Theme, name: str, description: str, guiding_question: str, colour: str
) -> Theme:
    name = theme_name_clean(name)
    if not name:
        raise ValidationError("A theme needs a name.")
    others = Theme.objects.active().filter(seminar_id=theme.seminar_id).exclude(pk=theme.pk)
    if others.named(name).exists():
        raise ValidationError(f"The codebook already has a theme called “{name}”.")
    with transaction.atomic():
        if name != theme.name:
            theme.slug = _unique_slug(theme.seminar, name, exclude=theme.pk)
        theme.name = name
        theme.description = description
        theme.guiding_question = guiding_question
        theme.colour = _check_colour(colour)
        theme.save()
    return theme


def theme_move(*, theme: Theme, offset: int) -> int | None:
    """Move an active theme `offset` places among the active themes; renumber the codebook.

    Retired themes are listed apart, so steps count active themes only, and stop at either
    end. Returns the theme's new place (1-based) among them, or None when it did not move.
    """
    if not theme.is_active:
        raise ValidationError(f"“{theme.name}” is retired: restore it before moving it.")
    with transaction.atomic():
        themes = list(
            Theme.objects.select_for_update()
            .filter(seminar_id=theme.seminar_id)
            .order_by("position", "pk")
        )
        active = [t for t in themes if t.retired_at is None]
        index = next(i for i, t in enumerate(active) if t.pk == theme.pk)
        target = max(0, min(len(active) - 1, index + offset))
        if target == index:
            return None
        moving = next(t for t in themes if t.pk == theme.pk)
        neighbour = active[target]
        themes.remove(moving)
        at = themes.index(neighbour)
        themes.insert(at if offset < 0 else at + 1, moving)
        for position, item in enumerate(themes):
            item.position = position
        Theme.objects.bulk_update(themes, ["position"])
        revisions.seminars_changed([theme.seminar_id])
    return target + 1


def theme_retire(*, theme: Theme) -> None:
    """Retire a theme: its tags stay (and stay visible), it takes no new ones."""
    theme.retired_at = timezone.now()
    theme.save(update_fields=["retired_at"])


def theme_restore(*, theme: Theme) -> None:
    others = Theme.objects.active().filter(seminar_id=theme.seminar_id).exclude(pk=theme.pk)
    if others.named(theme.name).exists():
        raise ValidationError(
            f"The codebook already has a theme called “{theme.name}”: rename one first."
        )
    theme.retired_at = None
    theme.merged_into = None
    theme.save(update_fields=["retired_at", "merged_into"])


def theme_merge(*, source: Theme, target: Theme) -> int:
    """Move every tag and summary of `source` to `target`, then retire `source`.

    Where a set already has the same passage and span under `target`, the two tags become one
    (the note and stance of the surviving tag are kept, and a note of the merged one is
    appended). Returns how many tags moved.
    """
    if source.seminar_id != target.seminar_id or source.pk == target.pk:
        raise ValidationError("Choose another theme of the same seminar to merge into.")
    if not target.is_active:
        raise ValidationError("Merge into an active theme.")
    moved = 0
    with transaction.atomic():
        for tag in Tag.objects.select_for_update().filter(theme=source):
            twin = Tag.objects.filter(
                annotation_set_id=tag.annotation_set_id,
                passage_id=tag.passage_id,
                theme=target,
                span_start=tag.span_start,
                span_end=tag.span_end,
            ).first()
            if twin is None:
                tag.theme = target
                tag.save(update_fields=["theme", "updated_at"])
            else:
                if tag.note and tag.note not in twin.note:
                    twin.note = f"{twin.note}\n{tag.note}".strip()
                twin.stance = twin.stance or tag.stance
                twin.save(update_fields=["note", "stance", "updated_at"])
                tag.delete()
            moved += 1
        for summary in PositionSummary.objects.filter(theme=source):
            existing = PositionSummary.objects.filter(
                annotation_set_id=summary.annotation_set_id,
                theme=target,
                document_id=summary.document_id,
            ).first()
            if existing is None:
                summary.theme = target
                summary.save(update_fields=["theme", "updated_at"])
            else:
                existing.text = f"{existing.text}\n\n{summary.text}".strip()
                existing.save(update_fields=["text", "updated_at"])
                summary.delete()
        source.retired_at = timezone.now()
        source.merged_into = target
        source.save(update_fields=["retired_at", "merged_into"])
    return moved


# Annotation sets --------------------------------------------------------------------------


def annotation_set_create(
    *,
    seminar: Seminar,
    owner,
    title: str,
    kind: str | None = None,
    visibility: str = AnnotationSet.Visibility.SEMINAR,
    blind: bool = True,
    copy_of: AnnotationSet | None = None,
) -> AnnotationSet:
    """A new set, empty or holding a copy of every tag and summary of `copy_of`. Its kind, unless
    given: a copy is a reference (it is not its owner's own coding), an empty set student work."""
    if kind is None:
        kind = AnnotationSet.Kind.REFERENCE if copy_of else AnnotationSet.Kind.STUDENT
    if copy_of is not None and copy_of.seminar_id != seminar.pk:
        raise ValidationError("A set can only be copied within its seminar.")
    with transaction.atomic():
        annotation_set = AnnotationSet.objects.create(
            seminar=seminar,
            owner=owner,
            title=title,
            kind=kind,
            visibility=visibility,
            blind=blind,
            copied_from=copy_of,
        )
        if copy_of is not None:
            Tag.objects.bulk_create(
                Tag(
                    annotation_set=annotation_set,
                    passage_id=tag.passage_id,
                    theme_id=tag.theme_id,
                    span_start=tag.span_start,
                    span_end=tag.span_end,
                    stance=tag.stance,
                    note=tag.note,
                    author=owner,
                )
                for tag in copy_of.tags.all()
            )
            PositionSummary.objects.bulk_create(
                PositionSummary(
                    annotation_set=annotation_set,
                    theme_id=summary.theme_id,
                    document_id=summary.document_id,
                    text=summary.text,
                )
                for summary in copy_of.summaries.all()
            )
            revisions.bump("set", annotation_set.pk)
    return annotation_set


def annotation_set_update(
    *,
    annotation_set: AnnotationSet,
    title: str,
    visibility: str,
    blind: bool,
    locked: bool,
    kind: str | None = None,
) -> AnnotationSet:
    annotation_set.title = title
    annotation_set.visibility = visibility
    annotation_set.blind = blind
    annotation_set.locked = locked
    if kind is not None:
        annotation_set.kind = kind
    annotation_set.save()
    return annotation_set


def annotation_set_archive(*, annotation_set: AnnotationSet, archived: bool = True) -> None:
    """Archive a set (out of the lists and counts, read-only; tags kept) or bring it back."""
    annotation_set.archived_at = timezone.now() if archived else None
    annotation_set.save(update_fields=["archived_at", "updated_at"])


def annotation_set_delete(*, annotation_set: AnnotationSet) -> int:
    """Delete a set with its tags and summaries; returns how many tags went. Copies made from
    it stay (their `copied_from` is cleared)."""
    with transaction.atomic():
        tags = annotation_set.tags.count()
        seminar_id = annotation_set.seminar_id
        annotation_set.delete()
        revisions.seminars_changed([seminar_id])
    return tags


def annotation_set_reveal(*, annotation_set: AnnotationSet, revealed: bool = True) -> None:
    annotation_set.revealed_at = timezone.now() if revealed else None
    annotation_set.save(update_fields=["revealed_at", "updated_at"])


def seminar_sets_reveal(*, seminar: Seminar, kind: str = AnnotationSet.Kind.STUDENT) -> int:
    """Reveal every blind set of one kind at once: the students' work ("reveal the class") or
    the instructor key, never both in one go, so the key is not shown as a side effect."""
    with transaction.atomic():
        revealed = AnnotationSet.objects.filter(
            seminar=seminar, kind=kind, blind=True, revealed_at__isnull=True
        ).update(revealed_at=timezone.now())
        revisions.seminars_changed([seminar.pk])
    return revealed


# Tags -------------------------------------------------------------------------------------


def _check_passage_in_seminar(seminar_id: int, passage: Passage) -> None:
    if not SeminarReading.objects.filter(
        seminar_id=seminar_id, document_id=passage.document_id
    ).exists():
        raise ValidationError("This passage is not in one of the seminar's readings.")


def _check_tag_target(annotation_set: AnnotationSet, passage: Passage, theme: Theme) -> None:
    if theme.seminar_id != annotation_set.seminar_id:
        raise ValidationError("This theme belongs to another seminar.")
    if not theme.is_active:
        raise ValidationError(f"The theme “{theme.name}” is retired and takes no new tags.")
    _check_passage_in_seminar(annotation_set.seminar_id, passage)
    if annotation_set.locked:
        raise ValidationError("This annotation set is locked: it takes no more changes.")


def _check_stance(stance: str) -> None:
    if stance and stance not in stances.STANCES:
        raise ValidationError(stances.INVALID)


def passage_tag(
    *,
    annotation_set: AnnotationSet,
    passage: Passage,
    theme: Theme,
    author,
    span: tuple[int, int] | None = None,
    stance: str = "",
    note: str = "",
) -> tuple[Tag, bool]:
    """Tag a passage (or a span of it) with a theme; tagging twice gives one tag.

    Returns the tag and whether it was created. A stance or note given for an existing tag
    updates it.
    """
    _check_tag_target(annotation_set, passage, theme)
    start, end = span if span else (0, 0)
    if span and not (0 <= start < end <= len(passage.text)):
        raise ValidationError("The quote must lie inside the passage.")
    _check_stance(stance)
    lookup = {
        "annotation_set": annotation_set,
        "passage": passage,
        "theme": theme,
        "span_start": start,
        "span_end": end,
    }
    # Another request may create or remove the same tag between any two statements here;
    # whatever it did, the caller gets the tag as asked (tagging is idempotent) and no error.
    for _ in range(3):
        try:
            with transaction.atomic():
                tag, created = Tag.objects.get_or_create(
                    **lookup, defaults={"stance": stance, "note": note, "author": author}
                )
        except IntegrityError:
            # A concurrent request created the same tag between our read and write.
            found = Tag.objects.filter(**lookup).first()
            if found is None:  # ... and another removed it again: start over.
                continue
            tag, created = found, False
        if created or not (stance or note):
            return tag, created
        if _tag_write(tag, stance=stance or tag.stance, note=note or tag.note):
            return tag, False
        # Removed between our read and our update: tag it afresh.
    raise ValidationError("This passage is being changed by several requests at once; try again.")


def _tag_write(tag: Tag, *, stance: str, note: str) -> bool:
    """Write stance and note in one UPDATE; False when the tag no longer exists."""
    now = timezone.now()
    with transaction.atomic():
        written = Tag.objects.filter(pk=tag.pk).update(stance=stance, note=note, updated_at=now)
        revisions.bump("set", tag.annotation_set_id)
    if written:
        tag.stance, tag.note, tag.updated_at = stance, note, now
    return bool(written)


def tag_update(*, tag: Tag, stance: str, note: str) -> Tag:
    _check_stance(stance)
    if not _tag_write(tag, stance=stance, note=note):
        raise ValidationError("This tag was removed meanwhile, so there is nothing to save.")
    return tag


def tag_remove(*, tag: Tag) -> None:
    if tag.annotation_set.locked:
        raise ValidationError("This annotation set is locked: it takes no more changes.")
    tag.delete()


def position_summary_save(
    *, annotation_set: AnnotationSet, theme: Theme, document: Document, text: str
) -> PositionSummary | None:
    """Write the summary; an empty text removes it."""
    if annotation_set.locked:
        raise ValidationError("This annotation set is locked: it takes no more changes.")
    if theme.seminar_id != annotation_set.seminar_id:
        raise ValidationError("This theme belongs to another seminar.")
    text = text.strip()
    if not text:
        PositionSummary.objects.filter(
            annotation_set=annotation_set, theme=theme, document=document
        ).delete()
        return None
    summary, _ = PositionSummary.objects.update_or_create(
        annotation_set=annotation_set, theme=theme, document=document, defaults={"text": text}
    )
    return summary


# Discussion picks ---------------------------------------------------------------------------


def discussion_pick_add(*, theme: Theme, passage: Passage, user) -> tuple[DiscussionPick, bool]:
    """Put a passage on the handout under a theme; adding it twice keeps one pick."""
    if not theme.is_active:
        raise ValidationError(f"The theme “{theme.name}” is retired.")
    _check_passage_in_seminar(theme.seminar_id, passage)
    try:
        with transaction.atomic():
            return DiscussionPick.objects.get_or_create(
                theme=theme, passage=passage, defaults={"added_by": user}
            )
    except IntegrityError:
        # A second click raced the first: the pick exists, which is what was asked.
        return DiscussionPick.objects.get(theme=theme, passage=passage), False


def discussion_pick_remove(*, theme: Theme, passage: Passage) -> bool:
    """Take a passage off the handout; True if it was on it."""
    deleted, _ = DiscussionPick.objects.filter(theme=theme, passage=passage).delete()
    return bool(deleted)
