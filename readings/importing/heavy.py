"""Which imports are too long for a request and run as a background job instead (issue 22).

Pure Python, no Django. For now the size alone decides: bench/RESULTS.md has a 1 MB text
imported in about 0.4 s and a 4 MB one in about 1.9 s on a quiet machine, three times that on
a busy one, so past 2 MB a request would hold a server worker for seconds and risk the
request's deadline (readings.importing.limits.ONE_REQUEST_SECONDS). Scanned files that need
OCR take seconds a page whatever their size: readings/importing/readers/ocr.py's
`needs_ocr(name, data)` joins the rule at the merge of issue 22's OCR work.
"""

from __future__ import annotations

from readings.importing.limits import MB

# Uploads larger than this are read by a worker (annotation files too: annotations/interchange).
BACKGROUND_BYTES = 2 * MB


def needs_background(name: str, data: bytes) -> bool:
    """Whether importing `data` (a file called `name`) should run as a job, not in the request."""
    del name  # the file's kind will matter once scanned files are recognised (see above)
    return len(data) > BACKGROUND_BYTES
