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
