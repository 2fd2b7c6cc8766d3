"""The working group's inbox and check page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.enums import DossierState
from evaluations.intake.selectors import dossiers_visible_to
from evaluations.intake.services.dossiers import dossier_accept, dossier_create, dossier_submit
from evaluations.models import Dossier, ReturnReason
from ocop.core.enums import Role
from tests.factories import producer_with_owner, product_for, user_with_role

# The ready dossier, built once per module (and per `dates` day): tests/fixtures/.
from tests.fixtures.dossier_world import *  # noqa: F403
from tests.xlsx import read_xlsx, rows_and_queries, speak

pytestmark = pytest.mark.django_db


def test_dossiers_visible_to_each_kind_of_user(
    dossier, owner, role_users, other_district_officer, units
):
    _, stranger = producer_with_owner(commune=units["commune"], username="stranger")
    commune_officer = role_users[Role.COMMUNE_OFFICER]

    assert list(dossiers_visible_to(owner)) == [dossier]
    assert list(dossiers_visible_to(role_users[Role.DISTRICT_OFFICER])) == [dossier]
    assert list(dossiers_visible_to(role_users[Role.PROVINCE_OFFICER])) == [dossier]
    # Under 148/2023 the district receives the dossier: the commune's officer is not in it.
    assert list(dossiers_visible_to(commune_officer)) == []
    assert list(dossiers_visible_to(other_district_officer)) == []
    assert list(dossiers_visible_to(stranger)) == []
    assert list(dossiers_visible_to(role_users[Role.ADMINISTRATOR])) == []


def test_inbox_lists_the_jurisdictions_dossiers_with_what_the_table_needs(
    client, ready_dossier, owner, district_officer
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    client.force_login(district_officer)

    response = client.get("/inbox/")

    assert response.status_code == 200
    assert list(response.context["dossiers"]) == [ready_dossier]
    body = response.content.decode()
    for text in ("Cam Mãn Đức", "HTX Mãn Đức", "First registration", "Submitted"):
        assert text in body


def test_inbox_filters_by_round_state_and_product_set(
    client, ready_dossier, dossier, round_148, owner, cooperative, district_officer
):
    second = dossier_create(
        round=round_148,
        product=product_for(cooperative[0], number=2, name="Trứng gà"),
        kind="first",
        actor=owner,
    )
    dossier_submit(dossier=ready_dossier, actor=owner)
    client.force_login(district_officer)

    def listed(**params):
        return {d.pk for d in client.get("/inbox/", params).context["dossiers"]}

    # It opens on what waits for the working group: the draft is not its work yet.
    assert listed() == {ready_dossier.pk}
    assert listed(state="all") == {ready_dossier.pk, second.pk}
    assert listed(state="submitted") == {ready_dossier.pk}
    assert listed(state="draft") == {second.pk}
    assert listed(state="all", product_set=second.product.product_set_id) == {second.pk}
    assert listed(state="all", round=round_148.pk) == {ready_dossier.pk, second.pk}
    assert listed(round=round_148.pk) == {ready_dossier.pk}


def test_inbox_search_ignores_case_and_diacritics(
    client, ready_dossier, dossier, round_148, owner, cooperative, district_officer
):
    second = dossier_create(
        round=round_148,
        product=product_for(cooperative[0], number=2, name="Trứng gà"),
        kind="first",
        actor=owner,
    )
    client.force_login(district_officer)

    def listed(q):
        return {d.pk for d in client.get("/inbox/", {"q": q, "state": "all"}).context["dossiers"]}

    for typed in ("trung ga", "TRỨNG GÀ", "Trứng", "ga trung"):
        assert listed(typed) == {second.pk}, typed
    # The producer's name, in any case and without tone marks, finds both of its dossiers.
    assert listed("htx man duc") == {ready_dossier.pk, second.pk}
    assert listed(cooperative[0].tax_code[:6]) == {ready_dossier.pk, second.pk}
    assert listed("trung vit") == set()


def test_an_empty_inbox_says_why_and_how_to_see_everything(client, dossier, district_officer):
    client.force_login(district_officer)

    response = client.get("/inbox/")

    assert list(response.context["dossiers"]) == []
    empty = response.content.decode()
    assert 'data-testid="inbox-empty"' in empty
    assert "Nothing waits for your working group" in empty
    assert 'href="?state=all"' in empty
    assert [d.pk for d in client.get("/inbox/?state=all").context["dossiers"]] == [dossier.pk]


def test_inbox_query_count_does_not_grow(client, round_148, cooperative, owner, district_officer):
    client.force_login(district_officer)

    def add(n):
        product = product_for(cooperative[0], number=n)
        dossier_create(round=round_148, product=product, kind="first", actor=owner)

    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get("/inbox/?state=all")
    add(2)
    add(3)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/inbox/?state=all")

    assert len(response.context["dossiers"]) == 3
    assert len(one) == len(three)


def test_inbox_is_404_for_producers(client, owner):
    client.force_login(owner)

    assert client.get("/inbox/").status_code == 404


def test_an_officer_outside_the_jurisdiction_gets_404(client, ready_dossier, owner, units):
    dossier_submit(dossier=ready_dossier, actor=owner)
    outsider = user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="dabac")
    client.force_login(outsider)

    assert client.get("/inbox/").context["dossiers"].count() == 0
    for path in ("", "return/", "accept/"):
        method = client.get if not path else client.post
        assert method(f"/inbox/{ready_dossier.pk}/{path}").status_code == 404
    assert client.get(f"/dossiers/{ready_dossier.pk}/").status_code == 404


def test_a_producer_cannot_open_the_check_page(client, ready_dossier, owner):
    client.force_login(owner)

    assert client.get(f"/inbox/{ready_dossier.pk}/").status_code == 404
    assert client.post(f"/inbox/{ready_dossier.pk}/accept/", {}).status_code == 404


def test_check_page_offers_return_and_accept_only_when_the_table_allows(
    client, ready_dossier, owner, district_officer
):
    client.force_login(district_officer)
    url = f"/inbox/{ready_dossier.pk}/"

    draft = client.get(url).content.decode()
    dossier_submit(dossier=ready_dossier, actor=owner)
    submitted = client.get(url).content.decode()
    dossier_accept(
        dossier=ready_dossier,
        samples_count=5,
        samples_received_on=timezone.localdate(),
        actor=district_officer,
    )
    accepted = client.get(url).content.decode()

    assert ('data-testid="return-form"' in draft, 'data-testid="accept-form"' in draft) == (
        False,
        False,
    )
    assert 'data-testid="return-form"' in submitted
    assert 'data-testid="accept-form"' in submitted
    assert 'name="samples_count" value="5"' in submitted
    assert 'data-testid="return-form"' not in accepted
    assert 'data-testid="accept-form"' not in accepted


def test_check_page_shows_checklist_documents_and_self_assessment(
    client, ready_dossier, owner, district_officer, library
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    client.force_login(district_officer)

    response = client.get(f"/inbox/{ready_dossier.pk}/")

    checklist = {i.kind: i.status for i in response.context["checklist"]}
    assert checklist == {
        "business_registration": "ok",
        "product_standard": "ok",
        "lab_test": "ok",
        "label": "ok",
        "product_story": "ok",
        "business_plan": "missing",
    }
    assert response.context["score"].total == 100
    body = response.content.decode()
    assert body.count('data-testid="summary-row"') == 32
    assert library["label"].title in body


def test_return_with_itemised_reasons_from_the_page(client, ready_dossier, owner, district_officer):
    dossier_submit(dossier=ready_dossier, actor=owner)
    client.force_login(district_officer)

    response = client.post(
        f"/inbox/{ready_dossier.pk}/return/",
        {
            "reasons-TOTAL_FORMS": "3",
            "reasons-INITIAL_FORMS": "0",
            "reasons-0-item": "document:lab_test",
            "reasons-0-reason": "Phiếu kiểm nghiệm mờ",
            "reasons-1-item": "criterion:A.1.a",
            "reasons-1-reason": "Thiếu hợp đồng liên kết",
            "reasons-2-item": "",
            "reasons-2-reason": "",
        },
    )

    assert response.status_code == 302
    assert Dossier.objects.get(pk=ready_dossier.pk).state == DossierState.RETURNED
    assert list(ReturnReason.objects.values_list("item_kind", "item_ref", "reason")) == [
        ("document", "lab_test", "Phiếu kiểm nghiệm mờ"),
        ("criterion", "A.1.a", "Thiếu hợp đồng liên kết"),
    ]


def test_return_without_a_reason_keeps_the_dossier_and_says_why(
    client, ready_dossier, owner, district_officer
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    client.force_login(district_officer)

    response = client.post(
        f"/inbox/{ready_dossier.pk}/return/",
        {
            "reasons-TOTAL_FORMS": "2",
            "reasons-INITIAL_FORMS": "0",
            "reasons-0-item": "document:label",
            "reasons-0-reason": "",
        },
    )

    assert response.status_code == 400
    formset = response.context["return_formset"]
    assert formset.forms[0].errors == {"reason": ["Say what is wrong with this item."]}
    assert Dossier.objects.get(pk=ready_dossier.pk).state == DossierState.SUBMITTED

    response = client.post(
        f"/inbox/{ready_dossier.pk}/return/",
        {"reasons-TOTAL_FORMS": "1", "reasons-INITIAL_FORMS": "0"},
    )
    assert response.context["return_formset"].non_form_errors() == [
        "Say what must be corrected: give at least one reason."
    ]


def test_accept_from_the_page_and_bad_samples_keep_the_input(
    client, ready_dossier, owner, district_officer
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    client.force_login(district_officer)
    today = timezone.localdate().isoformat()

    refused = client.post(
        f"/inbox/{ready_dossier.pk}/accept/", {"samples_count": "0", "samples_received_on": today}
    )
    accepted = client.post(
        f"/inbox/{ready_dossier.pk}/accept/", {"samples_count": "5", "samples_received_on": today}
    )

    assert refused.status_code == 400
    assert list(refused.context["accept_form"].errors) == ["samples_count"]
    assert accepted.status_code == 302
    dossier = Dossier.objects.get(pk=ready_dossier.pk)
    assert (dossier.state, dossier.samples_count) == (DossierState.ACCEPTED, 5)


def test_extend_deadline_page_is_the_province_officers(
    client, dossier, province_officer, district_officer
):
    client.force_login(district_officer)
    assert client.get(f"/dossiers/{dossier.pk}/extend-deadline/").status_code == 404

    client.force_login(province_officer)
    until = dossier.round.submission_deadline + timezone.timedelta(days=5)
    bad = client.post(
        f"/dossiers/{dossier.pk}/extend-deadline/",
        {"until": dossier.round.submission_deadline.isoformat(), "reason": "Mưa lũ"},
    )
    good = client.post(
        f"/dossiers/{dossier.pk}/extend-deadline/",
        {"until": until.isoformat(), "reason": "Mưa lũ"},
    )

    assert bad.status_code == 400
    assert list(bad.context["form"].errors) == ["until"]
    assert good.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).deadline_extended_to == until


def test_a_second_dossier_of_the_commune_is_in_the_same_inbox(round_148, units, district_officer):
    producer, other_owner = producer_with_owner(commune=units["commune"], username="htx2")
    dossier = dossier_create(
        round=round_148, product=product_for(producer, number=3), kind="first", actor=other_owner
    )

    assert list(dossiers_visible_to(district_officer)) == [dossier]


# --- the Excel download --------------------------------------------------------------------


def at_midnight(day):
    return datetime.datetime.combine(day, datetime.time())


def test_the_inbox_downloads_everything_its_filters_select_in_excel(
    client, ready_dossier, round_148, owner, cooperative, district_officer, monkeypatch
):
    from evaluations.intake.views.inbox import InboxView

    second = dossier_create(
        round=round_148,
        product=product_for(cooperative[0], number=2, name="Trứng gà"),
        kind="first",
        actor=owner,
    )
    dossier_submit(dossier=ready_dossier, actor=owner)
    ready_dossier.refresh_from_db()
    monkeypatch.setattr(InboxView, "paginate_by", 1)  # every row, not one page
    client.force_login(district_officer)
    speak(client, "vi")

    to_handle = read_xlsx(client.get("/inbox/", {"format": "xlsx"}))
    every = read_xlsx(client.get("/inbox/", {"format": "xlsx", "state": "all"}))
    of_round = read_xlsx(
        client.get("/inbox/", {"format": "xlsx", "state": "draft", "round": round_148.pk})
    )

    assert to_handle.title == "Hộp hồ sơ"
    assert to_handle.headers == [
        "Sản phẩm",
        "Bộ sản phẩm",
        "Chủ thể",
        "Mã số thuế",
        "Hình thức đăng ký",
        "Trạng thái",
        "Đợt đánh giá",
        "Đơn vị tiếp nhận",
        "Đã nộp",
        "Hạn",
    ]
    assert to_handle.lines == [
        f"Ngày xuất: {timezone.localdate():%d/%m/%Y}",
        "Trạng thái: Cần xử lý",
        "Đợt đánh giá: Tất cả đợt đánh giá",
        "Bộ sản phẩm: Tất cả bộ sản phẩm",
    ]
    producer = cooperative[0]
    assert to_handle.rows == [
        (
            "Cam Mãn Đức",
            str(ready_dossier.product.product_set),
            "HTX Mãn Đức",
            producer.tax_code,
            "Đăng ký lần đầu",
            "Đã nộp",
            str(round_148),
            "Huyện Tân Lạc",
            at_midnight(timezone.localdate(ready_dossier.submitted_at)),
            at_midnight(round_148.submission_deadline),
        )
    ]
    assert sorted(every.column("Sản phẩm")) == ["Cam Mãn Đức", "Trứng gà"]
    assert every.lines[1] == "Trạng thái: Tất cả trạng thái"
    assert of_round.column("Sản phẩm") == ["Trứng gà"]
    assert of_round.column("Đã nộp") == [None]
    assert of_round.lines[1:3] == ["Trạng thái: Bản nháp", f"Đợt đánh giá: {round_148}"]
    assert second.state == DossierState.DRAFT


def test_another_districts_officer_downloads_none_of_the_inbox(
    client, ready_dossier, owner, other_district_officer
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    client.force_login(other_district_officer)

    download = read_xlsx(client.get("/inbox/", {"format": "xlsx", "state": "all"}))

    assert download.rows == []


def test_the_inbox_download_is_refused_like_the_inbox(client, owner):
    assert client.get("/inbox/", {"format": "xlsx"}).status_code == 302
    client.force_login(owner)
    assert client.get("/inbox/", {"format": "xlsx"}).status_code == 404


def test_the_inbox_links_its_excel_download_with_its_filters(client, dossier, district_officer):
    client.force_login(district_officer)

    body = client.get("/inbox/", {"state": "all"}).content.decode()

    assert 'href="?state=all&amp;format=xlsx" data-testid="excel-download"' in body


def test_the_inbox_download_query_count_does_not_grow(
    client, round_148, cooperative, owner, district_officer
):
    client.force_login(district_officer)

    def add(n):
        product = product_for(cooperative[0], number=n)
        dossier_create(round=round_148, product=product, kind="first", actor=owner)

    add(1)
    one = rows_and_queries(client, "/inbox/", {"state": "all"})
    add(2)
    add(3)
    three = rows_and_queries(client, "/inbox/", {"state": "all"})

    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1]
