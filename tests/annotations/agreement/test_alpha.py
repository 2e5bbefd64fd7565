"""Krippendorff's alpha: the published worked examples, the edge cases, and the rules by which
a class's tags become answers (units, coders, missing data, how split a passage is)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from types import SimpleNamespace
from typing import Any

import krippendorff
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.agreement.alpha import Alpha, alpha_matrix, alpha_with_key
from annotations.agreement.gather import STANCE_CODE, Unit, _stance, _tallies, _votes
from annotations.stances import STANCES

N = None


def nominal_alpha(data: Sequence[Sequence[str | None]]) -> Alpha:
    """alpha_matrix() of `data[coder][unit]` given as category names (None: no answer), as
    the published examples give them; the app codes its answers as numbers itself."""
    domain = sorted({value for row in data for value in row if value is not None})
    code = {value: float(index) for index, value in enumerate(domain)}
    matrix = np.array(
        [[math.nan if value is None else code[value] for value in row] for row in data],
        dtype=float,
    )
    return alpha_matrix(matrix.reshape(len(data), -1) if data else np.zeros((0, 0)))


def package_alpha(matrix: np.ndarray) -> float | None:
    """The `krippendorff` package's alpha (a dev dependency: the reference the closed forms
    must equal), None where alpha_matrix() says it is undefined."""
    if alpha_matrix(matrix).value is None:
        return None
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    matrix = matrix[:, pairable]
    domain = np.unique(matrix[~np.isnan(matrix)])
    return float(
        krippendorff.alpha(
            reliability_data=matrix, level_of_measurement="nominal", value_domain=domain
        )
    )


@given(
    st.integers(2, 8).flatmap(
        lambda coders: st.lists(
            st.lists(st.sampled_from([None, 0, 1, 2, 3]), min_size=coders, max_size=coders),
            min_size=1,
            max_size=15,
        )
    )
)
def test_alpha_equals_the_krippendorff_package(units) -> None:
    matrix = np.array(
        [[math.nan if v is None else float(v) for v in unit] for unit in units], dtype=float
    ).T
    expected = package_alpha(matrix)
    got = alpha_matrix(matrix).value
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def coded(rows: Sequence[Sequence[int | None]]) -> list[list[str | None]]:
    """Numbers as the category names the app passes in: alpha must not care which."""
    return [[None if value is None else f"category {value}" for value in row] for row in rows]


# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section A: binary data,
# two observers (Ben and Gerry), ten units, no missing data: alpha = 0.095.
BINARY_TWO_OBSERVERS = [
    [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
    [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
]

# The same paper, section C: nominal data, four observers, twelve units, missing data:
# alpha = 0.743.
NOMINAL_FOUR_OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# Krippendorff, Content Analysis (2004), the example reproduced on Wikipedia's article on
# Krippendorff's alpha: three coders, fifteen units, nominal alpha = 0.691.
NOMINAL_THREE_CODERS = [
    [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
    [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
    [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
]


@pytest.mark.parametrize(
    ("data", "expected", "coders", "units"),
    [
        pytest.param(BINARY_TWO_OBSERVERS, 0.095, 2, 10, id="2011-A-binary"),
        pytest.param(NOMINAL_FOUR_OBSERVERS, 0.743, 4, 11, id="2011-C-nominal-missing"),
        pytest.param(NOMINAL_THREE_CODERS, 0.691, 3, 12, id="2004-three-coders"),
    ],
)
def test_alpha_matches_krippendorffs_worked_examples(data, expected, coders, units) -> None:
    alpha = nominal_alpha(coded(data))
    assert alpha.value == pytest.approx(expected, abs=0.0005)
    assert alpha.label == f"{expected:.2f}"
    assert (alpha.coders, alpha.units) == (coders, units)


def test_perfect_agreement_with_variation_is_one_and_reads_as_strong() -> None:
    alpha = nominal_alpha([["a", "b", "a", "b"], ["a", "b", "a", "b"], ["a", "b", N, "b"]])
    assert alpha.value == pytest.approx(1.0)
    assert alpha.reading == "strong agreement"
    assert alpha.level == "strong"


def test_systematic_disagreement_is_below_zero() -> None:
    alpha = nominal_alpha([["a", "b", "a", "b"], ["b", "a", "b", "a"]])
    assert alpha.value is not None and alpha.value < 0
    assert alpha.reading == "no better than chance"


def test_one_coder_gives_no_alpha_and_says_why() -> None:
    alpha = nominal_alpha([["a", "b", "a"], [N, N, N]])
    assert alpha.value is None
    assert alpha.label == "—"
    assert alpha.reading == "needs two or more coders"
    assert alpha.coders == 1


def test_no_variation_gives_no_alpha_rather_than_a_perfect_score() -> None:
    alpha = nominal_alpha([["x", "x", "x"], ["x", "x", "x"], ["x", N, "x"]])
    assert alpha.value is None
    assert alpha.reason == "no variation: every answer is the same"


def test_coders_who_never_answer_the_same_unit_give_no_alpha() -> None:
    alpha = nominal_alpha([["a", "b", N, N], [N, N, "a", "b"]])
    assert alpha.value is None
    assert alpha.units == 0
    assert alpha.reason == "no passage has answers from two coders"


def test_units_with_a_single_answer_do_not_change_alpha() -> None:
    base = coded(BINARY_TWO_OBSERVERS)
    padded = [row + [N, N] for row in base]
    padded[0][-2:] = ["category 7", "category 8"]  # answered by one coder only
    assert nominal_alpha(padded).value == pytest.approx(nominal_alpha(base).value)


def test_no_data_at_all() -> None:
    alpha = nominal_alpha([])
    assert alpha.value is None and alpha.coders == 0


@pytest.mark.parametrize(
    ("value", "reading", "level"),
    [(0.85, "strong agreement", "strong"), (0.7, "tentative agreement", "tentative")],
)
def test_krippendorffs_guideline_in_words(value, reading, level) -> None:

    alpha = Alpha(value, 3, 10)
    assert (alpha.reading, alpha.level) == (reading, level)


# How split one passage is, and each student against the key -------------------------------------
#
# The app counts both from tallies, vectorised over students; these are the definitions, pair by
# pair and through the krippendorff package, that the fast paths must agree with.

STANCE_CHOICES = [*STANCES, ""]


def pairwise_split(answers: list[str | None]) -> tuple[float, int]:
    """answers: per student None (not reached), "-" (not tagged) or the stance ("" for none)."""

    def distance(a: str, b: str) -> float:
        if "-" in (a, b):
            return float(a != b)
        if a == b:
            return 0.0
        return 1.0 if a and b else 0.5

    pairs = list(combinations([a for a in answers if a is not None], 2))
    conflicts = sum(1 for a, b in pairs if "-" not in (a, b) and a and b and a != b)
    return (sum(distance(a, b) for a, b in pairs) / len(pairs) if pairs else 0.0), conflicts


def arrays(answers: Sequence[Sequence[str | None]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(student, unit) arrays as _votes() takes them, from per-unit answer lists."""
    mine = np.array([[a not in (None, "-") for a in row] for row in answers]).T
    seen = np.array([[a is not None for a in row] for row in answers]).T
    stance = np.array([[STANCE_CODE.get(a or "", -1) for a in row] for row in answers]).T
    return mine, seen, stance


