import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocop.core.enums import Role, UnitLevel
from ocop.core.models import AuditEntry, Notification
from products.enums import ProducerState
from products.models import Producer
from tests.factories import UnitFactory, producer_with_owner, product_for, user_with_role
from tests.xlsx import read_xlsx, rows_and_queries, speak

pytestmark = pytest.mark.django_db


def other_commune(units):
    return UnitFactory(
        level=UnitLevel.COMMUNE,
        code="04900",
        name="Xã Tu Lý",
        short_name="Tu Lý",
        division_type="xã",
        parent=units["other_district"],
    )


def test_officers_list_the_producers_of_their_jurisdiction_only(client, units, district_officer):
    here, _ = producer_with_owner(commune=units["commune"], name="HTX Mãn Đức", username="a")
    producer_with_owner(commune=other_commune(units), name="HTX Tu Lý", username="b")
    client.force_login(district_officer)

    response = client.get("/producers/")

    assert response.status_code == 200
    assert list(response.context["producers"]) == [here]
    assert "HTX Tu Lý" not in response.content.decode()


def test_the_province_officer_sees_every_district(client, units):
    officer = user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hoabinh")
    producer_with_owner(commune=units["commune"], username="a")
    producer_with_owner(commune=other_commune(units), username="b")
    client.force_login(officer)

    response = client.get("/producers/")

    assert len(response.context["producers"]) == 2


def test_commune_officers_see_their_commune(client, units):
    officer = user_with_role(Role.COMMUNE_OFFICER, units["commune"], username="manduc")
    here, _ = producer_with_owner(commune=units["commune"], username="a")
    producer_with_owner(commune=other_commune(units), username="b")
    client.force_login(officer)

    response = client.get("/producers/")

    assert list(response.context["producers"]) == [here]


def test_the_list_filters_by_state(client, units, district_officer):
    producer_with_owner(commune=units["commune"], username="a", state="verified")
    pending, _ = producer_with_owner(commune=units["commune"], username="b", state="pending")
    client.force_login(district_officer)

    response = client.get("/producers/?state=pending")

    assert list(response.context["producers"]) == [pending]
    assert client.get("/producers/?state=nonsense").context["producers"].count() == 2


def test_the_list_search_ignores_case_and_tone_marks(client, units, district_officer):
    here, _ = producer_with_owner(
        commune=units["commune"], name="HTX Mãn Đức", username="a", tax_code="5400123456"
    )
    producer_with_owner(commune=units["commune"], name="HTX Chè Tân Lạc", username="b")
    client.force_login(district_officer)

    def found(q):
        return [p.pk for p in client.get("/producers/", {"q": q}).context["producers"]]

    for typed in ("man duc", "MÃN ĐỨC", "Mãn Đức", "htx  man", "duc"):
        assert found(typed) == [here.pk], typed
    assert found("5400 123") == [here.pk]
    assert found("man lac") == []


def test_the_officer_list_query_count_does_not_grow(client, units, district_officer):
    client.force_login(district_officer)
    first, _ = producer_with_owner(commune=units["commune"], username="a")
    product_for(first)
    with CaptureQueriesContext(connection) as one:
        response = client.get("/producers/")
    assert len(response.context["producers"]) == 1
    for name in ("b", "c"):
        producer, _ = producer_with_owner(commune=units["commune"], username=name)
        product_for(producer)
        product_for(producer)

    with CaptureQueriesContext(connection) as three:
        response = client.get("/producers/")

    assert len(response.context["producers"]) == 3
    assert len(three) == len(one)


def test_producer_members_and_the_public_cannot_open_the_list(client, producer):
    _producer, owner = producer
    assert client.get("/producers/").status_code == 302
    client.force_login(owner)
    assert client.get("/producers/").status_code == 404


def test_detail_outside_the_jurisdiction_is_404(client, units, producer, other_district_officer):
    client.force_login(other_district_officer)

    assert client.get(f"/producers/{producer[0].pk}/").status_code == 404
    assert client.post(f"/producers/{producer[0].pk}/verify/").status_code == 404
    producer[0].refresh_from_db()
    assert producer[0].state == ProducerState.PENDING


def test_officer_verifies_a_pending_producer_from_its_page(
    client, producer, district_officer, django_capture_on_commit_callbacks, run_tasks
):
    producer, owner = producer
    client.force_login(district_officer)
    page = client.get(f"/producers/{producer.pk}/")
    assert 'data-testid="producer-verify"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/producers/{producer.pk}/verify/")
    run_tasks()

    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.state == ProducerState.VERIFIED
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert Notification.objects.filter(user=owner).count() == 1
    page = client.get(f"/producers/{producer.pk}/")
    assert 'data-testid="producer-verify"' not in page.content.decode()


