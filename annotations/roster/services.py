"""Writes of the roster: a member's own set, adding people (by name, or from a roster file that
makes their accounts), one-time set-password links, roles and removal. Each in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from annotations.models import AnnotationSet, Tag
from annotations.pagecache import revisions
from annotations.roster.rosterfile import RosterRow
from readings.models import Membership, Seminar
from readings.services import membership_remove

UserModel = get_user_model()


def _display_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def student_set_ensure(*, membership: Membership) -> AnnotationSet | None:
    """The student's own set in the seminar, made on joining (blind, shared with the seminar
    once revealed, like a set a student makes). One per person: joining twice at once, or an
    instructor adding someone who is joining, finds the set the other request made (the
    database's partial unique index decides). None for those who teach."""
    if membership.role != Membership.Role.STUDENT:
        return None
    lookup = {
        "seminar_id": membership.seminar_id,
        "owner_id": membership.user_id,
        "kind": AnnotationSet.Kind.STUDENT,
    }
    existing = AnnotationSet.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            created = AnnotationSet.objects.create(
                **lookup,
                title=f"{_display_name(membership.user)}'s reading",
                visibility=AnnotationSet.Visibility.SEMINAR,
                blind=True,
            )
            revisions.seminars_changed([membership.seminar_id])
            return created
    except IntegrityError:
        # The other click's set: there is exactly one.
        return AnnotationSet.objects.get(**lookup)


def member_add(*, seminar: Seminar, user: User, role: str = Membership.Role.STUDENT) -> bool:
    """Make `user` a member (a student by default) with their own set; False if already one."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            seminar=seminar, user=user, defaults={"role": role}
        )
    membership.user = user
    student_set_ensure(membership=membership)
    return created


@dataclass
class AddReport:
    added: list[User] = field(default_factory=list)
    already: list[User] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    created: list[User] = field(default_factory=list)  # new accounts, each needing a link
    problems: list[str] = field(default_factory=list)


MAX_NAMES = 500


def roster_add_people(*, seminar: Seminar, names: str) -> AddReport:
    """Add existing accounts, named by username or e-mail address (commas, semicolons, spaces
    or lines between them). Names nobody has are reported, never guessed or created."""
    report = AddReport()
    wanted = [n for n in re.split(r"[\s,;]+", names) if n][:MAX_NAMES]
    for name in dict.fromkeys(wanted):
        lookup = Q(email__iexact=name) if "@" in name else Q(username=name)
        matches = list(UserModel.objects.filter(lookup, is_active=True)[:2])
        if len(matches) != 1:
            report.unknown.append(name)
            continue
        user = matches[0]
        (report.added if member_add(seminar=seminar, user=user) else report.already).append(user)
    return report


def _free_username(wanted: str, email: str) -> str:
    base = (wanted or re.sub(r"[^\w.+-]", "", email.split("@")[0]) or "student")[:140]
    name, n = base, 2
    while UserModel.objects.filter(username__iexact=name).exists():
        name, n = f"{base}{n}", n + 1
    return name


def roster_import(*, seminar: Seminar, rows: tuple[RosterRow, ...]) -> AddReport:
    """Everyone on the roster becomes a student of the seminar with their own set. A person
    whose e-mail address (or given username) has an account already is added with it; the
    others get a new account without a usable password, to be set through a one-time link."""
    report = AddReport()
    for row in rows:
        user = UserModel.objects.filter(email__iexact=row.email).first()
        if user is None and row.username:
            user = UserModel.objects.filter(username=row.username).first()
            if user is not None:
                report.problems.append(
                    f"Line {row.line}: the username {row.username} belongs to another "
                    f"address than {row.email}; nobody was added for this line."
                )
                continue
        if user is None:
            first, _, last = row.name.partition(" ")
            with transaction.atomic():
                user = UserModel.objects.create_user(
                    username=_free_username(row.username, row.email),
                    email=UserModel.objects.normalize_email(row.email),
                    first_name=first[:150],
                    last_name=last[:150],
                )  # no password: an unusable one, until the person sets theirs
            report.created.append(user)
        if member_add(seminar=seminar, user=user):
            report.added.append(user)
        else:
            report.already.append(user)
    return report


def may_set_password_of(*, user: User, by: User) -> bool:
    """Whether `by` may give `user` a set-password link: only for an ordinary account that is a
    student wherever it is a member, and only in seminars `by` teaches. Anything more would let
    an instructor take over a colleague's account, or a student's work in another's seminar."""
    if user.is_staff or user.is_superuser or user.pk == by.pk:
        return False
    taught = Membership.objects.filter(
        user=by, role__in=[Membership.Role.INSTRUCTOR, Membership.Role.ASSISTANT]
    ).values("seminar_id")
    elsewhere = Membership.objects.filter(user=user).exclude(
        seminar_id__in=taught, role=Membership.Role.STUDENT
    )
    return not elsewhere.exists() and Membership.objects.filter(user=user).exists()


def set_password_path(*, seminar: Seminar, user: User) -> str:
    """The path of a one-time link that sets `user`'s password and lands them in the seminar.
    It stops working once used (the token covers the password hash) or after
    PASSWORD_RESET_TIMEOUT."""
    return reverse(
        "annotations:roster_welcome",
        args=[
            seminar.pk,
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )


def member_password_reset(*, user: User) -> None:
    """Forget the password, so that only the new link lets the person in."""
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])


