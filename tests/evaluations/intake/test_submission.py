"""Submitting freezes the dossier as a version; what stops a submission; history and diff;
who is told."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from evaluations.enums import DossierState
from evaluations.exceptions import SubmissionRefused
from evaluations.intake.services.dossiers import (
    AnswerInput,
    dossier_accept,
    dossier_extend_deadline,
    dossier_resubmit,
    dossier_return,
    dossier_save_answers,
    dossier_set_documents,
    dossier_submit,
)
from evaluations.intake.snapshots import snapshot_diff
from evaluations.models import Dossier, DossierVersion, ScoringForm
from ocop.core.models import Notification
from tests.evaluations.intake.conftest import complete, make_document

# The ready dossier, built once per module (and per `dates` day): tests/fixtures/.
from tests.fixtures.dossier_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _refusal(dossier, owner) -> SubmissionRefused:
    with pytest.raises(SubmissionRefused) as refused:
        dossier_submit(dossier=dossier, actor=owner)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.DRAFT
    assert DossierVersion.objects.count() == 0
    return refused.value


def test_submit_freezes_version_1_with_answers_totals_documents_and_product(
    ready_dossier, owner, library
):
    dossier = dossier_submit(dossier=ready_dossier, actor=owner)

    assert (dossier.state, dossier.version) == (DossierState.SUBMITTED, 1)
    assert dossier.submitted_at is not None
    version = DossierVersion.objects.get(dossier=dossier)
    snapshot = version.snapshot
    assert (version.number, version.submitted_by) == (1, owner)
    assert snapshot["form"]["key"] == "148/2023:01"
    assert len(snapshot["answers"]) == 32
    first = snapshot["answers"][0]
    assert (first["key"], first["option"], first["points"]) == ("A.1.a", "A.1.a.3", "5")
    assert first["option_label"].startswith("Sản phẩm")
    assert snapshot["totals"]["total"] == "100"
    assert snapshot["totals"]["parts"] == [
        {"key": "A", "points": "40"},
        {"key": "B", "points": "25"},
        {"key": "C", "points": "35"},
    ]
    label = library["label"]
    assert {
        "id": label.pk,
        "kind": "label",
        "title": label.title,
        "original_name": "label.pdf",
        "sha256": label.sha256,
        "size": label.size,
        "issued_on": None,
        "valid_until": None,
    } in snapshot["documents"]
    assert snapshot["product"]["name"] == "Cam Mãn Đức"
    assert snapshot["producer"]["name"] == "HTX Mãn Đức"


def test_an_unanswered_criterion_is_listed(dossier, owner, library):
    complete(dossier, owner, library, skip=["B.5.b", "C.12.a"])

    refusal = _refusal(dossier, owner)

    assert refusal.problems == [
        "Not answered yet: B.5.b b) Trí tuệ/bản sắc địa phương; "
        "C.12.a a ) CƠ HỘI THỊ TRƯỜNG TOÀN CẦU."
    ]


def test_many_unanswered_criteria_are_counted_and_the_first_named_by_their_text(
    dossier, owner, library
):
    complete(dossier, owner, library, skip=["A.1.a", "A.1.b", "A.1.c", "A.1.d", "A.1.đ", "A.1.e"])

    [problem] = _refusal(dossier, owner).problems
    assert problem.startswith("6 criteria are not answered yet, among them: A.1.a a) Nguồn gốc")
    assert "A.1.đ" in problem
    assert "A.1.e" not in problem


def test_a_missing_required_document_is_named(dossier, owner, library):
    del library["lab_test"]
    complete(dossier, owner, library)

    assert _refusal(dossier, owner).problems == ["Lab test report is required."]


def test_an_expired_document_does_not_count(dossier, owner, library, cooperative):
    library["lab_test"] = make_document(
        cooperative[0],
        "lab_test",
        uploaded_by=owner,
        title="Phiếu kiểm nghiệm 2023",
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    complete(dossier, owner, library)

    assert _refusal(dossier, owner).problems == [
        "Lab test report: the document chosen has expired; add a valid one."
    ]


@pytest.mark.dates
def test_after_the_deadline_submission_is_refused_until_extended(
    ready_dossier, owner, province_officer, round_148
):
    today = timezone.localdate()
    round_148.submission_deadline = today - datetime.timedelta(days=1)
    round_148.save(update_fields=["submission_deadline"])

    problems = _refusal(ready_dossier, owner).problems

    assert len(problems) == 1 and problems[0].startswith("The submission deadline (")
    dossier_extend_deadline(
        dossier=ready_dossier,
        until=today + datetime.timedelta(days=3),
        reason="Đường bị sạt lở",
        actor=province_officer,
    )
    assert dossier_submit(dossier=ready_dossier, actor=owner).state == DossierState.SUBMITTED


def test_an_unverified_producer_cannot_submit(ready_dossier, owner, cooperative):
    cooperative[0].state = "pending"
    cooperative[0].save(update_fields=["state"])

    assert _refusal(ready_dossier, owner).problems == [
        "HTX Mãn Đức is not verified yet: the commune or district must verify it first."
    ]


def test_a_form_that_became_unverified_stops_the_submission(ready_dossier, owner):
    ScoringForm.objects.filter(pk=ready_dossier.scoring_form_id).update(status="unverified")

    assert _refusal(ready_dossier, owner).problems == [
        "The scoring form is unverified and cannot be used until an administrator corrects it."
    ]


def test_submit_tells_the_working_group_by_mail_and_in_app(
    ready_dossier,
    owner,
    district_officer,
    other_district_officer,
    django_capture_on_commit_callbacks,
    run_tasks,
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier_submit(dossier=ready_dossier, actor=owner)
    run_tasks()

    assert [m.to for m in mail.outbox] == [[district_officer.email]]
    assert mail.outbox[0].subject == "New dossier: Cam Mãn Đức"
    assert mail.outbox[0].body.endswith(f"/inbox/{ready_dossier.pk}/")
    note = Notification.objects.get()
    assert (note.user, note.url) == (district_officer, f"/inbox/{ready_dossier.pk}/")


def _return(dossier, officer):
    return dossier_return(
        dossier=dossier,
        reasons=[
            ("document", "lab_test", "Phiếu kiểm nghiệm đã hết hạn"),
            ("criterion", "A.1.a", "Chưa có giấy tờ vùng nguyên liệu"),
        ],
        actor=officer,
    )


def test_return_tells_the_producers_members_with_the_reasons(
    ready_dossier, owner, district_officer, django_capture_on_commit_callbacks, run_tasks
):
    dossier_submit(dossier=ready_dossier, actor=owner)

    with django_capture_on_commit_callbacks(execute=True):
        _return(ready_dossier, district_officer)
    run_tasks()

    assert [m.to for m in mail.outbox] == [[owner.email]]
    message = mail.outbox[0]
    assert message.subject == "Dossier returned for correction: Cam Mãn Đức"
    assert "- Document: Lab test report: Phiếu kiểm nghiệm đã hết hạn" in message.body
    assert (
        "- Criterion A.1.a a) Nguồn gốc sản phẩm: Chưa có giấy tờ vùng nguyên liệu" in message.body
    )
    assert Notification.objects.filter(user=owner).count() == 1


def test_accept_tells_the_producer(
    ready_dossier, owner, district_officer, django_capture_on_commit_callbacks, run_tasks
):
    dossier_submit(dossier=ready_dossier, actor=owner)

    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_accept(
            dossier=ready_dossier,
            samples_count=5,
            samples_received_on=timezone.localdate(),
            actor=district_officer,
        )
    run_tasks()

    assert (dossier.samples_count, dossier.accepted_at is not None) == (5, True)
    assert [m.subject for m in mail.outbox] == ["Dossier accepted: Cam Mãn Đức"]
    assert Notification.objects.filter(user=owner).count() == 1


def test_return_needs_at_least_one_reason(ready_dossier, owner, district_officer):
    from django.core.exceptions import ValidationError

    dossier_submit(dossier=ready_dossier, actor=owner)

    with pytest.raises(ValidationError):
        dossier_return(dossier=ready_dossier, reasons=[], actor=district_officer)
    with pytest.raises(ValidationError):
        dossier_return(dossier=ready_dossier, reasons=[("other", "", "  ")], actor=district_officer)

    assert Dossier.objects.get(pk=ready_dossier.pk).state == DossierState.SUBMITTED


def test_no_samples_only_for_tourism_services(
    round_148, cooperative, owner, district_officer, library
):
    from django.core.exceptions import ValidationError

    from evaluations.intake.services.dossiers import dossier_create
    from tests.factories import product_for

    orange = complete(
        dossier_create(
            round=round_148,
            product=product_for(cooperative[0], number=1),
            kind="first",
            actor=owner,
        ),
        owner,
        library,
    )
    tour = complete(
        dossier_create(
            round=round_148,
            product=product_for(cooperative[0], number=26, name="Bản Lác"),
            kind="first",
            actor=owner,
        ),
        owner,
        {k: v for k, v in library.items() if k != "lab_test"},
    )
    today = timezone.localdate()
    for dossier in (orange, tour):
        dossier_submit(dossier=dossier, actor=owner)

    with pytest.raises(ValidationError) as refused:
        dossier_accept(
            dossier=orange, samples_count=0, samples_received_on=today, actor=district_officer
        )
    accepted = dossier_accept(
        dossier=tour, samples_count=0, samples_received_on=today, actor=district_officer
    )

    assert list(refused.value.message_dict) == ["samples_count"]
    assert accepted.samples_count == 0


def test_resubmission_is_version_2_and_the_diff_shows_what_changed(
    ready_dossier, owner, district_officer, library, cooperative
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    _return(ready_dossier, district_officer)
    new_test = make_document(
        cooperative[0], "lab_test", uploaded_by=owner, title="Phiếu kiểm nghiệm 2026"
    )
    dossier_set_documents(
        dossier=ready_dossier,
        documents=[d for k, d in library.items() if k != "lab_test"] + [new_test],
        actor=owner,
    )
    answers = {a.criterion_key: AnswerInput(a.option_key) for a in ready_dossier.answers.all()}
    answers["A.1.a"] = AnswerInput("A.1.a.2", note="Một phần vùng nguyên liệu liên kết")
    dossier_save_answers(dossier=ready_dossier, answers=answers, actor=owner)

    dossier = dossier_resubmit(dossier=ready_dossier, actor=owner)

    assert (dossier.state, dossier.version) == (DossierState.RESUBMITTED, 2)
    v1, v2 = DossierVersion.objects.filter(dossier=dossier).order_by("number")
    diff = snapshot_diff(v1.snapshot, v2.snapshot, old_number=1, new_number=2)
    [change] = diff.answers
    assert (change.key, change.old_points, change.new_points) == ("A.1.a", "5", "3")
    assert change.old_option.startswith("Sản phẩm") and change.note_changed
    assert [d["title"] for d in diff.documents_added] == ["Phiếu kiểm nghiệm 2026"]
    assert [d["title"] for d in diff.documents_removed] == [library["lab_test"].title]
    assert [(t.name, t.old, t.new) for t in diff.totals] == [
        ("A", "40", "38"),
        ("B", "25", "25"),
        ("C", "35", "35"),
        ("total", "100", "98"),
    ]
    assert diff.product == []