def units_for(count: int) -> tuple[list[Unit], dict[int, Any]]:
    reading = SimpleNamespace(document_id=1)
    units = [Unit(n, 1, n, f"¶ {n}", f"p{n}", "", "text") for n in range(count)]
    return units, {1: reading}


answer = st.sampled_from([None, "-", *STANCE_CHOICES])


@given(st.lists(st.lists(answer, min_size=2, max_size=12), min_size=1, max_size=8))
def test_the_tallied_split_equals_the_pairwise_definition(columns) -> None:
    width = min(len(c) for c in columns)
    columns = [c[:width] for c in columns]
    units, readings = units_for(len(columns))
    votes = {v.unit.pk: v for v in _votes(units, readings, _tallies(*arrays(columns)), None)}
    for pk, column in enumerate(columns):
        tagged = sum(a not in (None, "-") for a in column)
        if not tagged:
            assert pk not in votes
            continue
        split, conflicts = pairwise_split(column)
        assert votes[pk].split == pytest.approx(split)
        assert votes[pk].conflicts == conflicts
        assert votes[pk].tagged == tagged
        assert votes[pk].coders == sum(a is not None for a in column)


def test_opposite_stances_split_a_passage_as_much_as_tagged_against_untagged() -> None:
    units, readings = units_for(3)
    columns = [["supports", "opposes"], ["supports", "-"], ["supports", ""]]
    votes = {v.unit.pk: v for v in _votes(units, readings, _tallies(*arrays(columns)), None)}
    assert (votes[0].split, votes[0].conflicts) == (1.0, 1)
    assert (votes[1].split, votes[1].conflicts) == (1.0, 0)
    # A tag without stance half disagrees with one that gives a stance.
    assert (votes[2].split, votes[2].conflicts) == (0.5, 0)
    assert [v.unit.pk for v in _votes(units, readings, _tallies(*arrays(columns)), None)] == [
        0,
        1,
        2,
    ]


