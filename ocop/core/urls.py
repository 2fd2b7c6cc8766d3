from django.urls import path

from ocop.core import views

app_name = "core"

urlpatterns = [
    path("desk/", views.DashboardView.as_view(), name="dashboard"),
    path("account/profile/", views.ProfileView.as_view(), name="profile"),
    # Before django.contrib.auth's own URL of the same path (see ocop/urls.py): the limit on
    # password-reset mails. reverse("password_reset") still gives this path.
    path("account/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("units/", views.UnitBrowseView.as_view(), name="units"),
    path("units/options/", views.UnitOptionsView.as_view(), name="unit_options"),
    path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", views.NotificationsReadView.as_view(), name="notifications_read"),
]
