"""The desks: the producer's yearly self-reports to send (from the first reminder's day, and
late ones); the province office's missed self-reports and the inspections its plan puts in
this month or earlier; each section at a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.certificates.validity import add_months
from evaluations.followup.services import plan_item_add, self_report_save
from tests.evaluations.followup.conftest import owner_of, today

pytestmark = pytest.mark.django_db


def desk(client, user):
    client.force_login(user)
    response = client.get("/desk/")
    assert response.status_code == 200
    return response


def section(response, key):
    found = [s for s in response.context["sections"] if s.key == key]
    return found[0] if found else None


def _due_in(world, days, **kwargs):
    """A certificate whose first self-report is due in `days` days (negative: past)."""
    due = today() + datetime.timedelta(days=days)
    return world.certificate(issued_on=add_months(due, -12), **kwargs)


def test_the_producer_sees_the_reports_due_soon_and_late(client, world, units):
    soon = _due_in(world, 20, name="Gạo nếp cẩm")
    producer = soon.producer
    late = _due_in(world, -3, producer=producer, name="Mật ong bạc hà")
    _due_in(world, 90, producer=producer, name="Chè shan tuyết")  # not yet

    found = section(desk(client, owner_of(soon)), "self_reports")

    assert [t.title for t in found.tasks] == ["Mật ong bạc hà", "Gạo nếp cẩm"]
    assert found.tasks[0].due == add_months(late.issued_on, 12)
    assert "late" in found.tasks[0].detail
    assert (
        found.tasks[1].url == f"/certificates/{soon.number}/self-reports/{found.tasks[1].due.year}/"
    )


def test_a_submitted_report_leaves_the_desk(client, world):
    certificate = _due_in(world, 10)
    owner = owner_of(certificate)
    self_report_save(
        certificate=certificate,
        year=(today() + datetime.timedelta(days=10)).year,
        answers={},
        note="Ổn định",
        submit=True,
        actor=owner,
    )

    assert section(desk(client, owner), "self_reports") is None


def test_the_office_sees_missed_reports_and_this_months_inspections(
    client, world, province_officer, district_officer
):
    missed = _due_in(world, -5, name="Rượu men lá")
    planned = world.certificate(name="Cam Cao Phong")
    plan_item_add(
        province=province_officer.jurisdiction,
        year=today().year,
        certificate=planned,
        month=today().month,
        inspector="Đoàn tỉnh",
        actor=province_officer,
    )

    response = desk(client, province_officer)

    assert [t.title for t in section(response, "missed_self_reports").tasks] == ["Rượu men lá"]
    assert missed.number in section(response, "missed_self_reports").tasks[0].detail
    assert [t.title for t in section(response, "planned_inspections").tasks] == ["Cam Cao Phong"]
    # A district's office has no plan.
    response = desk(client, district_officer)
    assert section(response, "missed_self_reports") is None
    assert section(response, "planned_inspections") is None


def test_the_desk_sections_cost_the_same_with_more_tasks(
    client, world, province_officer, django_assert_max_num_queries
):
    def grow():
        _due_in(world, -5)
        plan_item_add(
            province=province_officer.jurisdiction,
            year=today().year,
            certificate=world.certificate(),
            month=today().month,
            inspector="Đoàn tỉnh",
            actor=province_officer,
        )

    grow()
    client.force_login(province_officer)
    with CaptureQueriesContext(connection) as one:
        response = desk(client, province_officer)
    assert len(section(response, "planned_inspections").tasks) == 1
    grow()
    grow()
    # Bounded, and not growing with the rows.
    with django_assert_max_num_queries(34) as three:
        response = desk(client, province_officer)
    assert len(section(response, "missed_self_reports").tasks) == 3
    assert len(section(response, "planned_inspections").tasks) == 3
    assert len(three) == len(one)
