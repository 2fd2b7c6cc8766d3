"""The province office's inspection plan: the certified products proposed for a year ranked by
risk with their reasons, the products it puts on the plan (a month, an inspector), and the plan
item done when its inspection is recorded, in the inspection's transaction."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.certificates.services import inspection_record
from evaluations.certificates.validity import add_months
from evaluations.enums import PlanItemState, RiskReason, SelfReportState
from evaluations.exceptions import FollowupError
from evaluations.followup.selectors import plan_candidates
from evaluations.followup.services import plan_item_add, plan_item_cancel, plan_item_change
from evaluations.followup.workflow import PLAN_ITEM_TRANSITIONS
from evaluations.models import Inspection, InspectionPlan, PlanItem, SelfReport
from ocop.core.models import AuditEntry
from tests.evaluations.followup.conftest import owner_of, today

pytestmark = pytest.mark.django_db

R = RiskReason


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def inspect(certificate, officer, outcome, *, on=None):
    return inspection_record(
        certificate=certificate,
        date=on or today() - datetime.timedelta(days=1),
        inspector="Đoàn kiểm tra huyện",
        findings="Kiểm tra tại cơ sở.",
        outcome=outcome,
        actor=officer,
    )


def submitted(certificate, year, on):
    """The certificate's report of `year`, submitted on `on`."""
    due = add_months(certificate.issued_on, 12 * (year - certificate.issued_on.year))
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))
    return SelfReport.objects.create(
        certificate=certificate,
        year=year,
        due_on=due,
        state=SelfReportState.SUBMITTED,
        submitted_at=moment,
        submitted_by=owner_of(certificate),
        created_by=owner_of(certificate),
    )


@pytest.fixture
def ranked(world, district_officer):
    """Seven certificates in force next year, each with its own risk signals."""
    year = today().year + 1
    end = datetime.date(year + 1, 12, 31)  # not ending in the plan's year
    recent = today() - datetime.timedelta(days=100)
    over_a_year = add_months(today(), -13)
    c = {}
    # A: its first report missed, never inspected.
    c["A"] = world.certificate(issued_on=over_a_year, valid_until=end, name="A")
    # B: its last inspection proposed to revoke; C: a warning.
    c["B"] = world.certificate(issued_on=recent, valid_until=end, name="B")
    inspect(c["B"], district_officer, "propose_revocation")
    c["C"] = world.certificate(issued_on=recent, valid_until=end, name="C")
    inspect(c["C"], district_officer, "compliant", on=today() - datetime.timedelta(days=20))
    inspect(c["C"], district_officer, "warning")
    # D: never inspected.
    c["D"] = world.certificate(issued_on=recent, valid_until=end, name="D")
    # E: inspected, compliant: nothing.
    c["E"] = world.certificate(issued_on=recent, valid_until=end, name="E")
    inspect(c["E"], district_officer, "compliant")
    # F: ends in the plan's year.
    c["F"] = world.certificate(issued_on=recent, valid_until=datetime.date(year, 6, 30), name="F")
    inspect(c["F"], district_officer, "compliant")
    # G: its first report sent late.
    c["G"] = world.certificate(issued_on=over_a_year, valid_until=end, name="G")
    inspect(c["G"], district_officer, "compliant")
    submitted(c["G"], add_months(over_a_year, 12).year, today())
    return year, c


def test_the_proposals_are_ranked_by_risk_with_their_reasons(ranked, province_officer):
    year, c = ranked

    candidates = plan_candidates(province_officer, year, today())

    first_due = add_months(c["A"].issued_on, 12)
    yesterday = today() - datetime.timedelta(days=1)
    assert [(x.certificate.product_name, x.score) for x in candidates] == [
        ("A", 5),
        ("B", 5),
        ("C", 3),
        ("F", 2),
        ("D", 2),
        ("G", 1),
        ("E", 0),
    ]
    reasons = {
        x.certificate.product_name: [(r.code, r.on, r.years) for r in x.risk.reasons]
        for x in candidates
    }
    assert reasons == {
        "A": [(R.MISSED_SELF_REPORT, None, (first_due.year,)), (R.NEVER_INSPECTED, None, ())],
        "B": [(R.PROPOSE_REVOCATION, yesterday, ())],
        "C": [(R.WARNING, yesterday, ())],
        "F": [(R.EXPIRING, datetime.date(year, 6, 30), ())],
        "D": [(R.NEVER_INSPECTED, None, ())],
        "G": [(R.LATE_SELF_REPORT, None, (first_due.year,))],
        "E": [],
    }


