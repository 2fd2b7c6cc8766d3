from django.contrib import admin
from django.urls import include, path

from ocop.core.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("ocop.core.urls")),
    path("account/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
