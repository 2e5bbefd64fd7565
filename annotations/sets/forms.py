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
    kind = forms.ChoiceField(
        choices=AnnotationSet.Kind.choices,
        initial=AnnotationSet.Kind.REFERENCE,
        help_text="Only student work counts as a coder in agreement and discussion; a copy is "
        "usually a reference.",
    )
    visibility = forms.ChoiceField(
        choices=AnnotationSet.Visibility.choices[:2],
        initial=AnnotationSet.Visibility.SEMINAR,
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args, copyable, is_instructor: bool, has_student_work: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.has_student_work = has_student_work
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

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        if kind == AnnotationSet.Kind.STUDENT and self.has_student_work:
            raise forms.ValidationError(
                "You have a student-work set in this seminar already: a person's work is one "
                "set. Choose reference, or change the other set's kind first."
            )
        return kind


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
    kind = forms.ChoiceField(
        choices=AnnotationSet.Kind.choices,
        required=False,  # left out: the kind stays as it is
        help_text="Only student work counts as a coder in agreement and discussion.",
    )

    def __init__(
        self, *args, is_instructor: bool, student_work_taken: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.student_work_taken = student_work_taken
        if not is_instructor:
            del self.fields["kind"]
            # Blind mode, locking and publishing are the instructor's to decide.
            del self.fields["blind"]
            del self.fields["locked"]
            cast(
                forms.ChoiceField, self.fields["visibility"]
            ).choices = AnnotationSet.Visibility.choices[:2]

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        if kind == AnnotationSet.Kind.STUDENT and self.student_work_taken:
            raise forms.ValidationError(
                "Its owner has another student-work set in this seminar: a person's work is "
                "one set. Make that one a reference first."
            )
        return kind

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the set a title.")
        return title
