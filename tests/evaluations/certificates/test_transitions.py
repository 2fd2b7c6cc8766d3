"""Every (from, to) pair of DECISION_TRANSITIONS and CERTIFICATE_TRANSITIONS: a pair the
table allows succeeds through its service; any other is refused (CertificateError for a
user's action, left alone by the daily lifecycle and by superseding) and writes nothing
(no state change, no audit entry).

Building final results for a decision is costly, so each test walks every source state of
one target on the same decision's certificates, resetting the status in between.
Superseding runs only inside `decision_issue`, for a product that already holds a
certificate: it is driven here through that guard (`services._supersede_older`) directly,
with the second certificate made the first one's product's.
"""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from evaluations.certificates.services import (
    _supersede_older,
    certificate_revoke,
    certificates_lifecycle,
    decision_issue,
)
from evaluations.certificates.workflow import (
    CERTIFICATE_TRANSITIONS,
    DECISION_TRANSITIONS,
    certificate_actions,
    decision_actions,
)
from evaluations.enums import STORED_CERTIFICATE_STATUSES, CertificateStatus, DecisionState
from evaluations.exceptions import CertificateError
from evaluations.models import Certificate, Decision, Revocation
from ocop.core.models import AuditEntry
from tests.evaluations.certificates.conftest import scan

# The council results, built once per module and per `dates` day (tests/fixtures/).
from tests.fixtures.results_world import *  # noqa: F403

C = CertificateStatus

# --- the tables ---------------------------------------------------------------------------


def test_the_tables_cover_every_stored_state():
    assert set(DECISION_TRANSITIONS) == set(DecisionState)
    # "expiring" is computed from the dates, never stored, so never a state of the table.
    assert set(CERTIFICATE_TRANSITIONS) == set(STORED_CERTIFICATE_STATUSES)


def test_nothing_moves_back_to_a_draft_or_to_valid():
    # Decisions are created drafts and certificates valid; no move of the tables returns.
    assert DECISION_TRANSITIONS.sources(DecisionState.DRAFT) == frozenset()
    assert CERTIFICATE_TRANSITIONS.sources(C.VALID) == frozenset()


# --- decisions ----------------------------------------------------------------------------


def _decision_footprint(decision):
    row = Decision.objects.get(pk=decision.pk)
    return (row.state, row.issued_at, Certificate.objects.count(), AuditEntry.objects.count())


@pytest.mark.django_db
def test_every_decision_pair(district_decision, district_officer):
    assert list(DECISION_TRANSITIONS) == [DecisionState.DRAFT, DecisionState.ISSUED]
    for source in DECISION_TRANSITIONS:
        for target in DECISION_TRANSITIONS:
            decision = Decision.objects.get(pk=district_decision.pk)
            assert decision.state == source
            before = _decision_footprint(decision)
            if target == DecisionState.DRAFT:
                # No service makes a decision a draft (test above).
                assert not DECISION_TRANSITIONS.can_move(source, target)
                continue
            if DECISION_TRANSITIONS.can_move(source, target):
                certificates = decision_issue(
                    decision=decision, signed_scan=scan(), actor=district_officer
                )

                assert Decision.objects.get(pk=decision.pk).state == DecisionState.ISSUED
                assert Certificate.objects.count() == before[2] + len(certificates)
                assert AuditEntry.objects.latest("seq").action == "decision.issue"
            else:
                with pytest.raises(CertificateError) as refused:
                    decision_issue(decision=decision, signed_scan=scan(), actor=district_officer)

                assert refused.value.message == (
                    "This decision is already issued: it cannot change."
                )
                assert _decision_footprint(decision) == before


# --- certificates -------------------------------------------------------------------------


def _put(certificate, status, **fields):
    Certificate.objects.filter(pk=certificate.pk).update(status=status, **fields)
    return Certificate.objects.get(pk=certificate.pk)


def _footprint(certificate):
    row = Certificate.objects.get(pk=certificate.pk)
    return (
        row.status,
        row.superseded_by_id,
        Revocation.objects.filter(certificate=certificate).count(),
        AuditEntry.objects.count(),
    )


