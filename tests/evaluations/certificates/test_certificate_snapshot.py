"""A certificate shows what was certified: the product's name and set, the producer's name,
kind and address are frozen when it is issued; while it is valid, a new name or product set
needs the OCOP office's approval (products.services.change_requests)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluations.certificates.pdf import certificate_pdf
from ocop.core.enums import Role
from ocop.core.models import AuditEntry, Notification
from products.enums import ChangeRequestState, ProducerKind
from products.models import Producer, Product, ProductChangeRequest, ProductSet
from products.services.change_requests import (
    ChangeRequestError,
    product_change_accept,
    product_change_refuse,
    product_change_request,
)
from products.services.products import product_update
from tests.evaluations.certificates.test_certificate_pdf import owner_of, pdf_text
from tests.factories import UnitFactory, user_with_role

# `results` and what it is built from: built once for the module's tests that use it.
from tests.fixtures.results_world import *  # noqa: F403


def _verify_page(client, certificate) -> str:
    response = client.get(reverse("evaluations:verify", args=[certificate.number]))
    assert response.status_code == 200
    return response.content.decode()


def _api(client, certificate) -> dict:
    response = client.get(f"/api/v1/certificates/{certificate.number}/")
    assert response.status_code == 200
    return response.json()


def test_issuing_freezes_what_was_certified(certificates):
    certificate = certificates[0]
    product, producer = certificate.product, certificate.producer

    assert certificate.product_name == product.name
    assert certificate.product_set_id == product.product_set_id
    assert certificate.producer_name == producer.name
    assert certificate.producer_kind == producer.kind
    assert certificate.producer_address == producer.full_address
    assert "Thị trấn Mãn Đức, Huyện Tân Lạc, Tỉnh Hoà Bình" in certificate.producer_address
    assert certificate.producer_address_unit_id == producer.address_unit_id


def test_a_renamed_product_and_producer_keep_their_certified_names_everywhere(client, certificates):
    certificate = certificates[0]
    certified_name = certificate.product_name
    other_set = ProductSet.objects.exclude(pk=certificate.product_set_id).order_by("number")[0]
    # However the product and its producer change later (an accepted request, the admin).
    Product.objects.filter(pk=certificate.product_id).update(
        name="Tên mới sau khi cấp", product_set=other_set
    )
    Producer.objects.filter(pk=certificate.producer_id).update(
        name="Công ty đổi tên", kind=ProducerKind.ENTERPRISE_LLC
    )

    page = _verify_page(client, certificate)
    data = _api(client, certificate)
    text = pdf_text(certificate_pdf(certificate))

    assert certified_name in page
    assert "Tên mới sau khi cấp" not in page
    assert "Công ty đổi tên" not in page
    assert data["product"]["name"] == certified_name
    assert data["product"]["product_set"] == certificate.product_set.number
    assert data["producer"] == {"name": certificate.producer_name, "kind": "cooperative"}
    assert certified_name in text
    assert "Tên mới sau khi cấp" not in text
    assert "Công ty đổi tên" not in text


def test_a_certified_product_is_not_renamed_by_editing_it(certificates, producers):
    certificate = certificates[0]
    product = certificate.product
    owner = owner_of(certificate, producers)

    with pytest.raises(ValidationError) as error:
        product_update(product=product, actor=owner, name="Tên khác")

    assert set(error.value.message_dict) == {"name"}
    product.refresh_from_db()
    assert product.name == certificate.product_name


def test_the_edit_page_ignores_a_new_name_for_a_certified_product(client, certificates, producers):
    certificate = certificates[0]
    product = certificate.product
    client.force_login(owner_of(certificate, producers))
    url = reverse("products:product_edit", args=[product.pk])

    page = client.get(url).content.decode()
    client.post(
        url,
        {"name": "Tên khác", "product_set": product.product_set_id, "description": "Mới"},
    )

    assert 'name="name"' in page and "disabled" in page
    product.refresh_from_db()
    assert product.name == certificate.product_name
    assert product.description == "Mới"  # the other fields still change


def _request(certificate, producers, **changes):
    values = {
        "name": "Tương ớt Mường Tân Lạc",
        "product_set": certificate.product.product_set,
        "reason": "Đăng ký nhãn hiệu tập thể",
        **changes,
    }
    return product_change_request(
        product=certificate.product, actor=owner_of(certificate, producers), **values
    )


def test_the_office_accepts_a_change_and_the_certificate_keeps_the_certified_name(
    client, certificates, producers, province_officer, django_capture_on_commit_callbacks
):
    certificate = certificates[0]
    audits = AuditEntry.objects.count()
    told = Notification.objects.filter(user=province_officer).count()
    with django_capture_on_commit_callbacks(execute=True):
        change = _request(certificate, producers)
    assert change.state == ChangeRequestState.PENDING
    assert Notification.objects.filter(user=province_officer).count() == told + 1

    with django_capture_on_commit_callbacks(execute=True):
        product_change_accept(change_request=change, note="", actor=province_officer)

    change.refresh_from_db()
    product = Product.objects.get(pk=certificate.product_id)
    assert change.state == ChangeRequestState.ACCEPTED
    assert product.name == "Tương ớt Mường Tân Lạc"
    assert AuditEntry.objects.count() == audits + 2
    assert list(AuditEntry.objects.order_by("-seq").values_list("action", flat=True)[:2]) == [
        "product.change_accept",
        "product.change_request",
    ]
    # Both entries belong to the producer's commune: the province's officers read them.
    assert set(AuditEntry.objects.order_by("-seq").values_list("unit_id", flat=True)[:2]) == {
        certificate.producer.address_unit_id
    }
    assert "Tương ớt Mường Tân Lạc" not in _verify_page(client, certificate)
    assert _api(client, certificate)["product"]["name"] == certificate.product_name


def test_a_refusal_needs_a_reason_and_changes_nothing(certificates, producers, province_officer):
    certificate = certificates[0]
    change = _request(certificate, producers)

    with pytest.raises(ValidationError) as error:
        product_change_refuse(change_request=change, note="  ", actor=province_officer)
    assert set(error.value.message_dict) == {"note"}

    product_change_refuse(
        change_request=change, note="Tên trùng sản phẩm khác", actor=province_officer
    )
    change.refresh_from_db()
    assert change.state == ChangeRequestState.REFUSED
    assert Product.objects.get(pk=certificate.product_id).name == certificate.product_name
    with pytest.raises(ChangeRequestError):
        product_change_accept(change_request=change, actor=province_officer)


def test_one_pending_request_a_product(certificates, producers):
    certificate = certificates[0]
    _request(certificate, producers)

    with pytest.raises(ChangeRequestError):
        _request(certificate, producers, name="Một tên khác")

    assert ProductChangeRequest.objects.count() == 1


def test_a_request_must_change_something_and_say_why(certificates, producers):
    certificate = certificates[0]

    with pytest.raises(ValidationError) as error:
        _request(certificate, producers, name=certificate.product.name, reason="")

    assert set(error.value.message_dict) == {"name", "reason"}
    assert ProductChangeRequest.objects.count() == 0


def test_only_the_province_office_of_the_area_decides(
    certificates, producers, district_officer, units
):
    certificate = certificates[0]
    change = _request(certificate, producers)
    elsewhere = UnitFactory(code="01", name="Thành phố Hà Nội", short_name="Hà Nội")
    other_province = user_with_role(Role.PROVINCE_OFFICER, elsewhere, username="hanoi")

    for officer in (district_officer, other_province, owner_of(certificate, producers)):
        with pytest.raises(PermissionDenied):
            product_change_accept(change_request=change, actor=officer)

    change.refresh_from_db()
    assert change.state == ChangeRequestState.PENDING


# --- pages ------------------------------------------------------------------------------


def test_the_member_asks_from_the_product_page(client, certificates, producers):
    certificate = certificates[0]
    product = certificate.product
    client.force_login(owner_of(certificate, producers))
    url = reverse("products:product_change_request", args=[product.pk])

    detail = client.get(reverse("products:product_detail", args=[product.pk])).content.decode()
    bad = client.post(url, {"name": "Tên mới", "product_set": product.product_set_id, "reason": ""})
    good = client.post(
        url, {"name": "Tên mới", "product_set": product.product_set_id, "reason": "Nhãn mới"}
    )

    assert url in detail
    assert bad.status_code == 200
    assert 'value="Tên mới"' in bad.content.decode()  # the form keeps what was typed
    assert good.status_code == 302
    assert ProductChangeRequest.objects.get().name == "Tên mới"
    again = client.get(reverse("products:product_detail", args=[product.pk])).content.decode()
    assert 'data-testid="pending-change"' in again


def test_others_cannot_ask(client, certificates, producers):
    certificate = certificates[0]
    _producer, stranger = next(p for p in producers if p[0] != certificate.producer)
    client.force_login(stranger)

    url = reverse("products:product_change_request", args=[certificate.product_id])

    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "X", "reason": "Y"}).status_code == 404
    assert ProductChangeRequest.objects.count() == 0


def test_the_office_decides_on_its_list(client, certificates, producers, province_officer):
    certificate = certificates[0]
    change = _request(certificate, producers)
    client.force_login(province_officer)
    listing = reverse("products:change_request_list")

    page = client.get(listing)
    refused_blank = client.post(
        reverse("products:change_request_refuse", args=[change.pk]), {f"r{change.pk}-note": ""}
    )
    accepted = client.post(
        reverse("products:change_request_accept", args=[change.pk]), {f"r{change.pk}-note": ""}
    )

    assert page.status_code == 200
    assert "Tương ớt Mường Tân Lạc" in page.content.decode()
    assert refused_blank.status_code == 200
    assert 'data-testid="form-errors"' in refused_blank.content.decode()
    assert accepted.status_code == 302
    change.refresh_from_db()
    assert change.state == ChangeRequestState.ACCEPTED


def test_the_list_is_the_office_of_the_areas_alone(
    client, certificates, producers, district_officer, units
):
    certificate = certificates[0]
    change = _request(certificate, producers)
    elsewhere = UnitFactory(code="01", name="Thành phố Hà Nội", short_name="Hà Nội")
    other_province = user_with_role(Role.PROVINCE_OFFICER, elsewhere, username="hanoi")

    client.force_login(other_province)
    assert (
        'data-testid="change-request"'
        not in client.get(reverse("products:change_request_list")).content.decode()
    )
    assert (
        client.post(reverse("products:change_request_accept", args=[change.pk])).status_code == 404
    )
    client.force_login(district_officer)
    assert client.get(reverse("products:change_request_list")).status_code == 404
    change.refresh_from_db()
    assert change.state == ChangeRequestState.PENDING


def test_the_list_does_not_query_per_request(
    client, certificates, producers, province_officer, django_assert_max_num_queries
):
    client.force_login(province_officer)
    _request(certificates[0], producers)
    with django_assert_max_num_queries(50) as one:
        client.get(reverse("products:change_request_list"))
    _request(certificates[1], producers, name="Cam Cao Phong loại 1")
    with django_assert_max_num_queries(50) as two:
        client.get(reverse("products:change_request_list"))

    assert len(two.captured_queries) == len(one.captured_queries)


def test_an_outdated_request_is_not_accepted(certificates, producers, province_officer):
    certificate = certificates[0]
    change = _request(certificate, producers)
    # The certificate ends and the producer renames the product directly meanwhile.
    Product.objects.filter(pk=certificate.product_id).update(
        name="Tên mới hẳn", certificate_number="", certificate_valid_until=None
    )

    with pytest.raises(ChangeRequestError):
        product_change_accept(change_request=change, actor=province_officer)

    assert Product.objects.get(pk=certificate.product_id).name == "Tên mới hẳn"
    product_change_refuse(change_request=change, note="Đã hết hiệu lực", actor=province_officer)
    change.refresh_from_db()
    assert change.state == ChangeRequestState.REFUSED
