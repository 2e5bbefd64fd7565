"""What every form of the app shares: text cleaned at the door.

Every form class of accounts/, readings/ and annotations/ mixes in CleanTextMixin
(tests/security/test_control_characters.py fails for one that does not).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.datastructures import MultiValueDict

from readings.importing.normalise import clean_text

if TYPE_CHECKING:
    _FormBase = forms.BaseForm  # what the mixin is mixed into, for the type checker only
else:
    _FormBase = object


def is_text_field(field: forms.Field) -> bool:
    """A field whose value is stored or shown as text. Passwords are neither: they are hashed
    as typed, so cleaning one would change what a person has to type."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)


def cleaned_data_of(data: Mapping[str, Any], keys: Iterable[str]) -> Mapping[str, Any]:
    """A copy of submitted `data` with the values under `keys` passed through clean_text."""
    keys = [key for key in keys if key in data]
    if not keys:
        return data
    if isinstance(data, MultiValueDict):  # request.POST and request.GET among them
        copy = data.copy()  # a QueryDict's copy is mutable
        for key in keys:
            copy.setlist(
                key, [clean_text(v) if isinstance(v, str) else v for v in data.getlist(key)]
            )
        return copy
    plain = dict(data)
    for key in keys:
        if isinstance(plain[key], str):
            plain[key] = clean_text(plain[key])
    return plain


class CleanTextMixin(_FormBase):
    """Text fields see what was sent through clean_text: control characters and lone
    surrogates removed, tab and line ends kept. Removed rather than refused: nobody types them
    on purpose (they come with text pasted from a PDF or a terminal), and PostgreSQL cannot
    store U+0000 nor a Word handout hold any of them."""

    def full_clean(self) -> None:
        if self.is_bound:
            text = [self.add_prefix(n) for n, f in self.fields.items() if is_text_field(f)]
            self.data = cleaned_data_of(self.data, text)
        super().full_clean()
