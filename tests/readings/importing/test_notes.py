"""Note calls in read text: taken out before offsets are computed, each note to its passage."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readings.importing import split_text
from tests.readings.importing.invariants import assert_split_invariants

CALL = "\ue000{}\ue001"


def test_calls_leave_the_text_and_each_note_goes_to_the_passage_that_calls_it() -> None:
    raw = (
        "# Origins\n\n"
        f"The pact was *signed* in haste.{CALL.format(1)} Nobody read it.\n\n"
        f"Critics {CALL.format(2)} came later, as they do."
    )
    result = split_text(raw, notes=("Ames, p. 4.", "See chapter two."))
    assert_split_invariants(result)
    body = result.passages[1]
    assert body.text == "The pact was signed in haste. Nobody read it."
    assert [body.text[a:b] for a, b in body.emphasis] == ["signed"]
    assert result.passages[2].text == "Critics came later, as they do."
    assert [(n.number, n.text, n.position, n.offset) for n in result.notes] == [
        (1, "Ames, p. 4.", 1, 29),
        (2, "See chapter two.", 2, 7),
    ]
    assert "\ue000" not in result.text and "Ames" not in result.text


def test_without_notes_every_marker_is_removed_so_pasted_text_cannot_forge_one() -> None:
    result = split_text(f"Pasted {CALL.format(1)} text with a stray \ue001 mark.\ue000")
    assert result.passages[0].text == "Pasted text with a stray mark."
    assert result.notes == ()


def test_a_call_to_a_missing_note_is_dropped_and_an_uncalled_note_goes_to_the_end() -> None:
    raw = f"First paragraph, a sentence.{CALL.format(5)}\n\nSecond paragraph, a sentence."
    result = split_text(raw, notes=("Never called.", "   "))
    assert [p.text for p in result.passages] == [
        "First paragraph, a sentence.",
        "Second paragraph, a sentence.",
    ]
    # The blank note is dropped; the uncalled one is kept, on the last passage.
    assert [(n.number, n.text, n.position) for n in result.notes] == [(1, "Never called.", 1)]


def test_a_paragraph_ending_in_a_call_still_ends_its_sentence() -> None:
    raw = (
        f"The argument ends here, firmly.{CALL.format(1)}\n\n"
        "And a new paragraph starts with a capital."
    )
    result = split_text(raw, notes=("Cited.",))
    assert len(result.passages) == 2
    assert result.notes[0].position == 0


def test_a_call_in_a_heading_is_a_note_of_the_heading() -> None:
    result = split_text(
        f"# Methods{CALL.format(1)}\n\nWe asked everyone twice.", notes=("Funded by X.",)
    )
    assert [(p.kind, p.text) for p in result.passages] == [
        ("heading", "Methods"),
        ("paragraph", "We asked everyone twice."),
    ]
    assert result.notes[0].position == 0


_PIECES = st.sampled_from(
    ["Word ", "word. ", "*em* ", "\n", "\n\n", "# ", "- ", "\ue000", "\ue001", "1", "12", " "]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_PIECES, max_size=60).map("".join),
    st.lists(st.sampled_from(["A note.", "", "  ", "Another note."]), max_size=4).map(tuple),
)
def test_any_text_with_any_markers_keeps_the_invariants_and_no_marker(raw, notes) -> None:
    result = split_text(raw, notes=notes)
    assert_split_invariants(result)
    assert "\ue000" not in result.text and "\ue001" not in result.text
    positions = {p.position for p in result.passages}
    assert all(n.position in positions and n.text for n in result.notes)
    assert len({n.number for n in result.notes}) == len(result.notes)
