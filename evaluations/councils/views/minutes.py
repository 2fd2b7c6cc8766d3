"""A session's minutes (PDF) and on-demand reminders to members with sheets left."""

from django.contrib import messages
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import View

from evaluations.councils.minutes import minutes_pdf
from evaluations.councils.services.sessions import session_remind
from evaluations.councils.views.mixins import SessionMixin
from ocop.core.service_views import ServiceActionView


class SessionMinutesView(SessionMixin, View):
    """The minutes, in Vietnamese, shown inline by the browser's PDF viewer."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        session = self.session
        response = HttpResponse(minutes_pdf(session), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="bien-ban-{session.pk}.pdf"'
        # The minutes change until every product is final: never reuse an old copy.
        response["Cache-Control"] = "private, no-store"
        return response


class SessionRemindView(SessionMixin, ServiceActionView):
    """The secretary, the chair or the working group mails the members with sheets left."""

    permission_required = "evaluations.remind_session"

    def perform(self, form):
        return session_remind(session=self.session, actor=self.request.user)

    def get_success_message(self, form) -> str:
        if not self.result:
            messages.info(self.request, _("No member has a score sheet left to submit."))
            return ""
        return _("Reminders sent to %(count)d member(s).") % {"count": self.result}
