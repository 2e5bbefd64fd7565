from __future__ import annotations

import pytest

from readings.importing.readers.sniff import sniff


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\xef\xbb\xbf  %PDF-1.4", "pdf"),
        (b"PK\x03\x04rest", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
        (b"\xff\xd8\xff\xe0", "image"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8", "image"),
        (b"\x1f\x8b\x08", "archive"),
        (b"{\\rtf1", "rtf"),
        (b"Plain words", "text"),
        (b"", "text"),
    ],
)
def test_sniff(data: bytes, kind: str) -> None:
    assert sniff(data) == kind