def test_the_profile_names_the_kind_of_producer_not_of_document(client, producer, district_officer):
    producer, _owner = producer
    client.force_login(district_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    html = client.get(f"/producers/{producer.pk}/").content.decode()

    assert "Loại hình chủ thể" in html
    assert "Loại tài liệu" not in html  # "Kind" is a document's kind elsewhere


def test_verifying_twice_shows_a_clear_refusal(client, producer, district_officer):
    producer, _owner = producer
    client.force_login(district_officer)
    client.post(f"/producers/{producer.pk}/verify/")

    response = client.post(f"/producers/{producer.pk}/verify/", follow=True)

    assert 'data-state="verified"' in response.content.decode()
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert AuditEntry.objects.filter(action="producer.verify").count() == 1


def test_verify_is_post_only(client, producer, district_officer):
    client.force_login(district_officer)

    assert client.get(f"/producers/{producer[0].pk}/verify/").status_code == 405


def test_officer_returns_a_producer_with_a_reason_the_members_read(
    client, producer, district_officer, django_capture_on_commit_callbacks, run_tasks
):
    producer, owner = producer
    client.force_login(district_officer)
    assert client.get(f"/producers/{producer.pk}/reject/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/producers/{producer.pk}/reject/", {"reason": "Mã số thuế không khớp giấy phép."}
        )
    run_tasks()

    assert response.status_code == 302
    producer.refresh_from_db()
    assert (producer.state, producer.state_reason) == (
        ProducerState.REJECTED,
        "Mã số thuế không khớp giấy phép.",
    )
    assert "Mã số thuế không khớp giấy phép." in mail.outbox[0].body
    client.force_login(owner)
    desk = client.get("/producer/").content.decode()
    assert "Mã số thuế không khớp giấy phép." in desk
    assert 'data-testid="producer-resubmit"' in desk


def test_reject_without_a_reason_keeps_the_form(client, producer, district_officer):
    client.force_login(district_officer)

    response = client.post(f"/producers/{producer[0].pk}/reject/", {"reason": ""})

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors


def test_a_returned_producer_is_corrected_and_resubmitted_by_its_members(client, units):
    """Recorded in Mãn Đức (old map), the producer corrects its profile on today's map: its
    address moves to Xã Tân Lạc, whose commune officer hears of it."""
    commune_officer = user_with_role(Role.COMMUNE_OFFICER, units["new_commune"], username="xa")
    producer, owner = producer_with_owner(commune=units["commune"], state="rejected")
    client.force_login(owner)
    edit = client.get("/producer/edit/")
    assert edit.status_code == 200
    data = {
        **{k: v for k, v in edit.context["form"].initial.items() if v is not None},
        "tax_code": "5400777777",
        "representative_ethnic_minority": "on",
    }

    response = client.post("/producer/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    response = client.post("/producer/resubmit/")

    assert response.status_code == 302
    producer.refresh_from_db()
    assert (producer.tax_code, producer.state, producer.state_reason) == (
        "5400777777",
        ProducerState.PENDING,
        "",
    )
    assert producer.address_unit == units["new_commune"]
    assert Notification.objects.filter(user=commune_officer).count() == 1


def test_a_verified_producer_cannot_be_edited_or_resubmitted(client, units):
    producer, owner = producer_with_owner(commune=units["commune"], state="verified")
    client.force_login(owner)

    assert client.get("/producer/edit/").status_code == 302
    response = client.post("/producer/resubmit/", follow=True)

    producer.refresh_from_db()
    assert producer.state == ProducerState.VERIFIED
    assert [m.level_tag for m in response.context["messages"]] == ["error", "error"]


def test_officer_creates_a_producer_in_the_jurisdiction(client, units):
    officer = user_with_role(Role.COMMUNE_OFFICER, units["new_commune"], username="xa")
    client.force_login(officer)
    page = client.get("/producers/new/")
    assert page.status_code == 200
    assert page.context["form"].initial == {
        "province": units["new_province"].pk,
        "commune": units["new_commune"].pk,
    }

    response = client.post(
        "/producers/new/",
        {
            "kind": "household",
            "name": "Hộ kinh doanh Bùi Thị Hoa",
            "registration_no": "5400555555",
            "tax_code": "5400555555",
            "representative_name": "Bùi Thị Hoa",
            "representative_title": "Chủ hộ",
            "representative_gender": "female",
            "province": units["new_province"].pk,
            "commune": units["new_commune"].pk,
            "phone": "0912000111",
        },
    )

    assert response.status_code == 302
    producer = Producer.objects.get()
    assert producer.state == ProducerState.PENDING
    assert response["Location"] == f"/producers/{producer.pk}/"


def test_producer_members_cannot_create_producers(client, producer):
    client.force_login(producer[1])

    assert client.get("/producers/new/").status_code == 404


# --- the Excel download --------------------------------------------------------------------


def test_the_excel_download_lists_what_the_filters_select_in_vietnamese(
    client, units, district_officer, monkeypatch
):
    from products.views.producers import ProducerListView

    here, _ = producer_with_owner(
        commune=units["commune"], name="HTX Mãn Đức", username="a", tax_code="0540012345"
    )
    product_for(here)
    product_for(here, number=2)
    producer_with_owner(commune=units["commune"], name="HTX Chè", username="b", state="pending")
    producer_with_owner(commune=other_commune(units), name="HTX Tu Lý", username="c")
    monkeypatch.setattr(ProducerListView, "paginate_by", 1)  # every row, not one page
    client.force_login(district_officer)
    speak(client, "vi")

    everything = read_xlsx(client.get("/producers/", {"format": "xlsx"}))
    verified = read_xlsx(client.get("/producers/", {"format": "xlsx", "state": "verified"}))

    assert everything.title == "Chủ thể"
    assert everything.headers == [
        "Tên",
        "Loại",
        "Mã số thuế",
        "Địa chỉ",
        "Trạng thái",
        "Sản phẩm",
        "Ngày đăng ký",
    ]
    assert sorted(everything.column("Tên")) == ["HTX Chè", "HTX Mãn Đức"]  # not Tu Lý's
    assert everything.lines == [
        f"Ngày xuất: {timezone.localdate():%d/%m/%Y}",
        "Trạng thái: Tất cả",
    ]
    assert everything.filename == f"chu-the-{timezone.localdate().isoformat()}.xlsx"
    [row] = verified.rows
    assert verified.lines[1:] == ["Trạng thái: Đã kiểm tra hợp lệ"]
    assert row == (
        "HTX Mãn Đức",
        "Hợp tác xã (HTX)",
        "0540012345",  # a tax code keeps its leading zero: it is text
        "Thị trấn Mãn Đức, Huyện Tân Lạc, Tỉnh Hoà Bình",
        "Đã kiểm tra hợp lệ",
        2,
        datetime.datetime.combine(timezone.localdate(here.created_at), datetime.time()),
    )
    sheet = verified.sheet
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth) == ("landscape", 1)


def test_the_excel_download_follows_the_users_language(client, units, district_officer):
    producer_with_owner(commune=units["commune"], name="HTX Mãn Đức", username="a")
    client.force_login(district_officer)
    speak(client, "en")

    download = read_xlsx(client.get("/producers/", {"format": "xlsx", "q": "man duc"}))

    assert download.title == "Producers"
    assert download.headers[:3] == ["Name", "Kind", "Tax code"]
    assert download.lines[1:] == ["Name or tax code: man duc", "State: All"]
    assert download.column("Name") == ["HTX Mãn Đức"]


def test_another_districts_officer_downloads_none_of_these_producers(
    client, units, other_district_officer
):
    producer_with_owner(commune=units["commune"], name="HTX Mãn Đức", username="a")
    tu_ly, _ = producer_with_owner(commune=other_commune(units), name="HTX Tu Lý", username="b")
    client.force_login(other_district_officer)

    download = read_xlsx(client.get("/producers/", {"format": "xlsx"}))

    assert download.column("Name") == [tu_ly.name]


def test_the_excel_download_is_refused_like_the_list(client, producer):
    _producer, owner = producer
    assert client.get("/producers/", {"format": "xlsx"}).status_code == 302
    client.force_login(owner)
    assert client.get("/producers/", {"format": "xlsx"}).status_code == 404


def test_the_list_links_its_excel_download_with_its_filters(client, units, district_officer):
    client.force_login(district_officer)

    body = client.get("/producers/", {"state": "pending", "page": "1"}).content.decode()

    assert 'href="?state=pending&amp;format=xlsx" data-testid="excel-download"' in body


def test_the_excel_download_query_count_does_not_grow(client, units, district_officer):
    client.force_login(district_officer)
    first, _ = producer_with_owner(commune=units["commune"], username="a")
    product_for(first)
    one = rows_and_queries(client, "/producers/", {})
    for name in ("b", "c"):
        producer, _ = producer_with_owner(commune=units["commune"], username=name)
        product_for(producer)

    three = rows_and_queries(client, "/producers/", {})

    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1]