def member_role_set(*, membership: Membership, role: str, by: User) -> None:
    """Make a member a student or a teaching assistant; only an instructor decides who teaches,
    and instructors are changed by leaving, not here."""
    if role not in (Membership.Role.STUDENT, Membership.Role.ASSISTANT):
        raise PermissionDenied("A member can be made a student or a teaching assistant.")
    if not Membership.objects.filter(
        seminar_id=membership.seminar_id, user=by, role=Membership.Role.INSTRUCTOR
    ).exists():
        raise PermissionDenied("Only an instructor can say who teaches the seminar.")
    if membership.is_instructor:
        raise PermissionDenied("An instructor's role is not changed here.")
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(role=role)
        membership.role = role
        revisions.seminars_changed([membership.seminar_id])
    student_set_ensure(membership=membership)


def member_sets(membership: Membership) -> list[AnnotationSet]:
    """The member's sets in the seminar, with their tag counts (what removing them takes)."""
    return list(
        AnnotationSet.objects.filter(seminar_id=membership.seminar_id, owner_id=membership.user_id)
        .annotate(tag_count=Count("tags"))
        .order_by("kind", "title", "pk")
    )


def member_remove(*, membership: Membership, by: User, delete_sets: bool) -> tuple[bool, int]:
    """Remove a member, their sets kept (for the record and the grades) or deleted with their
    tags and summaries. Returns (removed, tags deleted)."""
    with transaction.atomic():
        removed = membership_remove(membership=membership, by=by)
        deleted = 0
        if removed and delete_sets:
            sets = AnnotationSet.objects.filter(
                seminar_id=membership.seminar_id, owner_id=membership.user_id
            )
            deleted = Tag.objects.filter(annotation_set__in=sets).count()
            sets.delete()
        revisions.seminars_changed([membership.seminar_id])
    return removed, deleted


def arrival_url(membership: Membership) -> str:
    """Where a member lands on arriving: a student in the first reading of their own set,
    ready to tag; those who teach (and a seminar without readings) on the seminar page."""
    annotation_set = student_set_ensure(membership=membership)
    first = membership.seminar.seminar_readings.order_by("position", "pk").first()
    if annotation_set is None or first is None:
        return reverse("readings:seminar", args=[membership.seminar_id])
    return reverse(
        "annotations:reader", args=[membership.seminar_id, annotation_set.pk, first.document_id]
    )
