"""Forms for tagging in the reader. They check what was sent; the services do the writing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from annotations.models import Theme
from annotations.stances import INVALID, LABELS, NO_STANCE, STANCES
from config.forms import CleanTextMixin

STANCE_CHOICES = [(stance, LABELS[stance]) for stance in (NO_STANCE, *STANCES)]
NOTE_LIMIT = 4000


class TagUpdateForm(CleanTextMixin, forms.Form):
    stance = forms.ChoiceField(
        choices=STANCE_CHOICES,
        required=False,
        error_messages={"invalid_choice": INVALID},
    )
    note = forms.CharField(
        max_length=NOTE_LIMIT,
        required=False,
        error_messages={"max_length": f"Keep the note under {NOTE_LIMIT} characters."},
    )

    def error_text(self) -> str:
        return " ".join(str(message) for errors in self.errors.values() for message in errors)


class TagAddForm(TagUpdateForm):
    """A theme for a passage, or for a quote span in it (code points, end exclusive)."""

    theme = forms.ChoiceField(
        error_messages={
            "required": "Choose a theme.",
            "invalid_choice": "That theme is not in this seminar's codebook.",
        }
    )
    span_start = forms.IntegerField(min_value=0, required=False)
    span_end = forms.IntegerField(min_value=0, required=False)

    def __init__(self, *args, themes: Sequence[Theme], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The view has the codebook already: validating against it costs no query.
        self.themes = {str(theme.pk): theme for theme in themes}
        cast(forms.ChoiceField, self.fields["theme"]).choices = [
            (pk, theme.name) for pk, theme in self.themes.items()
        ]

    def clean_theme(self) -> Theme:
        return self.themes[self.cleaned_data["theme"]]

    def clean(self) -> dict[str, Any]:
        # Form.clean() returns cleaned_data; the stubs allow None for overrides that do not.
        data = cast(dict[str, Any], super().clean())
        start, end = data.get("span_start"), data.get("span_end")
        if (start is None) != (end is None) or (start is not None and start >= end):
            raise forms.ValidationError("Select the words of the quote again.")
        data["span"] = (start, end) if start is not None else None
        return data
