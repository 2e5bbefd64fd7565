"""The upload forms of the interchange page: a set, a codebook, a backup."""

from __future__ import annotations

from typing import cast

from django import forms

from annotations.interchange.imports.records import MAX_UPLOAD_BYTES
from annotations.models import AnnotationSet, Theme
from config.forms import CleanTextMixin


class UploadForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label="File")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
            )
        return upload


class SetImportForm(UploadForm):
    FORMAT_CHOICES = [
        ("auto", "Recognise it"),
        ("w3c", "W3C Web Annotation (JSON-LD)"),
        ("hypothesis", "Hypothesis (JSON)"),
        ("qdpx", "REFI-QDA project (.qdpx)"),
    ]
    format = forms.ChoiceField(choices=FORMAT_CHOICES, initial="auto", label="Format")
    title = forms.CharField(max_length=200, required=False, label="Title of the new set")
    default_theme = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        label="Theme for annotations that name none",
        help_text="Hypothesis annotations often carry no tag that names one of our themes.",
    )

    kind = forms.ChoiceField(
        choices=AnnotationSet.Kind.choices,
        initial=AnnotationSet.Kind.REFERENCE,
        required=False,  # a file sent without it (a script, an older page) is a reference
        label="Kind of the new set",
        help_text="Only student work counts as a coder in agreement and discussion; an imported "
        "set is usually a reference.",
    )

    def __init__(self, *args, seminar, teaches: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not teaches:
            # A student's own work is the set made when they joined; what they import is a
            # reference, and keys are the instructors'.
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                (AnnotationSet.Kind.REFERENCE, AnnotationSet.Kind.REFERENCE.label)
            ]
        field = cast("forms.ModelChoiceField[Theme]", self.fields["default_theme"])
        field.queryset = Theme.objects.active().filter(seminar=seminar)
