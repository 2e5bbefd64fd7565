from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings

from config.forms import CleanTextMixin
from config.http import MAX_ID
from readings.importing import SUPPORTED_EXTENSIONS


class DocumentMetadataForm(CleanTextMixin, forms.Form):
    title = forms.CharField(max_length=300, required=False)
    subtitle = forms.CharField(max_length=300, required=False)
    authors = forms.CharField(
        max_length=1000,
        required=False,
        help_text="Separate several authors with semicolons: Michael McFaul; Evan S. Medeiros",
    )
    publication = forms.CharField(max_length=200, required=False)
    published = forms.CharField(
        max_length=40, required=False, help_text="Year, or a date such as 2025-04-04."
    )
    language = forms.CharField(max_length=20, initial="en", required=False)
    source_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where the text comes from: a URL, a library record, a course pack page.",
    )

    def cleaned_authors(self) -> list[str]:
        raw = self.cleaned_data.get("authors", "")
        return [name.strip() for name in raw.replace("\n", ";").split(";") if name.strip()]


class DocumentSourceForm(DocumentMetadataForm):
    """Step one: a file or pasted text, with whatever metadata is known already."""

    seminar = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        widget=forms.HiddenInput,
        error_messages={"invalid": "No such seminar.", "max_value": "No such seminar."},
    )

    file = forms.FileField(
        required=False,
        help_text=(
            "Plain text, Markdown, HTML, Word (.docx) or PDF; scans (PDF, PNG, JPEG or TIFF) "
            "are read by OCR."
        ),
    )
    pasted = forms.CharField(
        required=False,
        label="Or paste the text",
        widget=forms.Textarea(attrs={"rows": 10}),
        strip=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{ext}" for ext in SUPPORTED_EXTENSIONS
        )

    def clean(self) -> dict[str, Any]:
        # Form.clean() returns cleaned_data; the stubs allow None for overrides that do not.
        data = cast(dict[str, Any], super().clean())
        has_file = bool(data.get("file"))
        has_text = bool((data.get("pasted") or "").strip())
        if has_file and has_text:
            raise forms.ValidationError("Choose a file or paste text, not both.")
        if not has_file and not has_text:
            if data.get("pasted"):
                raise forms.ValidationError("The pasted text is empty: it holds only whitespace.")
            raise forms.ValidationError("Choose a file to upload or paste the text of the reading.")
        upload = data.get("file")
        if upload and upload.size > settings.COUNTERPOINT_MAX_UPLOAD_BYTES:
            limit = settings.COUNTERPOINT_MAX_UPLOAD_BYTES / (1024 * 1024)
            raise forms.ValidationError(
                f"The file is {upload.size / (1024 * 1024):.1f} MB; the limit is {limit:g} MB."
            )
        return data


class DocumentConfirmForm(DocumentMetadataForm):
    """Step two: the metadata, corrected. The text waits on the server (PendingImport)."""

    title = forms.CharField(
        max_length=300,
        error_messages={
            "required": "Give the reading a title: it names the column in comparisons."
        },
    )

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(
                "Give the reading a title: it names the column in comparisons."
            )
        return title


class SeminarForm(CleanTextMixin, forms.Form):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Give the seminar a title."}
    )
    term = forms.CharField(max_length=60, required=False, help_text="e.g. Spring 2026")
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the class reads and why; students see it when they join.",
    )

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the seminar a title.")
        return title


class DueDateForm(CleanTextMixin, forms.Form):
    due_date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])


class JoinForm(CleanTextMixin, forms.Form):
    code = forms.CharField(
        max_length=40,
        label="Join code",
        help_text="The code your instructor gave you, e.g. K7MX4PQ2.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
