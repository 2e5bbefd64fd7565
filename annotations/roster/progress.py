"""What the roster shows and the grading CSV holds: each member with their role, when they
joined, and per reading the passages they tagged, the notes they wrote and when they last
worked on it. A fixed number of queries, whatever the class's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q

from annotations.interchange.exports.csv import spreadsheet_csv
from annotations.models import AnnotationSet, Tag
from readings.models import Membership, Seminar, SeminarReading
from readings.selectors import seminar_members


@dataclass(frozen=True)
class ReadingProgress:
    passages: int = 0
    notes: int = 0
    last: datetime | None = None


@dataclass(frozen=True)
class MemberProgress:
    membership: Membership
    readings: tuple[ReadingProgress, ...]

    @property
    def last(self) -> datetime | None:
        return max((r.last for r in self.readings if r.last), default=None)

    @property
    def name(self) -> str:
        user = self.membership.user
        return user.get_full_name() or user.get_username()


def roster_progress(seminar: Seminar, readings: list[SeminarReading]) -> list[MemberProgress]:
    """Every member, students first, with their work per reading (references not counted:
    they are imported, not written)."""
    rows = (
        Tag.objects.filter(annotation_set__seminar=seminar, annotation_set__archived_at=None)
        .exclude(annotation_set__kind=AnnotationSet.Kind.REFERENCE)
        .values("annotation_set__owner_id", "passage__document_id")
        .annotate(
            passages=Count("passage_id", distinct=True),
            notes=Count("pk", filter=~Q(note="")),
            last=Max("updated_at"),
        )
    )
    work = {
        (row["annotation_set__owner_id"], row["passage__document_id"]): ReadingProgress(
            row["passages"], row["notes"], row["last"]
        )
        for row in rows
    }
    order: dict[str, int] = {
        Membership.Role.STUDENT: 0,
        Membership.Role.ASSISTANT: 1,
        Membership.Role.INSTRUCTOR: 2,
    }
    members = sorted(
        seminar_members(seminar),
        key=lambda m: (
            order.get(m.role, 3),
            (m.user.get_full_name() or m.user.username).casefold(),
        ),
    )
    empty = ReadingProgress()
    return [
        MemberProgress(
            membership=m,
            readings=tuple(work.get((m.user_id, r.document_id), empty) for r in readings),
        )
        for m in members
    ]


def _time(moment: datetime | None) -> str:
    return moment.isoformat(timespec="minutes") if moment else ""


def progress_csv(progress: list[MemberProgress], readings: list[SeminarReading]) -> bytes:
    """One row per member: who, role, joined, and per reading passages tagged, notes written
    and last activity. Through spreadsheet_csv, so no cell runs as a formula."""
    header: list[str | int] = ["name", "username", "email", "role", "joined"]
    for reading in readings:
        title = reading.document.title
        header += [f"{title}: passages tagged", f"{title}: notes", f"{title}: last activity"]
    header.append("last activity")
    lines: list[list[str | int]] = [header]
    for member in progress:
        user = member.membership.user
        line: list[str | int] = [
            member.name,
            user.get_username(),
            user.email,
            member.membership.get_role_display(),
            _time(member.membership.joined_at),
        ]
        for work in member.readings:
            line += [work.passages, work.notes, _time(work.last)]
        line.append(_time(member.last))
        lines.append(line)
    return spreadsheet_csv(lines)
