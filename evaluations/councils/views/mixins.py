"""The objects of the council pages, each loaded one way (`ObjectPermissionMixin`): the
council, the session and the agenda item of the URL, 404 unless the user holds the view's
`permission_required` (a rule of `evaluations.rules`) on it."""

from django.urls import reverse
from django.utils.functional import cached_property

from evaluations.councils.selectors import agenda_item_detail, declaration_of
from evaluations.models import ConflictDeclaration, Council, CouncilMember, Session
from evaluations.rules import council_membership
from ocop.core.mixins import ObjectPermissionMixin


class CouncilMixin(ObjectPermissionMixin):
    """The council of the URL (`pk`)."""

    object_name = "council"
    permission_required = "evaluations.view_council"
    queryset = Council.objects.select_related("unit__parent")

    def get_success_url(self) -> str:
        """A change to the council goes back to its page."""
        return reverse("evaluations:council_detail", args=[self.council.pk])


class SessionMixin(ObjectPermissionMixin):
    """The session of the URL (`pk`), with its council, its round and the round's regime."""

    object_name = "session"
    permission_required = "evaluations.view_session"
    queryset = Session.objects.select_related(
        "council__unit", "round__regime", "round__criteria_version"
    )

    def get_success_url(self) -> str:
        """A change to the session goes back to its page."""
        return reverse("evaluations:session_detail", args=[self.session.pk])


class ItemMixin(ObjectPermissionMixin):
    """The agenda item of the URL (`item`, of the session `pk`). By default for the members
    who score it (`evaluations.score_item`: not the secretary, not the recused)."""

    object_name = "item"
    pk_url_kwarg = "item"
    permission_required = "evaluations.score_item"

    def get_queryset(self):
        return agenda_item_detail().filter(session_id=self.kwargs["pk"])

    @property
    def session(self) -> Session:
        return self.object.session

    @cached_property
    def member(self) -> CouncilMember | None:
        """The user's membership of the item's council."""
        return council_membership(self.request.user, self.object)

    @cached_property
    def declaration(self) -> ConflictDeclaration | None:
        """The user's conflict declaration on the item, if made."""
        return declaration_of(self.object, self.member)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("session", self.session)
        return super().get_context_data(**kwargs)
