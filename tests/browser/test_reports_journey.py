"""Issue 14's morning in a real Chromium on PostgreSQL: the province's OCOP office opens the
progress of its round from the menu, sees the commune still holding a dossier past the
first-level deadline highlighted, downloads the Excel file and it opens with the late unit's
row."""

import datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from evaluations.intake.services.dossiers import dossier_create, dossier_submit
from ocop.core.enums import Role
from tests.evaluations.intake.conftest import MANDATORY_KINDS, complete, make_document, open_round
from tests.factories import producer_with_owner, product_for, user_with_role
from tests.fixtures.clock import on_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_sees_the_late_unit_and_downloads_the_progress(
    units, login, live_server, page: Page, artifacts_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    office = user_with_role(Role.PROVINCE_OFFICER, units["new_province"], username="ocop.pt")
    round_ = open_round(
        office,
        units["new_province"],
        regime="1489/2025",
        submission_deadline=today + datetime.timedelta(days=10),
        first_level_deadline=today + datetime.timedelta(days=20),
        province_deadline=today + datetime.timedelta(days=40),
    )
    producer, owner = producer_with_owner(commune=units["new_commune"], username="htx")
    library = {kind: make_document(producer, kind, uploaded_by=owner) for kind in MANDATORY_KINDS}
    dossier = dossier_create(
        round=round_,
        product=product_for(producer, number=1, name="Cam Mãn Đức"),
        kind="first",
        actor=owner,
    )
    complete(dossier, owner, library)
    dossier_submit(dossier=dossier, actor=owner)

    # Three days after the first-level deadline, Xã Tân Lạc has not checked the dossier.
    with on_day(round_.first_level_deadline + datetime.timedelta(days=3)):
        login(office.username)
        page.locator("[data-nav-more]").click()
        page.get_by_test_id("nav").get_by_text("Tiến độ đợt đánh giá").click()

        late = page.locator('[data-testid="progress-row"][data-late="true"]')
        expect(late).to_have_count(1)
        expect(late).to_contain_text("Xã Tân Lạc")
        expect(late).to_contain_text("1 trễ hạn")
        expect(page.get_by_test_id("progress-summary")).to_contain_text("1 địa bàn trễ hạn")
        expect(page.get_by_test_id("late-items")).to_contain_text("Cam Mãn Đức")
        expect(page.get_by_test_id("late-items")).to_contain_text("3 ngày")
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=artifacts_dir / f"progress-{width}.png", full_page=True)

        with page.expect_download() as download_info:
            page.get_by_test_id("excel-download").click()
        path = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(path)

    assert path.suffix == ".xlsx"
    sheet = load_workbook(path).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Tiến độ đợt đánh giá"
    (row,) = [r for r in values if r[0] == "Xã Tân Lạc"]
    assert row[4] == 1  # waiting for the check
    assert row[-2] == 1  # late
