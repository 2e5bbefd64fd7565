"""List what the fixes of issue 19 cannot undo on their own, for a person to decide.

Before only owners could add a reading to a seminar, anyone could link a reading they could see
into a seminar of their own and keep reading it after leaving the owner's seminar; before
removals were serialised, instructors removing each other could leave a seminar with none.
Such rows outlive the fix. Nothing is changed here: a reading whose owner has simply left a
seminar is legitimate, and only the people involved know which is which.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Count, Exists, OuterRef, Q

from readings.models import Membership, Seminar, SeminarReading


class Command(BaseCommand):
    help = (
        "List readings linked into seminars their owner is not a member of, and seminars "
        "without an instructor (issue 19). Changes nothing."
    )

    def handle(self, *args, **options) -> None:
        owner_is_member = Membership.objects.filter(
            seminar=OuterRef("seminar"), user=OuterRef("document__owner")
        )
        links = list(
            SeminarReading.objects.filter(document__owner__isnull=False)
            .exclude(Exists(owner_is_member))
            .select_related("seminar", "document__owner")
            .defer("document__text")
            .order_by("seminar_id", "position")
        )
        instructors: dict[int, list[str]] = {}
        for seminar_id, username in Membership.objects.filter(
            seminar_id__in={link.seminar_id for link in links},
            role=Membership.Role.INSTRUCTOR,
        ).values_list("seminar_id", "user__username"):
            instructors.setdefault(seminar_id, []).append(username)
        self.stdout.write(
            f"Readings in a seminar their owner is not a member of: {len(links) or 'none'}."
        )
        for link in links:
            document, seminar = link.document, link.seminar
            owner = document.owner.get_username() if document.owner else "nobody"
            teachers = ", ".join(sorted(instructors.get(seminar.pk, []))) or "none"
            self.stdout.write(
                f"  “{document.title}” (document {document.pk}, owner {owner}) "
                f"in “{seminar.title}” (seminar {seminar.pk}, instructors {teachers})"
            )

        leaderless = list(
            Seminar.objects.annotate(
                instructor_count=Count(
                    "memberships", filter=Q(memberships__role=Membership.Role.INSTRUCTOR)
                ),
                member_count=Count("memberships"),
            )
            .filter(instructor_count=0)
            .order_by("pk")
        )
        self.stdout.write(f"Seminars without an instructor: {len(leaderless) or 'none'}.")
        for seminar in leaderless:
            members = f"{seminar.member_count} member{'' if seminar.member_count == 1 else 's'}"
            self.stdout.write(f"  “{seminar.title}” (seminar {seminar.pk}, {members})")
