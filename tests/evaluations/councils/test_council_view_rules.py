"""The rules behind the council pages (evaluations.rules): who may score an agenda item, who
sees its consolidation, who sets up a council and who reads the potential list."""

import pytest
import rules

from evaluations.councils.services.scoring import conflict_declare
from ocop.core.enums import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_scoring_member_may_score_until_recused(items, members):
    item, member = items[0], members["hdh3"]

    assert member.user.has_perm("evaluations.score_item", item)
    conflict_declare(item=item, has_conflict=True, reason="Anh ruột", actor=member.user)

    assert not member.user.has_perm("evaluations.score_item", item)
    assert member.user.has_perm("evaluations.score_item", items[1])


def test_the_secretary_and_officers_do_not_score(items, members, district_officer):
    item = items[0]

    assert not members["secretary"][0].user.has_perm("evaluations.score_item", item)
    assert not district_officer.has_perm("evaluations.score_item", item)
    assert not members["hdh3"].user.has_perm("evaluations.score_item", None)


def test_the_consolidation_is_for_the_chair_and_secretary_unless_recused(items, members):
    item = items[0]
    chair, secretary = members["chair"][0].user, members["secretary"][0].user

    assert chair.has_perm("evaluations.consolidate_item", item)
    assert secretary.has_perm("evaluations.consolidate_item", item)
    assert not members["hdh3"].user.has_perm("evaluations.consolidate_item", item)
    conflict_declare(item=item, has_conflict=True, reason="Họ hàng", actor=chair)
    assert not chair.has_perm("evaluations.consolidate_item", item)


def test_setting_up_a_council_needs_the_role_and_a_unit(role_users, district_officer):
    root = UserFactory(username="root", is_superuser=True)

    assert rules.test_rule("evaluations.add_council", district_officer)
    assert rules.test_rule("evaluations.add_council", role_users[Role.ADMINISTRATOR])
    assert not rules.test_rule("evaluations.add_council", role_users[Role.PRODUCER_MEMBER])
    assert not rules.test_rule("evaluations.add_council", root)


def test_the_potential_list_is_for_a_province_office(province_officer, district_officer, members):
    root = UserFactory(username="root", is_superuser=True)

    assert rules.test_rule("evaluations.view_potential_list", province_officer)
    assert not rules.test_rule("evaluations.view_potential_list", district_officer)
    assert not rules.test_rule("evaluations.view_potential_list", members["chair"][0].user)
    assert not rules.test_rule("evaluations.view_potential_list", root)


def test_a_superuser_without_a_role_gets_no_potential_list_nor_council_form(client):
    client.force_login(UserFactory(username="root", is_superuser=True))

    assert client.get("/potential/").status_code == 404
    assert client.get("/councils/new/").status_code == 404


def test_members_without_a_role_list_councils_and_sessions(members, producers):
    member = members["hdh3"].user

    assert member.has_perm("evaluations.list_councils")
    assert member.has_perm("evaluations.list_sessions")
    assert not producers[0][1].has_perm("evaluations.list_councils")
    assert not producers[0][1].has_perm("evaluations.list_sessions")
