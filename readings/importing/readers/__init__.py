"""One reader per file format, behind read_document, which checks the name against the content."""

from __future__ import annotations

from readings.importing.readers.dispatch import SUPPORTED_EXTENSIONS, read_document
from readings.importing.readers.raw import RawDocument

__all__ = ["SUPPORTED_EXTENSIONS", "RawDocument", "read_document"]
