"""Follow-up after certification: commitments and self-reports on a certificate's page, the
province office's inspection plan and the year's follow-up report."""

from django.urls import path

from evaluations.followup import views

urlpatterns = [
    path(
        "certificates/<str:number>/commitments/new/",
        views.CommitmentCreateView.as_view(),
        name="commitment_create",
    ),
    path(
        "certificates/<str:number>/commitments/<int:commitment>/edit/",
        views.CommitmentEditView.as_view(),
        name="commitment_edit",
    ),
    path(
        "certificates/<str:number>/commitments/<int:commitment>/assess/",
        views.CommitmentAssessView.as_view(),
        name="commitment_assess",
    ),
    path(
        "certificates/<str:number>/self-reports/<int:year>/",
        views.SelfReportView.as_view(),
        name="self_report",
    ),
    path(
        "certificates/<str:number>/self-reports/<int:year>/files/<int:answer>/",
        views.SelfReportFileView.as_view(),
        name="self_report_file",
    ),
    path("followup/plan/", views.InspectionPlanView.as_view(), name="inspection_plan"),
    path(
        "followup/plan/<int:year>/add/<str:number>/",
        views.PlanItemAddView.as_view(),
        name="plan_item_add",
    ),
    path(
        "followup/plan/items/<int:pk>/edit/",
        views.PlanItemEditView.as_view(),
        name="plan_item_edit",
    ),
    path(
        "followup/plan/items/<int:pk>/cancel/",
        views.PlanItemCancelView.as_view(),
        name="plan_item_cancel",
    ),
    path("reports/followup/", views.FollowupReportView.as_view(), name="report_followup"),
]
