from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("readings.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("annotations.urls")),
    path("", include("jobs.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "config.views.page_not_found"
handler403 = "config.views.permission_denied"
handler500 = "config.views.server_error"
