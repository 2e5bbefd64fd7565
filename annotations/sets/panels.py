"""What the seminar page (readings/views/seminars.py) shows of this app: the codebook and the
sets the viewer may read. Plugged in by settings.COUNTERPOINT_SEMINAR_PAGE_PANELS, so that
readings/ needs no import from annotations/."""

from __future__ import annotations

from typing import Any

from annotations.selectors import sets_for_member, themes_of
from readings.access import SeminarAccess


def seminar_page_panels(access: SeminarAccess) -> dict[str, Any]:
    return {
        "themes": list(themes_of(access.seminar.pk).filter(retired_at__isnull=True)),
        "sets": list(sets_for_member(access)),
    }
