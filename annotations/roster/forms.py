"""The roster's forms: add people by name, import a roster file, change a role, remove."""

from __future__ import annotations

from django import forms

from config.forms import CleanTextMixin
from readings.models import Membership

from .rosterfile import MAX_BYTES


class AddPeopleForm(CleanTextMixin, forms.Form):
    names = forms.CharField(
        label="Usernames or e-mail addresses",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Of people who have an account here; separate them with commas or lines.",
    )


class RosterImportForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label="Roster file (CSV)",
        help_text="One row per student: name, e-mail, and a username if you want to choose it. "
        "A header row naming the columns may come first.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_BYTES // 1024} KB; a class list is far smaller."
            )
        return upload


class RoleForm(CleanTextMixin, forms.Form):
    role = forms.ChoiceField(
        choices=[
            (Membership.Role.STUDENT, "Student"),
            (Membership.Role.ASSISTANT, "Teaching assistant"),
        ]
    )


class RemoveMemberForm(CleanTextMixin, forms.Form):
    sets = forms.ChoiceField(
        label="Their annotation sets",
        widget=forms.RadioSelect,
        choices=[
            ("keep", "Keep them (they stay in the seminar's counts and exports)"),
            ("delete", "Delete them with their tags and summaries"),
        ],
        error_messages={"required": "Choose whether their sets are kept or deleted."},
    )
