"""Decisions, certificates, their PDFs and public verification."""

from django.urls import path

from evaluations.certificates.views import central, decisions, open_data, verify, word
from evaluations.certificates.views import pdfs as certificate_pdfs

urlpatterns = [
    # Recognition decisions and certificates (the OCOP office).
    path("decisions/", decisions.DecisionListView.as_view(), name="decision_list"),
    path("decisions/new/", decisions.DecisionCreateView.as_view(), name="decision_create"),
    path("decisions/<int:pk>/", decisions.DecisionDetailView.as_view(), name="decision_detail"),
    path("decisions/<int:pk>/issue/", decisions.DecisionIssueView.as_view(), name="decision_issue"),
    path("decisions/<int:pk>/scan.pdf", decisions.DecisionScanView.as_view(), name="decision_scan"),
    path("decisions/<int:pk>/draft.docx", word.DecisionDocxView.as_view(), name="decision_docx"),
    path(
        "decisions/<int:pk>/certificates.docx",
        word.DecisionCertificatesDocxView.as_view(),
        name="decision_certificates_docx",
    ),
    path(
        "decisions/<int:pk>/certificates/",
        certificate_pdfs.DecisionCertificatesBatchView.as_view(),
        name="decision_certificates_batch",
    ),
    path(
        "decisions/<int:pk>/certificates.pdf",
        certificate_pdfs.DecisionCertificatesPdfView.as_view(),
        name="decision_certificates_pdf",
    ),
    path(
        "dossiers/<int:pk>/central-result/",
        central.CentralResultView.as_view(),
        name="central_result",
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
    # The open data described for people (the API is at /api/v1/).
    path("open-data/", open_data.OpenDataView.as_view(), name="open_data"),
]
