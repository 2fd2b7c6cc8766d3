"""The follow-up report of a year (coverage and outcomes) per first-level unit of both maps and
in total, its exact counts on constructed data, its Excel download read back, and its cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.enums import CertificateStatus, PlanItemState, SelfReportState
from evaluations.followup.report import COUNTS, coverage
from evaluations.models import Inspection, InspectionPlan, PlanItem, Revocation, SelfReport
from ocop.core.enums import Role
from tests.evaluations.followup.conftest import owner_of, today
from tests.factories import user_with_role
from tests.xlsx import read_xlsx, speak

pytestmark = pytest.mark.django_db

D = datetime.date


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _inspect(certificate, officer, day, outcome):
    return Inspection.objects.create(
        certificate=certificate,
        date=day,
        inspector="Đoàn kiểm tra",
        findings="Kiểm tra",
        outcome=outcome,
        recorded_by=officer,
    )


def _submit(certificate, year, due, on):
    SelfReport.objects.create(
        certificate=certificate,
        year=year,
        due_on=due,
        state=SelfReportState.SUBMITTED,
        submitted_at=_at(on),
        submitted_by=owner_of(certificate),
        created_by=owner_of(certificate),
    )


@pytest.fixture
def office(units):
    """The OCOP office of today's Phú Thọ, which absorbed Hoà Bình: it reports both maps."""
    return user_with_role(Role.PROVINCE_OFFICER, units["new_province"], username="pt_tinh")


@pytest.fixture
def last_year(world, units, office, away):
    """Last year's certificates of Tân Lạc (155) and Đà Bắc (150) on the old map and of Xã Tân
    Lạc (05128) on today's, with their inspections, reports and plan."""
    p = today().year - 1
    officer = world.district_officer
    da_bac = units["other_district"]
    # Tân Lạc: c1 reported on time, inspected compliant then warned, planned and done; c2
    # missed its report, planned, not inspected; c5 ended on 10 January (in force, no report).
    c1 = world.certificate(issued_on=D(p - 1, 3, 10), name="c1")
    _submit(c1, p, D(p, 3, 10), D(p, 3, 1))
    _inspect(c1, officer, D(p, 5, 1), "compliant")
    warned = _inspect(c1, officer, D(p, 9, 1), "warning")
    c2 = world.certificate(issued_on=D(p - 2, 6, 30), name="c2")
    c5 = world.certificate(
        issued_on=D(p - 3, 1, 10),
        valid_until=D(p, 1, 10),
        status=CertificateStatus.EXPIRED,
        name="c5",
    )
    _inspect(c5, officer, D(p - 1, 6, 1), "compliant")  # the year before: not counted
    # Đà Bắc: c3 reported late, proposed for revocation, its plan item cancelled; c8 revoked
    # on 15 January, before its report was due.
    c3 = world.certificate(issued_on=D(p - 1, 11, 5), unit=da_bac, issuer=da_bac, name="c3")
    _submit(c3, p, D(p, 11, 5), D(p, 11, 20))
    _inspect(c3, officer, D(p, 12, 1), "propose_revocation")
    c8 = world.certificate(
        issued_on=D(p - 1, 1, 20),
        unit=da_bac,
        issuer=da_bac,
        status=CertificateStatus.REVOKED,
        name="c8",
    )
    Revocation.objects.create(
        certificate=c8,
        reason="quality_violation",
        decision_number="9/QĐ-UBND",
        decision_date=D(p, 1, 15),
        revoked_by=officer,
    )
    # Xã Tân Lạc, on today's map: c4 issued in the year, inspected compliant.
    c4 = world.certificate(
        issued_on=D(p, 2, 1), unit=units["new_commune"], issuer=units["new_province"], name="c4"
    )
    _inspect(c4, officer, D(p, 8, 1), "compliant")
    # Not in force in the year: expired at the end of the year before, revoked before it.
    world.certificate(
        issued_on=D(p - 3, 1, 1),
        valid_until=D(p - 1, 12, 31),
        status=CertificateStatus.EXPIRED,
        name="c6",
    )
    c7 = world.certificate(
        issued_on=D(p - 2, 5, 5), unit=da_bac, status=CertificateStatus.REVOKED, name="c7"
    )
    Revocation.objects.create(
        certificate=c7,
        reason="quality_violation",
        decision_number="8/QĐ-UBND",
        decision_date=D(p - 1, 12, 1),
        revoked_by=officer,
    )
    # Another province's certificate: not this office's.
    world.certificate(issued_on=D(p - 1, 4, 4), unit=away["district"], issuer=away["district"])
    plan = InspectionPlan.objects.create(province=units["new_province"], year=p, created_by=office)
    for certificate, state, inspection in (
        (c1, PlanItemState.DONE, warned),
        (c2, PlanItemState.PLANNED, None),
        (c3, PlanItemState.CANCELLED, None),
    ):
        PlanItem.objects.create(
            plan=plan,
            certificate=certificate,
            month=6,
            inspector="Đoàn tỉnh",
            state=state,
            inspection=inspection,
            added_by=office,
        )
    return p


