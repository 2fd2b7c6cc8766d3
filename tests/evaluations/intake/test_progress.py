"""The progress of a round against its deadlines (issue 14): per first-level unit what waits
at which stage, since when, what is late; the reminders before each deadline.

A 1489/2025 round of Phú Thọ on today's map: Xã Tân Lạc receives two dossiers (one submitted
and never checked, one left a draft), a second commune one submitted dossier. The clock then
moves past the submission deadline and past the first-level deadline."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.intake.services.dossiers import (
    dossier_create,
    dossier_extend_deadline,
    dossier_submit,
)
from evaluations.reports.progress import deadline_reminders, round_progress
from ocop.core.enums import Role, UnitLevel, UnitScheme
from ocop.core.models import Notification
from tests.evaluations.intake.conftest import MANDATORY_KINDS, complete, make_document, open_round
from tests.factories import UnitFactory, producer_with_owner, product_for, user_with_role
from tests.fixtures.clock import on_day
from tests.xlsx import read_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def world(forms, regimes, required_documents, units, library, cooperative):
    today = timezone.localdate()
    office = user_with_role(Role.PROVINCE_OFFICER, units["new_province"], username="pt")
    round_ = open_round(
        office,
        units["new_province"],
        regime="1489/2025",
        submission_deadline=today + datetime.timedelta(days=10),
        first_level_deadline=today + datetime.timedelta(days=20),
        province_deadline=today + datetime.timedelta(days=40),
    )
    other_commune = UnitFactory(
        scheme=UnitScheme.TWO_TIER,
        level=UnitLevel.COMMUNE,
        code="04999",
        name="Xã Mường Bi",
        short_name="Mường Bi",
        division_type="xã",
        parent=units["new_province"],
        valid_from=units["new_commune"].valid_from,
    )
    producer, owner = cooperative
    submitted = dossier_create(
        round=round_, product=product_for(producer, number=1, name="Cam"), kind="first", actor=owner
    )
    complete(submitted, owner, library)
    dossier_submit(dossier=submitted, actor=owner)
    draft = dossier_create(
        round=round_, product=product_for(producer, number=2, name="Gà"), kind="first", actor=owner
    )
    other, other_owner = producer_with_owner(
        commune=other_commune, username="htx2", name="HTX Mường Bi"
    )
    other_library = {
        kind: make_document(other, kind, uploaded_by=other_owner) for kind in MANDATORY_KINDS
    }
    elsewhere = dossier_create(
        round=round_,
        product=product_for(other, number=1, name="Gạo"),
        kind="first",
        actor=other_owner,
    )
    complete(elsewhere, other_owner, other_library)
    dossier_submit(dossier=elsewhere, actor=other_owner)
    return {
        "round": round_,
        "office": office,
        "today": today,
        "submitted": submitted,
        "draft": draft,
        "elsewhere": elsewhere,
        "tan_lac": units["new_commune"],
        "muong_bi": other_commune,
        "commune_officer": user_with_role(
            Role.COMMUNE_OFFICER, units["new_commune"], username="xa"
        ),
        "owner": owner,
    }


def cells(progress, unit):
    row = next(r for r in progress.rows if r.unit_id == unit.pk)
    return {key: (cell.count, cell.late) for key, _label, cell in row.ordered if cell.count}


def test_before_any_deadline_nothing_is_late(world):
    progress = round_progress(world["round"], world["today"])

    assert cells(progress, world["tan_lac"]) == {"draft": (1, 0), "check": (1, 0)}
    assert cells(progress, world["muong_bi"]) == {"check": (1, 0)}
    assert progress.late_items == [] and progress.late_units == 0


def test_past_the_submission_deadline_the_draft_is_late(world):
    day = world["round"].submission_deadline + datetime.timedelta(days=1)

    progress = round_progress(world["round"], day)

    assert cells(progress, world["tan_lac"]) == {"draft": (1, 1), "check": (1, 0)}
    (late,) = progress.late_items
    assert (late.product, late.late_days) == ("Gà", 1)
    # Late units first.
    assert progress.rows[0].unit_id == world["tan_lac"].pk


def test_an_extension_moves_the_drafts_deadline(world):
    extended = world["round"].submission_deadline + datetime.timedelta(days=5)
    dossier_extend_deadline(
        dossier=world["draft"],
        until=extended,
        reason="Chờ phiếu kiểm nghiệm.",
        actor=world["office"],
    )

    progress = round_progress(world["round"], extended)

    assert cells(progress, world["tan_lac"])["draft"] == (1, 0)


def test_past_the_first_level_deadline_both_units_are_late(world):
    day = world["round"].first_level_deadline + datetime.timedelta(days=3)

    progress = round_progress(world["round"], day)

    assert cells(progress, world["tan_lac"]) == {"draft": (1, 1), "check": (1, 1)}
    assert cells(progress, world["muong_bi"]) == {"check": (1, 1)}
    assert progress.late_units == 2
    assert {(i.product, i.late_days) for i in progress.late_items} == {
        ("Cam", 3),
        ("Gạo", 3),
        ("Gà", 13),
    }
    total = progress.totals
    assert (total.cells["check"].count, total.late) == (2, 3)


def test_the_page_highlights_the_late_unit(client, world):
    day = world["round"].first_level_deadline + datetime.timedelta(days=1)

    with on_day(day):
        client.force_login(world["office"])  # a session of that day
        response = client.get("/reports/progress/")

    assert response.status_code == 200
    assert response.context["round_obj"] == world["round"]
    page = response.content.decode()
    assert page.count('data-late="true"') == 2
    assert 'data-testid="late-items"' in page


def test_the_pages_queries_do_not_grow_with_the_dossiers(client, world, cooperative, library):
    client.force_login(world["office"])
    producer, owner = cooperative

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/reports/progress/").status_code == 200
        return len(queries)

    before = count()
    for number in (3, 4, 5):
        dossier_create(
            round=world["round"],
            product=product_for(producer, number=1, name=f"Sản phẩm {number}"),
            kind="first",
            actor=owner,
        )
    assert count() == before


def test_the_excel_file_has_the_units_and_the_deadlines(client, world):
    client.force_login(world["office"])

    response = client.get("/reports/progress/", {"format": "xlsx"})

    sheet = read_xlsx(response)
    assert sheet.headers[2] == "Not submitted"  # the English of this directory's tests
    assert [row[0] for row in sheet.rows] == ["Xã Mường Bi", "Xã Tân Lạc"]  # by code
    assert tuple(sheet.rows[1][2:5]) == (1, 0, 1)  # one draft, none returned, one to check
    assert sheet.totals[0][2:5] == (1, 0, 2)
    assert any(str(world["round"]) in line for line in sheet.lines)


def test_another_province_sees_its_own_rounds_and_a_commune_gets_404(client, world, other_province):
    client.force_login(user_with_role(Role.PROVINCE_OFFICER, other_province, username="tn"))
    response = client.get("/reports/progress/", {"round": world["round"].pk})
    assert response.status_code == 200
    assert response.context["round_obj"] is None and 'data-testid="no-rounds"' in (
        response.content.decode()
    )

    client.force_login(world["commune_officer"])
    assert client.get("/reports/progress/").status_code == 404


def test_reminders_go_out_7_days_and_1_day_before_each_deadline(world):
    round_ = world["round"]
    submission = round_.submission_deadline

    def subjects(day):
        return sorted(r.subject for r in deadline_reminders(round_, day))

    assert subjects(submission - datetime.timedelta(days=8)) == []
    week_before = subjects(submission - datetime.timedelta(days=7))
    assert len(week_before) == 1 and "Gà" in week_before[0]
    assert len(subjects(submission - datetime.timedelta(days=1))) == 1
    assert subjects(submission) == []
    # The first-level deadline: each commune holding dossiers is told (and the draft's
    # producer is not: its deadline was the submission's).
    day = round_.first_level_deadline - datetime.timedelta(days=7)
    reminders = deadline_reminders(round_, day)
    assert [r.users for r in reminders] == [[world["commune_officer"]]]


def test_the_command_sends_each_reminder_once_a_day(
    world, capsys, django_capture_on_commit_callbacks, run_tasks
):
    day = world["round"].submission_deadline - datetime.timedelta(days=7)

    call_command("send_deadline_reminders", "--today", day.isoformat(), "--dry-run")
    assert "would send 1 reminder(s) to 1 person(s)" in capsys.readouterr().out
    assert not Notification.objects.exists()
    with on_day(day), django_capture_on_commit_callbacks(execute=True):
        call_command("send_deadline_reminders", "--today", day.isoformat())
        call_command("send_deadline_reminders", "--today", day.isoformat())
    run_tasks()

    (note,) = Notification.objects.all()
    assert note.user == world["owner"] and "Gà" in note.subject
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world["owner"].email]


def test_the_reminders_can_be_queued_for_the_worker(
    world, capsys, django_capture_on_commit_callbacks, run_tasks
):
    day = world["round"].submission_deadline - datetime.timedelta(days=7)

    with on_day(day):
        call_command("send_deadline_reminders", "--today", day.isoformat(), "--enqueue")
        assert "queued as task" in capsys.readouterr().out
        assert not Notification.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            run_tasks()
        run_tasks()

    (note,) = Notification.objects.all()
    assert note.user == world["owner"]
    assert [m.to for m in mail.outbox] == [[world["owner"].email]]
