"""pytest plugin, loaded with `-p` before Django reads its settings.

The suite runs the production configuration (DEBUG off) on plain http, with a throwaway key and
static files served from source, so no `collectstatic` is needed to test.
"""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("COUNTERPOINT_HTTPS", "0")
os.environ.setdefault("COUNTERPOINT_STATIC_MANIFEST", "0")
os.environ.pop("DEBUG", None)
