"""Both steps of the import page as a browser takes them: preview, then post the preview's form."""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING

from django.test import Client

_FORM_RE = re.compile(
    r'<form method="post" action="([^"]+)"[^>]*preview-form[^>]*>(.*?)</form>', re.S
)
_INPUT_RE = re.compile(r"<input\b([^>]*)>")
_TEXTAREA_RE = re.compile(r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', re.S)
_ATTRIBUTE_RE = re.compile(r'(\w+)="([^"]*)"')

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def preview_form(body: str) -> tuple[str, dict[str, str]]:
    """The save form of a preview page: its action and what it would post."""
    found = _FORM_RE.search(body)
    assert found, "the page holds no preview form"
    action, form = found.groups()
    data = {}
    for attributes in _INPUT_RE.findall(form):
        attrs = dict(_ATTRIBUTE_RE.findall(attributes))
        if "name" in attrs and attrs["name"] != "csrfmiddlewaretoken":
            data[attrs["name"]] = unescape(attrs.get("value", ""))
    for name, text in _TEXTAREA_RE.findall(form):
        # The browser drops the newline that follows <textarea>, as Django renders one there.
        data[name] = unescape(text.removeprefix("\n"))
    return unescape(action), data


def save_preview(client: Client, preview: TestResponse, **changes: str) -> TestResponse:
    """Post the preview's form with `changes` made to its fields, as a person would."""
    action, data = preview_form(preview.content.decode())
    return client.post(action, {**data, **changes})


def preview_and_save(client: Client, source: dict, **changes: str) -> TestResponse:
    preview = client.post("/documents/import/", source)
    assert preview.status_code == 200, preview.content[:2000]
    return save_preview(client, preview, **changes)
