"""The upload forms of the interchange page: a set, a codebook, a backup."""

from __future__ import annotations

from typing import cast

from django import forms

from annotations.interchange.imports.records import MAX_UPLOAD_BYTES
from annotations.models import Theme
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

    def __init__(self, *args, seminar, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Theme]", self.fields["default_theme"])
        field.queryset = Theme.objects.active().filter(seminar=seminar)
