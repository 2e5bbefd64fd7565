"""Importing readings: files to plain text (readers), plain text to citable passages (splitter).

Pure Python on purpose (no Django imports), so it can be tested and fuzzed fast.
"""

from __future__ import annotations

from readings.importing.errors import ImportRejected
from readings.importing.readers import SUPPORTED_EXTENSIONS, RawDocument, read_document
from readings.importing.splitter import SplitPassage, SplitResult, split_text

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "ImportRejected",
    "RawDocument",
    "SplitPassage",
    "SplitResult",
    "read_document",
    "split_text",
]
