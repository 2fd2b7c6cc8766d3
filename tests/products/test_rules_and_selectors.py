import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext

from ocop.core.context_processors import navigation
from ocop.core.enums import Role
from products.models import ProducerMember
from products.rules import can_view_producer
from products.selectors import (
    documents_visible_to,
    producers_visible_to,
    products_visible_to,
)
from products.services.documents import document_upload
from tests.factories import producer_with_owner, product_for, user_with_role
from tests.products import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_producers(units):
    mine, owner = producer_with_owner(commune=units["commune"], username="mine")
    theirs, other_owner = producer_with_owner(commune=units["commune"], username="theirs")
    return mine, owner, theirs, other_owner


def test_can_view_producer_answers_for_each_kind_of_user(units, two_producers, role_users):
    mine, owner, theirs, _ = two_producers
    elsewhere = user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="dabac")

    assert can_view_producer(owner, mine) is True
    assert can_view_producer(owner, theirs) is False
    assert can_view_producer(role_users[Role.COMMUNE_OFFICER], mine) is True
    assert can_view_producer(role_users[Role.DISTRICT_OFFICER], mine) is True
    assert can_view_producer(role_users[Role.PROVINCE_OFFICER], mine) is True
    assert can_view_producer(elsewhere, mine) is False
    assert can_view_producer(role_users[Role.PRODUCER_MEMBER], mine) is False
    assert can_view_producer(role_users[Role.ADMINISTRATOR], mine) is False
    assert not can_view_producer(owner, None)


def test_selectors_agree_with_the_predicate(units, two_producers, role_users, media):
    mine, owner, theirs, other_owner = two_producers
    product_for(mine)
    product_for(theirs)
    for producer, actor in [(mine, owner), (theirs, other_owner)]:
        document_upload(
            producer=producer,
            actor=actor,
            kind="other",
            title="Giấy tờ",
            upload=files.upload("a.pdf", files.PDF),
        )
    elsewhere = user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="dabac")
    users = [owner, other_owner, elsewhere, *role_users.values()]

    for user in users:
        visible = {p for p in (mine, theirs) if can_view_producer(user, p)}
        assert set(producers_visible_to(user)) == visible, user.username
        assert {p.producer for p in products_visible_to(user)} == visible, user.username
        assert {d.producer for d in documents_visible_to(user)} == visible, user.username


def test_a_producer_with_several_members_is_listed_once_for_officers(units, two_producers):
    mine, _owner, _theirs, _ = two_producers
    ProducerMember.objects.create(
        producer=mine, user=user_with_role(Role.PRODUCER_MEMBER, username="m2"), role="member"
    )
    officer = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tanlac")

    assert producers_visible_to(officer).filter(pk=mine.pk).count() == 1


def test_anonymous_users_see_nothing(two_producers):
    anonymous = AnonymousUser()

    assert list(producers_visible_to(anonymous)) == []
    assert list(documents_visible_to(anonymous)) == []


def _menu(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    with translation.override("en"):
        return [str(item.label) for item in navigation(request)["nav_items"]]


def test_navigation_entries_by_role(role_users, two_producers):
    _mine, owner, _theirs, _ = two_producers

    assert "My producer" in _menu(owner)
    assert "Producers" not in _menu(owner)
    for role in (Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER):
        assert "Producers" in _menu(role_users[role])
        assert "My producer" not in _menu(role_users[role])
    assert "Producers" not in _menu(role_users[Role.ADMINISTRATOR])


def test_anonymous_visitors_get_a_link_to_register(client):
    client.cookies.pop("django_language", None)  # the page in its default language
    body = client.get("/").content.decode()

    with translation.override("vi"):
        label = gettext("Register a producer")
    assert 'href="/register/"' in body
    assert label in body
