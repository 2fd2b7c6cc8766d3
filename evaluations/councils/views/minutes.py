"""A session's minutes (PDF) and on-demand reminders to members with sheets left."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import View

from evaluations.councils.minutes import minutes_pdf
from evaluations.councils.services.sessions import session_remind
from evaluations.models import Session
from ocop.core.mixins import PermissionOr404Mixin


class SessionMixin(PermissionOr404Mixin):
    """The session of the URL, 404 unless the user has `permission_required` on it."""

    def get_session(self) -> Session:
        if not hasattr(self, "_session"):
            self._session = get_object_or_404(
                Session.objects.select_related("council__unit", "round__regime"),
                pk=self.kwargs["pk"],
            )
        return self._session

    def get_permission_object(self):
        return self.get_session()


class SessionMinutesView(SessionMixin, View):
    """The minutes, in Vietnamese, shown inline by the browser's PDF viewer."""

    permission_required = "evaluations.view_session"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        session = self.get_session()
        response = HttpResponse(minutes_pdf(session), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="bien-ban-{session.pk}.pdf"'
        # The minutes change until every product is final: never reuse an old copy.
        response["Cache-Control"] = "private, no-store"
        return response


class SessionRemindView(SessionMixin, View):
    """The secretary, the chair or the working group mails the members with sheets left."""

    permission_required = "evaluations.remind_session"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = self.get_session()
        try:
            count = session_remind(session=session, actor=request.user)
        except PermissionDenied as error:
            raise Http404 from error
        if count:
            messages.success(
                request, _("Reminders sent to %(count)d member(s).") % {"count": count}
            )
        else:
            messages.info(request, _("No member has a score sheet left to submit."))
        return redirect("evaluations:session_detail", pk=session.pk)
