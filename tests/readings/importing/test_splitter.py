from __future__ import annotations

import hashlib

from readings.importing import SplitPassage, split_text
from tests.readings.importing.invariants import assert_split_invariants

SAMPLE = """A Short Reading

FIRST PART

The opening paragraph states the claim plainly. It gives a reason.

  • One point.
  • Another point.

Second part

The closing paragraph cites *one* source.
"""


def test_empty_text_has_no_passages() -> None:
    result = split_text("")
    assert result.text == ""
    assert result.passages == ()
    assert result.content_hash == hashlib.sha256(b"").hexdigest()


def test_whitespace_only_text_has_no_passages() -> None:
    assert split_text(" \n\n\t\u00a0\u200b\n").passages == ()


def test_labels_anchors_and_sections() -> None:
    result = split_text(SAMPLE)
    assert_split_invariants(result)
    assert [(p.kind, p.label, p.anchor, p.section) for p in result.passages] == [
        ("front_matter", "Front matter 1", "f1", ""),
        ("heading", "§ 1", "s1", "FIRST PART"),
        ("paragraph", "¶ 1", "p1", "FIRST PART"),
        ("list_item", "¶ 2", "p2", "FIRST PART"),
        ("list_item", "¶ 3", "p3", "FIRST PART"),
        ("heading", "§ 2", "s2", "Second part"),
        ("paragraph", "¶ 4", "p4", "Second part"),
    ]


def test_canonical_text_is_rebuilt_from_passages() -> None:
    result = split_text(SAMPLE)
    assert result.text == (
        "A Short Reading\n\nFIRST PART\n\nThe opening paragraph states the claim plainly. It "
        "gives a reason.\n\nOne point.\n\nAnother point.\n\nSecond part\n\nThe closing "
        "paragraph cites one source."
    )
    last = result.passages[-1]
    assert last == SplitPassage(
        position=6,
        kind="paragraph",
        start=len(result.text) - len(last.text),
        end=len(result.text),
        text="The closing paragraph cites one source.",
        section="Second part",
        word_count=6,
        label="¶ 4",
        anchor="p4",
        emphasis=((28, 31),),
    )


def test_line_endings_and_spacing_do_not_change_the_hash() -> None:
    windows = SAMPLE.replace("\n", "\r\n").replace(" ", "  ")
    assert split_text(windows).content_hash == split_text(SAMPLE).content_hash


def test_running_header_on_every_page_is_kept_once() -> None:
    page = "A long paragraph of body text that goes on for a while and ends properly. " * 3
    text = "\n\n".join(["THE JOURNAL", "A Title", page, "THE JOURNAL", page, "THE JOURNAL", page])
    result = split_text(text)
    assert_split_invariants(result)
    assert result.text.count("THE JOURNAL") == 1
