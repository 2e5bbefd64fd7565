"""What the seminar page (readings/views/seminars.py) shows of this app: the codebook and the
sets the viewer may read. Plugged in by settings.COUNTERPOINT_SEMINAR_PAGE_PANELS, so that
readings/ needs no import from annotations/."""

from __future__ import annotations

from typing import Any

from annotations.selectors import sets_for_member, themes_of
from readings.access import SeminarAccess


def seminar_page_panels(access: SeminarAccess) -> dict[str, Any]:
    sets = list(sets_for_member(access))
    own = [s for s in sets if s.owner_id == access.membership.user_id and s.kind == s.Kind.STUDENT]
    return {
        "themes": list(themes_of(access.seminar.pk).filter(retired_at__isnull=True)),
        "sets": sets,
        # A student's reading titles open their own set's reader, ready to tag.
        "own_set": own[0] if own else None,
        "archived_sets": list(sets_for_member(access, archived=True))
        if access.is_instructor
        else [],
    }
