"""The verdict rules (annotations/compare/verdicts.py) on small cases: one StanceMix per reading."""

from __future__ import annotations

import pytest

from annotations.compare.verdicts import StanceMix, Verdict, verdict

SUP, OPP, QUA, NIL = "supports", "opposes", "qualifies", ""


def mix(*stances: str) -> StanceMix:
    return StanceMix.of(stances)


SILENT = mix()


def test_a_mix_counts_each_stance_and_tags_without_one() -> None:
    counted = mix(SUP, SUP, OPP, QUA, NIL, NIL, NIL)
    assert (counted.supports, counted.opposes, counted.qualifies, counted.unmarked) == (2, 1, 1, 3)
    assert counted.total == 7
    assert counted.parts == [
        (SUP, "Supports", 2),
        (OPP, "Opposes", 1),
        (QUA, "Qualifies", 1),
        (NIL, "No stance", 3),
    ]
    assert counted.summary == "2 supporting, 1 opposing, 1 qualifying, 3 with no stance"
    assert mix(SUP) + mix(OPP, NIL) == mix(SUP, OPP, NIL)


@pytest.mark.parametrize(
    ("stances", "position"),
    [
        ((SUP, SUP, OPP), SUP),
        ((OPP, OPP, QUA, NIL, NIL, NIL), OPP),  # tags without a stance do not vote
        ((QUA, QUA, SUP), QUA),
        ((SUP, OPP), QUA),  # argues both ways: qualifies
        ((SUP, OPP, QUA), QUA),
        ((SUP, QUA), SUP),  # a qualified yes is still a yes
        ((OPP, OPP, QUA, QUA), OPP),
        ((NIL, NIL), None),
        ((), None),
    ],
)
def test_a_readings_position_is_its_most_frequent_marked_stance(stances, position) -> None:
    assert mix(*stances).position == position


def test_no_reading_addressing_the_theme_is_silent() -> None:
    assert verdict([SILENT, SILENT]) is Verdict.SILENT
    assert verdict([]) is Verdict.SILENT


def test_exactly_one_reading_addressing_it_is_one_sided_whatever_its_stance() -> None:
    assert verdict([SILENT, mix(SUP, SUP)]) is Verdict.ONE_SIDED
    assert verdict([mix(NIL), SILENT, SILENT]) is Verdict.ONE_SIDED


def test_the_same_position_in_every_addressing_reading_converges() -> None:
    assert verdict([mix(OPP, OPP, NIL), mix(OPP)]) is Verdict.CONVERGE
    assert verdict([mix(SUP), mix(SUP, QUA), mix(SUP, SUP, OPP)]) is Verdict.CONVERGE
    assert verdict([mix(QUA), mix(QUA, QUA)]) is Verdict.CONVERGE
    # A silent third reading does not break the agreement of the two that speak.
    assert verdict([mix(SUP), SILENT, mix(SUP)]) is Verdict.CONVERGE


def test_supports_against_opposes_diverges() -> None:
    assert verdict([mix(SUP), mix(OPP)]) is Verdict.DIVERGE
    assert verdict([mix(SUP, SUP, OPP), mix(OPP, OPP, NIL)]) is Verdict.DIVERGE
    # One opposed pair is enough, even when a third reading qualifies or agrees.
    assert verdict([mix(SUP), mix(QUA), mix(OPP)]) is Verdict.DIVERGE
    assert verdict([mix(SUP), mix(SUP), mix(OPP)]) is Verdict.DIVERGE


def test_positions_that_differ_without_clashing_are_mixed() -> None:
    assert verdict([mix(SUP), mix(QUA)]) is Verdict.MIXED
    assert verdict([mix(OPP), mix(SUP, OPP)]) is Verdict.MIXED  # the second argues both ways
    # A reading that addresses the theme but marks no stance leaves the verdict open.
    assert verdict([mix(SUP), mix(NIL, NIL)]) is Verdict.MIXED
    assert verdict([mix(NIL), mix(NIL)]) is Verdict.MIXED


def test_every_verdict_has_a_label_and_an_explanation() -> None:
    for item in Verdict:
        assert item.label and item.explanation.endswith(".")
    assert Verdict.ONE_SIDED.value == "one-sided"
