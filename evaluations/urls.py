from django.urls import path

from evaluations.views import (
    certificate_pdfs,
    councils,
    criteria,
    decisions,
    dossiers,
    inbox,
    minutes,
    results,
    rounds,
    sessions,
    sheets,
    verify,
)

app_name = "evaluations"

urlpatterns = [
    path("criteria/", criteria.CriteriaIndexView.as_view(), name="criteria_index"),
    path(
        "criteria/<slug:version>/<int:number>/",
        criteria.FormDetailView.as_view(),
        name="form_detail",
    ),
    path(
        "criteria/<slug:version>/<int:number>/correct/",
        criteria.FormCorrectView.as_view(),
        name="form_correct",
    ),
    # Rounds of a province's annual cycle.
    path("rounds/", rounds.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", rounds.RoundOpenView.as_view(), name="round_open"),
    path("rounds/<int:pk>/", rounds.RoundDetailView.as_view(), name="round_detail"),
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
    # Councils and their members (the working group or the administrator).
    path("councils/", councils.CouncilListView.as_view(), name="council_list"),
    path("councils/new/", councils.CouncilCreateView.as_view(), name="council_create"),
    path("councils/<int:pk>/", councils.CouncilDetailView.as_view(), name="council_detail"),
    path("councils/<int:pk>/edit/", councils.CouncilEditView.as_view(), name="council_edit"),
    path(
        "councils/<int:pk>/members/add/",
        councils.CouncilMemberAddView.as_view(),
        name="council_member_add",
    ),
    path(
        "councils/<int:pk>/members/<int:member>/remove/",
        councils.CouncilMemberRemoveView.as_view(),
        name="council_member_remove",
    ),
    path(
        "councils/<int:pk>/sessions/new/",
        councils.SessionCreateView.as_view(),
        name="session_create",
    ),
    # Council sessions: agenda, declarations, score sheets, consolidation and results.
    path("sessions/", sessions.SessionListView.as_view(), name="session_list"),
    path("sessions/<int:pk>/", sessions.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/agenda/", councils.SessionAgendaView.as_view(), name="session_agenda"),
    path(
        "sessions/<int:pk>/reschedule/",
        councils.SessionRescheduleView.as_view(),
        name="session_reschedule",
    ),
    path("sessions/<int:pk>/remind/", minutes.SessionRemindView.as_view(), name="session_remind"),
    path(
        "sessions/<int:pk>/minutes.pdf",
        minutes.SessionMinutesView.as_view(),
        name="session_minutes",
    ),
    path("sessions/<int:pk>/leniency/", results.LeniencyView.as_view(), name="session_leniency"),
    path(
        "sessions/<int:pk>/items/<int:item>/",
        sessions.ItemDetailView.as_view(),
        name="item_detail",
    ),
    path(
        "sessions/<int:pk>/items/<int:item>/declare/",
        sheets.ConflictDeclareView.as_view(),
        name="declare",
    ),
    path("sessions/<int:pk>/items/<int:item>/sheet/", sheets.SheetView.as_view(), name="sheet"),
    path(
        "sessions/<int:pk>/items/<int:item>/sheet/totals/",
        sheets.SheetTotalsView.as_view(),
        name="sheet_totals",
    ),
    path(
        "sessions/<int:pk>/items/<int:item>/documents/<int:document>/",
        sheets.ItemDocumentView.as_view(),
        name="item_document",
    ),
    path(
        "sessions/<int:pk>/items/<int:item>/reopen/",
        sessions.ItemReopenView.as_view(),
        name="item_reopen",
    ),
    path(
        "sessions/<int:pk>/items/<int:item>/excuse/",
        sessions.ItemExcuseView.as_view(),
        name="item_excuse",
    ),
    path(
        "sessions/<int:pk>/items/<int:item>/discussion/",
        sessions.ItemDiscussionView.as_view(),
        name="item_discussion",
    ),
    path(
        "sessions/<int:pk>/items/<int:item>/finalise/",
        sessions.ItemFinaliseView.as_view(),
        name="item_finalise",
    ),
    # What the results say: to the producer, and the office's "potential" list.
    path("dossiers/<int:pk>/result/", results.DossierResultView.as_view(), name="dossier_result"),
    path("potential/", results.PotentialListView.as_view(), name="potential"),
    # Recognition decisions and certificates (the OCOP office).
    path("decisions/", decisions.DecisionListView.as_view(), name="decision_list"),
    path("decisions/new/", decisions.DecisionCreateView.as_view(), name="decision_create"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision_detail"),
    path("decisions/<int:pk>/issue/", decisions.DecisionIssueView.as_view(), name="decision_issue"),
    path("decisions/<int:pk>/scan.pdf", decisions.DecisionScanView.as_view(), name="decision_scan"),
    path(
        "decisions/<int:pk>/certificates.pdf",
        certificate_pdfs.DecisionCertificatesPdfView.as_view(),
        name="decision_certificates_pdf",
    ),
    path("certificates/", decisions.CertificateListView.as_view(), name="certificate_list"),
    path(
        "certificates/<str:number>/",
        decisions.CertificateDetailView.as_view(),
        name="certificate_detail",
    ),
    path(
        "certificates/<str:number>/revoke/",
        decisions.CertificateRevokeView.as_view(),
        name="certificate_revoke",
    ),
    path(
        "certificates/<str:number>/inspections/new/",
        decisions.InspectionCreateView.as_view(),
        name="inspection_create",
    ),
    path(
        "certificates/<str:number>/inspections/<int:pk>/files/<int:file>/",
        decisions.InspectionFileView.as_view(),
        name="inspection_file",
    ),
    path(
        "certificates/<str:number>/certificate.pdf",
        certificate_pdfs.CertificatePdfView.as_view(),
        name="certificate_pdf",
    ),
    # Public verification by number or QR code.
    path("verify/", verify.VerifySearchView.as_view(), name="verify_search"),
    path("verify/<str:number>/", verify.VerifyView.as_view(), name="verify"),
]
