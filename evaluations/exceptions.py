"""The refusals of the OCOP cycle: errors a user can act on, raised by services.

`EvaluationError` (an `ocop.core.exceptions.DomainError`) is the one base: the base views of
`ocop.core.service_views` show its message and `problems` as the form's error. Each subdomain
raises its own subclass; permission refusals are Django's `PermissionDenied`, answered with 404.
"""

from ocop.core.exceptions import DomainError


class EvaluationError(DomainError):
    """A refusal of the OCOP cycle the user can act on."""


class DossierError(EvaluationError):
    """A refusal about a round or a dossier."""


class TransitionNotAllowed(DossierError):
    """The transition table does not allow this move from the current state."""


class SubmissionRefused(DossierError):
    """The dossier is not ready to be submitted."""


class SessionError(EvaluationError):
    """A refusal about a council, a session, an agenda item or a score sheet."""


class CertificateError(EvaluationError):
    """A refusal about a decision or a certificate."""


class FollowupError(EvaluationError):
    """A refusal about a certificate's commitments, its self-reports or the inspection plan."""