EXPECTED = {
    # code: in force, planned, planned and done, inspected, compliant, warning, proposal,
    # reports due, submitted, late, missed
    "05128": (1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0),
    "150": (2, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0),
    "155": (3, 2, 1, 1, 0, 1, 0, 2, 1, 0, 1),
}
TOTAL = (6, 2, 1, 3, 1, 1, 1, 3, 2, 1, 1)


def test_the_counts_per_unit_of_both_maps_and_in_total(last_year, office):
    report = coverage(office, last_year)

    assert {row.code: tuple(row.counts()) for row in report.rows} == EXPECTED
    assert [row.name for row in report.rows] == ["Xã Tân Lạc", "Huyện Đà Bắc", "Huyện Tân Lạc"]
    assert tuple(report.total.counts()) == TOTAL
    assert len(COUNTS) == len(TOTAL)


def test_the_old_provinces_office_reports_its_own_map(last_year, world):
    report = coverage(world.province_officer, last_year)

    assert [row.code for row in report.rows] == ["150", "155"]
    assert report.total.in_force == 5


def test_the_page_shows_the_rows_and_the_total(client, last_year, office):
    client.force_login(office)

    response = client.get(reverse("evaluations:report_followup"), {"year": last_year})

    assert response.status_code == 200
    assert response.context["year"] == last_year
    body = response.content.decode()
    assert body.count('data-testid="followup-row"') == 3
    assert 'data-testid="followup-total"' in body
    assert f"?year={last_year}&amp;format=xlsx" in body


def test_the_excel_download_reads_back(client, last_year, office):
    client.force_login(office)
    speak(client, "en")

    download = read_xlsx(
        client.get(reverse("evaluations:report_followup"), {"year": last_year, "format": "xlsx"})
    )

    assert download.title == "Follow-up after certification"
    assert download.lines[1:] == ["Province: Tỉnh Phú Thọ", f"Year: {last_year}"]
    assert download.headers[:3] == ["First-level unit", "Area code", "Certificates in force"]
    assert download.rows == [
        ("Xã Tân Lạc", "05128", *EXPECTED["05128"]),
        ("Huyện Đà Bắc", "150", *EXPECTED["150"]),
        ("Huyện Tân Lạc", "155", *EXPECTED["155"]),
    ]
    assert download.totals == [("Total", None, *TOTAL)]
    assert download.filename.endswith(f"{today().isoformat()}.xlsx")


def test_the_report_answers_404_to_others(client, last_year, world, outsiders):
    for user in (world.district_officer, outsiders["producer"]):
        client.force_login(user)
        assert client.get(reverse("evaluations:report_followup")).status_code == 404
        assert (
            client.get(reverse("evaluations:report_followup"), {"format": "xlsx"}).status_code
            == 404
        )
    # Thái Nguyên's office reports its own certificate alone.
    client.force_login(outsiders["province"])
    report = client.get(reverse("evaluations:report_followup"), {"year": last_year}).context
    assert [(row.code, row.in_force) for row in report["coverage"].rows] == [("173", 1)]


def test_an_unknown_year_shows_this_year(client, last_year, office):
    client.force_login(office)

    for raw in ("1900", "abc", "99999999999999999999"):
        response = client.get(reverse("evaluations:report_followup"), {"year": raw})
        assert (response.status_code, response.context["year"]) == (200, today().year)


def test_the_report_costs_the_same_with_more_certificates(
    client, world, office, units, django_assert_max_num_queries
):
    client.force_login(office)
    page = reverse("evaluations:report_followup")
    p = today().year - 1

    def certified(n):
        certificate = world.certificate(issued_on=D(p - 1, 3, n))
        _inspect(certificate, world.district_officer, D(p, 4, n), "compliant")
        _submit(certificate, p, D(p, 3, n), D(p, 3, 1))

    certified(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page, {"year": p}).context["coverage"].total.in_force == 1
    with CaptureQueriesContext(connection) as one_xlsx:
        assert client.get(page, {"year": p, "format": "xlsx"}).status_code == 200
    certified(2)
    certified(3)
    # Bounded, and not growing with the rows.
    with django_assert_max_num_queries(15) as three:
        assert client.get(page, {"year": p}).context["coverage"].total.in_force == 3
    with django_assert_max_num_queries(12) as three_xlsx:
        assert client.get(page, {"year": p, "format": "xlsx"}).status_code == 200
    assert (len(three), len(three_xlsx)) == (len(one), len(one_xlsx))
