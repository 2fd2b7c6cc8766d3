from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("criteria/", views.CriteriaIndexView.as_view(), name="criteria_index"),
    path(
        "criteria/<slug:version>/<int:number>/",
        views.FormDetailView.as_view(),
        name="form_detail",
    ),
    path(
        "criteria/<slug:version>/<int:number>/correct/",
        views.FormCorrectView.as_view(),
        name="form_correct",
    ),
    # Rounds of a province's annual cycle.
    path("rounds/", views.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", views.RoundOpenView.as_view(), name="round_open"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    # Dossiers: the producer's side.
    path("dossiers/", views.DossierListView.as_view(), name="dossier_list"),
    path("dossiers/new/", views.DossierCreateView.as_view(), name="dossier_create"),
    path("dossiers/<int:pk>/", views.DossierDetailView.as_view(), name="dossier_detail"),
    path(
        "dossiers/<int:pk>/self-assessment/",
        views.SelfAssessmentView.as_view(),
        name="dossier_self_assessment",
    ),
    path(
        "dossiers/<int:pk>/self-assessment/totals/",
        views.SelfAssessmentTotalsView.as_view(),
        name="dossier_totals",
    ),
    path(
        "dossiers/<int:pk>/documents/",
        views.DossierDocumentsView.as_view(),
        name="dossier_documents",
    ),
    path("dossiers/<int:pk>/submit/", views.DossierSubmitView.as_view(), name="dossier_submit"),
    path(
        "dossiers/<int:pk>/resubmit/",
        views.DossierResubmitView.as_view(),
        name="dossier_resubmit",
    ),
    path(
        "dossiers/<int:pk>/withdraw/",
        views.DossierWithdrawView.as_view(),
        name="dossier_withdraw",
    ),
    path("dossiers/<int:pk>/history/", views.DossierHistoryView.as_view(), name="dossier_history"),
    path(
        "dossiers/<int:pk>/extend-deadline/",
        views.DossierExtendView.as_view(),
        name="dossier_extend",
    ),
    # The working group's inbox.
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/", views.DossierCheckView.as_view(), name="dossier_check"),
    path("inbox/<int:pk>/return/", views.DossierReturnView.as_view(), name="dossier_return"),
    path("inbox/<int:pk>/accept/", views.DossierAcceptView.as_view(), name="dossier_accept"),
]
