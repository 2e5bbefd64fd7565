"""pytest plugin, loaded with `-p` before Django reads its settings.

The suite runs the production configuration (DEBUG off) on plain http, with a throwaway key and
static files served from source, so no `collectstatic` is needed to test.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("COUNTERPOINT_HTTPS", "0")
os.environ.setdefault("COUNTERPOINT_STATIC_MANIFEST", "0")
os.environ.pop("DEBUG", None)
# What the app keeps under var/ (the page cache): one folder per pytest-xdist worker ("main"
# without xdist), never the dev server's. Each test empties the page cache, and a worker must
# not empty another's halfway through a test.
os.environ["COUNTERPOINT_VAR_DIR"] = str(
    Path(__file__).resolve().parent.parent
    / "var"
    / "pytest"
    / os.environ.get("PYTEST_XDIST_WORKER", "main")
)

# Imported here, before pytest-cov starts coverage, because tracing them costs far more than
# running them: under any trace function Python 3.12 spends some 11 s of CPU importing pypdf
# (its 17,000-line glyph table, pypdf/_codecs/adobe_glyphs.py) and 1.3 s importing WeasyPrint,
# against 0.1 and 0.5 s untraced, in every pytest process (the xdist controller and each
# worker). Coverage measures only our own packages, so it loses nothing.
import pypdf  # noqa: E402, F401
import weasyprint  # noqa: E402, F401
