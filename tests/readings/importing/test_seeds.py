"""Acceptance: the two seed readings split as a reader of them would split them by hand."""

from __future__ import annotations

import pytest

from readings.importing import SplitResult, split_text
from readings.importing.sentences import ends_sentence, starts_mid_sentence
from tests.readings.importing.invariants import assert_split_invariants

ESSAY_FRONT_MATTER = [
    "FOREIGN AFFAIRS",
    "APRIL 4, 2025",
    "China and Russia Will Not Be Split",
    "The “Reverse Kissinger” Delusion",
    "MICHAEL MCFAUL AND EVAN S. MEDEIROS",
]
ESSAY_PULL_QUOTES = [
    "Rapprochement with the Kremlin would bring few real benefits to the American people.",
    "What unites Putin and Xi greatly outweighs what divides them.",
    "Putin is already exploiting Trump's desire for friendship.",
]
ESSAY_HEADINGS = ["HISTORY DOES NOT ALWAYS RHYME", "A FOOL'S ERRAND", "A COSTLY PIVOT"]
# 45 blocks in the file: 8 of title block (5 + a repeat of 3), 3 headings, 4 pull-quote
# pieces and 30 body blocks, of which 6 continue a paragraph cut at a page end.
ESSAY_PARAGRAPHS = 24

ANALYSIS_HEADINGS = [
    "Executive summary",
    "Introduction",
    "The drivers of cooperation",
    "Security and geopolitics",
    "The primacy of interests",
    "Sino-Russian partnership and the international system",
    "The shock of events",
    "The war in Ukraine",
    "The Trump effect",
    "Looking ahead",
    "Implications for Western policymaking",
]
# 72 blocks in the file: the title, 11 headings, one block of 5 bullets and 59 paragraphs,
# none of them cut at a page end.
ANALYSIS_PARAGRAPHS = 59


@pytest.fixture(scope="module")
def essay(essay_raw: str) -> SplitResult:
    return split_text(essay_raw)


@pytest.fixture(scope="module")
def analysis(analysis_raw: str) -> SplitResult:
    return split_text(analysis_raw)


def texts(result: SplitResult, kind: str) -> list[str]:
    return [p.text for p in result.passages if p.kind == kind]


def test_essay_invariants(essay: SplitResult) -> None:
    assert_split_invariants(essay)


def test_essay_title_block_once_as_front_matter(essay: SplitResult) -> None:
    assert texts(essay, "front_matter") == ESSAY_FRONT_MATTER
    assert [p.kind for p in essay.passages[:5]] == ["front_matter"] * 5
    assert essay.text.count("China and Russia Will Not Be Split") == 1
    assert [p.label for p in essay.passages[:5]] == [f"Front matter {n}" for n in range(1, 6)]


def test_essay_pull_quotes(essay: SplitResult) -> None:
    assert texts(essay, "pull_quote") == ESSAY_PULL_QUOTES
    assert [p.anchor for p in essay.passages if p.kind == "pull_quote"] == ["q1", "q2", "q3"]


def test_essay_pull_quote_that_interrupted_a_sentence_follows_its_paragraph(
    essay: SplitResult,
) -> None:
    kinds = [p.kind for p in essay.passages]
    quote = kinds.index("pull_quote")
    before = essay.passages[quote - 1]
    assert before.kind == "paragraph"
    assert "shared animosity toward the United States. Both feel threatened" in before.text


def test_essay_headings(essay: SplitResult) -> None:
    assert texts(essay, "heading") == ESSAY_HEADINGS
    sections = {p.section for p in essay.passages if p.kind == "paragraph"}
    assert sections == {"", *ESSAY_HEADINGS}


def test_essay_paragraphs_are_whole_and_in_order(essay: SplitResult, essay_raw: str) -> None:
    paragraphs = texts(essay, "paragraph")
    assert len(paragraphs) == ESSAY_PARAGRAPHS
    for paragraph in paragraphs:
        assert not starts_mid_sentence(paragraph), paragraph[:60]
        assert paragraph[0].isupper(), paragraph[:60]
        assert ends_sentence(paragraph), paragraph[-60:]
    assert paragraphs[0].startswith("Many American foreign-policy makers")
    assert paragraphs[-1].endswith("the integrity of American values.")
    # In order: each paragraph's opening words appear in the raw file after the previous one's.
    position = 0
    for paragraph in paragraphs:
        found = essay_raw.find(paragraph[:40], position)
        assert found > position, paragraph[:40]
        position = found


def test_essay_page_broken_paragraphs_are_rejoined(essay: SplitResult) -> None:
    [rubio] = [p for p in essay.passages if "Marco Rubio" in p.text]
    assert rubio.kind == "paragraph"
    assert "has called for the United States “to have a relationship” with Russia" in rubio.text
    for joined in (
        "but Putin and Xi’s personal ties neutralize",
        "Russia as an incentive for Putin",
        "But Russia's armed forces, having barely held their own",  # the seed's ASCII apostrophe
        "Pulling U.S. soldiers out of Europe and weakening, perhaps even abandoning, NATO",
    ):
        assert sum(joined in p.text for p in essay.passages if p.kind == "paragraph") == 1


def test_essay_markup_is_gone(essay: SplitResult) -> None:
    assert "$240 billion" in essay.text
    assert "\\" not in essay.text
    assert "*" not in essay.text
    emphasised = [p.text[a:b] for p in essay.passages for a, b in p.emphasis]
    assert emphasised == ["Foreign Affairs", "realpolitik"]


def test_analysis_invariants(analysis: SplitResult) -> None:
    assert_split_invariants(analysis)


def test_analysis_headings(analysis: SplitResult) -> None:
    assert texts(analysis, "heading") == ANALYSIS_HEADINGS
    assert texts(analysis, "front_matter") == [
        "Convergence and divergence: China-Russia relations in the age of Trump"
    ]


def test_analysis_summary_bullets_are_five_list_items(analysis: SplitResult) -> None:
    items = [p for p in analysis.passages if p.kind == "list_item"]
    assert len(items) == 5
    assert {p.section for p in items} == {"Executive summary"}
    assert items[0].text.startswith("The Sino-Russian partnership is based on cold-blooded")
    assert items[4].text.endswith("could become a source of tension.")
    assert [p.label for p in items] == ["¶ 1", "¶ 2", "¶ 3", "¶ 4", "¶ 5"]
    assert not any(p.text.startswith(("•", "-")) for p in items)


def test_analysis_paragraphs_are_whole(analysis: SplitResult) -> None:
    paragraphs = [p for p in analysis.passages if p.kind == "paragraph"]
    assert len(paragraphs) == ANALYSIS_PARAGRAPHS
    assert paragraphs[0].label == "¶ 6"  # numbering continues after the five bullets
    for paragraph in paragraphs:
        assert paragraph.text[0].isupper()
        assert ends_sentence(paragraph.text), paragraph.text[-60:]
        assert paragraph.text == paragraph.text.rstrip()  # trailing NBSPs gone
    assert texts(analysis, "pull_quote") == []


def test_splitting_the_canonical_text_again_changes_nothing(essay: SplitResult) -> None:
    again = split_text(essay.text)
    assert again.text == essay.text
    assert [p.kind for p in again.passages] == [p.kind for p in essay.passages]
