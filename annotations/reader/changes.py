"""Changes since the page was loaded: what the reader's live updates compare.

A page holds a version of the set's tags on its readings (`tags_version`) and a signature of each
tagged passage's tags (`tags_signature`); the database's are read in one small query each
(`set_version`, `changed_passage_ids`). Both sides are a count and the latest change, in one
format, so they compare as strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Max

from annotations.models import AnnotationSet, Tag

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def tags_signature(tags: Sequence[Tag]) -> str:
    """Changes whenever a tag is added, edited or removed: their number and latest change."""
    if not tags:
        return ""
    return f"{len(tags)}.{_microseconds(max(tag.updated_at for tag in tags))}"


def _aggregate_signature(count: int, latest: datetime | None) -> str:
    return f"{count}.{_microseconds(latest)}" if count and latest else "0"


def tags_version(tag_lists: Iterable[Sequence[Tag]]) -> str:
    """The version of what a page shows, from the tags it loaded (no query)."""
    tags = [tag for tags in tag_lists for tag in tags]
    if not tags:
        return "0"
    return _aggregate_signature(len(tags), max(tag.updated_at for tag in tags))


def _set_tags(annotation_set: AnnotationSet, documents):
    return Tag.objects.filter(annotation_set=annotation_set, passage__document_id__in=documents)


def set_version(annotation_set: AnnotationSet, documents) -> str:
    """The same version, read from the database in one small query."""
    row = _set_tags(annotation_set, documents).aggregate(n=Count("pk"), latest=Max("updated_at"))
    return _aggregate_signature(row["n"], row["latest"])


def changed_passage_ids(
    annotation_set: AnnotationSet, documents, seen: dict[int, str]
) -> list[int]:
    """Passages whose tags differ from the signatures the page holds (`seen`): one query.

    Untagged passages are not in `seen`, so a passage whose last tag went away is found by its
    signature in `seen`, and a newly tagged one by its signature in the database.
    """
    rows = (
        _set_tags(annotation_set, documents)
        .values("passage_id")
        .annotate(n=Count("pk"), latest=Max("updated_at"))
        .order_by()
    )
    now = {row["passage_id"]: _aggregate_signature(row["n"], row["latest"]) for row in rows}
    return sorted(pk for pk in now.keys() | seen.keys() if now.get(pk) != seen.get(pk))


def change_summary(before: str, after: str) -> str:
    """What a screen reader hears when other people's tags arrive: "2 new tags" when the count
    grew, else that tags changed (edited or removed)."""
    old, _, _ = before.partition(".")
    new, _, _ = after.partition(".")
    grown = int(new) - int(old) if old.isdigit() and new.isdigit() else 0
    if grown > 0:
        return f"{grown} new tag{'s' if grown != 1 else ''}"
    return "Tags changed"
