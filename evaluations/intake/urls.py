"""Rounds, the producer's dossiers and the working group's inbox."""

from django.urls import path

from evaluations.intake.views import dossiers, inbox, rounds

urlpatterns = [
    # Rounds of a province's annual cycle.
    path("rounds/", rounds.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", rounds.RoundOpenView.as_view(), name="round_open"),
    path("rounds/<int:pk>/", rounds.RoundDetailView.as_view(), name="round_detail"),
    path(
        "rounds/<int:pk>/forwarding-letter.docx",
        rounds.RoundForwardingLetterView.as_view(),
        name="round_forwarding_letter",
    ),
    # Dossiers: the producer's side.
    path("dossiers/", dossiers.DossierListView.as_view(), name="dossier_list"),
    path("dossiers/new/", dossiers.DossierCreateView.as_view(), name="dossier_create"),
    path("dossiers/<int:pk>/", dossiers.DossierDetailView.as_view(), name="dossier_detail"),
    path(
        "dossiers/<int:pk>/self-assessment/",
        dossiers.SelfAssessmentView.as_view(),
        name="dossier_self_assessment",
    ),
    path(
        "dossiers/<int:pk>/self-assessment/totals/",
        dossiers.SelfAssessmentTotalsView.as_view(),
        name="dossier_totals",
    ),
    path(
        "dossiers/<int:pk>/documents/",
        dossiers.DossierDocumentsView.as_view(),
        name="dossier_documents",
    ),
    path("dossiers/<int:pk>/submit/", dossiers.DossierSubmitView.as_view(), name="dossier_submit"),
    path(
        "dossiers/<int:pk>/receipt/",
        dossiers.DossierReceiptView.as_view(),
        name="dossier_receipt",
    ),
    path(
        "dossiers/<int:pk>/resubmit/",
        dossiers.DossierResubmitView.as_view(),
        name="dossier_resubmit",
    ),
    path(
        "dossiers/<int:pk>/withdraw/",
        dossiers.DossierWithdrawView.as_view(),
        name="dossier_withdraw",
    ),
    path(
        "dossiers/<int:pk>/history/", dossiers.DossierHistoryView.as_view(), name="dossier_history"
    ),
    path(
        "dossiers/<int:pk>/extend-deadline/",
        dossiers.DossierExtendView.as_view(),
        name="dossier_extend",
    ),
    # The working group's inbox.
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/", inbox.DossierCheckView.as_view(), name="dossier_check"),
    path("inbox/<int:pk>/return/", inbox.DossierReturnView.as_view(), name="dossier_return"),
    path("inbox/<int:pk>/accept/", inbox.DossierAcceptView.as_view(), name="dossier_accept"),
    path("inbox/<int:pk>/forward/", inbox.DossierForwardView.as_view(), name="dossier_forward"),
    path(
        "dossiers/<int:pk>/commune-letter/",
        inbox.CommuneLetterView.as_view(),
        name="commune_letter",
    ),
]
