"""Seminar revisions: `Seminar.revision` goes up whenever anything a seminar's pages show is
written, so a page cached under the old number (annotations/pagecache/fragments.py) is never
served again.

Every model a seminar's pages read sends its saves and deletes here through Django's signals, so
services, imports, the admin and the shell are covered alike. `QuerySet.update()` and
`bulk_create()` send no signals: code that writes with them calls `seminars_changed()` itself.

The bump runs in the writer's transaction, after its reads of the revision: a reader that sees the
new number sees the new rows, and a page rendered from older rows is cached under an older number.
Within one transaction (and savepoint) a target is bumped once, since deleting a seminar or a
theme cascades to thousands of tags; `forget()` lets the next write bump again once a page has
been read in between.

A passage written also moves its document's `updated_at`, under which the reader caches the
passages every set's page shares (annotations/reader/documents.py): tags do not move that one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from annotations.models import AnnotationSet, DiscussionPick, PositionSummary, Tag, Theme
from readings.models import Document, Membership, Note, Passage, Seminar, SeminarReading

# What a write names, and the seminars it touches.
Target = tuple[str, int]


def _seminars(kind: str, pk: int) -> QuerySet[Seminar]:
    match kind:
        case "seminar":
            return Seminar.objects.filter(pk=pk)
        case "set":
            return Seminar.objects.filter(annotation_sets=pk)
        case "theme":
            return Seminar.objects.filter(themes=pk)
        case "document":
            return Seminar.objects.filter(seminar_readings__document=pk)
        case "user":
            return Seminar.objects.filter(memberships__user=pk)
    raise ValueError(f"Unknown revision target {kind!r}.")


def _seen_in_this_transaction(target: Target) -> bool:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return False
    scope = (connection.atomic_blocks[0], tuple(connection.savepoint_ids))
    memo: tuple[object, tuple[str, ...], set[Target]] | None
    memo = getattr(connection, "counterpoint_revisions", None)
    if memo is None or memo[0] is not scope[0] or memo[1] != scope[1]:
        memo = (scope[0], scope[1], set())
        connection.counterpoint_revisions = memo
    seen = memo[2]
    if target in seen:
        return True
    seen.add(target)
    return False


def forget() -> None:
    """A page is being read: the next write in this transaction must bump again."""
    connection = transaction.get_connection()
    if hasattr(connection, "counterpoint_revisions"):
        del connection.counterpoint_revisions


def bump(kind: str, pk: int | None) -> None:
    if pk is None or _seen_in_this_transaction((kind, pk)):
        return
    # The subquery forms (set, theme...) let the database find the seminar: no read first.
    Seminar.objects.filter(pk__in=_seminars(kind, pk).values("pk")).bump_revision()


def seminars_changed(seminar_ids: Iterable[int]) -> None:
    """For writes that send no signals (QuerySet.update, bulk_create, bulk_update)."""
    for pk in set(seminar_ids):
        bump("seminar", pk)


def _target(instance: Model) -> Target | None:
    match instance:
        case Tag() | PositionSummary():
            return "set", instance.annotation_set_id
        case DiscussionPick():
            return "theme", instance.theme_id
        case Theme() | AnnotationSet() | Membership() | SeminarReading():
            return "seminar", instance.seminar_id
        case Seminar():
            return "seminar", instance.pk
        case Passage() | Note():
            return "document", instance.document_id
        case Document():
            return "document", instance.pk
        case _ if isinstance(instance, get_user_model()):
            return "user", instance.pk
    return None


def _changed(sender, instance: Model, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: no page was cached from rows that did not exist
        return
    if isinstance(instance, Seminar) and kwargs.get("created"):
        return
    # Logging in and changing a password write the user row; no page shows either.
    fields = set(kwargs.get("update_fields") or ())
    if fields and fields <= {"last_login", "password"}:
        return
    target = _target(instance)
    if target is not None:
        bump(*target)
    if isinstance(instance, Passage | Note):
        passage_changed(instance.document_id)


def passage_changed(document_id: int) -> None:
    """The reader caches a reading's passages under its document's `updated_at`
    (annotations/reader/documents.py): a passage written moves it."""
    if _seen_in_this_transaction(("passages", document_id)):
        return
    Document.objects.filter(pk=document_id).update(updated_at=timezone.now())


WATCHED = (
    Tag,
    PositionSummary,
    DiscussionPick,
    Theme,
    AnnotationSet,
    Membership,
    SeminarReading,
    Seminar,
    Passage,
    Note,
    Document,
)


def connect() -> None:
    """Called once from AnnotationsConfig.ready()."""
    for model in (*WATCHED, get_user_model()):
        post_save.connect(_changed, sender=model, dispatch_uid=f"revision-save-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"revision-delete-{model.__name__}"
        )
