"""axe-core (from npm, node_modules/axe-core) over the main pages of each role, on the demo
data, at phone and laptop widths: no violation of any rule, serious or not (issue 13)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from playwright.sync_api import Browser

from evaluations.certificates.selectors import issued_decisions
from evaluations.enums import DossierState, ItemState
from evaluations.models import Certificate, Dossier, SessionItem
from ocop.core.models import User
from products.models import EvidenceDocument
from tests.fixtures.reference import empty_reference_tables

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")
WIDTHS = (390, 1366)


def _pages() -> dict[str | None, list[str]]:
    """The pages each demo account works on, by the demo data's objects."""
    dossiers = {d.state: d for d in Dossier.objects.filter(round__historical=False)}
    returned, submitted = dossiers[DossierState.RETURNED], dossiers[DossierState.SUBMITTED]
    draft = dossiers[DossierState.DRAFT]
    document = EvidenceDocument.objects.filter(dossiers=returned).first()
    certificate = Certificate.objects.order_by("-issued_on", "number").first()
    item = SessionItem.objects.filter(state=ItemState.SCORING).first()
    decision = issued_decisions().first()
    return {
        None: [
            "/",
            "/account/login/",
            "/register/",
            "/criteria/",
            "/criteria/148-2023/1/",
            "/verify/",
            f"/verify/{certificate.number}/",
            "/catalogue/",
            "/catalogue/?q=ruouu+ngo&province=25&stars=4",
            f"/catalogue/products/{certificate.product_id}/",
            f"/catalogue/producers/{certificate.producer_id}/",
        ],
        "htx.demo": [
            "/desk/",
            "/producer/",
            "/dossiers/",
            f"/dossiers/{returned.pk}/",
            f"/dossiers/{draft.pk}/self-assessment/",
            f"/dossiers/{returned.pk}/resubmit/",
            f"/dossiers/{submitted.pk}/receipt/",
            "/producer/documents/",
            f"/producer/documents/{document.pk}/new-version/",
            "/producer/sales-points/",
            "/producer/sales-points/new/",
            "/certificates/",
            "/notifications/",
        ],
        "xa.demo": ["/desk/", "/inbox/", f"/inbox/{submitted.pk}/", "/producers/"],
        "tinh.demo": [
            "/desk/",
            "/rounds/",
            "/councils/",
            "/certificates/",
            "/decisions/",
            "/potential/",
            "/audit/",
            "/reports/progress/",
            "/reports/funnel/",
            "/reports/years/",
            "/results/import/",
            "/outlets/",
            "/outlets/new/?kind=fair",
            "/tasks/failed/",
            f"/decisions/{decision.pk}/certificates/",
        ],
        "thanhvien2.tinh": [
            "/desk/",
            f"/sessions/{item.session_id}/items/{item.pk}/declare/",
        ],
    }


def _sign_in(context, live_server, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_the_main_pages_have_no_accessibility_violation(browser: Browser, live_server):
    with transaction.atomic():
        # seed_demo loads the whole reference data itself on an empty registry.
        empty_reference_tables()
        call_command("seed_demo", stdout=io.StringIO())
    axe = AXE.read_text(encoding="utf-8")
    violations, checked = [], 0
    for username, paths in _pages().items():
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            if username:
                _sign_in(context, live_server, username)
            page = context.new_page()
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response.status == 200, (username, path, response.status)
                page.evaluate(axe)
                found = page.evaluate(
                    """async () => (await axe.run(document)).violations.map(
                        v => `${v.id} (${v.impact}): ${v.nodes[0].target.join(" ")}`)"""
                )
                violations += [f"{username} {width} {path}: {v}" for v in found]
                checked += 1
            context.close()
    assert checked == sum(len(p) for p in _pages().values()) * len(WIDTHS)
    assert violations == []
