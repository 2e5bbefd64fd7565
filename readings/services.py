"""Writes to readings: every import of a document goes through here, in one transaction."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Max

from readings.importing import SplitResult, split_text
from readings.models import (
    Document,
    Membership,
    Note,
    Passage,
    PendingImport,
    Seminar,
    SeminarReading,
)


@dataclass(frozen=True)
class DocumentMetadata:
    title: str
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    publication: str = ""
    published: str = ""
    source_note: str = ""
    language: str = "en"


def passages_insert(passages: list[Passage]) -> list[Passage]:
    """Write new passages of one document with one prepared INSERT, and give them their ids.
    bulk_create builds SQL for every row (2.4 s of CPU for the 17,000 passages of a 9.5 MB book,
    which put its save past 5 s on a 2-core machine); executemany prepares it once."""
    if not passages:
        return passages
    quote = connection.ops.quote_name
    fields = [f for f in Passage._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column or f.attname) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(Passage._meta.db_table)} ({columns}) VALUES ({values})"
    rows = [
        [f.get_db_prep_save(getattr(p, f.attname), connection) for f in fields] for p in passages
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    document_id = passages[0].document_id
    ids = dict(Passage.objects.filter(document_id=document_id).values_list("position", "pk"))
    for passage in passages:
        passage.pk = ids[passage.position]
        passage._state.adding = False
    return passages


def passages_from_split(document: Document, split: SplitResult) -> list[Passage]:
    return [
        Passage(
            document=document,
            position=p.position,
            kind=p.kind,
            text=p.text,
            start=p.start,
            end=p.end,
            section=p.section[:300],
            word_count=p.word_count,
            label=p.label,
            anchor=p.anchor,
            emphasis=[list(span) for span in p.emphasis],
        )
        for p in split.passages
    ]


def notes_from_split(passages: list[Passage], split: SplitResult) -> list[Note]:
    """Each note on its passage (`passages` saved, in position order)."""
    return [
        Note(
            document=passages[n.position].document,
            passage=passages[n.position],
            number=n.number,
            text=n.text,
        )
        for n in split.notes
    ]


def document_import(
    *,
    raw_text: str,
    metadata: DocumentMetadata,
    original_format: str,
    original_filename: str = "",
    owner=None,
    split: SplitResult | None = None,
    seminar: Seminar | None = None,
    notes: tuple[str, ...] = (),
    ocr_engine: str = "",
) -> Document:
    """Split `raw_text` into passages and store the document with them, all or nothing.

    `notes` are the footnotes and endnotes that `raw_text` calls (readings/importing/notes.py);
    each is stored with the passage that calls it. With `seminar`, the document also becomes
    the seminar's last reading, in the same transaction.
    """
    split = split or split_text(raw_text, notes=notes)
    with transaction.atomic():
        document = Document.objects.create(
            title=metadata.title,
            subtitle=metadata.subtitle,
            authors=metadata.authors,
            publication=metadata.publication,
            published=metadata.published,
            source_note=metadata.source_note,
            language=metadata.language or "en",
            text=split.text,
            content_hash=split.content_hash,
            original_filename=original_filename,
            original_format=original_format,
            ocr_engine=ocr_engine[:100],
            owner=owner,
        )
        passages = passages_insert(passages_from_split(document, split))
        if split.notes:
            Note.objects.bulk_create(notes_from_split(passages, split), batch_size=500)
        if seminar is not None:
            seminar_reading_add(seminar=seminar, document=document)
    return document


def document_load(
    *,
    raw_text: str,
    metadata: DocumentMetadata,
    original_format: str,
    original_filename: str = "",
    owner=None,
    notes: tuple[str, ...] = (),
) -> tuple[Document, bool]:
    """Import unless the same text is already there for this owner; then refresh its metadata.

    Returns the document and whether it was created. Loading a corpus twice changes nothing.
    """
    split = split_text(raw_text, notes=notes)
    existing = Document.objects.filter(content_hash=split.content_hash, owner=owner).first()
    if existing is None:
        document = document_import(
            raw_text=raw_text,
            metadata=metadata,
            original_format=original_format,
            original_filename=original_filename,
            owner=owner,
            split=split,
        )
        return document, True
    changed = False
    for name in ("title", "subtitle", "authors", "publication", "published", "language"):
        if getattr(existing, name) != getattr(metadata, name):
            setattr(existing, name, getattr(metadata, name))
            changed = True
    if changed:
        existing.save()
    return existing, False


# Previews waiting to be saved ------------------------------------------------------------

# Previews kept per person: enough for a few tabs, not a way to fill the database.
PENDING_IMPORTS_PER_PERSON = 5


def pending_imports_clear() -> int:
    """Remove the previews nobody saved in time; returns how many."""
    deleted, _ = PendingImport.objects.expired().delete()
    return deleted


def pending_import_create(
    *,
    owner,
    text: str,
    original_format: str,
    original_filename: str = "",
    seminar_id: int | None = None,
    notes: tuple[str, ...] = (),
    ocr_engine: str = "",
    uncertain: tuple[str, ...] = (),
) -> PendingImport:
    """Keep a previewed text until its owner saves it, under a new random key. Clears expired
    previews, and the owner's oldest beyond PENDING_IMPORTS_PER_PERSON."""
    with transaction.atomic():
        pending_imports_clear()
        pending = PendingImport.objects.create(
            key=secrets.token_urlsafe(32),
            owner=owner,
            seminar_id=seminar_id,
            text=text,
            notes=list(notes),
            original_format=original_format,
            original_filename=original_filename[:255],
            ocr_engine=ocr_engine[:100],
            uncertain=list(uncertain),
        )
        kept = PendingImport.objects.filter(owner=owner).order_by("-created_at", "-pk")
        old = kept.values_list("pk", flat=True)[PENDING_IMPORTS_PER_PERSON:]
        PendingImport.objects.filter(pk__in=list(old)).delete()
    return pending


