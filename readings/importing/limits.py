"""Limits on what one import may cost: time, nesting depth, element count, unpacked bytes,
passages and pages.

A file under the upload size limit can still hold a worker for minutes or take gigabytes
(issue 19): deeply nested markup, millions of tiny elements, a zip member that unpacks to far
more than the upload. Every reader, the splitter and the annotation importers take a `Budget`
and call its checks inside their loops, so such a file is refused with a message that says
what is wrong, within the time limit, instead of a worker being killed by the server.

Pure Python, no Django: readings.importing and annotations.interchange.imports both use it.
"""

from __future__ import annotations

import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from readings.importing.errors import ImportRejected

MB = 1024 * 1024
_CHUNK = MB


@dataclass(frozen=True)
class Limits:
    """The most one import may do. A real reading or annotation file stays far below each:
    web pages nest 10-40 elements deep, a 1,000-page book has about 10,000 paragraphs."""

    seconds: float = 2.0  # CPU time of one step (reading a file, or splitting its text)
    max_depth: int = 200  # element or JSON nesting; libxml2 stops at 256 on its own
    max_elements: int = 250_000  # HTML tags, XML elements, JSON values
    max_unpacked_bytes: int = 40 * MB  # what the zip members read may unpack to, together
    max_passages: int = 20_000  # blocks of text, and the passages made from them
    max_pages: int = 2_000  # of a PDF
    # OCR of scans (issue 22): a page of text takes Tesseract about 2 s of CPU. A4 at 600 dpi
    # is 35 megapixels; a decompression bomb declares billions.
    max_megapixels: float = 60.0  # of one page image, as declared or rendered
    max_ocr_pages: int = 300  # pages (or TIFF frames) read by OCR in one file
    ocr_page_seconds: float = 60.0  # Tesseract's timeout for one page
    ocr_seconds: float = 900.0  # wall clock for all the OCR of one file


LIMITS = Limits()
# One deadline for a whole import in a request (read the file, split or place what it holds),
# where each step alone would have LIMITS.seconds: a file that needs little of one step leaves
# its time to the next, and the request still ends well within 5 s.
ONE_REQUEST_SECONDS = 3.0
# The wall-clock backstop of a budget, as a multiple of its CPU limit (see Budget).
WALL_FACTOR = 2.5


def _size(size: int) -> str:
    return f"{size / MB:g} MB" if size >= MB else f"{size:,} bytes"


