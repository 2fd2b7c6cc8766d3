"""Who may do what with rounds and dossiers (django-rules).

Predicates are pure and None-safe. Object permissions are registered under the model
permission names where one exists, so `user.has_perm("evaluations.check_dossier")` (no
object) answers "does the role allow it" through the groups, and
`user.has_perm("evaluations.check_dossier", dossier)` answers "may this user check this
dossier". Lists use `evaluations.selectors`, which answers the same questions in SQL.

Whether a move is legal in the dossier's current state is not a permission: the transition
table (`evaluations.workflow`) decides that, for everybody.
"""

import rules

from ocop.core.enums import UnitLevel
from ocop.core.rules import (
    is_officer,
    is_producer_member,
    is_province_officer,
    unit_in_jurisdiction,
)


def _producer_id(obj) -> int | None:
    """The producer a dossier or product belongs to."""
    if obj is None:
        return None
    from evaluations.models import Dossier
    from products.models import Producer, Product

    if isinstance(obj, Dossier):
        return obj.product.producer_id
    if isinstance(obj, Product):
        return obj.producer_id
    if isinstance(obj, Producer):
        return obj.pk
    return None


@rules.predicate
def acts_for_producer(user, obj) -> bool:
    """The user is a member of the producer the dossier (or product) belongs to."""
    producer_id = _producer_id(obj)
    if producer_id is None or not getattr(user, "pk", None) or not user.is_active:
        return False
    from evaluations.selectors import member_producer_ids

    return producer_id in member_producer_ids(user)


@rules.predicate
def dossier_in_jurisdiction(user, dossier) -> bool:
    """The dossier's first-level unit is the officer's jurisdiction or lies inside it."""
    if dossier is None:
        return False
    return unit_in_jurisdiction.test(user, dossier.first_level_unit)


@rules.predicate
def round_in_users_province(user, round_obj) -> bool:
    """An officer working in the round's province, or a member of a producer located there."""
    if round_obj is None or not getattr(user, "pk", None):
        return False
    from evaluations.selectors import member_province_ids, province_of

    if is_officer.test(user) and user.jurisdiction_id:
        province = province_of(user.jurisdiction)
        if province is not None and province.pk == round_obj.province_id:
            return True
    return is_producer_member.test(user) and round_obj.province_id in member_province_ids(user)


@rules.predicate
def officer_of_province(user, province) -> bool:
    """The province is the province officer's own jurisdiction."""
    if province is None or not getattr(user, "jurisdiction_id", None):
        return False
    return province.level == UnitLevel.PROVINCE and user.jurisdiction_id == province.pk


is_producer_of_dossier = is_producer_member & acts_for_producer
is_working_group_of_dossier = is_officer & dossier_in_jurisdiction

rules.add_perm("evaluations.view_round", round_in_users_province)
rules.add_perm("evaluations.open_round", is_province_officer & officer_of_province)
rules.add_perm("evaluations.view_dossier", is_producer_of_dossier | is_working_group_of_dossier)
# The object of `add_dossier` is the product to register.
rules.add_perm("evaluations.add_dossier", is_producer_of_dossier)
# Saving answers and choosing documents (the services also require an editable state).
rules.add_perm("evaluations.change_dossier", is_producer_of_dossier)
rules.add_perm("evaluations.submit_dossier", is_producer_of_dossier)
rules.add_perm("evaluations.withdraw_dossier", is_producer_of_dossier)
rules.add_perm("evaluations.check_dossier", is_working_group_of_dossier)
rules.add_perm("evaluations.extend_deadline", is_province_officer & dossier_in_jurisdiction)
