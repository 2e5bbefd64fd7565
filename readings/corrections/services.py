"""Corrections of a saved reading by its owner: metadata, merge, split, kind, text, delete.

Each runs in one transaction with the document's row locked (two corrections of one reading
wait for each other), rebuilds the text and every passage's offsets and labels through
`readings.corrections.layout.lay_out` (so `document.text[p.start:p.end] == p.text` holds after
each), lets what is attached to the passages follow them (`rows_follow`), and says what moved.
Bad input raises CorrectionRefused before anything is written; a follower's refusal undoes the
rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.db import connection, transaction

from readings.corrections.follow import (
    CorrectionRefused,
    Remap,
    Spot,
    attached_counts,
    rows_follow,
)
from readings.corrections.layout import MERGE_JOINER, lay_out, offset_map, split_halves
from readings.importing import ImportRejected, split_text
from readings.importing.limits import Budget
from readings.models import (
    Document,
    Note,
    Passage,
    PassageKind,
    PendingImport,
    Seminar,
    SeminarReading,
)
from readings.services import DocumentMetadata, notes_from_split, pending_import_notes

# A passage's text, as a fix may set it: a long paragraph is a few thousand characters.
MAX_PASSAGE_CHARS = 20_000
# Kinds whose passages the reader and compare do not show tags on: a tagged passage keeps its kind.
UNTAGGABLE_KINDS = {PassageKind.NOT_TEXT, PassageKind.FRONT_MATTER, PassageKind.HEADING}
# "¶ 3 is now <phrase>, § 2."
KIND_PHRASES: dict[str, str] = {
    PassageKind.PARAGRAPH: "a paragraph",
    PassageKind.LIST_ITEM: "a list item",
    PassageKind.HEADING: "a heading",
    PassageKind.PULL_QUOTE: "a pull quote",
    PassageKind.FRONT_MATTER: "front matter",
    PassageKind.NOT_TEXT: "not part of the text",
}
# A temporary position, above any a reading has, while passages change places.
_ASIDE = 1_000_000_000
# Label changes a message names before "and N more".
_NAMED = 6


@dataclass
class Correction:
    """What a correction did, in sentences for its message."""

    done: str
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return " ".join([self.done, *self.notes])


def _locked(document: Document) -> tuple[Document, list[Passage]]:
    document = Document.objects.select_for_update().get(pk=document.pk)
    return document, list(document.passages.order_by("position"))


def _find(passages: list[Passage], passage_id: int) -> int:
    for index, passage in enumerate(passages):
        if passage.pk == passage_id:
            return index
    raise CorrectionRefused("This passage is no longer in the reading: reload the page.")


def _content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _relabel_notes(before: dict[int, str], after: list[Passage], tagged: set[int]) -> list[str]:
    """ "¶ 12 is now ¶ 11" for the tagged passages whose label changed: what people cite."""
    changes = [
        f"{before[p.pk]} is now {p.label}."
        for p in after
        if p.pk in tagged and p.pk in before and before[p.pk] != p.label
    ]
    if len(changes) > _NAMED:
        changes = [*changes[:_NAMED], f"And {len(changes) - _NAMED} more tagged passages moved."]
    return changes


_FIELDS = {field.name: field for field in Passage._meta.concrete_fields}


def _update_rows(passages: Sequence[Passage], fields: list[str]) -> None:
    """UPDATE each row's `fields`, one prepared statement for all: bulk_update's CASE per field
    took 5 s of CPU for a 3,000-paragraph reading (bench/correction_bench.py)."""
    if not passages:
        return
    quote = connection.ops.quote_name
    columns = [_FIELDS[name] for name in fields]
    assignments = ", ".join(f"{quote(field.column or field.name)} = %s" for field in columns)
    sql = f"UPDATE {quote(Passage._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    rows = [
        [field.get_db_prep_save(getattr(p, field.attname), connection) for field in columns]
        + [p.pk]
        for p in passages
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _store(
    document: Document,
    passages: list[Passage],
    *,
    edited: Sequence[Passage] = (),
    removed: Sequence[Passage] = (),
    remap: Remap | None = None,
) -> list[str]:
    """Lay `passages` (in their new order; new ones unsaved; `edited`, those whose kind, text
    or emphasis changed) out again and write them, the rows that follow them, and the
    document's text."""
    stored = [p for p in passages if not p._state.adding]
    before = {p.pk: p.label for p in stored}
    before.update({p.pk: p.label for p in removed})
    tagged = set(attached_counts([*before])) if before else set()
    positions_before = {p.pk: p.position for p in (*stored, *removed)}
    text, laid = lay_out([(p.kind, p.text) for p in passages])
    moving = [
        p
        for p, place in zip(passages, laid, strict=True)
        if not p._state.adding and (p.position != place.position or p.anchor != place.anchor)
    ]
    # Rows whose place changes; most of a long reading's rows keep theirs after a correction
    # near its end, and bulk_update's cost grows with rows times fields.
    placed = [
        p
        for p, place in zip(passages, laid, strict=True)
        if p._state.adding
        or (p.position, p.start, p.end, p.label, p.anchor, p.section, p.word_count)
        != (
            place.position,
            place.start,
            place.end,
            place.label,
            place.anchor,
            place.section,
            place.word_count,
        )
    ]
    # Positions and anchors are unique per reading and checked row by row: set the moving
    # ones aside first, so that "¶ 4 becomes ¶ 3" never meets the old ¶ 3.
    for index, passage in enumerate(moving):
        passage.position, passage.anchor = _ASIDE + index, f"t{index}"
    _update_rows(moving, ["position", "anchor"])
    fresh = [p for p in passages if p._state.adding]
    for index, passage in enumerate(fresh, start=len(moving)):
        passage.position, passage.anchor = _ASIDE + index, f"t{index}"
        passage.start, passage.end = 0, len(passage.text)
        passage.document = document
        passage.word_count = 0
    Passage.objects.bulk_create(fresh)
    notes: list[str] = []
    if remap is not None:
        notes = rows_follow(
            replace(
                remap,
                texts={p.pk: p.text for p in passages},
                labels={p.pk: place.label for p, place in zip(passages, laid, strict=True)},
                text_after=text,
                spans_after=tuple(
                    (p.pk, place.start, place.end) for p, place in zip(passages, laid, strict=True)
                )
                if remap.place is None
                else (),
            )
        )
    if removed:
        notes += _notes_follow(passages, removed, remap, positions_before)
        Passage.objects.filter(pk__in=[p.pk for p in removed]).delete()
    for passage, place in zip(passages, laid, strict=True):
        passage.position, passage.start, passage.end = place.position, place.start, place.end
        passage.label, passage.anchor, passage.section = place.label, place.anchor, place.section
        passage.word_count = place.word_count
    layout = ["position", "start", "end", "section", "word_count", "label", "anchor"]
    _update_rows(placed, layout)
    Passage.objects.bulk_update(
        [p for p in edited if not p._state.adding], ["kind", "text", "emphasis"]
    )
    for passage in removed:  # "¶ 5 is now part of ¶ 4"
        if passage.pk in tagged:
            merged_into = remap.place(passage.pk, 0, 0) if remap and remap.place else None
            into = next(
                (p for p in passages if merged_into and p.pk == merged_into.passage_id), None
            )
            if into is not None:
                notes.append(f"{before[passage.pk]} is now part of {into.label}.")
    notes.extend(_relabel_notes(before, passages, tagged))
    document.text = text
    document.content_hash = _content_hash(text)
    # Saving moves updated_at, under which the reader caches the passages.
    document.save(update_fields=["text", "content_hash", "updated_at"])
    _seminars_using(document).bump_revision()
    return notes