def test_a_product_on_the_plan_is_no_longer_proposed(ranked, province_officer):
    year, c = ranked

    item = plan_item_add(
        province=province_officer.jurisdiction,
        year=year,
        certificate=c["B"],
        month=3,
        inspector="Đoàn liên ngành tỉnh",
        actor=province_officer,
    )

    assert item.reasons == [R.PROPOSE_REVOCATION]
    names = [x.certificate.product_name for x in plan_candidates(province_officer, year, today())]
    assert names == ["A", "C", "F", "D", "G", "E"]
    actions = list(AuditEntry.objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["plan_item.add", "inspection_plan.create"]


def test_another_province_proposes_none_of_these(ranked, outsiders):
    year, _c = ranked

    assert plan_candidates(outsiders["province"], year, today()) == []


# --- services -------------------------------------------------------------------------------


def _add(world, officer, certificate, **overrides):
    data = {
        "province": officer.jurisdiction,
        "year": today().year,
        "certificate": certificate,
        "month": 5,
        "inspector": "Đoàn kiểm tra liên ngành tỉnh",
    }
    return plan_item_add(actor=officer, **(data | overrides))


def test_bad_input_is_refused_with_messages(world, province_officer):
    certificate = world.certificate()

    with pytest.raises(ValidationError) as refused:
        _add(world, province_officer, certificate, month=13, inspector="  ")

    assert refused.value.message_dict == {
        "month": ["Choose the month of the inspection."],
        "inspector": ["Enter who will inspect: the team or the agency."],
    }
    with pytest.raises(FollowupError, match="Plan the inspections of"):
        _add(world, province_officer, certificate, year=today().year + 2)
    assert (InspectionPlan.objects.count(), PlanItem.objects.count()) == (0, 0)


def test_only_the_provinces_office_plans_its_own(
    world, province_officer, district_officer, outsiders
):
    certificate = world.certificate()
    with pytest.raises(PermissionDenied):
        _add(world, district_officer, certificate)
    with pytest.raises(PermissionDenied):
        _add(world, outsiders["province"], certificate)
    with pytest.raises(PermissionDenied):
        _add(world, province_officer, certificate, province=outsiders["province"].jurisdiction)
    assert PlanItem.objects.count() == 0


def test_a_certificate_ending_before_the_year_cannot_be_planned(world, province_officer):
    ending = world.certificate(
        issued_on=today() - datetime.timedelta(days=30),
        valid_until=datetime.date(today().year, 12, 31),
    )

    with pytest.raises(FollowupError, match="not in force in"):
        _add(world, province_officer, ending, year=today().year + 1)


def test_twice_on_the_plan_is_refused_and_a_cancelled_item_comes_back(world, province_officer):
    certificate = world.certificate()
    item = _add(world, province_officer, certificate)
    with pytest.raises(FollowupError, match="already on the plan"):
        _add(world, province_officer, certificate)

    plan_item_cancel(item=item, actor=province_officer)
    item.refresh_from_db()
    assert item.state == PlanItemState.CANCELLED
    with pytest.raises(FollowupError, match="cannot be taken off"):
        plan_item_cancel(item=item, actor=province_officer)

    again = _add(world, province_officer, certificate, month=9)
    assert (again.pk, again.state, again.month) == (item.pk, PlanItemState.PLANNED, 9)


@pytest.mark.parametrize(("source", "target"), PLAN_ITEM_TRANSITIONS.pairs())
def test_the_moves_of_a_plan_item(world, province_officer, source, target):
    """Cancelling, planning again, and recording the inspection, from each state."""
    certificate = world.certificate()
    item = _add(world, province_officer, certificate)
    if source == PlanItemState.DONE:
        inspect(certificate, province_officer, "compliant", on=today())
    else:
        PlanItem.objects.filter(pk=item.pk).update(state=source)
    allowed = PLAN_ITEM_TRANSITIONS.can_move(source, target)
    if target == PlanItemState.CANCELLED:
        if allowed:
            assert plan_item_cancel(item=item, actor=province_officer).state == target
        else:
            with pytest.raises(FollowupError):
                plan_item_cancel(item=item, actor=province_officer)
    elif target == PlanItemState.PLANNED:
        if allowed:
            assert _add(world, province_officer, certificate).state == target
        else:
            with pytest.raises(FollowupError):
                _add(world, province_officer, certificate)
    else:  # done: by an inspection of the plan's year
        before = PlanItem.objects.get(pk=item.pk).inspection_id
        inspection = inspect(certificate, province_officer, "warning", on=today())
        item.refresh_from_db()
        if allowed:
            assert (item.state, item.inspection) == (PlanItemState.DONE, inspection)
        else:
            assert item.inspection_id == before
    if target != PlanItemState.DONE and not allowed:
        assert PlanItem.objects.get(pk=item.pk).state == source


def test_a_planned_item_changes_month_and_inspector(world, province_officer):
    item = _add(world, province_officer, world.certificate())

    plan_item_change(item=item, month=11, inspector="Chi cục QLCL", actor=province_officer)

    item.refresh_from_db()
    assert (item.month, item.inspector) == (11, "Chi cục QLCL")
    assert AuditEntry.objects.latest("seq").data == {
        "month": [5, 11],
        "inspector": ["Đoàn kiểm tra liên ngành tỉnh", "Chi cục QLCL"],
    }


def test_recording_the_inspection_marks_the_item_done_in_the_same_transaction(
    world, province_officer, district_officer
):
    certificate = world.certificate()
    item = _add(world, province_officer, certificate)

    with transaction.atomic():
        inspect(certificate, district_officer, "warning", on=today())
        transaction.set_rollback(True)
    item.refresh_from_db()
    assert (item.state, Inspection.objects.count()) == (PlanItemState.PLANNED, 0)

    inspection = inspect(certificate, district_officer, "warning", on=today())

    item.refresh_from_db()
    assert (item.state, item.inspection) == (PlanItemState.DONE, inspection)
    actions = list(AuditEntry.objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["plan_item.done", "certificate.inspect"]


def test_an_inspection_of_another_year_leaves_the_plan_alone(world, province_officer):
    certificate = world.certificate(issued_on=today() - datetime.timedelta(days=400))
    item = _add(world, province_officer, certificate, year=today().year + 1)

    inspect(certificate, province_officer, "compliant", on=today())

    item.refresh_from_db()
    assert item.state == PlanItemState.PLANNED


# --- pages ----------------------------------------------------------------------------------


def test_the_plan_page_shows_the_plan_and_the_proposals(client, ranked, province_officer):
    year, c = ranked
    _add(None, province_officer, c["E"], year=year, month=2)
    client.force_login(province_officer)

    response = client.get(url("inspection_plan"), {"year": year})

    assert response.status_code == 200
    assert response.context["year"] == year
    assert [row["item"].certificate for row in response.context["items"]] == [c["E"]]
    body = response.content.decode()
    assert body.count('data-testid="plan-candidate"') == 6
    assert f'data-number="{c["A"].number}"' in body
    assert 'data-reason="missed_self_report"' in body
    assert url("plan_item_add", year, c["A"].number) in body


def test_adding_through_the_page_and_bad_input(client, world, province_officer):
    certificate = world.certificate()
    year = today().year
    page = url("plan_item_add", year, certificate.number)
    client.force_login(province_officer)

    response = client.post(page, {"month": "", "inspector": "Đoàn tỉnh"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["month"]
    assert "Đoàn tỉnh" in response.content.decode()
    assert PlanItem.objects.count() == 0

    response = client.post(page, {"month": "4", "inspector": "Đoàn tỉnh"})
    assert response.status_code == 302
    assert response.url == f"{url('inspection_plan')}?year={year}"
    item = PlanItem.objects.get()
    assert (item.month, item.inspector, item.state) == (4, "Đoàn tỉnh", PlanItemState.PLANNED)

    response = client.post(url("plan_item_edit", item.pk), {"month": "6", "inspector": "Chi cục"})
    assert response.status_code == 302
    response = client.post(url("plan_item_cancel", item.pk))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.month, item.state) == (6, PlanItemState.CANCELLED)


def test_the_plan_pages_answer_404_to_others(
    client, world, province_officer, district_officer, outsiders
):
    certificate = world.certificate()
    item = _add(world, province_officer, certificate)
    owner = owner_of(certificate)
    for user in (district_officer, owner, outsiders["province"]):
        client.force_login(user)
        for page in (
            url("plan_item_add", today().year, certificate.number),
            url("plan_item_edit", item.pk),
        ):
            assert client.get(page).status_code == 404
        assert client.post(url("plan_item_cancel", item.pk)).status_code == 404
    for user in (district_officer, owner):
        client.force_login(user)
        assert client.get(url("inspection_plan")).status_code == 404
    client.force_login(province_officer)
    assert client.get(url("plan_item_add", today().year + 2, certificate.number)).status_code == 404
    item.refresh_from_db()
    assert item.state == PlanItemState.PLANNED


def test_the_plan_page_costs_the_same_with_more_rows(
    client, world, province_officer, django_assert_max_num_queries
):
    year = today().year
    client.force_login(province_officer)

    def grow():
        certificate = world.certificate(issued_on=add_months(today(), -13))
        inspect(certificate, province_officer, "warning")
        planned = world.certificate()
        _add(world, province_officer, planned, year=year)

    grow()
    with CaptureQueriesContext(connection) as one:
        response = client.get(url("inspection_plan"), {"year": year})
    assert (len(response.context["items"]), len(response.context["candidates"])) == (1, 1)
    grow()
    grow()
    # Bounded, and not growing with the rows.
    with django_assert_max_num_queries(13) as three:
        response = client.get(url("inspection_plan"), {"year": year})
    assert (len(response.context["items"]), len(response.context["candidates"])) == (3, 3)
    assert len(three) == len(one)
