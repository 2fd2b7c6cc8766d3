"""A producer recorded on the old map says which commune of today's map it lies in (issue 12:
"asked once when its old commune was split")."""

import pytest

from ocop.core.enums import Role
from ocop.core.models import AuditEntry, UnitSuccession
from tests.factories import producer_with_owner, user_with_role

pytestmark = pytest.mark.django_db


def _split(units):
    """Mãn Đức's territory went partly to Xã Tân Lạc and partly to Xã Đà Bắc."""
    other = units["new_province"].children.get(code="04831")
    UnitSuccession.objects.filter(old=units["commune"]).update(partly=True)
    UnitSuccession.objects.create(old=units["commune"], new=other, partly=True)
    return other


def test_a_member_records_the_address_on_todays_map_from_the_desk(client, units):
    producer, owner = producer_with_owner(commune=units["commune"])
    client.force_login(owner)

    desk = client.get("/producer/")
    response = client.post(
        f"/producers/{producer.pk}/locate/", {"commune": units["new_commune"].pk}
    )

    assert 'data-testid="locate-form"' in desk.text
    assert response.status_code == 302 and response.url == "/producer/"
    producer.refresh_from_db()
    assert producer.address_unit == units["new_commune"]
    entry = AuditEntry.objects.get(action="producer.locate_on_todays_map")
    assert entry.data["from"]["code"] == "05128" and entry.data["to"]["scheme"] == "2tier"
    assert entry.data["split"] is False
    after = client.get("/producer/")
    assert 'data-testid="locate-form"' not in after.text
    assert 'data-testid="address-now"' not in after.text


def test_a_split_commune_asks_which_commune_and_refuses_any_other(client, units):
    other = _split(units)
    producer, owner = producer_with_owner(commune=units["commune"])
    client.force_login(owner)

    desk = client.get("/producer/")
    wrong = client.post(
        f"/producers/{producer.pk}/locate/", {"commune": units["province"].pk}, follow=True
    )
    producer.refresh_from_db()
    assert producer.address_unit == units["commune"]
    right = client.post(f"/producers/{producer.pk}/locate/", {"commune": other.pk})

    assert "Which of these communes is the producer in today?" in desk.text
    assert desk.text.count('name="commune"') == 2
    assert "Select a valid choice" in wrong.text
    assert right.status_code == 302
    producer.refresh_from_db()
    assert producer.address_unit == other
    assert AuditEntry.objects.get(action="producer.locate_on_todays_map").data["split"] is True


def test_the_commune_officer_of_today_may_locate_it_and_others_get_404(client, units):
    producer, _owner = producer_with_owner(commune=units["commune"])
    officer = user_with_role(Role.COMMUNE_OFFICER, units["new_commune"], username="xa")
    stranger = user_with_role(Role.PRODUCER_MEMBER, username="la")

    client.force_login(stranger)
    hidden = client.post(f"/producers/{producer.pk}/locate/", {"commune": units["new_commune"].pk})
    client.force_login(officer)
    done = client.post(f"/producers/{producer.pk}/locate/", {"commune": units["new_commune"].pk})
    again = client.post(
        f"/producers/{producer.pk}/locate/", {"commune": units["new_commune"].pk}, follow=True
    )

    assert hidden.status_code == 404
    assert done.status_code == 302 and done.url == f"/producers/{producer.pk}/"
    producer.refresh_from_db()
    assert producer.address_unit == units["new_commune"]
    assert [m.level_tag for m in again.context["messages"]][-1] == "error"
    assert AuditEntry.objects.filter(action="producer.locate_on_todays_map").count() == 1


def test_an_account_kept_on_an_abolished_district_sees_the_producer_but_cannot_move_it(
    client, units, role_users
):
    producer, _owner = producer_with_owner(commune=units["commune"])
    district = role_users[Role.DISTRICT_OFFICER]  # Tân Lạc, kept for its history
    client.force_login(district)

    page = client.get(f"/producers/{producer.pk}/")
    refused = client.post(f"/producers/{producer.pk}/locate/", {"commune": units["new_commune"].pk})

    assert page.status_code == 200 and 'data-testid="locate-form"' not in page.text
    assert refused.status_code == 404
    producer.refresh_from_db()
    assert producer.address_unit == units["commune"]