def pending_import_notes(pending: PendingImport) -> tuple[str, ...]:
    """The preview's notes as the splitter takes them (a stored list of strings)."""
    notes = pending.notes if isinstance(pending.notes, list) else []
    return tuple(str(note) for note in notes)


def pending_import_uncertain(pending: PendingImport) -> tuple[str, ...]:
    """The blocks of the preview OCR read with low confidence (a stored list of strings)."""
    uncertain = pending.uncertain if isinstance(pending.uncertain, list) else []
    return tuple(str(text) for text in uncertain)


def pending_import_save(
    *, pending: PendingImport, metadata: DocumentMetadata, seminar: Seminar | None = None
) -> Document:
    """Store the previewed document and forget the preview, all or nothing. Raises
    PendingImport.DoesNotExist when another request saved it first (a double click)."""
    with transaction.atomic():
        PendingImport.objects.select_for_update().get(pk=pending.pk)
        document = document_import(
            raw_text=pending.text,
            metadata=metadata,
            original_format=pending.original_format,
            original_filename=pending.original_filename,
            owner=pending.owner,
            seminar=seminar,
            notes=pending_import_notes(pending),
            ocr_engine=pending.ocr_engine,
        )
        pending.delete()
    return document


# Seminars ---------------------------------------------------------------------------------

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in class


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


def seminar_create(*, title: str, description: str = "", term: str = "", instructor) -> Seminar:
    """A new seminar with its creator as instructor and joining open."""
    with transaction.atomic():
        seminar = Seminar.objects.create(
            title=title,
            description=description,
            term=term,
            created_by=instructor,
            join_code=_new_join_code(),
        )
        Membership.objects.create(seminar=seminar, user=instructor, role=Membership.Role.INSTRUCTOR)
    return seminar


def seminar_delete(*, seminar: Seminar) -> dict[str, int]:
    """Delete a seminar and everything it owns: memberships, its list of readings, and (through
    the models' CASCADE rules) its themes, annotation sets, tags, summaries and discussion picks.
    The readings' documents stay with their owners. Returns the rows deleted per model label,
    for a confirmation that says what went."""
    with transaction.atomic():
        _, deleted = seminar.delete()
    return deleted


def seminar_update(*, seminar: Seminar, title: str, description: str, term: str) -> Seminar:
    seminar.title, seminar.description, seminar.term = title, description, term
    seminar.save(update_fields=["title", "description", "term"])
    return seminar


def seminar_join_code_rotate(*, seminar: Seminar) -> str:
    """Replace the join code (and so open joining); links with the old code stop working."""
    seminar.join_code = _new_join_code()
    seminar.save(update_fields=["join_code"])
    return seminar.join_code


def seminar_join_close(*, seminar: Seminar) -> None:
    seminar.join_code = None
    seminar.save(update_fields=["join_code"])


class JoinRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def seminar_for_code(code: str) -> Seminar | None:
    """The open seminar a join code (as typed or as in a link) lets people into, if any."""
    normalised = "".join(code.split()).upper().replace("-", "")
    if not normalised or len(normalised) > 16:
        return None
    return Seminar.objects.filter(join_code=normalised, archived_at__isnull=True).first()


def seminar_join(*, code: str, user) -> tuple[Seminar, bool]:
    """Join the seminar whose open code this is, as a student. Returns (seminar, newly joined)."""
    normalised = "".join(code.split()).upper().replace("-", "")
    if not normalised:
        raise JoinRefused("Enter the join code your instructor gave you.")
    seminar = seminar_for_code(normalised)
    if seminar is None:
        raise JoinRefused(
            "No open seminar has this code. Check it with your instructor: "
            "codes change when they are rotated, and stop working when joining is closed."
        )
    _, created = Membership.objects.get_or_create(
        seminar=seminar, user=user, defaults={"role": Membership.Role.STUDENT}
    )
    return seminar, created


def membership_remove(*, membership: Membership, by=None) -> bool:
    """Remove a member; the last instructor cannot be removed, or nobody could manage it.

    `by`, the instructor asking, must still be one when the removal runs. Returns False when
    the membership was already gone. Check and delete run under a lock on the seminar's row:
    two instructors removing each other at once would otherwise both count two instructors
    and both delete, leaving none (issue 19).
    """
    with transaction.atomic():
        # Every removal from this seminar waits here for the one before it to commit.
        Seminar.objects.select_for_update().filter(pk=membership.seminar_id).first()
        current = Membership.objects.filter(pk=membership.pk).first()
        asking = (
            Membership.objects.filter(seminar_id=membership.seminar_id, user=by).first()
            if by is not None
            else None
        )
        if by is not None and (asking is None or not asking.teaches):
            raise PermissionDenied("You are no longer an instructor of this seminar.")
        if current is None:
            return False
        if asking is not None and current.teaches and not asking.is_instructor:
            raise PermissionDenied("Only an instructor can remove someone who teaches.")
        if current.is_instructor:
            instructors = Membership.objects.filter(
                seminar_id=membership.seminar_id, role=Membership.Role.INSTRUCTOR
            )
            if instructors.count() <= 1:
                raise PermissionDenied("A seminar keeps at least one instructor.")
        current.delete()
    return True


class NotYourReading(PermissionDenied):
    """A document only its owner may put into a seminar."""

    def __init__(self) -> None:
        super().__init__(
            "Only a reading you imported yourself can be added to a seminar. "
            "Choose one from your library, or import the text."
        )


def seminar_reading_add(*, seminar: Seminar, document: Document, by=None) -> SeminarReading:
    """Add `document` as the seminar's last reading; with `by`, only if it is theirs to add."""
    if by is not None and not Document.objects.addable_by(by).filter(pk=document.pk).exists():
        raise NotYourReading()
    with transaction.atomic():
        last = (
            SeminarReading.objects.select_for_update()
            .filter(seminar=seminar)
            .aggregate(top=Max("position"))["top"]
        )
        reading, _ = SeminarReading.objects.get_or_create(
            seminar=seminar,
            document=document,
            defaults={"position": 0 if last is None else last + 1},
        )
    return reading


def seminar_reading_due(*, reading: SeminarReading, due_date: datetime.date | None) -> None:
    with transaction.atomic():
        SeminarReading.objects.filter(pk=reading.pk).update(due_date=due_date)
        Seminar.objects.filter(pk=reading.seminar_id).bump_revision()
    reading.due_date = due_date


def seminar_reading_remove(*, reading: SeminarReading) -> None:
    reading.delete()


def seminar_reading_move(*, reading: SeminarReading, offset: int) -> None:
    """Move a reading `offset` places (-1 earlier, +1 later) and renumber them all 0..n-1."""
    with transaction.atomic():
        readings = list(
            SeminarReading.objects.select_for_update()
            .filter(seminar_id=reading.seminar_id)
            .order_by("position", "pk")
        )
        index = next(i for i, r in enumerate(readings) if r.pk == reading.pk)
        target = max(0, min(len(readings) - 1, index + offset))
        readings.insert(target, readings.pop(index))
        for position, item in enumerate(readings):
            item.position = position
        SeminarReading.objects.bulk_update(readings, ["position"])
        Seminar.objects.filter(pk=reading.seminar_id).bump_revision()
