from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Lower
from django.urls import reverse

from annotations import stances
from readings.models import Document, Passage, Seminar


def theme_name_key(name: str) -> str:
    """A theme name as duplicates are judged in Python: compatibility characters as the letters
    they stand for (NFKC) and case folded across Unicode."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


class ThemeQuerySet(models.QuerySet["Theme"]):
    def active(self) -> ThemeQuerySet:
        return self.filter(retired_at__isnull=True)

    def named(self, name: str) -> ThemeQuerySet:
        """Themes called `name` as the unique index sees it (the database's own lower(): ASCII
        only on SQLite, the collation's on PostgreSQL) or by Unicode case folding: checking
        both refuses at least what the index would, on either database, and the same names on
        both. Reads the names of the themes in `self` (a codebook is short)."""
        key = theme_name_key(name)
        same = [pk for pk, other in self.values_list("pk", "name") if theme_name_key(other) == key]
        return self.alias(lower_name=Lower("name")).filter(
            Q(lower_name=Lower(Value(name))) | Q(pk__in=same)
        )


class Theme(models.Model):
    """One entry of a seminar's codebook."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=90)
    colour = models.CharField(max_length=7, help_text="#rrggbb from the accessible palette")
    description = models.TextField(blank=True)
    guiding_question = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Retired themes keep their tags (and history) but take no new ones.
    retired_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["seminar_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "slug"], name="theme_unique_slug"),
            models.UniqueConstraint(
                Lower("name"),
                "seminar",
                condition=Q(retired_at__isnull=True),
                name="theme_unique_active_name",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="theme_name_not_empty"),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-f]{6}$"), name="theme_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class AnnotationSetQuerySet(models.QuerySet["AnnotationSet"]):
    def visible_to(self, user, seminar: Seminar, *, is_instructor: bool) -> AnnotationSetQuerySet:
        """Sets of `seminar` this member may read (see AnnotationSet's docstring)."""
        sets = self.filter(seminar=seminar)
        if is_instructor:
            return sets
        shared = Q(visibility=AnnotationSet.Visibility.PUBLISHED) | Q(
            visibility=AnnotationSet.Visibility.SEMINAR
        ) & (Q(blind=False) | Q(revealed_at__isnull=False))
        return sets.filter(Q(owner=user) | shared)


class AnnotationSet(models.Model):
    """One person's tagging of a seminar's readings with its themes.

    Who may read it: its owner and the seminar's instructors always; other members when it is
    shared with the seminar (and, if blind, once revealed) or published to the seminar (which
    ignores blind). Nobody outside the seminar, ever. Only the owner writes, until it is locked.
    """

    class Kind(models.TextChoices):
        KEY = "key", "Instructor key"
        STUDENT = "student", "Student work"
        # Imported or copied: read and compared, never counted as a coder.
        REFERENCE = "reference", "Reference"

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private"
        SEMINAR = "seminar", "Shared with the seminar"
        PUBLISHED = "published", "Published to the seminar"

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="annotation_sets")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotation_sets"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STUDENT)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.SEMINAR
    )
    blind = models.BooleanField(
        default=True, help_text="Other students see it only after the instructor reveals it."
    )
    revealed_at = models.DateTimeField(null=True, blank=True)
    locked = models.BooleanField(default=False, help_text="No more changes.")
    # Archived: off the lists and out of every count, read-only; its tags stay.
    archived_at = models.DateTimeField(null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnotationSetQuerySet.as_manager()

    class Meta:
        ordering = ["seminar_id", "kind", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="set_title_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=["key", "student", "reference"]), name="set_kind_valid"
            ),
            # A student's own work is one set per seminar: joining twice at once, or an
            # instructor adding them while they join, must not give them two coders' votes.
            models.UniqueConstraint(
                fields=["seminar", "owner"],
                condition=Q(kind="student"),
                name="set_one_student_work_per_owner",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["private", "seminar", "published"]),
                name="set_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("annotations:set", args=[self.seminar_id, self.pk])


class TagQuerySet(models.QuerySet["Tag"]):
    def in_reading_order(self) -> TagQuerySet:
        return self.order_by("passage__document_id", "passage__position", "span_start", "pk")


class Tag(models.Model):
    """A passage (or a span inside it) filed under a theme in one annotation set.

    A passage-level tag has span_start = span_end = 0; a quote span has 0 <= start < end, in
    code points relative to the passage text. One tag per set, passage, theme and span.
    """

    annotation_set = models.ForeignKey(AnnotationSet, on_delete=models.CASCADE, related_name="tags")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="tags")
    # RESTRICT: a theme in use cannot silently vanish with its tags (retire or merge it instead),
    # yet deleting its seminar takes both, since the tags go with their sets (CASCADE).
    theme = models.ForeignKey(Theme, on_delete=models.RESTRICT, related_name="tags")
    span_start = models.PositiveIntegerField(default=0)
    span_end = models.PositiveIntegerField(default=0)
    # Towards the theme's guiding question (annotations/stances.py).
    stance = models.CharField(max_length=10, choices=stances.CHOICES, blank=True)
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    quote: str  # not a column: the reader sets the quoted words for its templates

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["annotation_set_id", "passage_id", "theme_id", "span_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["annotation_set", "passage", "theme", "span_start", "span_end"],
                name="tag_unique_per_set_passage_theme_span",
            ),
            models.CheckConstraint(
                condition=(Q(span_start=0) & Q(span_end=0)) | Q(span_start__lt=F("span_end")),
                name="tag_span_ordered",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=[stances.NO_STANCE, *stances.STANCES]),
                name="tag_stance_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.passage} → {self.theme}"

    @property
    def is_span(self) -> bool:
        return self.span_end > 0


class PositionSummary(models.Model):
    """An author's position on a theme, in one paragraph, as one annotation set reads it."""

    annotation_set = models.ForeignKey(
        AnnotationSet, on_delete=models.CASCADE, related_name="summaries"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="summaries")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "position summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["annotation_set", "theme", "document"], name="summary_unique_per_theme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} on {self.theme}"


class DiscussionPick(models.Model):
    """A passage the instructor put on the handout from the discussion view: one the class
    read differently under a theme, to talk through together."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="picks")
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "passage"], name="pick_unique_per_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.passage} for {self.theme}"