def _notes_follow(
    passages: Sequence[Passage],
    removed: Sequence[Passage],
    remap: Remap | None,
    positions_before: dict[int, int],
) -> list[str]:
    """The footnotes of passages about to go move to the passage that takes their text: the
    one a merge joins them to, else the nearest one before (after, for the first). A note
    keeps its number and text; a split keeps a passage's notes on its first half, since the
    call's place within the passage is not kept. A new file brings its own notes
    (document_replace), so there the old ones go with their passages."""
    if remap is not None and remap.place is None:
        return []
    gone = {p.pk for p in removed}
    moving = list(Note.objects.filter(passage_id__in=gone).order_by("number"))
    if not moving:
        return []
    kept = [p for p in passages if p.pk in positions_before]
    for note in moving:
        spot = remap.place(note.passage_id, 0, 0) if remap and remap.place else None
        if spot is not None and spot.passage_id not in gone:
            note.passage_id = spot.passage_id
            continue
        was = positions_before[note.passage_id]
        before = [p for p in kept if positions_before[p.pk] < was]
        note.passage_id = (before[-1] if before else kept[0]).pk
    Note.objects.bulk_update(moving, ["passage"])
    count = len(moving)
    return [f"{count} footnote{'s' if count != 1 else ''} moved with the text that calls them."]


