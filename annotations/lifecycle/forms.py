"""The copy-for-a-new-term form."""

from __future__ import annotations

from django import forms

from config.forms import CleanTextMixin
from readings.importing.normalise import is_blank


class SeminarCopyForm(CleanTextMixin, forms.Form):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Give the new seminar a title."}
    )
    term = forms.CharField(max_length=60, required=False, help_text="e.g. Autumn 2026")

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if is_blank(title):  # zero-width spaces and the like: nothing anyone could read
            raise forms.ValidationError("Give the new seminar a title.")
        return title
