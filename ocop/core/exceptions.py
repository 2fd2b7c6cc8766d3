"""The one base of the refusals a user can act on.

A service raises a `DomainError` (through its app's subclass) when the request is well formed but
the registry's rules refuse it: a dossier in the wrong state, a session already closed. Views never
catch it one by one: `ocop.core.service_views` shows it above the form (or as a message).
Field problems are Django's `ValidationError`; permission refusals `PermissionDenied` (404).
"""

from collections.abc import Sequence


class DomainError(Exception):
    """A refusal the user can act on; `problems` lists every reason when there are several."""

    def __init__(self, message: str, *, problems: Sequence[str] = ()) -> None:
        self.message = str(message)
        self.problems = [str(p) for p in problems]
        super().__init__(" ".join([self.message, *self.problems]))

    @property
    def messages(self) -> list[str]:
        return [self.message, *self.problems]
