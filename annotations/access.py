"""Access helpers for annotation sets and themes (see readings.access for the rules)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from annotations.models import AnnotationSet, Theme
from readings.access import SeminarAccess, get_seminar_for_user


@dataclass(frozen=True)
class SetAccess:
    access: SeminarAccess
    annotation_set: AnnotationSet

    @property
    def can_write(self) -> bool:
        return (
            self.annotation_set.owner_id == self.access.membership.user_id
            and not self.annotation_set.locked
            and self.annotation_set.archived_at is None
            and not self.access.seminar.is_archived
        )

    @property
    def can_manage(self) -> bool:
        """Change the set's settings: its owner, or an instructor of the seminar."""
        return (
            self.annotation_set.owner_id == self.access.membership.user_id
            or self.access.is_instructor
        )


def get_annotation_set_for_user(
    user, seminar_id: int, set_id: int, *, write: bool = False, manage: bool = False
) -> SetAccess:
    """A set the user may read; `write` needs ownership of an unlocked set, `manage` ownership
    or the instructor role. Sets the user may not read are 404, like sets that do not exist."""
    access = get_seminar_for_user(user, seminar_id)
    annotation_set = (
        AnnotationSet.objects.visible_to(user, access.seminar, is_instructor=access.is_instructor)
        .select_related("owner", "seminar")
        .filter(pk=set_id)
        .first()
    )
    if annotation_set is None:
        raise Http404("No such annotation set.")
    result = SetAccess(access=access, annotation_set=annotation_set)
    if write and not result.can_write:
        if annotation_set.locked:
            raise PermissionDenied("This annotation set is locked: it takes no more changes.")
        if annotation_set.archived_at is not None or access.seminar.is_archived:
            raise PermissionDenied("This annotation set is archived: it takes no more changes.")
        raise PermissionDenied("Only the owner of this annotation set can change it.")
    if manage and not result.can_manage:
        raise PermissionDenied("Only the owner or an instructor can change this set's settings.")
    return result


def get_theme_for_user(user, seminar_id: int, theme_id: int, *, manage: bool = False) -> Theme:
    access = get_seminar_for_user(user, seminar_id, manage=manage)
    theme = Theme.objects.filter(seminar=access.seminar, pk=theme_id).first()
    if theme is None:
        raise Http404("No such theme.")
    return theme
