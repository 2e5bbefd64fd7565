"""Properties of split_text on arbitrary text: it never raises and never breaks its invariants;
and on paragraphs built here, it gives back exactly the paragraphs it was given."""

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


# The oracle: prose paragraphs the splitter has no reason to change. Each starts with a capital
# and ends a sentence (so it is no heading, title block, page furniture or page-broken piece),
# holds no markup, and no word occurs twice in the document (so no run of six words repeats,
# and nothing can pass for a pull quote). Wrapped over lines with untidy spacing, separated by
# any kind of blank line, each must come back as one paragraph with its words one space apart.
LETTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "éèàüößøñçłžšğ"  # precomposed: already NFC
    "αβγδεζηθλμνξπρστφχψω"
    "абвгдежзиклмнопрстуфх"
)
oracle_word = st.text(st.sampled_from(LETTERS), min_size=1, max_size=10)
inner_punctuation = st.sampled_from(["", "", "", ",", ";", ".", "?", ":"])
between_words = st.sampled_from([" ", " ", "  ", "\t", "\u00a0", "\n", " \n ", "\u200b "])
blank_line = st.sampled_from(["\n\n", "\n\n\n", "\r\n\r\n", "\n \n", "\u2029", "\n\t\n"])


@st.composite
def paragraphs_and_text(draw) -> tuple[list[str], str]:
    """Paragraphs as the splitter must give them back, and a raw text that holds them."""
    sizes = draw(st.lists(st.integers(1, 50), min_size=1, max_size=8))
    words = draw(
        st.lists(oracle_word, min_size=sum(sizes), max_size=sum(sizes), unique_by=str.casefold)
    )
    expected: list[str] = []
    raw = draw(st.sampled_from(["", "\n", "\n\n", " "]))
    for size in sizes:
        mine, words = words[:size], words[size:]
        mine[0] = mine[0][0].upper() + mine[0][1:]
        mine = [w + draw(inner_punctuation) for w in mine[:-1]] + [mine[-1] + "."]
        expected.append(" ".join(mine))
        raw += mine[0] + "".join(draw(between_words) + w for w in mine[1:])
        raw += draw(blank_line)
    return expected, raw


@SETTINGS
@given(paragraphs_and_text())
def test_split_text_gives_back_the_paragraphs_it_was_given(case: tuple[list[str], str]) -> None:
    expected, raw = case
    result = split_text(raw)
    assert [p.text for p in result.passages] == expected
    assert {p.kind for p in result.passages} == {"paragraph"}
    assert [p.label for p in result.passages] == [f"¶ {n}" for n in range(1, len(expected) + 1)]
    assert result.text == "\n\n".join(expected)
    for passage in result.passages:
        assert result.text[passage.start : passage.end] == passage.text
    assert_split_invariants(result)
