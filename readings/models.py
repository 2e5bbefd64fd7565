from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class DocumentQuerySet(models.QuerySet["Document"]):
    def visible_to(self, user) -> DocumentQuerySet:
        """Documents the user imported, and the readings of the seminars they belong to now.

        Readings are often licensed course material: seeing one needs a current reason, so
        leaving a seminar ends it. Staff have no exception here; the admin shows documents to
        those whose permissions allow it.
        """
        if not user.is_authenticated:
            return self.none()
        in_seminars = SeminarReading.objects.filter(seminar__memberships__user=user)
        return self.filter(Q(owner=user) | Q(pk__in=in_seminars.values("document_id")))

    def addable_by(self, user) -> DocumentQuerySet:
        """Documents the user may add to a seminar: only their own (issue 19).

        Not the co-instructors of a seminar that reads it: one who could add it could add it
        to a seminar of their own too, and keep reading it after leaving the owner's seminar.
        """
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Document(models.Model):
    class Format(models.TextChoices):
        TXT = "txt", "Plain text"
        MD = "md", "Markdown"
        HTML = "html", "HTML"
        DOCX = "docx", "Word document"
        PDF = "pdf", "PDF"
        IMAGE = "image", "Scanned image"
        PASTED = "pasted", "Pasted text"

    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    # Display order matters ("McFaul & Medeiros"), so authors are an ordered list, not a relation.
    authors = models.JSONField(default=list, blank=True)
    publication = models.CharField(max_length=200, blank=True)
    published = models.CharField(
        max_length=40, blank=True, help_text="As precise as known: 2025, 2025-04 or 2025-04-04."
    )
    source_note = models.TextField(blank=True)
    language = models.CharField(max_length=20, default="en")
    text = models.TextField(help_text="Canonical text; passages are slices of it.")
    content_hash = models.CharField(max_length=64, db_index=True)
    original_filename = models.CharField(max_length=255, blank=True)
    original_format = models.CharField(max_length=10, choices=Format.choices)
    # The engine and version that read its scanned pages ("Tesseract 5.5.4 (eng)"); blank when
    # every page had a text layer. Who checks the text needs to know it came from OCR.
    ocr_engine = models.CharField(max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="document_title_not_empty"),
            models.CheckConstraint(condition=~Q(text=""), name="document_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("readings:document", args=[self.pk])

    @property
    def author_line(self) -> str:
        """Authors as a reader cites them: "McFaul & Medeiros", or the publication when unsigned."""
        surnames = [name.split()[-1] for name in self.authors if name.strip()]
        if not surnames:
            return self.publication or self.title
        if len(surnames) > 2:
            return f"{surnames[0]} et al."
        return " & ".join(surnames)


class PassageQuerySet(models.QuerySet["Passage"]):
    def in_reading_order(self) -> PassageQuerySet:
        return self.order_by("document_id", "position")


class PassageKind(models.TextChoices):
    FRONT_MATTER = "front_matter", "Front matter"
    HEADING = "heading", "Heading"
    PARAGRAPH = "paragraph", "Paragraph"
    LIST_ITEM = "list_item", "List item"
    PULL_QUOTE = "pull_quote", "Pull quote"
    # Set by the owner's corrections, never by the splitter: a stray running head, a caption, a
    # cookie notice. It stays in the text (so the offsets hold and the kind can be changed back)
    # but, like page furniture, is not tagged, counted, compared or handed out.
    NOT_TEXT = "not_text", "Not part of the text"


# The text proper: what the reader tags (pull quotes only on request) and paragraphs count.
BODY_KINDS = (PassageKind.PARAGRAPH, PassageKind.LIST_ITEM)


class Passage(models.Model):
    Kind = PassageKind

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    # Offsets into Document.text in Unicode code points, end exclusive.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    section = models.CharField(max_length=300, blank=True)
    word_count = models.PositiveIntegerField()
    label = models.CharField(max_length=40)
    anchor = models.SlugField(max_length=20)
    # Emphasised spans as [start, end] pairs relative to the passage text.
    emphasis = models.JSONField(default=list, blank=True)

    objects = PassageQuerySet.as_manager()

    class Meta:
        ordering = ["document_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "position"], name="passage_unique_position"
            ),
            models.UniqueConstraint(fields=["document", "anchor"], name="passage_unique_anchor"),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="passage_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PassageKind.values), name="passage_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def is_body(self) -> bool:
        return self.kind in BODY_KINDS

    @property
    def citation(self) -> str:
        return f"{self.document.author_line}, {self.label}"


class Note(models.Model):
    """A footnote or endnote of the reading, kept with the passage that calls it: shown on
    demand beside that passage, never a passage itself, never in `Document.text` or a word
    count (readings/importing/notes.py)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="notes")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="notes")
    number = models.PositiveIntegerField(help_text="As the text calls it, from 1.")
    text = models.TextField()

    class Meta:
        ordering = ["document_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="note_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="note_number_positive"),
            models.CheckConstraint(condition=~Q(text=""), name="note_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Note {self.number} of {self.document}"


class SeminarQuerySet(models.QuerySet["Seminar"]):
    def bump_revision(self) -> int:
        """What these seminars show changed (see Seminar.revision); in the writer's transaction."""
        return self.update(revision=F("revision") + 1)


class Seminar(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    term = models.CharField(max_length=60, blank=True, help_text="e.g. Spring 2026")
    # None while joining is closed; rotating replaces it, so old links stop working.
    join_code = models.CharField(max_length=16, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="seminars"
    )
    readings = models.ManyToManyField(Document, through="SeminarReading", related_name="seminars")
    # Goes up with every write to anything the seminar's pages show; rendered pages are cached
    # under it (annotations/pagecache/revisions.py, annotations/pagecache/fragments.py). Only the
    # database moves it.
    revision = models.PositiveBigIntegerField(default=0, editable=False)
    # Archived: read-only and off the seminar list, until an instructor restores it.
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = SeminarQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="seminar_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("readings:seminar", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def save(self, *args, **kwargs) -> None:
        # An instance read before a bump must not write its older revision back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "revision"
            ]
        super().save(*args, **kwargs)


class Membership(models.Model):
    class Role(models.TextChoices):
        INSTRUCTOR = "instructor", "Instructor"
        # Sees, reveals and runs the seminar like an instructor; cannot delete it, nor change
        # who teaches it.
        ASSISTANT = "assistant", "Teaching assistant"
        STUDENT = "student", "Student"

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.STUDENT)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seminar_id", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=Q(role__in=["instructor", "assistant", "student"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.seminar} ({self.role})"

    @property
    def is_instructor(self) -> bool:
        return self.role == self.Role.INSTRUCTOR

    @property
    def teaches(self) -> bool:
        """Instructor or teaching assistant: sees every set and runs the seminar."""
        return self.role in (self.Role.INSTRUCTOR, self.Role.ASSISTANT)


