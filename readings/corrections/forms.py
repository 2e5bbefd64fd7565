from __future__ import annotations

from django import forms

from config.forms import CleanTextMixin
from config.http import parse_id
from readings.corrections.layout import split_points
from readings.corrections.services import MAX_PASSAGE_CHARS
from readings.models import Passage, PassageKind

# A passage's kind as its owner may set it; the labels say what each does to the text.
KIND_CHOICES = [
    (PassageKind.PARAGRAPH.value, "Paragraph"),
    (PassageKind.LIST_ITEM.value, "List item"),
    (PassageKind.HEADING.value, "Heading"),
    (PassageKind.PULL_QUOTE.value, "Pull quote"),
    (PassageKind.FRONT_MATTER.value, "Front matter (title block)"),
    (PassageKind.NOT_TEXT.value, "Not part of the text"),
]


class PassageKindForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=KIND_CHOICES,
        error_messages={
            "invalid_choice": "Choose one of the kinds listed.",
            "required": "Choose one of the kinds listed.",
        },
    )


class PassageTextForm(CleanTextMixin, forms.Form):
    text = forms.CharField(
        max_length=MAX_PASSAGE_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "A passage cannot be empty: to take it out, change its kind.",
            "max_length": f"A passage holds at most {MAX_PASSAGE_CHARS:,} characters.",
        },
        help_text="Correct a typo or a broken word. Tags keep quoting the same words.",
    )


def split_choices(passage: Passage) -> list[tuple[int, str]]:
    """Each sentence boundary of the passage, named by the words on both sides of it."""
    choices = []
    for at in split_points(passage.text):
        before = passage.text[:at].rstrip()
        after = passage.text[at:]
        choices.append((at, f"…{before[-40:]} | {after[:40]}…"))
    return choices


class PassageSplitForm(CleanTextMixin, forms.Form):
    """Where to split: a sentence boundary from the list, or (with the script) the caret's
    place in the text, which the script adds to the list as an option of its own."""

    at = forms.TypedChoiceField(
        coerce=int,
        label="Split before",
        error_messages={
            "invalid_choice": "Choose a point inside the passage.",
            "required": "Choose a point inside the passage.",
        },
    )

    def __init__(self, *args, passage: Passage, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["at"]
        assert isinstance(field, forms.TypedChoiceField)
        choices = split_choices(passage)
        # Any point inside the text is valid; the list offers the sentence ends.
        submitted = self.data.get("at", "") if self.is_bound else ""
        at = parse_id(submitted)
        if at is not None and 0 < at < len(passage.text) and at not in dict(choices):
            choices.append((at, "At the caret"))
        field.choices = choices


class DocumentDeleteForm(CleanTextMixin, forms.Form):
    """The number of tags the owner was shown: deleting asks again if it changed since."""

    confirmed_tags = forms.IntegerField(min_value=0, max_value=10**9, widget=forms.HiddenInput)
