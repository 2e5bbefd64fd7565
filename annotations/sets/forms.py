"""Forms for annotation sets (the codebook's forms are in annotations/codebook/forms.py)."""

from __future__ import annotations

from typing import cast

from django import forms

from annotations.models import AnnotationSet
from config.forms import CleanTextMixin


class AnnotationSetCreateForm(CleanTextMixin, forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Give the set a title."})
    start_from = forms.TypedChoiceField(
        label="Start from",
        coerce=int,
        empty_value=0,  # type: ignore[arg-type]  # any value is allowed; the stubs say str
        required=False,
        widget=forms.RadioSelect,
        help_text="Start with no tags, or with a copy of a set you can see.",
    )
    kind = forms.ChoiceField(choices=AnnotationSet.Kind.choices, initial="student")
    visibility = forms.ChoiceField(
        choices=AnnotationSet.Visibility.choices[:2],
        initial=AnnotationSet.Visibility.SEMINAR,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, copyable, is_instructor: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.copyable = {s.pk: s for s in copyable}
        cast(forms.ChoiceField, self.fields["start_from"]).choices = [(0, "An empty set")] + [
            (s.pk, f"A copy of “{s.title}” ({s.owner.get_username()})") for s in copyable
        ]
        if not is_instructor:
            # Only instructors write keys.
            del self.fields["kind"]

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the set a title.")
        return title

    def clean_start_from(self) -> AnnotationSet | None:
        pk = self.cleaned_data.get("start_from") or 0
        return self.copyable.get(pk)


class AnnotationSetSettingsForm(CleanTextMixin, forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Give the set a title."})
    visibility = forms.ChoiceField(
        choices=AnnotationSet.Visibility.choices, widget=forms.RadioSelect
    )
    blind = forms.BooleanField(
        required=False,
        label="Blind",
        help_text="Other students see this set only after the instructor reveals it.",
    )
    locked = forms.BooleanField(
        required=False, label="Locked", help_text="A locked set takes no more changes."
    )

    def __init__(self, *args, is_instructor: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not is_instructor:
            # Blind mode, locking and publishing are the instructor's to decide.
            del self.fields["blind"]
            del self.fields["locked"]
            cast(
                forms.ChoiceField, self.fields["visibility"]
            ).choices = AnnotationSet.Visibility.choices[:2]

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the set a title.")
        return title