class SeminarReading(models.Model):
    """A document read in a seminar; `position` is its column in comparisons."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="seminar_readings")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)
    # When the class should have read and tagged it; shown to students on the seminar page.
    due_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["seminar_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "document"], name="seminar_reading_unique_document"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} in {self.seminar}"


def pending_import_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.COUNTERPOINT_PENDING_IMPORT_HOURS)


class PendingImportQuerySet(models.QuerySet["PendingImport"]):
    def current(self) -> PendingImportQuerySet:
        return self.filter(created_at__gt=timezone.now() - pending_import_lifetime())

    def expired(self) -> PendingImportQuerySet:
        return self.filter(created_at__lte=timezone.now() - pending_import_lifetime())


class PendingImport(models.Model):
    """A reading read and previewed, not saved yet. Its text waits here under a random key
    that only its owner's save form carries, instead of travelling to the browser and back:
    a hidden field hid its own errors and a long text outgrew the largest form a server takes.
    Kept for COUNTERPOINT_PENDING_IMPORT_HOURS; cleared as new previews are made and by
    `manage.py clear_pending_imports`."""

    key = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The seminar the reading is meant for; the right to add to it is checked when it is saved.
    seminar = models.ForeignKey(
        Seminar, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(help_text="What the reader read, before splitting.")
    notes = models.JSONField(
        default=list, blank=True, help_text="The notes the text calls, note n at n - 1."
    )
    original_format = models.CharField(max_length=10, choices=Document.Format.choices)
    original_filename = models.CharField(max_length=255, blank=True)
    ocr_engine = models.CharField(max_length=100, blank=True)
    uncertain = models.JSONField(
        default=list, blank=True, help_text="Blocks of the text OCR read with low confidence."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="pending_import_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.original_filename or 'Pasted text'} ({self.owner})"
