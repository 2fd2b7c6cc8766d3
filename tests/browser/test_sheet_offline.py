"""A score sheet on a poor connection: what is ticked is kept on the device, an offline submit
is stopped with a message, and after a reload the unsaved ticks come back, said so."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.councils.services.scoring import conflict_declare
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.selectors import form_spec
from evaluations.criteria.services import criteria_import, regimes_load
from evaluations.intake.services.required_documents import required_documents_load
from evaluations.models import ScoreSheet
from ocop.core.enums import Role
from tests.evaluations.councils.conftest import accepted_dossier, answers_at, make_council
from tests.evaluations.intake.conftest import open_round
from tests.factories import producer_with_owner, product_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_nothing_ticked_is_lost_when_the_connection_drops(
    units, role_users, login, live_server, page: Page, artifacts_dir
):
    criteria_import(only={1})
    regimes_load()
    required_documents_load()
    today = timezone.localdate()
    officer = role_users[Role.DISTRICT_OFFICER]
    round_obj = open_round(role_users[Role.PROVINCE_OFFICER], units["province"])
    producer, owner = producer_with_owner(commune=units["commune"], username="htx")
    dossier = accepted_dossier(round_obj, product_for(producer, number=1, name="Gạo"), owner)
    council = make_council("district", units["district"], officer, prefix="hdh")
    session = session_create(
        council=council, round=round_obj, date=today, place="UBND", actor=officer
    )
    item = session_add_dossiers(session=session, dossiers=[dossier], actor=officer)[0]
    member = council.members.get(user__username="hdh3")
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    answers = list(answers_at(form_spec(dossier.scoring_form), "best").items())[:4]
    sheet_url = f"{live_server.url}/sessions/{session.pk}/items/{item.pk}/sheet/"

    page.set_viewport_size({"width": 390, "height": 844})  # a phone in the meeting room
    login("hdh3")
    page.goto(sheet_url)
    for key, option in answers:
        page.locator(f'input[name="answer-{key}"][value="{option}"]').check()
    page.locator(f'textarea[name="note-{answers[0][0]}"]').fill("Nhãn chưa rõ hạn dùng")

    page.context.set_offline(True)
    page.get_by_test_id("save-sheet").click()
    expect(page.locator("[data-connection-lost]")).to_be_visible()
    assert page.url == sheet_url  # still on the page, ticks in place
    expect(
        page.locator(f'input[name="answer-{answers[0][0]}"][value="{answers[0][1]}"]')
    ).to_be_checked()
    page.context.set_offline(False)

    page.reload()
    expect(page.locator("[data-draft-restored]")).to_be_visible()
    for key, option in answers:
        expect(page.locator(f'input[name="answer-{key}"][value="{option}"]')).to_be_checked()
    expect(page.locator(f'textarea[name="note-{answers[0][0]}"]')).to_have_value(
        "Nhãn chưa rõ hạn dùng"
    )
    expect(page.get_by_test_id("answered")).to_contain_text("4 /")  # totals recounted
    page.screenshot(path=artifacts_dir / "council-sheet-restored-390.png")
    assert ScoreSheet.objects.get(item=item, member=member).answers == {}

    page.get_by_test_id("save-sheet").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    sheet = ScoreSheet.objects.get(item=item, member=member)
    assert sheet.answers == dict(answers)
    assert sheet.notes == {answers[0][0]: "Nhãn chưa rõ hạn dùng"}
    # Saved on the server: the device's copy is dropped, nothing more to restore.
    page.reload()
    expect(page.locator("[data-draft-restored]")).to_be_hidden()
