"""Issue 5's journey in a real Chromium on PostgreSQL: the district's working group sets up
a session of its council of five and puts three accepted dossiers on the agenda; one member
declares a conflict on one product; the members score on their own sheets; one product's
spread is too wide, so the chair reopens two sheets and those members re-score; the chair
finalises all three (recognised at the district, forwarded, ...); the forwarded product
appears in the province's inbox, the province's working group puts it on its council's
agenda, the province council scores it afresh and its chair finalises; the producer reads
the result."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.councils.services.scoring import conflict_declare, sheet_submit
from evaluations.criteria.selectors import form_spec
from evaluations.criteria.services import criteria_import, regimes_load
from evaluations.enums import DossierState, ItemState, Outcome
from evaluations.intake.services.required_documents import required_documents_load
from evaluations.models import Dossier, LevelResult, Session
from ocop.core.enums import Role
from tests.evaluations.councils.conftest import (
    accepted_dossier,
    answers_at,
    answers_below,
    make_council,
)
from tests.evaluations.intake.conftest import open_round
from tests.factories import producer_with_owner, product_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Page, artifacts_dir, name: str) -> None:
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=artifacts_dir / f"council-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _open_item(page: Page, live_server, session: Session, product: str) -> None:
    page.goto(f"{live_server.url}/sessions/{session.pk}/")
    page.get_by_test_id("agenda-item").filter(has_text=product).first.wait_for()


def _score(
    page: Page,
    live_server,
    session,
    product: str,
    answers: dict[str, str],
    shot=None,
    by_click: bool = False,
) -> None:
    """Declare no conflict (if not yet), tick every answer, submit (`shot`: a callable that
    takes screenshots of the sheet half-filled).

    `by_click`: tick the options one by one, as a member does, each tick updating the live
    totals; the other sheets of the journey tick theirs in one step in the page (then one
    change event for the totals), since twenty sheets of some forty clicks each would cost
    minutes and prove nothing more (tests/browser/test_sheet_offline.py ticks one by one
    too)."""
    _open_item(page, live_server, session, product)
    card = page.get_by_test_id("agenda-item").filter(has_text=product)
    declare = card.get_by_test_id("declare-link")
    if declare.count():
        declare.click()
        page.locator('input[name="has_conflict"][value="no"]').check()
        page.get_by_test_id("declare-submit").click()
    else:
        card.get_by_test_id("sheet-link").click()
    expect(page.get_by_test_id("sheet-form")).to_be_visible()
    if by_click:
        for index, (key, option) in enumerate(answers.items()):
            page.locator(f'input[name="answer-{key}"][value="{option}"]').check()
            if shot and index == len(answers) // 2:
                shot()
    else:
        ticked = page.evaluate(
            """answers => {
                let ticked = 0;
                for (const [key, option] of Object.entries(answers)) {
                    const input = document.querySelector(
                        `input[name="answer-${key}"][value="${option}"]`);
                    if (input) { input.checked = true; ticked += 1; }
                }
                document.querySelector('[data-testid="sheet-form"]')
                    .dispatchEvent(new Event("change", {bubbles: true}));
                return ticked;
            }""",
            answers,
        )
        assert ticked == len(answers)
    page.get_by_test_id("submit-sheet").click()
    page.wait_for_url(f"{live_server.url}/sessions/{session.pk}/")
    expect(page.locator(".alert-success").first).to_be_visible()


def _score_by_service(item, username: str, answers: dict[str, str]) -> None:
    """What `_score` does in the browser, through the services the pages call."""
    member = item.session.council.members.get(user__username=username)
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    sheet_submit(sheet=item.sheets.get(member=member), answers=answers, notes={}, actor=member.user)


def test_district_council_scores_reopens_finalises_and_the_province_scores_afresh(
    units,
    role_users,
    login,
    switch_user,
    live_server,
    page: Page,
    artifacts_dir,
    settings,
    tmp_path,
    _accept_confirmations,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    criteria_import(only={1, 2, 3})
    regimes_load()
    required_documents_load()
    today = timezone.localdate()
    district_officer = role_users[Role.DISTRICT_OFFICER]
    province_officer = role_users[Role.PROVINCE_OFFICER]
    round_obj = open_round(province_officer, units["province"])
    names = ("Gạo nếp cẩm Mường", "Mật ong bạc hà", "Chè shan tuyết")
    dossiers = []
    for index, (number, name) in enumerate(zip((1, 2, 3), names, strict=True), start=1):
        producer, owner = producer_with_owner(
            commune=units["commune"], username=f"htx{index}", name=f"HTX Số {index}"
        )
        dossiers.append(
            accepted_dossier(round_obj, product_for(producer, number=number, name=name), owner)
        )
    district = make_council("district", units["district"], district_officer, prefix="hdh")
    province = make_council(
        "province", units["province"], province_officer, prefix="hdt", scoring=3, secretary=False
    )
    specs = [form_spec(d.scoring_form) for d in dossiers]
    best = [answers_at(spec, "best") for spec in specs]
    worst2 = answers_at(specs[1], "worst")
    three_stars2 = answers_below(specs[1], Decimal(70))
    three_stars = answers_below(specs[2], Decimal(70))

    # 1. The district's working group sets up the session and its agenda.
    login(district_officer.username)
    page.goto(f"{live_server.url}/councils/{district.pk}/sessions/new/")
    page.locator('[name="round"]').select_option(str(round_obj.pk))
    page.locator('[name="date"]').fill(today.isoformat())
    page.locator('[name="place"]').fill("Hội trường UBND huyện Tân Lạc")
    page.get_by_test_id("session-save").click()
    session = Session.objects.get(council=district)
    page.wait_for_url(f"{live_server.url}/sessions/{session.pk}/agenda/")
    for dossier in dossiers:
        page.locator(f'input[name="dossiers"][value="{dossier.pk}"]').check()
    _shot(page, artifacts_dir, "agenda")
    page.get_by_test_id("agenda-save").click()
    page.wait_for_url(f"{live_server.url}/sessions/{session.pk}/")
    expect(page.get_by_test_id("agenda-item")).to_have_count(3)
    assert {d.state for d in Dossier.objects.all()} == {DossierState.UNDER_EVALUATION}

    # 2. Member 5 declares a conflict on the third product.
    switch_user("hdh5")
    _open_item(page, live_server, session, names[2])
    page.get_by_test_id("agenda-item").filter(has_text=names[2]).get_by_test_id(
        "declare-link"
    ).click()
    page.locator('input[name="has_conflict"][value="yes"]').check()
    page.get_by_test_id("declare-submit").click()
    expect(page.get_by_test_id("declare-form")).to_be_visible()  # a reason is required
    page.locator('[name="reason"]').fill("Con gái là xã viên HTX Số 3")
    page.get_by_test_id("declare-submit").click()
    expect(
        page.get_by_test_id("agenda-item").filter(has_text=names[2]).get_by_test_id("recused")
    ).to_be_visible()

    # 3. Everybody scores alone: product 1 at its best, product 2 split (3 members at 3
    #    stars, 2 at the worst options), product 3 at 3 stars without member 5. Members 1
    #    and 5 score in the browser; members 2 to 4 do the same as member 1 and score
    #    through the same services, which saves a minute of identical page loads.
    for n in range(1, 6):
        answers = (best[0], three_stars2 if n <= 3 else worst2, three_stars)
        if n in (2, 3, 4):
            for item in session.items.order_by("pk"):
                _score_by_service(item, f"hdh{n}", answers[dossiers.index(item.dossier)])
            continue
        switch_user(f"hdh{n}")
        _score(
            page,
            live_server,
            session,
            names[0],
            best[0],
            shot=(lambda: _shot(page, artifacts_dir, "sheet")) if n == 1 else None,
            by_click=n == 1,
        )
        _score(page, live_server, session, names[1], answers[1])
        if n != 5:
            _score(page, live_server, session, names[2], answers[2])
        if n == 1:
            page.goto(f"{live_server.url}/sessions/{session.pk}/")
            _shot(page, artifacts_dir, "session")

    # 4. The chair sees the wide spread on product 2 and reopens the two low sheets.
    switch_user("hdh1")
    item2 = session.items.get(dossier=dossiers[1])
    page.goto(f"{live_server.url}/sessions/{session.pk}/items/{item2.pk}/")
    expect(page.get_by_test_id("spread").locator(".badge")).to_be_visible()
    expect(page.get_by_test_id("finalise")).to_be_disabled()
    _shot(page, artifacts_dir, "consolidation-spread")
    for member in ("hdh4", "hdh5"):
        sheet = item2.sheets.get(member__user__username=member)
        page.locator(f'input[name="sheets"][value="{sheet.pk}"]').check()
    page.locator('[name="reason"]').fill("Chênh lệch trên 10 điểm, đề nghị chấm lại")
    page.get_by_test_id("reopen-form").locator("button").click()
    expect(page.get_by_test_id("blockers")).to_be_visible()

    # 5. They re-score, reading the chair's reason.
    for username in ("hdh4", "hdh5"):
        switch_user(username)
        _open_item(page, live_server, session, names[1])
        expect(page.get_by_test_id("reopened").first).to_contain_text("Chênh lệch trên 10 điểm")
        _score(page, live_server, session, names[1], three_stars2)
    page.goto(f"{live_server.url}/sessions/{session.pk}/items/{item2.pk}/sheet/")
    _shot(page, artifacts_dir, "sheet-locked")

    # 6. The chair finalises the three products.
    switch_user("hdh1")
    for dossier, comment in zip(
        dossiers,
        ("Đề nghị cấp tỉnh đánh giá", "Đạt", "Cần bổ sung câu chuyện sản phẩm"),
        strict=True,
    ):
        item = session.items.get(dossier=dossier)
        page.goto(f"{live_server.url}/sessions/{session.pk}/items/{item.pk}/")
        page.locator('[name="comments"]').fill(comment)
        page.get_by_test_id("finalise").click()
        expect(page.get_by_test_id("final-result")).to_be_visible()
    # Submitting a sheet and finalising a result each asked once, saying what follows.
    assert any(text.startswith("Nộp phiếu chấm?") for text in _accept_confirmations)
    assert sum(text.startswith("Chốt kết quả?") for text in _accept_confirmations) == 3
    _shot(page, artifacts_dir, "consolidation-final")
    page.goto(f"{live_server.url}/sessions/{session.pk}/leniency/")
    _shot(page, artifacts_dir, "leniency")
    results = {r.dossier_id: r for r in LevelResult.objects.filter(level="district")}
    assert results[dossiers[0].pk].outcome == Outcome.FORWARDED
    assert results[dossiers[1].pk].outcome == Outcome.RECOGNISED
    assert results[dossiers[1].pk].spread == 0
    assert results[dossiers[2].pk].outcome == Outcome.RECOGNISED
    assert results[dossiers[2].pk].stars == 3
    assert results[dossiers[2].pk].details["eligible"] == 4
    assert set(session.items.values_list("state", flat=True)) == {ItemState.FINAL}
    minutes = page.request.get(f"{live_server.url}/sessions/{session.pk}/minutes.pdf")
    assert minutes.ok and minutes.body().startswith(b"%PDF")

    # 7. The province's working group finds it in its inbox and sets up its session.
    switch_user(province_officer.username)
    page.goto(f"{live_server.url}/inbox/")
    first_row = page.get_by_test_id("inbox-row").first
    expect(first_row).to_contain_text(names[0])
    first_row.locator("a").first.click()
    expect(page.get_by_text("Biên bản (PDF)").first).to_be_visible()  # the district's minutes
    _shot(page, artifacts_dir, "forwarded-check")
    page.goto(f"{live_server.url}/councils/{province.pk}/sessions/new/")
    page.locator('[name="round"]').select_option(str(round_obj.pk))
    # Today: a result is finalised on or after its session's date (step 8).
    page.locator('[name="date"]').fill(today.isoformat())
    page.locator('[name="place"]').fill("Hội trường UBND tỉnh Hoà Bình")
    page.get_by_test_id("session-save").click()
    province_session = Session.objects.get(council=province)
    page.wait_for_url(f"{live_server.url}/sessions/{province_session.pk}/agenda/")
    expect(page.locator('input[name="dossiers"]')).to_have_count(1)
    page.locator(f'input[name="dossiers"][value="{dossiers[0].pk}"]').check()
    page.get_by_test_id("agenda-save").click()
    page.wait_for_url(f"{live_server.url}/sessions/{province_session.pk}/")

    # 8. The province council scores afresh (4 stars) and its chair finalises.
    four_stars = answers_below(specs[0], Decimal(90))
    switch_user("hdt1")
    _score(page, live_server, province_session, names[0], four_stars, by_click=True)
    for n in (2, 3):
        _score_by_service(province_session.items.get(), f"hdt{n}", four_stars)
    switch_user("hdt1")
    item = province_session.items.get()
    page.goto(f"{live_server.url}/sessions/{province_session.pk}/items/{item.pk}/")
    page.get_by_test_id("finalise").click()
    expect(page.get_by_test_id("final-result")).to_be_visible()
    result = LevelResult.objects.get(level="province")
    assert (result.stars, result.outcome) == (4, Outcome.RECOGNISED)
    assert Dossier.objects.get(pk=dossiers[0].pk).state == DossierState.RECOGNISED

    switch_user(province_officer.username)
    page.goto(f"{live_server.url}/potential/")
    _shot(page, artifacts_dir, "potential")
    page.goto(f"{live_server.url}/councils/{province.pk}/")
    _shot(page, artifacts_dir, "council-detail")

    # 9. The producer reads both results, never a member's sheet.
    switch_user("htx1")
    page.goto(f"{live_server.url}/dossiers/{dossiers[0].pk}/result/")
    body = page.content()
    assert "hdh1" not in body and "Thành viên 1" not in body
    _shot(page, artifacts_dir, "producer-result")