class Budget:
    """The limits of one import, and the time it started. `check()` costs a clock read; call
    it in every loop whose length the file decides.

    The clock is the CPU time of the thread doing the import, not the wall: the budget bounds
    the work a file asks for, so a valid 4.5 MB text that needs 1 s of work is not refused
    because other processes share the cores at that moment (on a busy 2-core machine it took
    3.4 s of wall time and was refused). On a quiet machine the two are the same. However busy
    the machine, the wall clock stops the work at WALL_FACTOR times the limit, so no worker
    is held much longer than that.

    Example: `budget = Budget(what="The HTML file")`; `budget.check_depth(201)` raises
    ImportRejected("The HTML file nests more than 200 levels deep; …")."""

    def __init__(
        self,
        limits: Limits = LIMITS,
        *,
        what: str = "The file",
        doing: str = "to read",
        clock: Callable[[], float] = time.thread_time,
    ) -> None:
        self.limits = limits
        self.what = what
        self.doing = doing
        self._clock = clock
        self.deadline = clock() + limits.seconds
        self.wall_deadline = time.monotonic() + limits.seconds * WALL_FACTOR
        self.ocr_deadline = time.monotonic() + limits.ocr_seconds

    def with_limits(self, limits: Limits, *, what: str) -> Budget:
        """Other limits for what a format reads, under the same deadline."""
        budget = Budget(limits, what=what, doing=self.doing, clock=self._clock)
        budget.deadline = self.deadline
        budget.wall_deadline = self.wall_deadline
        budget.ocr_deadline = self.ocr_deadline
        return budget

    def ocr_page(self, number: int) -> float:
        """Time for reading page `number` by OCR: Tesseract's timeout for it in seconds (the
        page's limit, or what is left of the file's), also added to the deadlines, so the
        other steps keep the time they had. Refused when the file's OCR time is used up.
        Example: `timeout = budget.ocr_page(3)`; then `recognise(image, timeout)`."""
        left = self.ocr_deadline - time.monotonic()
        if left <= 0:
            raise ImportRejected(
                f"{self.what} took longer than {self.limits.ocr_seconds:g} s to read by OCR "
                f"(stopped before page {number}), so nothing was imported. Split it into "
                "smaller files and import them one by one."
            )
        timeout = min(self.limits.ocr_page_seconds, left)
        self.deadline += timeout
        self.wall_deadline += timeout
        return timeout

    def check_ocr_pages(self, count: int) -> None:
        if count > self.limits.max_ocr_pages:
            raise ImportRejected(
                f"{self.what} has more than {self.limits.max_ocr_pages:,} pages to read by OCR, "
                "more than one import may read. Split it into smaller files (a chapter each, "
                "say) and upload them one by one."
            )

    def check_pixels(self, width: int, height: int, *, page: int) -> None:
        """Refuse a page image larger than the pixel limit before it is decoded."""
        megapixels = width * height / 1e6
        if megapixels > self.limits.max_megapixels:
            raise ImportRejected(
                f"Page {page} of {self.what[0].lower()}{self.what[1:]} is {width:,} × "
                f"{height:,} pixels ({megapixels:,.0f} megapixels); at most "
                f"{self.limits.max_megapixels:g} megapixels a page can be read by OCR, which "
                "is an A4 page scanned at 600 dpi. Scan it again at 300 dpi and upload it again."
            )

    def check(self) -> None:
        if self._clock() > self.deadline or time.monotonic() > self.wall_deadline:
            raise ImportRejected(
                f"{self.what} took longer than {self.limits.seconds:g} s {self.doing}, so "
                "nothing was imported: the file is much larger or more intricate than such "
                "files usually are. Split it into smaller files and import them one by one."
            )

    def check_depth(self, depth: int) -> None:
        if depth > self.limits.max_depth:
            raise ImportRejected(
                f"{self.what} nests more than {self.limits.max_depth} levels deep; real files "
                "nest a few dozen at most, so it was not read. Save it again from the program "
                "that made it and upload it again."
            )

    def check_elements(self, count: int, *, noun: str = "elements (tags)") -> None:
        if count > self.limits.max_elements:
            raise ImportRejected(
                f"{self.what} holds more than {self.limits.max_elements:,} {noun}, more than "
                "one import may read. Split it into smaller files and upload them one by one."
            )

    def check_unpacked(self, size: int, *, name: str = "") -> None:
        if size > self.limits.max_unpacked_bytes:
            where = f" (at {name})" if name else ""
            raise ImportRejected(
                f"{self.what} unpacks to more than {_size(self.limits.max_unpacked_bytes)}"
                f"{where}, more than one import may read, so it was not opened. Remove large "
                "embedded files or split it, and upload it again."
            )

    def check_passages(self, count: int) -> None:
        if count > self.limits.max_passages:
            raise ImportRejected(
                f"The text has more than {self.limits.max_passages:,} paragraphs, more than "
                "one reading can hold and still be read and compared. Split it into several "
                "readings (a chapter each, say) and upload them one by one."
            )

    def check_pages(self, count: int) -> None:
        if count > self.limits.max_pages:
            raise ImportRejected(
                f"The PDF has {count:,} pages; one reading may have at most "
                f"{self.limits.max_pages:,}. Split it into smaller PDFs (a chapter each, say) "
                "and upload them one by one."
            )


class ZipReader:
    """Reads members of one archive, streaming, with a hard cap on what they unpack to together
    whatever their headers declare, and turns every way a member can fail to unpack (encrypted,
    an unknown compression method, a corrupt stream, a wrong checksum) into ImportRejected."""

    def __init__(self, archive: zipfile.ZipFile, budget: Budget) -> None:
        self.archive = archive
        self.budget = budget
        self.unpacked = 0

    def read(self, info: zipfile.ZipInfo) -> bytes:
        return b"".join(self.stream(info))

    def stream(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member's bytes a megabyte at a time, checked before each is handed out."""
        budget = self.budget
        if info.flag_bits & 0x1:  # zipfile would ask for a password (RuntimeError)
            raise ImportRejected(self._encrypted(info))
        budget.check_unpacked(self.unpacked + info.file_size, name=info.filename)
        try:
            with self.archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    self.unpacked += len(chunk)
                    budget.check_unpacked(self.unpacked, name=info.filename)
                    budget.check()
                    yield chunk
        except NotImplementedError as error:  # zipfile's word for an unknown method
            method = f"method {info.compress_type}"
            if info.compress_type == 99:
                method += ", WinZip's AES encryption"
            raise ImportRejected(
                f"{budget.what} stores {info.filename} with a compression method this app "
                f"cannot unpack ({method}). Export it again with ordinary compression and "
                "upload it again."
            ) from error
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
            raise ImportRejected(
                f"{budget.what} is damaged: {info.filename} cannot be unpacked. Export it "
                "again and upload it again."
            ) from error
        except RuntimeError as error:  # zipfile: "is encrypted, password required"
            raise ImportRejected(self._encrypted(info)) from error

    def _encrypted(self, info: zipfile.ZipInfo) -> str:
        return (
            f"{self.budget.what} holds an encrypted (password-protected) part, {info.filename}, "
            "which cannot be read. Export it again without a password and upload it again."
        )