def _seminars_using(document: Document):
    return Seminar.objects.filter(
        pk__in=SeminarReading.objects.filter(document=document).values("seminar_id")
    )


# Metadata ----------------------------------------------------------------------------------


def document_metadata_update(*, document: Document, metadata: DocumentMetadata) -> Correction:
    if not metadata.title.strip():
        raise CorrectionRefused("Give the reading a title: it names the column in comparisons.")
    with transaction.atomic():
        document, _ = _locked(document)
        document.title = metadata.title.strip()
        document.subtitle = metadata.subtitle
        document.authors = list(metadata.authors)
        document.publication = metadata.publication
        document.published = metadata.published
        document.source_note = metadata.source_note
        document.language = metadata.language or "en"
        document.save()
        _seminars_using(document).bump_revision()
    return Correction(f"The title block of “{document.title}” was saved.")


# Passages ----------------------------------------------------------------------------------


def passage_merge(*, document: Document, passage_id: int) -> Correction:
    """Join a passage and the one after it (a paragraph cut at a page end, a title in two)."""
    with transaction.atomic():
        document, passages = _locked(document)
        index = _find(passages, passage_id)
        if index + 1 >= len(passages):
            raise CorrectionRefused("This is the last passage: there is none after it to join.")
        first, second = passages[index], passages[index + 1]
        hidden = attached_counts([second.pk]).get(second.pk, 0)
        if hidden and first.kind in UNTAGGABLE_KINDS:
            raise CorrectionRefused(
                f"{second.label} has tags, which {KIND_PHRASES[first.kind]} would hide: make "
                f"{first.label} a paragraph first, then merge."
            )
        shift = len(first.text) + len(MERGE_JOINER)
        first_length, second_length = len(first.text), len(second.text)
        label_first, label_second = first.label, second.label
        first.text = first.text + MERGE_JOINER + second.text
        first.emphasis = [
            *first.emphasis,
            *[[start + shift, end + shift] for start, end in second.emphasis],
        ]

        def place(passage_id: int, start: int, end: int) -> Spot | None:
            # A tag on a whole passage keeps quoting just that passage's words.
            if passage_id == first.pk:
                return Spot(first.pk, *((start, end) if end else (0, first_length)))
            if end:
                return Spot(first.pk, start + shift, end + shift)
            return Spot(first.pk, shift, shift + second_length)

        del passages[index + 1]
        remap = Remap(passages=frozenset({first.pk, second.pk}), place=place)
        notes = _store(document, passages, edited=[first], removed=[second], remap=remap)
    return Correction(
        f"{label_first} and {label_second} are now one passage, {first.label}.", notes
    )


def passage_split(*, document: Document, passage_id: int, at: int) -> Correction:
    """Cut a passage in two before the character at `at` (an offset in its text)."""
    with transaction.atomic():
        document, passages = _locked(document)
        index = _find(passages, passage_id)
        passage = passages[index]
        halves = split_halves(passage.text, at)
        if halves is None:
            raise CorrectionRefused(
                "Choose a point inside the passage, with words on both sides of it."
            )
        first_text, second_text, second_start = halves
        label = passage.label
        cut = len(first_text)
        second = Passage(kind=passage.kind, text=second_text, emphasis=[])
        second.emphasis = [
            [max(start, second_start) - second_start, end - second_start]
            for start, end in passage.emphasis
            if end > second_start
        ]
        passage.emphasis = [
            [start, min(end, cut)] for start, end in passage.emphasis if start < cut
        ]
        passage.text = first_text
        passages.insert(index + 1, second)

        def place(passage_id: int, start: int, end: int) -> Spot | None:
            if not end:  # the whole passage: it stays with the first half, whole
                return Spot(passage.pk, 0, 0)
            if end <= cut:
                return Spot(passage.pk, start, end)
            if start >= second_start:
                return Spot(second.pk, start - second_start, end - second_start)
            # Only a quote over the gap's whitespace can be cut to one side.
            if start >= cut:
                return Spot(second.pk, 0, end - second_start)
            if end <= second_start:
                return Spot(passage.pk, start, cut)
            return None

        remap = Remap(passages=frozenset({passage.pk}), place=place)
        notes = _store(document, passages, edited=[passage], remap=remap)
    return Correction(f"{label} is now two passages, {passage.label} and {second.label}.", notes)


