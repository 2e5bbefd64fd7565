"""Properties of split_text on arbitrary text: it never raises and never breaks its invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readings.importing import split_text
from tests.readings.importing.invariants import assert_split_invariants

# Every category, surrogates and controls included: uploads and pastes can hold anything.
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=400)

# fmt: off
words = st.sampled_from([
    "the", "of", "and", "Putin", "Xi", "“quoted”", "‘single’", "don’t", "U.S.", "1972",
    "\\$240", "*emph*", "_under_", "**", "__", "\\", "é", "e\u0301", "\u00a0", "\u200b", "\t",
    "—", "–", "-", "•", "#", ":", ";", ",", ".", "?", "!", ")", "(", "CAPS", "WORDS", "lower",
])
# fmt: on
sentence = st.lists(words, min_size=1, max_size=30).map(" ".join)
block = st.one_of(
    sentence,
    sentence.map(str.upper),
    sentence.map(lambda s: s + "."),
    sentence.map(lambda s: "  • " + s),
    sentence.map(lambda s: "- " + s),
    sentence.map(lambda s: "# " + s),
    st.lists(sentence, min_size=1, max_size=3).map("\n".join),
    st.sampled_from(["12", "* * *", "---", "FOREIGN AFFAIRS", "Page 3", "", " "]),
)
separator = st.sampled_from(["\n\n", "\n", "\n\n\n", "\r\n\r\n", "\n \n", "\u2029"])
document = st.lists(st.tuples(block, separator), max_size=25).map(
    lambda parts: "".join(b + s for b, s in parts)
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text)
def test_split_text_holds_its_invariants_on_any_text(raw: str) -> None:
    assert_split_invariants(split_text(raw))


@SETTINGS
@given(document)
def test_split_text_holds_its_invariants_on_document_like_text(raw: str) -> None:
    result = split_text(raw)
    assert_split_invariants(result)
    # The canonical text is a fixed point for its characters, if not for every passage kind.
    assert_split_invariants(split_text(result.text))


@SETTINGS
@given(document)
def test_split_text_is_deterministic(raw: str) -> None:
    assert split_text(raw) == split_text(raw)
