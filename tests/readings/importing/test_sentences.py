from __future__ import annotations

import pytest

from readings.importing.sentences import (
    ends_on_function_word,
    ends_sentence,
    is_all_caps,
    starts_mid_sentence,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It ended.", True),
        ("Did it?", True),
        ("Stop!", True),
        ("as follows:", True),
        ("…cherish its hates and threaten its neighbors.”", True),
        ("(See above.)", True),
        ("…has called for the United States", False),
        ("…called it “reverse Kissinger”", False),
        ("Russia’s armed forces,", False),
        ("first; second;", False),
        ("", False),
    ],
)
def test_ends_sentence(text: str, expected: bool) -> None:
    assert ends_sentence(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“to have a relationship” with Russia", True),
        ("toward the United States.", True),
        ("personal ties neutralize", True),
        (", and then", True),
        ("— and so", True),
        ("The idea of rapprochement", False),
        ("“Quoted” start", False),
        ("1972 was", False),
        ("", False),
    ],
)
def test_starts_mid_sentence(text: str, expected: bool) -> None:
    assert starts_mid_sentence(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("called for the", True), ("the state of", True), ("the theory", False), ("of,", False)],
)
def test_ends_on_function_word(text: str, expected: bool) -> None:
    assert ends_on_function_word(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A FOOL'S ERRAND", True), ("NATO and the EU", False), ("1972", False), ("A", False)],
)
def test_is_all_caps(text: str, expected: bool) -> None:
    assert is_all_caps(text) is expected