def _revoke(certificate, actor):
    return certificate_revoke(
        certificate=certificate,
        reason="quality_violation",
        decision_number="77/QĐ-UBND",
        decision_date=timezone.localdate(),
        actor=actor,
    )


@pytest.mark.django_db
def test_every_certificate_pair_to_revoked(certificates, district_officer):
    # A certificate is revoked once (one revocation each): the refusals first, on the first
    # certificate, then one allowed source on each certificate.
    allowed = sorted(CERTIFICATE_TRANSITIONS.sources(C.REVOKED))
    assert allowed == [C.EXPIRED, C.VALID]
    for source in sorted(set(CERTIFICATE_TRANSITIONS) - set(allowed)):
        certificate = _put(certificates[0], source)
        before = _footprint(certificate)

        with pytest.raises(CertificateError) as refused:
            _revoke(certificate, district_officer)

        label = str(C(source).label).lower()
        assert refused.value.message == f"This certificate is {label}: it cannot be revoked."
        assert _footprint(certificate) == before
    for certificate, source in zip(certificates, allowed, strict=True):
        certificate = _put(certificate, source)
        audits = AuditEntry.objects.count()

        _revoke(certificate, district_officer)

        assert Certificate.objects.get(pk=certificate.pk).status == C.REVOKED
        assert AuditEntry.objects.count() == audits + 1
        assert AuditEntry.objects.latest("seq").action == "certificate.revoke"


@pytest.mark.django_db
def test_every_certificate_pair_to_expired(certificates):
    certificate, other = certificates
    # The daily run on the day after the certificate's end (the other one, of the same
    # decision, is kept out of it).
    _put(other, C.REVOKED)
    day_after = certificate.valid_until + datetime.timedelta(days=1)
    for source in CERTIFICATE_TRANSITIONS:
        certificate = _put(certificate, source)
        before = _footprint(certificate)

        certificates_lifecycle(today=day_after)

        if CERTIFICATE_TRANSITIONS.can_move(source, C.EXPIRED):
            assert Certificate.objects.get(pk=certificate.pk).status == C.EXPIRED
            assert AuditEntry.objects.count() == before[-1] + 1
            assert AuditEntry.objects.latest("seq").action == "certificate.expire"
        else:
            assert _footprint(certificate) == before


@pytest.mark.django_db
def test_every_certificate_pair_to_superseded(certificates, district_officer):
    newer, older = certificates
    Certificate.objects.filter(pk=older.pk).update(product_id=newer.product_id)
    for source in CERTIFICATE_TRANSITIONS:
        older = _put(older, source, superseded_by=None)
        before = _footprint(older)

        with transaction.atomic():
            _supersede_older(newer, district_officer)

        if CERTIFICATE_TRANSITIONS.can_move(source, C.SUPERSEDED):
            row = Certificate.objects.get(pk=older.pk)
            assert (row.status, row.superseded_by_id) == (C.SUPERSEDED, newer.pk)
            assert AuditEntry.objects.count() == before[-1] + 1
            assert AuditEntry.objects.latest("seq").action == "certificate.supersede"
        else:
            assert _footprint(older) == before


# --- the buttons --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_buttons_follow_the_tables(district_decision, district_officer, other_user):
    assert decision_actions(district_officer, district_decision) == {"issue": True}
    assert decision_actions(other_user, district_decision) == {"issue": False}

    certificates = decision_issue(
        decision=district_decision, signed_scan=scan(), actor=district_officer
    )
    district_decision.refresh_from_db()
    assert decision_actions(district_officer, district_decision) == {"issue": False}

    certificate = certificates[0]
    inspect = district_officer.has_perm("evaluations.inspect_certificate", certificate)
    for status in CERTIFICATE_TRANSITIONS:
        certificate.status = status
        assert certificate_actions(district_officer, certificate) == {
            "revoke": status in (C.VALID, C.EXPIRED),
            "inspect": inspect,
        }
    assert certificate_actions(other_user, certificate) == {"revoke": False, "inspect": False}
