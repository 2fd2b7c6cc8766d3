"""Who may do what with rounds and dossiers (django-rules).

Predicates are pure and None-safe. Object permissions are registered under the model
permission names where one exists, so `user.has_perm("evaluations.check_dossier")` (no
object) answers "does the role allow it" through the groups, and
`user.has_perm("evaluations.check_dossier", dossier)` answers "may this user check this
dossier". Lists use each package's `selectors` module, which answers the same questions in SQL.

Whether a move is legal in the dossier's current state is not a permission: the transition
table (`evaluations.intake.workflow`) decides that, for everybody.
"""

import rules

from ocop.core.enums import UnitLevel
from ocop.core.rules import (
    has_jurisdiction,
    is_administrator,
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
    from products.selectors import member_producer_ids

    return producer_id in member_producer_ids(user)


@rules.predicate
def dossier_in_jurisdiction(user, dossier) -> bool:
    """The dossier's first-level unit is the officer's jurisdiction or lies inside it."""
    if dossier is None:
        return False
    return unit_in_jurisdiction.test(user, dossier.first_level_unit)


@rules.predicate
def round_in_users_province(user, round_obj) -> bool:
    """An officer working in the round's province (or in the province that absorbed it), or a
    member of a producer located there: the rounds `rounds_visible_to` lists."""
    if round_obj is None or not getattr(user, "pk", None):
        return False
    from evaluations.intake.selectors import rounds_visible_to

    return rounds_visible_to(user).filter(pk=round_obj.pk).exists()


@rules.predicate
def officer_of_province(user, province) -> bool:
    """The province is the province officer's own jurisdiction, or an abolished province
    merged into it (whose rounds it enters as history)."""
    if province is None or not getattr(user, "jurisdiction_id", None):
        return False
    if province.level != UnitLevel.PROVINCE:
        return False
    if user.jurisdiction_id == province.pk:
        return True
    return province.valid_until is not None and user.jurisdiction.contains(province)


@rules.predicate
def registers_dossiers(user) -> bool:
    """The user's role may register dossiers and the user acts for at least one producer."""
    if not getattr(user, "pk", None) or not user.is_active:
        return False
    from products.selectors import member_producer_ids

    return user.has_perm("evaluations.add_dossier") and bool(member_producer_ids(user))


@rules.predicate
def round_takes_dossiers(user, round_obj) -> bool:
    """The round's submission deadline has not passed."""
    if round_obj is None:
        return False
    from evaluations.intake.selectors import round_is_open

    return round_is_open(round_obj)


is_producer_of_dossier = is_producer_member & acts_for_producer
is_working_group_of_dossier = is_officer & dossier_in_jurisdiction

rules.add_perm("evaluations.view_round", round_in_users_province)
rules.add_perm("evaluations.open_round", is_province_officer & officer_of_province)
# The historical import: the province's OCOP office, for its province and the provinces
# merged into it (as it enters their rounds as history); an administrator, for any province
# (a national load of the published results).
rules.add_perm(
    "evaluations.import_results", (is_province_officer & officer_of_province) | is_administrator
)


@rules.predicate
def officer_of_dossier_province(user, dossier) -> bool:
    """The province officer of the dossier's round's province."""
    return dossier is not None and officer_of_province.test(user, dossier.round.province)


# The central level's result, recorded by the OCOP office of the dossier's province.
rules.add_perm(
    "evaluations.record_central_result", is_province_officer & officer_of_dossier_province
)
rules.add_perm("evaluations.view_dossier", is_producer_of_dossier | is_working_group_of_dossier)
# The object of `add_dossier` is the product to register.
rules.add_perm("evaluations.add_dossier", is_producer_of_dossier)
# Saving answers and choosing documents (the services also require an editable state).
rules.add_perm("evaluations.change_dossier", is_producer_of_dossier)
rules.add_perm("evaluations.submit_dossier", is_producer_of_dossier)
rules.add_perm("evaluations.withdraw_dossier", is_producer_of_dossier)
rules.add_perm("evaluations.check_dossier", is_working_group_of_dossier)
rules.add_perm("evaluations.extend_deadline", is_province_officer & dossier_in_jurisdiction)
# Rules, not permissions (a superuser without a producer or an office gets neither):
# "Register a product" is offered to a producer's members (on a round's page while it takes
# dossiers); the round's page shows officers its dossiers in their jurisdiction, by state.
rules.add_rule("evaluations.register_dossiers", registers_dossiers)
rules.add_rule("evaluations.register_in_round", registers_dossiers & round_takes_dossiers)
rules.add_rule("evaluations.follow_round_dossiers", is_officer)
# Scoring forms are national reference data: administrators correct any of them.
rules.add_perm("evaluations.change_scoringform", is_administrator)


# --- councils and sessions ----------------------------------------------------------------


def _council_of(obj):
    """The council of a council, a member, a session, an agenda item or a score sheet."""
    from evaluations.models import Council, CouncilMember, ScoreSheet, Session, SessionItem

    if isinstance(obj, Council):
        return obj
    if isinstance(obj, CouncilMember | Session):
        return obj.council
    if isinstance(obj, SessionItem):
        return obj.session.council
    if isinstance(obj, ScoreSheet):
        return obj.item.session.council
    return None


def council_membership(user, obj):
    """The user's membership of the council `obj` belongs to, or None (cached per user)."""
    council = _council_of(obj)
    if council is None or not getattr(user, "pk", None) or not user.is_active:
        return None
    cache = user.__dict__.setdefault("_council_memberships", {})
    if council.pk not in cache:
        from evaluations.models import CouncilMember

        cache[council.pk] = (
            CouncilMember.objects.filter(council_id=council.pk, user_id=user.pk)
            .select_related("user")
            .first()
        )
    return cache[council.pk]


def is_council_member_at_all(user) -> bool:
    """Whether the account sits on any council (read once per user object)."""
    if not getattr(user, "pk", None) or not user.is_active:
        return False
    if "_on_a_council" not in user.__dict__:
        from evaluations.models import CouncilMember

        user.__dict__["_on_a_council"] = CouncilMember.objects.filter(user_id=user.pk).exists()
    return user.__dict__["_on_a_council"]


@rules.predicate
def is_council_member(user, obj) -> bool:
    return council_membership(user, obj) is not None


@rules.predicate
def is_council_chair(user, obj) -> bool:
    membership = council_membership(user, obj)
    return membership is not None and membership.is_chair


@rules.predicate
def is_council_chair_or_secretary(user, obj) -> bool:
    from evaluations.enums import CouncilRole

    membership = council_membership(user, obj)
    return membership is not None and membership.role in (CouncilRole.CHAIR, CouncilRole.SECRETARY)


@rules.predicate
def council_in_jurisdiction(user, obj) -> bool:
    """The council's unit is the officer's jurisdiction or lies inside it."""
    council = _council_of(obj)
    return council is not None and unit_in_jurisdiction.test(user, council.unit)


@rules.predicate
def is_working_group_of_council(user, obj) -> bool:
    """The officer's jurisdiction is exactly the council's unit: its level's working group."""
    council = _council_of(obj)
    return council is not None and getattr(user, "jurisdiction_id", None) == council.unit_id


rules.add_perm(
    "evaluations.manage_council",
    is_administrator | (is_officer & council_in_jurisdiction),
)
rules.add_perm(
    "evaluations.view_council",
    is_administrator | (is_officer & council_in_jurisdiction) | is_council_member,
)
rules.add_perm("evaluations.prepare_session", is_officer & is_working_group_of_council)
rules.add_perm(
    "evaluations.view_session", (is_officer & council_in_jurisdiction) | is_council_member
)
# Reminders: the secretary or the chair, and the working group that prepares the session.
rules.add_perm(
    "evaluations.remind_session",
    is_council_chair_or_secretary | (is_officer & is_working_group_of_council),
)
# Who has submitted, the consolidation, the leniency view.
rules.add_perm("evaluations.consolidate_session", is_council_chair_or_secretary)
rules.add_perm("evaluations.finalise_session", is_council_chair)


@rules.predicate
def is_scoring_member(user, obj) -> bool:
    """The user sits on the council as a member who scores (not the secretary)."""
    membership = council_membership(user, obj)
    return membership is not None and membership.scores


@rules.predicate
def is_recused_from_item(user, item) -> bool:
    """The user declared (or was given) a conflict of interest with the agenda item."""
    membership = council_membership(user, item)
    if membership is None or item is None:
        return False
    return item.conflicts.filter(member=membership, has_conflict=True).exists()


# An agenda item's declaration, score sheet, live totals and evidence: its scoring members
# who are not recused from it.
rules.add_perm("evaluations.score_item", is_scoring_member & ~is_recused_from_item)
# One product's consolidation: the chair and the secretary, unless recused from it.
rules.add_perm(
    "evaluations.consolidate_item", is_council_chair_or_secretary & ~is_recused_from_item
)


def _role_allows(perm: str):
    """A predicate: the user's roles give `perm` (Django's model permission, no object)."""

    @rules.predicate(name=f"role_allows({perm})")
    def predicate(user) -> bool:
        return bool(getattr(user, "pk", None)) and user.has_perm(perm)

    return predicate


sits_on_a_council = rules.predicate(is_council_member_at_all, name="sits_on_a_council")

# The lists of councils and of sessions: the roles that see councils, and every member.
rules.add_perm(
    "evaluations.list_councils", _role_allows("evaluations.view_council") | sits_on_a_council
)
rules.add_perm(
    "evaluations.list_sessions", _role_allows("evaluations.view_session") | sits_on_a_council
)


@rules.predicate
def works_for_a_province(user) -> bool:
    """The user's jurisdiction is a province."""
    if not getattr(user, "jurisdiction_id", None) or not user.is_active:
        return False
    return user.jurisdiction.level == UnitLevel.PROVINCE


# Rules, not permissions: a superuser without the role and the unit gets no such page either.
# Setting up a council: a role that manages councils, and a unit to set one up for.
rules.add_rule(
    "evaluations.add_council",
    _role_allows("evaluations.manage_council") & (has_jurisdiction | is_administrator),
)
# The potential list and the province's reports: the province's OCOP office.
rules.add_rule("evaluations.view_potential_list", is_province_officer & works_for_a_province)
rules.add_rule("evaluations.view_province_reports", is_province_officer & works_for_a_province)
# The import page: the province's OCOP office.
rules.add_rule(
    "evaluations.use_result_import", (is_province_officer & works_for_a_province) | is_administrator
)


# --- decisions and certificates -----------------------------------------------------------


@rules.predicate
def is_office_of_issuer(user, decision) -> bool:
    """The officer works for the decision's issuing People's Committee (its jurisdiction is
    the issuer): the OCOP office of that level."""
    issuer_id = getattr(decision, "issuer_id", None)
    return bool(issuer_id) and getattr(user, "jurisdiction_id", None) == issuer_id


@rules.predicate
def certificate_in_jurisdiction(user, certificate) -> bool:
    """The certificate's issuer lies in the officer's jurisdiction (the issuing office, or
    the province's over a district's)."""
    if certificate is None:
        return False
    return unit_in_jurisdiction.test(user, certificate.decision.issuer)


rules.add_perm("evaluations.issue_decision", is_officer & is_office_of_issuer)


@rules.predicate
def decision_in_jurisdiction(user, decision) -> bool:
    return decision is not None and unit_in_jurisdiction.test(user, decision.issuer)


rules.add_perm("evaluations.view_decision", is_officer & decision_in_jurisdiction)
rules.add_perm("evaluations.revoke_certificate", is_officer & certificate_in_jurisdiction)
rules.add_perm("evaluations.inspect_certificate", is_officer & certificate_in_jurisdiction)


@rules.predicate
def acts_for_certificate_producer(user, certificate) -> bool:
    """The user is a producer member acting for the certificate's producer."""
    return certificate is not None and is_producer_of_dossier.test(user, certificate.producer)


@rules.predicate
def certificate_decision_in_jurisdiction(user, certificate) -> bool:
    """The decision that issued the certificate lies in the officer's jurisdiction."""
    return certificate is not None and decision_in_jurisdiction.test(user, certificate.decision)


# The certificate as a PDF: for its producer's members and the officers who see its decision.
rules.add_perm(
    "evaluations.print_certificate",
    acts_for_certificate_producer | (is_officer & certificate_decision_in_jurisdiction),
)


@rules.predicate
def may_list_certificates(user) -> bool:
    """Officers (through their role's permission) and the members of producers have a list of
    certificates; nobody else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_officer and user.has_perm("evaluations.view_certificate"):
        return True
    from ocop.core.enums import Role
    from products.selectors import member_producer_ids

    return user.has_role(Role.PRODUCER_MEMBER) or bool(member_producer_ids(user))


# A rule, not a permission: a superuser without an office or a producer has no list either.
rules.add_rule("evaluations.list_certificates", may_list_certificates)


# --- follow-up after certification --------------------------------------------------------

# A certificate's commitments: its producer's members and the office that may inspect it
# record and edit them (the services also require the certificate in force and the
# commitment open); the office finds them met or missed.
rules.add_perm(
    "evaluations.keep_commitments",
    acts_for_certificate_producer | (is_officer & certificate_in_jurisdiction),
)
rules.add_perm("evaluations.assess_commitments", is_officer & certificate_in_jurisdiction)
# The yearly self-report: the producer's members write and submit it; whoever sees the
# certificate reads it.
rules.add_perm("evaluations.write_self_report", acts_for_certificate_producer)
# The annual inspection plan and the follow-up report: the province's OCOP office (a rule: a
# superuser needs the role and the province too). Which certificates and plan items it sees
# comes from `evaluations.followup.selectors`.
rules.add_rule("evaluations.plan_inspections", is_province_officer & works_for_a_province)
