"""Transition tables of decisions and certificates. Pure data and functions, no database,
except the `*_actions` functions, which ask the user's permissions.

The tables drive the service guards (`evaluations.certificates.services`) and the buttons
the decision and certificate pages show (`decision_actions`, `certificate_actions`).
"""

from evaluations.enums import CertificateStatus as C
from evaluations.enums import DecisionState
from ocop.core.workflow import Transitions

# A decision is drafted, then issued with its signed scan (decision_issue); an issued
# decision never changes.
DECISION_TRANSITIONS = Transitions(
    DecisionState,
    {
        DecisionState.DRAFT: {DecisionState.ISSUED},
        DecisionState.ISSUED: set(),
    },
)

# The stored statuses of a certificate (STORED_CERTIFICATE_STATUSES; "expiring" is a valid
# certificate near its end, computed from its dates, never stored). A valid certificate
# expires at its date (certificates_lifecycle); a valid or expired one is revoked
# (certificate_revoke) or superseded by the product's newer certificate (decision_issue).
CERTIFICATE_TRANSITIONS = Transitions(
    C,
    {
        C.VALID: {C.EXPIRED, C.REVOKED, C.SUPERSEDED},
        C.EXPIRED: {C.REVOKED, C.SUPERSEDED},
        C.REVOKED: set(),
        C.SUPERSEDED: set(),
    },
)


def decision_can_move(current: str, target: str) -> bool:
    return DECISION_TRANSITIONS.can_move(current, target)


def certificate_can_move(current: str, target: str) -> bool:
    return CERTIFICATE_TRANSITIONS.can_move(current, target)


def decision_actions(user, decision) -> dict[str, bool]:
    """Which buttons the decision's page shows."""
    return {
        "issue": decision_can_move(decision.state, DecisionState.ISSUED)
        and user.has_perm("evaluations.issue_decision", decision),
    }


def certificate_actions(user, certificate) -> dict[str, bool]:
    """Which buttons the certificate's page shows (by its stored status)."""
    return {
        "revoke": certificate_can_move(certificate.status, C.REVOKED)
        and user.has_perm("evaluations.revoke_certificate", certificate),
        "inspect": user.has_perm("evaluations.inspect_certificate", certificate),
    }
