"""The result page for the producer, the province office's potential list and the leniency
page of a council's chair and secretary."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.councils.services.scoring import (
    conflict_declare,
    item_finalise,
    item_record_discussion,
)
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.selectors import form_spec
from evaluations.enums import ItemState, Outcome
from evaluations.models import Council, LevelResult
from ocop.core.enums import Role
from ocop.core.search import fold
from tests.evaluations.councils.conftest import accepted_dossier, answers_at, score, total_of
from tests.evaluations.intake.conftest import open_round
from tests.factories import UnitFactory, product_for, user_with_role

# `items` and what they are built from: built once for the module's tests that use them.
from tests.fixtures.items_world import *  # noqa: F403
from tests.xlsx import read_xlsx, rows_and_queries, speak

D = Decimal


@pytest.fixture(autouse=True)
def _db(db):
    pass


def scoring(members):
    """chair, vice-chair, member 3, member 4, member 5."""
    return members["chair"] + members["vice_chair"] + members["member"]


def finalise(item, members, choices, comments="", discussion=""):
    """Each scoring member in `choices` (member → "best"/"worst"/"mid") submits; the chair
    records the discussion if given, then finalises."""
    for member, choice in choices.items():
        score(item, member, choice)
    chair = members["chair"][0].user
    if discussion:
        # These results come from a council whose rules let the written discussion alone
        # clear a wide spread (by default the members re-score as well).
        Council.objects.filter(pk=item.session.council_id).update(discussion_clears_spread=True)
        item_record_discussion(item=item, conclusion=discussion, actor=chair)
    return item_finalise(item=item, comments=comments, actor=chair)


def options_points(spec, choice):
    """Leaf key → the points of the `choice` option, for every leaf answered."""
    answers = answers_at(spec, choice)
    points = {}
    for leaf in spec.leaf_criteria():
        if leaf.key in answers:
            points[leaf.key] = next(o.points for o in leaf.options if o.key == answers[leaf.key])
    return points


def form_order(spec):
    return {c.key: i for i, c in enumerate(spec.criteria())}


# --- the result page ----------------------------------------------------------------------


@pytest.fixture
def mixed(items, members):
    """Mật ong bạc hà (set 2): four members score the middle options, one the best; the
    council discusses the spread and the chair finalises with comments."""
    team = scoring(members)
    choices = dict.fromkeys(team, "mid")
    choices[team[1]] = "best"
    return finalise(
        items[1],
        members,
        choices,
        comments="Bổ sung công bố chất lượng sản phẩm.",
        discussion="Hội đồng thống nhất giữ kết quả.",
    )


def test_the_producer_sees_the_councils_result(client, mixed, dossiers, producers, items):
    spec = form_spec(dossiers[1].scoring_form)
    mean = (4 * total_of(spec, "mid") + total_of(spec, "best")) / 5
    assert mean == D("72.8")
    client.force_login(producers[1][1])

    response = client.get(f"/dossiers/{dossiers[1].pk}/result/")

    assert response.status_code == 200
    body = response.content.decode()
    [entry] = response.context["entries"]
    result = entry.result
    assert (result.display_mean, result.stars, result.band_stars) == (D("72.80"), 2, 4)
    assert "72.80" in body
    assert 'data-testid="stars" title="2 stars">★★</span>' in body
    assert "Not recognised" in body
    assert result.reason in body
    assert "Bổ sung công bố chất lượng sản phẩm." in body
    assert 'data-testid="capped"' in body
    # Parts: mean of (4 × middle + best) / 5 against the part's maximum.
    assert [(p.key, p.mean, p.max_points) for p in entry.report.parts] == [
        ("A", D(32), D(40)),
        ("B", D(17), D(25)),
        ("C", D("23.8"), D(35)),
    ]
    assert "32.00 / 40" in body and "17.00 / 25" in body and "23.80 / 35" in body
    # The 3★ minimum of C.8.a (2 points) is not reached: (4 × 1 + 2) / 5 = 1.2.
    [failed] = entry.report.failed_minimums
    assert (failed.key, failed.stars, failed.points, failed.mean) == ("C.8.a", 3, D(2), D("1.2"))
    assert "3★ or more needs 2 points; the council's mean is 1.20." in body
    assert 'data-testid="criterion-row" data-key="C.8.a" class="table-danger"' in body
    # Where points were lost: each leaf lost 4/5 of (best − middle); the 10 largest first.
    mid, best = options_points(spec, "mid"), options_points(spec, "best")
    order = form_order(spec)
    expected = sorted(((best[k] - mid[k]) * D("0.8"), k) for k in mid if best[k] > mid[k])
    expected = sorted(expected, key=lambda g: (-g[0], order[g[1]]))[:10]
    assert [(g.key, g.gap) for g in entry.report.gaps] == [(k, gap) for gap, k in expected]
    assert body.count('data-testid="gap"') == 10


def test_the_producer_never_sees_members_or_their_totals(client, mixed, dossiers, producers):
    client.force_login(producers[1][1])

    body = client.get(f"/dossiers/{dossiers[1].pk}/result/").content.decode()

    for member in mixed.item.session.council.members.select_related("user"):
        assert member.user.get_full_name() not in body
        assert member.user.username not in body
    # The members' totals were 66 and 100; only the mean is shown.
    assert "66.00" not in body and "100.00" not in body
    assert ">66<" not in body and "66 /" not in body


def test_results_are_shown_by_level_oldest_first(
    client, items, members, dossiers, producers, province_council, round_148, province_officer
):
    team = scoring(members)
    district = finalise(items[2], members, dict.fromkeys(team, "best"))
    assert district.outcome == "forwarded"
    session = session_create(
        council=province_council,
        round=round_148,
        date=timezone.localdate(),
        place="UBND tỉnh",
        actor=province_officer,
    )
    [item] = session_add_dossiers(session=session, dossiers=[dossiers[2]], actor=province_officer)
    province_members = list(province_council.members.select_related("user").order_by("pk"))
    for member in province_members:
        score(item, member, "mid")
    item_finalise(item=item, actor=next(m for m in province_members if m.is_chair).user)
    client.force_login(producers[2][1])

    response = client.get(f"/dossiers/{dossiers[2].pk}/result/")

    assert [e.result.level for e in response.context["entries"]] == ["district", "province"]
    assert [e.result.display_mean for e in response.context["entries"]] == [D(100), D(66)]


def test_no_result_yet_is_a_plain_message(client, items, dossiers, producers):
    client.force_login(producers[0][1])

    response = client.get(f"/dossiers/{dossiers[0].pk}/result/")

    assert response.status_code == 200
    assert "No council has a final result for this dossier yet." in response.content.decode()


def test_a_result_not_final_is_not_shown(client, items, members, dossiers, producers):
    for member in scoring(members):
        score(items[0], member, "best")
    client.force_login(producers[0][1])

    response = client.get(f"/dossiers/{dossiers[0].pk}/result/")

    assert response.context["entries"] == []


def test_the_working_group_sees_the_result(client, mixed, dossiers, district_officer):
    client.force_login(district_officer)

    assert client.get(f"/dossiers/{dossiers[1].pk}/result/").status_code == 200


def test_the_result_page_is_404_for_others(client, mixed, dossiers, producers, units, members):
    url = f"/dossiers/{dossiers[1].pk}/result/"
    outsider = user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="x")
    for user in (producers[0][1], outsider, members["hdh3"].user):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_result_page_asks_anonymous_users_to_log_in(client, mixed, dossiers):
    response = client.get(f"/dossiers/{dossiers[1].pk}/result/")

    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


# --- the council results card on the dossier pages -----------------------------------------


def test_the_dossier_page_lists_the_council_results(client, mixed, dossiers, producers):
    client.force_login(producers[1][1])

    body = client.get(f"/dossiers/{dossiers[1].pk}/").content.decode()

    assert 'data-testid="council-results"' in body
    assert "72.80" in body
    assert f"/dossiers/{dossiers[1].pk}/result/" in body
    # The minutes are for officers.
    assert "minutes.pdf" not in body


def test_the_check_page_links_the_minutes_for_the_working_group(
    client, mixed, dossiers, district_officer
):
    client.force_login(district_officer)

    body = client.get(f"/inbox/{dossiers[1].pk}/").content.decode()

    assert 'data-testid="council-results"' in body
    assert f"/sessions/{mixed.item.session_id}/minutes.pdf" in body
    assert f"/dossiers/{dossiers[1].pk}/result/" in body


def test_no_card_without_a_final_result(client, items, dossiers, producers):
    client.force_login(producers[0][1])

    body = client.get(f"/dossiers/{dossiers[0].pk}/").content.decode()

    assert 'data-testid="council-results"' not in body


# --- the potential list -------------------------------------------------------------------


@pytest.fixture
def three_results(items, members, mixed):
    """Gạo nếp cẩm: all worst (12, 1★); Mật ong bạc hà: 72.80 capped at 2★ (`mixed`);
    Chè shan tuyết: all best (100, forwarded)."""
    team = scoring(members)
    worst = finalise(items[0], members, dict.fromkeys(team, "worst"))
    best = finalise(items[2], members, dict.fromkeys(team, "best"))
    return worst, mixed, best


def test_the_province_office_sees_the_potential_list(
    client, three_results, province_officer, dossiers, round_148
):
    client.force_login(province_officer)

    response = client.get("/potential/")

    assert response.status_code == 200
    rows = response.context["rows"]
    # Highest score first; the forwarded product is not on the list.
    assert [r.dossier.pk for r in rows] == [dossiers[1].pk, dossiers[0].pk]
    body = response.content.decode()
    assert "Gạo nếp cẩm" in body and "Mật ong bạc hà" in body
    assert "Chè shan tuyết" not in body
    assert "HTX Số 1" in body and "HTX Số 2" in body
    assert "Huyện Tân Lạc" in body
    assert str(round_148) in body
    assert "72.80" in body and "12.00" in body
    # Mật ong bạc hà: held back by C.8.a; above 50, so no gap list.
    honey = rows[0]
    assert [(f.key, f.label, f.points, f.mean) for f in honey.failed] == [
        ("C.8.a", "a) Công bố chất lượng sản phẩm", D(2), D("1.2"))
    ]
    assert honey.gaps == ()
    assert "C.8.a a) Công bố chất lượng sản phẩm: needs 2 for 3★, mean 1.2" in body
    # Gạo nếp cẩm: 12 points, no minimum failed (already 1★): the 5 largest gaps.
    rice = rows[1]
    assert rice.failed == ()
    spec = form_spec(dossiers[0].scoring_form)
    worst_points, best_points = options_points(spec, "worst"), options_points(spec, "best")
    order = form_order(spec)
    expected = sorted(
        ((best_points[k] - worst_points[k], k) for k in worst_points),
        key=lambda g: (-g[0], order[g[1]]),
    )[:5]
    assert [(g.key, g.gap) for g in rice.gaps] == [(k, gap) for gap, k in expected]
    assert body.count('data-testid="gaps"') == 1


def test_a_recognised_product_is_listed_only_if_it_failed_a_minimum(
    client, three_results, province_officer, dossiers
):
    """The list reads the outcome and the failed minimums of the stored result."""
    worst, mixed, _best = three_results
    LevelResult.objects.filter(pk__in=[worst.pk, mixed.pk]).update(outcome=Outcome.RECOGNISED)
    client.force_login(province_officer)

    response = client.get("/potential/")

    # Mật ong bạc hà failed the 3★ minimum of C.8.a; Gạo nếp cẩm failed none.
    assert [r.dossier.pk for r in response.context["rows"]] == [dossiers[1].pk]
    assert "Recognised at this level" in response.content.decode()


def test_the_potential_list_filters_by_round(
    client, three_results, province_officer, units, round_148
):
    other = open_round(province_officer, units["province"], number=2)
    client.force_login(province_officer)

    assert len(client.get("/potential/", {"round": other.pk}).context["rows"]) == 0
    response = client.get("/potential/", {"round": round_148.pk})
    assert len(response.context["rows"]) == 2
    assert response.context["selected_round"] == round_148
    assert f'<option value="{other.pk}">' in response.content.decode()
    # An unknown round is ignored.
    assert len(client.get("/potential/", {"round": "999999"}).context["rows"]) == 2


def test_the_potential_list_searches_products_and_producers_without_tone_marks(
    client, three_results, province_officer
):
    client.force_login(province_officer)
    rows = client.get("/potential/").context["rows"]
    first = rows[0].dossier.product

    found = client.get("/potential/", {"q": fold(first.name).upper()}).context["rows"]

    assert first.pk in {r.dossier.product_id for r in found}
    assert client.get("/potential/", {"q": "khong co"}).context["rows"] == []


def test_only_the_latest_result_of_a_product_counts(
    client, items, members, province_officer, units, district_council, district_officer, producers
):
    team = scoring(members)
    finalise(items[0], members, dict.fromkeys(team, "worst"))
    later = open_round(province_officer, units["province"], number=2)
    dossier = accepted_dossier(later, items[0].dossier.product, producers[0][1])
    session = session_create(
        council=district_council,
        round=later,
        date=timezone.localdate() + datetime.timedelta(days=1),
        place="UBND huyện",
        actor=district_officer,
    )
    [item] = session_add_dossiers(session=session, dossiers=[dossier], actor=district_officer)
    # A result is finalised on or after its session's date: the later session meets tomorrow.
    with time_machine.travel(
        datetime.datetime.combine(
            session.date, datetime.time(10), tzinfo=timezone.get_current_timezone()
        ),
        tick=True,
    ):
        finalise(item, members, dict.fromkeys(team, "best"))
    client.force_login(province_officer)

    assert client.get("/potential/").context["rows"] == []
    rows = client.get("/potential/", {"round": items[0].dossier.round_id}).context["rows"]
    assert [r.dossier.pk for r in rows] == [items[0].dossier.pk]


def test_another_province_sees_none_of_it(client, three_results):
    province = UnitFactory(code="19", name="Tỉnh Thái Nguyên", short_name="Thái Nguyên")
    officer = user_with_role(Role.PROVINCE_OFFICER, province, username="tn")
    client.force_login(officer)

    response = client.get("/potential/")

    assert response.status_code == 200
    assert response.context["rows"] == []


def test_the_potential_list_is_404_for_everyone_else(
    client, three_results, district_officer, producers, members, units
):
    outsider = user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="x")
    for user in (district_officer, outsider, producers[1][1], members["chair"][0].user):
        client.force_login(user)
        assert client.get("/potential/").status_code == 404


def test_the_potential_list_query_count_does_not_grow(
    client, session, members, producers, province_officer, district_officer, round_148
):
    """Three products of the same product set: one spec read for all rows."""
    dossiers = [
        accepted_dossier(round_148, product_for(producer, number=1, name=f"Gạo {i}"), owner)
        for i, (producer, owner) in enumerate(producers, start=1)
    ]
    items = session_add_dossiers(session=session, dossiers=dossiers, actor=district_officer)
    quorum = scoring(members)[:4]  # the chair and three others: 4 of 5
    client.force_login(province_officer)

    finalise(items[0], members, dict.fromkeys(quorum, "worst"))
    with CaptureQueriesContext(connection) as one:
        first = client.get("/potential/")
    finalise(items[1], members, dict.fromkeys(quorum, "worst"))
    finalise(items[2], members, dict.fromkeys(quorum, "worst"))
    with CaptureQueriesContext(connection) as three:
        response = client.get("/potential/")

    assert len(first.context["rows"]) == 1
    assert len(response.context["rows"]) == 3
    assert len(one) == len(three)


def test_the_potential_list_downloads_in_excel(
    client, three_results, province_officer, dossiers, round_148, monkeypatch
):
    from evaluations.councils.views.results import PotentialListView

    monkeypatch.setattr(PotentialListView, "paginate_by", 1)  # every row, not one page
    client.force_login(province_officer)
    speak(client, "vi")

    download = read_xlsx(client.get("/potential/", {"format": "xlsx"}))
    of_round = read_xlsx(client.get("/potential/", {"format": "xlsx", "round": round_148.pk}))

    assert download.title == "Sản phẩm tiềm năng"
    assert download.headers == [
        "Sản phẩm",
        "Bộ sản phẩm",
        "Chủ thể",
        "Huyện",
        "Đợt đánh giá",
        "Điểm",
        "Hạng sao",
        "Cấp",
        "Nguyên nhân",
    ]
    assert download.lines == [
        f"Ngày xuất: {timezone.localdate():%d/%m/%Y}",
        "Tỉnh: Tỉnh Hoà Bình",
        "Đợt đánh giá: Tất cả đợt đánh giá",
    ]
    assert of_round.lines[2] == f"Đợt đánh giá: {round_148}"
    # Highest score first, as on the page; the forwarded product is not on it.
    honey, rice = download.rows
    assert honey[:8] == (
        "Mật ong bạc hà",
        str(dossiers[1].scoring_form.product_set),
        "HTX Số 2",
        "Huyện Tân Lạc",
        str(round_148),
        72.8,
        2,
        "Huyện",
    )
    assert honey[8] == (
        "Không công nhận\nC.8.a a) Công bố chất lượng sản phẩm: cần 2 cho 3★, trung bình 1,20"
    )
    assert (rice[0], rice[5], rice[6]) == ("Gạo nếp cẩm", 12, 1)
    held_back = rice[8].split("\n")
    assert held_back[:2] == ["Không công nhận", "Dưới 50 điểm; các tiêu chí thiếu nhiều nhất:"]
    assert len(held_back) == 2 + 5  # the five largest gaps
    score = download.cells("Điểm")[0]
    assert (score.data_type, score.number_format) == ("n", "0.00")
    assert of_round.rows == download.rows


def test_another_province_downloads_none_of_the_potential_list(client, three_results):
    province = UnitFactory(code="19", name="Tỉnh Thái Nguyên", short_name="Thái Nguyên")
    client.force_login(user_with_role(Role.PROVINCE_OFFICER, province, username="tn"))

    download = read_xlsx(client.get("/potential/", {"format": "xlsx"}))

    assert download.rows == []
    assert download.lines[1] == "Province: Tỉnh Thái Nguyên"


def test_the_potential_download_is_refused_like_the_list(
    client, three_results, district_officer, producers
):
    assert client.get("/potential/", {"format": "xlsx"}).status_code == 302
    for user in (district_officer, producers[1][1]):
        client.force_login(user)
        assert client.get("/potential/", {"format": "xlsx"}).status_code == 404


def test_the_potential_list_links_its_excel_download(client, three_results, province_officer):
    client.force_login(province_officer)

    body = client.get("/potential/", {"q": "gao"}).content.decode()

    assert 'href="?q=gao&amp;format=xlsx" data-testid="excel-download"' in body


def test_the_potential_download_query_count_does_not_grow(
    client, session, members, producers, province_officer, district_officer, round_148
):
    dossiers = [
        accepted_dossier(round_148, product_for(producer, number=1, name=f"Gạo {i}"), owner)
        for i, (producer, owner) in enumerate(producers, start=1)
    ]
    items = session_add_dossiers(session=session, dossiers=dossiers, actor=district_officer)
    quorum = scoring(members)[:4]
    client.force_login(province_officer)

    finalise(items[0], members, dict.fromkeys(quorum, "worst"))
    one = rows_and_queries(client, "/potential/", {})
    finalise(items[1], members, dict.fromkeys(quorum, "worst"))
    finalise(items[2], members, dict.fromkeys(quorum, "worst"))
    three = rows_and_queries(client, "/potential/", {})

    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1]


# --- leniency -----------------------------------------------------------------------------


@pytest.fixture
def leniency_session(items, members):
    """Gạo nếp cẩm: the chair gives the best (100), the others the middle (65): mean 72.
    Mật ong bạc hà: member 5 recused; the vice-chair gives the best (100), the others the
    middle (66): mean 74.5. Chè shan tuyết: scored, not final."""
    chair, vice, m3, m4, m5 = scoring(members)
    spec0 = form_spec(items[0].dossier.scoring_form)
    spec1 = form_spec(items[1].dossier.scoring_form)
    assert (total_of(spec0, "best"), total_of(spec0, "mid")) == (D(100), D(65))
    assert (total_of(spec1, "best"), total_of(spec1, "mid")) == (D(100), D(66))
    first = finalise(
        items[0],
        members,
        {chair: "best", vice: "mid", m3: "mid", m4: "mid", m5: "mid"},
        discussion="Thống nhất.",
    )
    conflict_declare(item=items[1], has_conflict=True, reason="Người nhà", actor=m5.user)
    second = finalise(
        items[1],
        members,
        {chair: "mid", vice: "best", m3: "mid", m4: "mid"},
        discussion="Thống nhất.",
    )
    for member in (chair, vice, m3, m4, m5):
        score(items[2], member, "worst")
    assert (first.mean, second.mean) == (D(72), D("74.5"))
    return items[0].session


def test_the_chair_sees_each_members_leniency(client, leniency_session, members):
    client.force_login(members["chair"][0].user)

    response = client.get(f"/sessions/{leniency_session.pk}/leniency/")

    assert response.status_code == 200
    rows = {r.member.user.username: r.figures for r in response.context["rows"]}
    assert list(rows) == ["hdh1", "hdh2", "hdh3", "hdh4", "hdh5"]  # the secretary scores not
    # Deviations: chair +28 and −8.5; vice-chair −7 and +25.5; members 3, 4 −7 and −8.5;
    # member 5 (recused from the second) −7; the third product is not final.
    figures = {
        name: (f.count, f.mean_deviation, f.min_deviation, f.max_deviation)
        for name, f in rows.items()
    }
    assert figures == {
        "hdh1": (2, D("9.75"), D("-8.5"), D(28)),
        "hdh2": (2, D("9.25"), D(-7), D("25.5")),
        "hdh3": (2, D("-7.75"), D("-8.5"), D(-7)),
        "hdh4": (2, D("-7.75"), D("-8.5"), D(-7)),
        "hdh5": (1, D(-7), D(-7), D(-7)),
    }
    body = response.content.decode()
    assert "+9.75" in body and "-8.50" in body and "+28.00" in body and "-7.75" in body
    assert "positive means more lenient" in body
    assert response.context["final_count"] == 2


def test_the_secretary_sees_the_leniency_page(client, leniency_session, members):
    client.force_login(members["hdhtk"].user)

    assert client.get(f"/sessions/{leniency_session.pk}/leniency/").status_code == 200


def test_before_any_result_is_final_nothing_is_revealed(client, session, items, members):
    for member in scoring(members):
        score(items[0], member, "best")
    assert items[0].session.items.filter(state=ItemState.FINAL).count() == 0
    client.force_login(members["chair"][0].user)

    response = client.get(f"/sessions/{session.pk}/leniency/")

    assert all(r.figures.count == 0 for r in response.context["rows"])
    assert "100.00" not in response.content.decode()


def test_the_leniency_page_is_404_for_others(
    client, leniency_session, members, district_officer, producers, units
):
    url = f"/sessions/{leniency_session.pk}/leniency/"
    outsider = user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="x")
    for user in (
        members["hdh3"].user,
        members["vice_chair"][0].user,
        district_officer,
        outsider,
        producers[0][1],
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
