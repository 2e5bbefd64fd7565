"""Who may see and change seminars: one helper per object type, 404 for outsiders.

Outsiders learn nothing (404, as if the object did not exist); members without the right
get 403, so they know to ask their instructor.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from readings.models import Membership, PendingImport, Seminar


@dataclass(frozen=True)
class SeminarAccess:
    seminar: Seminar
    membership: Membership

    @property
    def is_instructor(self) -> bool:
        """Teaches the seminar: an instructor or a teaching assistant (sees every set, reveals,
        runs the readings, themes and roster)."""
        return self.membership.teaches

    @property
    def is_lead(self) -> bool:
        """An instructor proper: may also delete the seminar and say who teaches it."""
        return self.membership.is_instructor


def get_seminar_for_user(
    user, seminar_id: int, *, manage: bool = False, lead: bool = False
) -> SeminarAccess:
    """The seminar and the user's membership; `manage` requires an instructor or teaching
    assistant, `lead` an instructor."""
    if not user.is_authenticated:
        raise Http404("No such seminar.")
    membership = (
        Membership.objects.select_related("seminar")
        .filter(seminar_id=seminar_id, user=user)
        .first()
    )
    if membership is None:
        raise Http404("No such seminar.")
    membership.user = user  # the request's, already loaded
    if manage and not membership.teaches:
        raise PermissionDenied("Only the seminar's instructors can do this.")
    if lead and not membership.is_instructor:
        raise PermissionDenied("Only the seminar's instructors (not its assistants) can do this.")
    return SeminarAccess(seminar=membership.seminar, membership=membership)


def find_pending_import_for_user(user, key: str) -> PendingImport | None:
    """The user's own import preview under `key`, while it lasts; None for anyone else's, an
    expired one, or one saved already (the view says so with its 404 and a way on)."""
    if not user.is_authenticated or not key:
        return None
    return PendingImport.objects.current().filter(key=key, owner=user).first()
