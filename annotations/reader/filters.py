"""What the reader shows, and the URLs that keep it so.

`ReaderFilters` are GET parameters, so that every filter is a plain link; `SetUrls` are one set's
passage and tag URLs, which carry the filters, reversed once per page with placeholder ids.
`SET_ID` stands for the set's id in the passages every set's page shares (cache.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from annotations.models import AnnotationSet, Tag, Theme
from readings.models import Passage


@dataclass(frozen=True)
class ReaderFilters:
    """What the reader shows, as GET parameters so that every filter is a plain link.

    `only=tagged`: only passages with a tag in the set; `theme=<slug>`: only passages with that
    theme; `quotes=tag`: pull quotes may be tagged too (they repeat the text, so not by
    default); `layout=parallel`: passages are rendered for the parallel page (fragments only).
    """

    tagged_only: bool = False
    theme: Theme | None = None
    pull_quotes: bool = False
    parallel: bool = False

    @classmethod
    def from_params(cls, params, themes: Sequence[Theme]) -> ReaderFilters:
        slug = params.get("theme", "")
        return cls(
            tagged_only=params.get("only") == "tagged",
            theme=next((theme for theme in themes if theme.slug == slug), None),
            pull_quotes=params.get("quotes") == "tag",
            parallel=params.get("layout") == "parallel",
        )

    def params(self, *, layout: bool = False) -> list[tuple[str, str]]:
        """The parameters that differ from the defaults; with `layout`, the layout too."""
        pairs = []
        if self.tagged_only:
            pairs.append(("only", "tagged"))
        if self.theme is not None:
            pairs.append(("theme", self.theme.slug))
        if self.pull_quotes:
            pairs.append(("quotes", "tag"))
        if layout and self.parallel:
            pairs.append(("layout", "parallel"))
        return pairs

    def query(self, *, layout: bool = False, **extra: object) -> str:
        pairs = self.params(layout=layout) + [(k, str(v)) for k, v in extra.items()]
        return f"?{urlencode(pairs)}" if pairs else ""

    def is_taggable(self, passage: Passage) -> bool:
        return passage.is_body or (self.pull_quotes and passage.kind == Passage.Kind.PULL_QUOTE)

    def shows(self, tags: Sequence[Tag]) -> bool:
        if self.theme is not None:
            return any(tag.theme_id == self.theme.pk for tag in tags)
        return bool(tags) or not self.tagged_only

    @property
    def is_filtering(self) -> bool:
        return self.tagged_only or self.theme is not None


# Above any primary key (PostgreSQL's bigint ends below 2**63): where an id goes in a URL that
# was reversed once, and nothing else in that URL can read the same.
_PASSAGE_ID = str(2**64)
_TAG_ID = str(2**64 + 1)
# Where the set's id goes in passages rendered once for every set (cache.py).
SET_ID = str(2**64 + 2)


class SetUrls:
    """The URLs of one set's passages and tags, carrying the page's filters.

    A page links every passage and tag a few times, and `reverse` is slow enough for that to
    show, so each URL pattern is reversed once with placeholder ids and filled in per passage.
    """

    def __init__(self, annotation_set: AnnotationSet, filters: ReaderFilters) -> None:
        self._reverse(annotation_set.seminar_id, annotation_set.pk, filters)

    @classmethod
    def for_any_set(cls, seminar_id: int, filters: ReaderFilters) -> SetUrls:
        """The URLs with `SET_ID` where the set's id goes."""
        urls = cls.__new__(cls)
        urls._reverse(seminar_id, SET_ID, filters)
        return urls

    def _reverse(self, seminar_id: int, set_id: int | str, filters: ReaderFilters) -> None:
        ids = [seminar_id, set_id, _PASSAGE_ID]
        self._fragment = reverse("annotations:reader_passage", args=ids)
        self._tag_add = reverse("annotations:tag_add", args=ids)
        self._tag_update = reverse("annotations:tag_update", args=[*ids, _TAG_ID])
        self._tag_remove = reverse("annotations:tag_remove", args=[*ids, _TAG_ID])
        self._state = filters.query(layout=True)
        self._panel = filters.query(layout=True, panel=1)

    def panel(self, passage_id: int) -> str:
        """The passage with its tag panel open, as a fragment."""
        return self._fragment.replace(_PASSAGE_ID, str(passage_id)) + self._panel

    def tag_add(self, passage_id: int) -> str:
        return self._tag_add.replace(_PASSAGE_ID, str(passage_id)) + self._state

    def tag_update(self, tag: Tag) -> str:
        return self._tag_url(self._tag_update, tag)

    def tag_remove(self, tag: Tag) -> str:
        return self._tag_url(self._tag_remove, tag)

    def _tag_url(self, pattern: str, tag: Tag) -> str:
        url = pattern.replace(_PASSAGE_ID, str(tag.passage_id)).replace(_TAG_ID, str(tag.pk))
        return url + self._state
