"""Councils, sessions, score sheets, results and the potential list."""

from django.urls import path

from evaluations.councils.views import councils, minutes, results, sessions, sheets

urlpatterns = [
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
]
