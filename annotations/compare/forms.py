"""The form behind a position summary edited in place on the compare page."""

from __future__ import annotations

from django import forms

from annotations.models import Theme
from config.forms import CleanTextMixin
from readings.models import Document


class PositionSummaryForm(CleanTextMixin, forms.Form):
    text = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6, "autofocus": True}),
        help_text="One paragraph in your own words. Leave it empty to remove the summary.",
    )

    def __init__(self, *args, theme: Theme, document: Document, **kwargs) -> None:
        # Several columns may each have a form open: ids must not collide.
        kwargs.setdefault("auto_id", f"summary-{document.pk}-%s")
        super().__init__(*args, **kwargs)
        self.fields["text"].label = f"{document.author_line} on {theme.name}"
