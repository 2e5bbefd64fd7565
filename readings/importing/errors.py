"""The one exception importing raises on purpose: a file we will not read, and why."""

from __future__ import annotations


class ImportRejected(Exception):
    """Raised with a user-facing sentence: what is wrong with the file and what to do about it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
