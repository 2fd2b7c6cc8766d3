from django.urls import path

from evaluations.reports import views

urlpatterns = [
    path("reports/funnel/", views.FunnelReportView.as_view(), name="report_funnel"),
    path("reports/progress/", views.ProgressReportView.as_view(), name="report_progress"),
    path("reports/years/", views.YearsReportView.as_view(), name="report_years"),
]