def passage_kind_set(*, document: Document, passage_id: int, kind: str) -> Correction:
    if kind not in PassageKind.values:
        raise CorrectionRefused("Choose one of the kinds listed.")
    with transaction.atomic():
        document, passages = _locked(document)
        passage = passages[_find(passages, passage_id)]
        if passage.kind == kind:
            return Correction(f"{passage.label} is {KIND_PHRASES[kind]} already.")
        count = attached_counts([passage.pk]).get(passage.pk, 0)
        if count and kind in UNTAGGABLE_KINDS:
            raise CorrectionRefused(
                f"{passage.label} has {count} tag{'s' if count != 1 else ''}, which "
                f"{KIND_PHRASES[kind]} would hide. Remove them first, or choose "
                "paragraph, list item or pull quote."
            )
        label = passage.label
        passage.kind = kind
        notes = _store(document, passages, edited=[passage])
    return Correction(f"{label} is now {KIND_PHRASES[kind]}, {passage.label}.", notes)


def passage_text_fix(*, document: Document, passage_id: int, text: str) -> Correction:
    """Correct a passage's words (a typo, a broken word); tags keep quoting the same words,
    and those whose quoted words changed are named."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise CorrectionRefused("A passage cannot be empty: to take it out, change its kind.")
    if len(text) > MAX_PASSAGE_CHARS:
        raise CorrectionRefused(
            f"A passage holds at most {MAX_PASSAGE_CHARS:,} characters; this has {len(text):,}."
        )
    if "\n\n" in text:
        raise CorrectionRefused("A blank line would make two passages: use “Split” for that.")
    text = " ".join(line.strip() for line in text.split("\n"))  # a passage is one line
    with transaction.atomic():
        document, passages = _locked(document)
        passage = passages[_find(passages, passage_id)]
        old = passage.text
        if old == text:
            return Correction(f"{passage.label} was left as it was: the text is the same.")
        moved = offset_map(old, text)
        passage.text = text
        passage.emphasis = [
            [moved(start, False), moved(end, True)]
            for start, end in passage.emphasis
            if moved(start, False) < moved(end, True)
        ]

        def place(passage_id: int, start: int, end: int) -> Spot | None:
            if not end:
                return Spot(passage.pk, 0, 0)
            new_start, new_end = moved(start, False), moved(end, True)
            return Spot(passage.pk, new_start, new_end) if new_start < new_end else None

        remap = Remap(frozenset({passage.pk}), place)
        notes = _store(document, passages, edited=[passage], remap=remap)
    return Correction(f"The text of {passage.label} was corrected.", notes)


def passage_drop(*, document: Document, passage_id: int) -> Correction:
    """Remove a stray passage for good (a duplicated line, an empty artefact). Refused while
    tags are on it: "not part of the text" takes it out and can be undone."""
    with transaction.atomic():
        document, passages = _locked(document)
        index = _find(passages, passage_id)
        passage = passages[index]
        count = attached_counts([passage.pk]).get(passage.pk, 0)
        if count:
            raise CorrectionRefused(
                f"{passage.label} has {count} tag{'s' if count != 1 else ''}: mark it “not part "
                "of the text” instead, which keeps them and can be undone."
            )
        if len(passages) == 1:
            raise CorrectionRefused("A reading keeps at least one passage: delete the reading.")
        label = passage.label
        del passages[index]
        notes = _store(document, passages, removed=[passage])
    return Correction(f"{label} was dropped.", notes)


# A new file of the same text ----------------------------------------------------------------


class _DryRun(Exception):
    def __init__(self, correction: Correction) -> None:
        super().__init__(correction.message)
        self.correction = correction


def document_replace(
    *,
    document: Document,
    pending: PendingImport,
    orphans_confirmed: int | None = None,
    dry_run: bool = False,
) -> Correction:
    """Put the text of `pending` (a better file of the same reading) in place of the
    document's, split afresh, with every tag moved to the passage that holds its quote.

    Tags no passage holds are orphans: OrphansFound lists them, and they are removed only
    when `orphans_confirmed` is their number. With `dry_run`, nothing is kept: the returned
    Correction says what saving would do.
    """
    try:
        split = split_text(
            pending.text, Budget(what="The new text"), notes=pending_import_notes(pending)
        )
    except ImportRejected as rejected:
        raise CorrectionRefused(rejected.message) from rejected
    if not split.passages:
        raise CorrectionRefused("The new file holds no passage: check that it is the reading.")
    try:
        with transaction.atomic():
            document, passages = _locked(document)
            tags = sum(attached_counts([p.pk for p in passages]).values())
            fresh = [
                Passage(kind=p.kind, text=p.text, emphasis=[list(span) for span in p.emphasis])
                for p in split.passages
            ]
            remap = Remap(
                passages=frozenset(p.pk for p in passages),
                place=None,
                text_before=document.text,
                spans_before={p.pk: (p.start, p.end) for p in passages},
                orphans_confirmed=orphans_confirmed,
            )
            old_notes = Note.objects.filter(document=document)
            notes_before = old_notes.count()
            old_notes.delete()  # the new file's notes replace them, numbered as it calls them
            notes = _store(document, fresh, removed=passages, remap=remap)
            if split.notes:
                Note.objects.bulk_create(notes_from_split(fresh, split), batch_size=500)
            if notes_before or split.notes:
                notes.append(
                    f"Footnotes: {len(split.notes)} from the new file "
                    f"(the old text had {notes_before})."
                )
            document.original_format = pending.original_format
            document.original_filename = pending.original_filename
            document.ocr_engine = pending.ocr_engine
            document.save(update_fields=["original_format", "original_filename", "ocr_engine"])
            plural = "s" if tags != 1 else ""
            correction = Correction(
                f"The new text would have {len(fresh)} passages (there are {len(passages)}); "
                f"its {tags} tag{plural} would go to the passages holding the words they quote."
                if dry_run
                else f"The text was replaced: {len(fresh)} passages (there were "
                f"{len(passages)}); its {tags} tag{plural} went to the passages holding the "
                "words they quote.",
                notes,
            )
            if dry_run:
                raise _DryRun(correction)
            pending.delete()
    except _DryRun as done:
        return done.correction
    return correction


# The reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeletionCost:
    seminars: list[Seminar]
    tags: int


def document_deletion_cost(*, document: Document) -> DeletionCost:
    """What deleting the reading takes with it: the seminars reading it, and their tags."""
    passage_ids = list(document.passages.values_list("pk", flat=True))
    return DeletionCost(
        seminars=list(_seminars_using(document).order_by("title", "pk")),
        tags=sum(attached_counts(passage_ids).values()) if passage_ids else 0,
    )


def document_delete(*, document: Document, confirmed_tags: int | None = None) -> str:
    """Delete the reading; while a seminar reads it, only when `confirmed_tags` is the number
    of tags that go with it (counted again under the lock: a tag added since asks again)."""
    with transaction.atomic():
        document, _ = _locked(document)
        cost = document_deletion_cost(document=document)
        if cost.seminars and confirmed_tags != cost.tags:
            names = ", ".join(f"“{s.title}”" for s in cost.seminars)
            raise CorrectionRefused(
                f"“{document.title}” is read in {names}; deleting it removes it there with its "
                f"{cost.tags} tag{'s' if cost.tags != 1 else ''}. Confirm to delete it anyway."
            )
        title = document.title
        SeminarReading.objects.filter(document=document).delete()
        document.delete()
    return f"“{title}” was deleted" + (
        f", with its {cost.tags} tag{'s' if cost.tags != 1 else ''}." if cost.tags else "."
    )
