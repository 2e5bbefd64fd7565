"""Every feature's URLs, in one "annotations" namespace. Each feature package owns its urls.py."""

from __future__ import annotations

from django.urls import include, path

app_name = "annotations"

FEATURES = [
    "codebook",
    "sets",
    "reader",
    "compare",
    "interchange",
    "handouts",
    "agreement",
    "roster",
    "lifecycle",
    "live",
]

urlpatterns = [path("", include(f"annotations.{feature}.urls")) for feature in FEATURES]