def test_students_who_have_not_reached_a_reading_do_not_count() -> None:
    units, readings = units_for(1)
    (vote,) = _votes(units, readings, _tallies(*arrays([["supports", None, None]])), None)
    assert (vote.split, vote.coders, vote.summary) == (0.0, 1, "1 of 1 tagged it: 1 supports")


@given(
    st.lists(
        st.tuples(st.sampled_from([None, 0, 1]), st.sampled_from([None, 0, 1])),
        min_size=1,
        max_size=30,
    )
)
def test_alpha_with_the_key_equals_the_krippendorff_package(pairs) -> None:
    student = [None if s is None else str(s) for s, _ in pairs]
    key = [None if k is None else str(k) for _, k in pairs]
    expected = nominal_alpha([student, key])
    matrix = np.array(
        [[math.nan if v is None else float(v) for v in row] for row in (student, key)]
    )
    assert expected.value == (
        None if expected.value is None else pytest.approx(package_alpha(matrix))
    )
    (fast,) = alpha_with_key(
        np.array([[s == "1" for s in student]]),
        np.array([[s is not None for s in student]]),
        np.array([k == "1" for k in key]),
        np.array([k is not None for k in key]),
    )
    assert fast.reason == expected.reason
    if expected.value is None:
        assert fast.value is None
    else:
        assert fast.value == pytest.approx(expected.value)
    assert fast.units == expected.units


def test_alpha_with_the_key_reproduces_krippendorffs_binary_example() -> None:
    ben, gerry = (np.array(row, dtype=bool) for row in BINARY_TWO_OBSERVERS)
    everywhere = np.ones(len(ben), dtype=bool)
    (alpha,) = alpha_with_key(ben[None, :], everywhere[None, :], gerry, everywhere)
    assert alpha.value == pytest.approx(0.095, abs=0.0005)


def stance_of(stances: list[str]) -> str:
    """_stance() for the tags of one cell, given in reading order."""
    codes = np.array([STANCE_CODE.get(s, -1) for s in stances], dtype=np.int64)
    cells, chosen = _stance(np.zeros(len(codes), dtype=np.int64), codes)
    assert len(cells) <= 1
    return STANCES[chosen[0]] if len(cells) else ""


def reference_stance(stances: list[str]) -> str:
    """The rule in words: the commonest stance given, ties to the first given."""
    given = [s for s in stances if s]
    if not given:
        return ""
    counts = Counter(given)
    return max(given, key=lambda s: (counts[s], -given.index(s)))


def test_a_coders_stance_is_their_commonest_then_their_first() -> None:
    assert stance_of(["", "opposes", "supports", "opposes"]) == "opposes"
    assert stance_of(["qualifies", "supports"]) == "qualifies"
    assert stance_of(["supports", "qualifies", "qualifies", "supports"]) == "supports"
    assert stance_of(["", ""]) == ""


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(STANCE_CHOICES)), max_size=60))
def test_every_cells_stance_follows_the_rule_whatever_the_order_of_cells(tags) -> None:
    """Tags of many cells interleaved, as the query returns them."""
    cells = np.array([cell for cell, _ in tags], dtype=np.int64)
    codes = np.array([STANCE_CODE.get(s, -1) for _, s in tags], dtype=np.int64)
    found, chosen = _stance(cells, codes)
    got = {int(c): STANCES[s] for c, s in zip(found, chosen, strict=True)}
    expected = {}
    for cell in {cell for cell, _ in tags}:
        stance = reference_stance([s for c, s in tags if c == cell])
        if stance:
            expected[cell] = stance
    assert got == expected
