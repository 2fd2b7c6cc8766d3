from django.urls import path

from ocop.core import views

app_name = "core"

urlpatterns = [
    path("language/<str:code>/", views.LanguageView.as_view(), name="language"),
    # For load balancers: 200 while the primary database answers (docs/scaling.md).
    path("healthz/", views.HealthView.as_view(), name="health"),
    path("desk/", views.DashboardView.as_view(), name="dashboard"),
    path("account/profile/", views.ProfileView.as_view(), name="profile"),
    # Before django.contrib.auth's own URL of the same path (see ocop/urls.py): the limit on
    # password-reset mails. reverse("password_reset") still gives this path.
    path("account/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("units/", views.UnitBrowseView.as_view(), name="units"),
    path("units/options/", views.UnitOptionsView.as_view(), name="unit_options"),
    path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    # Personal data (Decree 13/2023/NĐ-CP): one's own copy and erasure request; the office's list.
    path("account/my-data/", views.PersonalDataExportView.as_view(), name="personal_data"),
    path(
        "account/my-data/erase/",
        views.DeletionRequestCreateView.as_view(),
        name="deletion_request_create",
    ),
    path("privacy/requests/", views.DeletionRequestListView.as_view(), name="deletion_requests"),
    path(
        "privacy/requests/<int:pk>/",
        views.DeletionRequestDetailView.as_view(),
        name="deletion_request",
    ),
    path(
        "privacy/requests/<int:pk>/carry-out/",
        views.DeletionRequestCarryOutView.as_view(),
        name="deletion_request_carry_out",
    ),
    path(
        "privacy/requests/<int:pk>/refuse/",
        views.DeletionRequestRefuseView.as_view(),
        name="deletion_request_refuse",
    ),
    path("tasks/failed/", views.FailedTaskListView.as_view(), name="failed_tasks"),
    path("tasks/failed/<uuid:pk>/retry/", views.FailedTaskRetryView.as_view(), name="task_retry"),
    path("notifications/read/", views.NotificationsReadView.as_view(), name="notifications_read"),
]
