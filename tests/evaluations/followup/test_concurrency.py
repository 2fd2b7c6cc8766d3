"""Two people act on the same self-report or the same plan at the same moment: one change, one
clear refusal."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from evaluations.enums import SelfReportState
from evaluations.exceptions import FollowupError
from evaluations.followup.schedule import report_periods
from evaluations.followup.services import plan_item_add, self_report_save
from evaluations.models import PlanItem, SelfReport
from ocop.core.models import AuditEntry
from tests.evaluations.followup.conftest import today
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(actions: dict) -> dict:
    start = threading.Barrier(len(actions))
    outcomes = {}

    def act(name, action):
        try:
            start.wait()
            with translation.override("en"):  # a thread starts in the default language
                action()
            outcomes[name] = "done"
        except FollowupError as error:
            outcomes[name] = error.message
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=item) for item in actions.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_members_submit_the_same_report(world):
    certificate = world.certificate()
    first = certificate.producer.members.get().user
    second = user_with_role("producer_member", username="member2")
    certificate.producer.members.create(user=second, role="member")
    year = report_periods(certificate.issued_on, certificate.valid_until)[0].year

    def submit(actor, note):
        return lambda: self_report_save(
            certificate=certificate, year=year, answers={}, note=note, submit=True, actor=actor
        )

    outcomes = _at_once({"first": submit(first, "Lần một"), "second": submit(second, "Lần hai")})

    assert sorted(outcomes.values()) == sorted(
        ["done", f"The self-report of {year} is already submitted: it can no longer change."]
    )
    report = SelfReport.objects.get()
    assert report.state == SelfReportState.SUBMITTED
    winner = "first" if report.note == "Lần một" else "second"
    assert outcomes[winner] == "done"
    assert AuditEntry.objects.filter(action="self_report.submit").count() == 1


def test_two_officers_plan_the_same_product(world, units):
    certificate = world.certificate(name="Cam Cao Phong")
    officers = [
        world.province_officer,
        user_with_role("province_officer", units["province"], username="tinh2"),
    ]

    def add(actor, month):
        return lambda: plan_item_add(
            province=units["province"],
            year=today().year,
            certificate=certificate,
            month=month,
            inspector="Đoàn tỉnh",
            actor=actor,
        )

    outcomes = _at_once({"first": add(officers[0], 3), "second": add(officers[1], 9)})

    year = today().year
    assert sorted(outcomes.values()) == sorted(
        ["done", f"Cam Cao Phong is already on the plan of {year}."]
    )
    assert PlanItem.objects.count() == 1
    assert AuditEntry.objects.filter(action="plan_item.add").count() == 1
    assert AuditEntry.objects.filter(action="inspection_plan.create").count() == 1
