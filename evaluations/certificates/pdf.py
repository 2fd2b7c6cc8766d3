"""The OCOP certificate ("giấy chứng nhận sản phẩm OCOP") as a PDF, with a QR code.

A certificate is an official Vietnamese document: it is always rendered in Vietnamese,
whatever the reader's language, from a template whose text is written in Vietnamese
(docs/decisions/0011-certificate-pdfs-and-qr.md, after 0009 for the minutes).

The QR code (segno, error correction M, a 4-module quiet zone, embedded as an SVG data URI so
that it prints sharp) encodes the absolute address of the public verification page: whoever
scans a printed certificate sees its standing today, revoked or not. A certificate that no
longer stands (revoked, superseded or expired, by `status_on`) is printed with a diagonal mark,
so an old copy cannot pass for a valid one.
"""

from dataclasses import dataclass
from datetime import date

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from evaluations.certificates.selectors import certificate_to_print, decision_certificates_to_print
from evaluations.certificates.services import verify_url
from evaluations.certificates.validity import status_on
from evaluations.councils.minutes import points_vi
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate, Decision
from ocop.core.pdf import html_to_pdf

TEMPLATE = "evaluations/certificates/certificate_pdf.html"

# What a certificate that no longer stands carries across it.
MARKS = {
    CertificateStatus.REVOKED: "ĐÃ THU HỒI",
    CertificateStatus.SUPERSEDED: "ĐÃ ĐƯỢC THAY THẾ",
    CertificateStatus.EXPIRED: "HẾT HIỆU LỰC",
}


def absolute_verify_url(certificate: Certificate) -> str:
    """The public verification page of the certificate, with the site's address."""
    return settings.OCOP_SITE_URL.rstrip("/") + verify_url(certificate)


def qr_data_uri(content: str) -> str:
    """A QR code of `content` as an SVG data URI: error correction M (readable with up to
    15 % of it damaged, e.g. a folded or stamped paper), never a micro QR, and the standard
    quiet zone of 4 modules, black on white whatever the page behind it."""
    qr = segno.make(content, error="m", micro=False, boost_error=False)
    return qr.svg_data_uri(scale=1, border=4, dark="#000", light="#fff")


def _date_vi(value: date) -> str:
    return formats.date_format(value, "d/m/Y")


def _lower_first(text: str) -> str:
    """ "Huyện Tân Lạc" → "huyện Tân Lạc", as it reads inside a sentence."""
    return text[:1].lower() + text[1:]


@dataclass
class CertificatePage:
    number: str
    by_committee: bool  # a People's Committee's decision (not the ministry's, for 5★)
    issuer_upper: str
    issuer_in_sentence: str
    place: str
    issued_on: date
    decision_number: str
    decision_date: str
    product: str
    product_set: str
    producer: str
    producer_address: str
    stars: int
    star_glyphs: str
    score: str
    valid_until: str
    signer_name: str
    signer_title: str
    verify_url: str
    qr: str
    status: str
    mark: str
    mark_note: str


def _mark_note(certificate: Certificate, status: str) -> str:
    if status == CertificateStatus.REVOKED:
        revocation = getattr(certificate, "revocation", None)
        if revocation is not None:
            return (
                f"Giấy chứng nhận này đã bị thu hồi theo Quyết định số "
                f"{revocation.decision_number} ngày {_date_vi(revocation.decision_date)}."
            )
        return "Giấy chứng nhận này đã bị thu hồi."
    if status == CertificateStatus.SUPERSEDED:
        if certificate.superseded_by_id:
            return (
                f"Giấy chứng nhận này đã được thay thế bằng Giấy chứng nhận số "
                f"{certificate.superseded_by.number}."
            )
        return "Giấy chứng nhận này đã được thay thế."
    if status == CertificateStatus.EXPIRED:
        until = _date_vi(certificate.valid_until)
        return f"Giấy chứng nhận này đã hết hiệu lực (có giá trị đến ngày {until})."
    return ""


def certificate_page(certificate: Certificate, today: date) -> CertificatePage:
    """What one certificate's page shows; call under `translation.override("vi")`."""
    decision = certificate.decision
    issuer = decision.issuer
    status = status_on(certificate, today)
    url = absolute_verify_url(certificate)
    return CertificatePage(
        number=certificate.number,
        by_committee=not decision.issuer_name,
        issuer_upper=(decision.issuer_name or issuer.name).upper(),
        issuer_in_sentence=decision.issuer_name or _lower_first(issuer.name),
        place=issuer.short_name or issuer.name,
        issued_on=certificate.issued_on,
        decision_number=decision.number,
        decision_date=_date_vi(decision.date),
        product=certificate.product_name,
        product_set=str(certificate.product_set),
        producer=certificate.producer_name,
        producer_address=certificate.producer_address,
        stars=certificate.stars,
        star_glyphs="★" * certificate.stars,
        score=points_vi(certificate.score) if certificate.score is not None else "",
        valid_until=_date_vi(certificate.valid_until),
        signer_name=decision.signer_name,
        signer_title=decision.signer_title,
        verify_url=url,
        qr=qr_data_uri(url),
        status=status,
        mark=MARKS.get(status, ""),
        mark_note=_mark_note(certificate, status),
    )


def certificates_html(certificates, *, today: date | None = None) -> str:
    """The certificates, one A4 landscape page each, as HTML in Vietnamese."""
    today = today or timezone.localdate()
    with translation.override("vi"):
        pages = [certificate_page(c, today) for c in certificates]
        return render_to_string(TEMPLATE, {"pages": pages})


def certificate_pdf(certificate: Certificate, *, today: date | None = None) -> bytes:
    """One certificate, A4 landscape, in Vietnamese, with its QR code."""
    return html_to_pdf(certificates_html([certificate_to_print(certificate)], today=today))


def decision_certificates_pdf(decision: Decision, *, today: date | None = None) -> bytes:
    """Every certificate the decision issued, one page each in the decision's order, for
    printing them at once."""
    return html_to_pdf(certificates_html(decision_certificates_to_print(decision), today=today))
