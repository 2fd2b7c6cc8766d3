from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView

from ocop.core.enums import Role
from ocop.demo.mail import outbox_messages


def outbox_enabled_for(user) -> bool:
    """The outbox exists only in the demo settings, and only administrators read it."""
    return bool(settings.OCOP_DEMO_OUTBOX_DIR) and (
        user.is_superuser or user.has_role(Role.ADMINISTRATOR)
    )


class OutboxView(LoginRequiredMixin, TemplateView):
    """Every mail the demo would have sent, readable (the demo has no mail server)."""

    template_name = "demo/outbox.html"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not outbox_enabled_for(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        messages = outbox_messages(settings.OCOP_DEMO_OUTBOX_DIR)
        page = Paginator(messages, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            is_paginated=page.has_other_pages(),
            mails=page.object_list,
            directory=settings.OCOP_DEMO_OUTBOX_DIR,
        )
        return context
