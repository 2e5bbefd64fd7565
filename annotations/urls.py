from __future__ import annotations

app_name = "annotations"

urlpatterns: list = []
