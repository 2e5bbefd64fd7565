from __future__ import annotations

import re
from typing import cast

from django import forms

from annotations.models import Theme
from annotations.palette import PALETTE, colour_is_accessible
from annotations.stances import STANCES
from config.forms import CleanTextMixin

HEX = re.compile(r"^#[0-9a-f]{6}$")


class ThemeForm(CleanTextMixin, forms.Form):
    """A codebook entry. Services do the writing; the form only checks what a person typed."""

    name = forms.CharField(
        max_length=80,
        error_messages={"required": "Give the theme a name."},
        help_text="Short enough for a chip: two or three words.",
    )
    guiding_question = forms.CharField(
        max_length=300,
        required=False,
        help_text="The question this theme asks of every reading. Stances on tags "
        f"({', '.join(STANCES)}) answer it.",
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What counts as this theme, and what does not.",
    )
    colour = forms.CharField(
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a colour."},
        help_text="Every colour here keeps the chip's text readable. The chip also shows the "
        "name, so colour is never the only signal.",
    )

    def __init__(self, *args, used: dict[str, str] | None = None, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        used = used or {}
        choices = [
            (colour, f"{name} · {used[colour]}" if colour in used else name)
            for colour, name in PALETTE
        ]
        # A theme imported from elsewhere may carry an accessible colour outside the palette.
        if current and current not in dict(PALETTE):
            choices.insert(0, (current, "Current colour"))
        self.fields["colour"].widget.choices = choices

    def clean_colour(self) -> str:
        colour: str = self.cleaned_data["colour"].strip().lower()
        if not HEX.match(colour):
            raise forms.ValidationError("Choose a colour from the palette.")
        if not colour_is_accessible(colour):
            raise forms.ValidationError(
                "This colour does not give theme chips enough contrast. Choose one from the "
                "palette."
            )
        return colour


def used_colours(themes: list[Theme], *, exclude: Theme | None = None) -> dict[str, str]:
    """Colour → names of the themes wearing it, to show next to each palette swatch."""
    used: dict[str, list[str]] = {}
    for theme in themes:
        if exclude is None or theme.pk != exclude.pk:
            used.setdefault(theme.colour, []).append(theme.name)
    return {colour: ", ".join(names) for colour, names in used.items()}


class ThemeMergeForm(CleanTextMixin, forms.Form):
    target = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        error_messages={
            "required": "Choose the theme to merge into.",
            "invalid_choice": "Choose an active theme of this seminar, other than this one.",
        },
    )
    confirm = forms.BooleanField(
        error_messages={"required": "Tick the box to confirm the merge: it cannot be undone."}
    )

    def __init__(self, *args, source: Theme, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Theme]", self.fields["target"]).queryset = (
            Theme.objects.active().filter(seminar_id=source.seminar_id).exclude(pk=source.pk)
        )
