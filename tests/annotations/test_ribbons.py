"""The ribbon both the reader and the overview draw: where a mark goes, and the lanes."""

from __future__ import annotations

from annotations.models import Theme
from annotations.ribbons import RIBBON_LENGTH, RibbonBuilder, RibbonMark

# Unsaved instances: the builder reads only pk and, for the reader's marks, name.
TRADE, TAIWAN = Theme(pk=1, name="Trade"), Theme(pk=2, name="Taiwan & <them>")


def test_marks_stand_at_their_share_of_the_text_rounded() -> None:
    ribbon = RibbonBuilder(3000, min_size=4)
    ribbon.add(TRADE.pk, 1000, 1500, href="#p2", label="¶ 2")
    ribbon.add(TRADE.pk, 2, 5, href="#p1", label="¶ 1")
    assert ribbon.lanes([TRADE])[0].marks == [
        RibbonMark(href="#p2", label="¶ 2", at=333, size=167),
        RibbonMark(href="#p1", label="¶ 1", at=1, size=4),  # one line: the smallest mark
    ]


def test_a_mark_at_the_very_end_stays_inside_the_ribbon() -> None:
    ribbon = RibbonBuilder(1000, min_size=6)
    ribbon.add(TRADE.pk, 998, 1000, href="#end", label="¶ 9")
    [mark] = ribbon.lanes([TRADE])[0].marks
    assert (mark.at, mark.size) == (RIBBON_LENGTH - 6, 6)


def test_an_empty_reading_draws_nothing_and_divides_by_nothing() -> None:
    ribbon = RibbonBuilder(0, min_size=4)
    ribbon.add(TRADE.pk, 0, 0, href="#h", label="¶ 1")
    assert ribbon.lanes([TRADE])[0].marks[0].size == 4


def test_one_lane_per_theme_in_the_order_given_empty_ones_included() -> None:
    ribbon = RibbonBuilder(100, min_size=4)
    ribbon.add(TAIWAN.pk, 0, 10, href="#p1", label="¶ 1")
    lanes = ribbon.lanes([TRADE, TAIWAN])
    assert [(lane.theme, len(lane.marks)) for lane in lanes] == [(TRADE, 0), (TAIWAN, 1)]


def test_the_readers_marks_are_escaped_svg_links() -> None:
    ribbon = RibbonBuilder(100, min_size=6)
    ribbon.add(TAIWAN.pk, 0, 50, href="/r/?a=1&b=2#p1", label="A & B, ¶ 1")
    assert ribbon.lanes([TAIWAN])[0].marks_html == (
        '<a href="/r/?a=1&amp;b=2#p1" aria-label="Taiwan &amp; &lt;them&gt;, A &amp; B, ¶ 1">'
        '<rect class="reader-ribbon-mark" x="0" y="0" width="12" height="500"/></a>'
    )
