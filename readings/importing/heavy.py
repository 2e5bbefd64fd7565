"""Which imports are too long for a request and run as a background job instead (issue 22).

Pure Python, no Django. Two rules: the size (bench/RESULTS.md has a 1 MB text imported in
about 0.4 s and a 4 MB one in about 1.9 s on a quiet machine, three times that on a busy one,
so past 2 MB a request would hold a server worker for seconds and risk the request's deadline,
readings.importing.limits.ONE_REQUEST_SECONDS), and OCR: a scanned image or a PDF with a page
without a text layer takes seconds a page whatever its size (bench/ocr_bench.py: about 2 s of
CPU a page), so it is always read by a worker.
"""

from __future__ import annotations

from readings.importing.limits import MB
from readings.importing.readers.ocr import needs_ocr

# Uploads larger than this are read by a worker (annotation files too: annotations/interchange).
BACKGROUND_BYTES = 2 * MB


def needs_background(name: str, data: bytes) -> bool:
    """Whether importing `data` (a file called `name`) should run as a job, not in the request."""
    return len(data) > BACKGROUND_BYTES or needs_ocr(name, data)
