"""The products pages' form view: `ocop.core.service_views.ServiceFormMixin` on a page that
answers a refusal as these pages always have, with the form again and status 200."""

from django.views.generic import FormView

from ocop.core.service_views import ServiceFormMixin


class ServicePageView(ServiceFormMixin, FormView):
    """A page with a form whose valid data goes to one service; a refusal shows the form
    again, with the user's input, and status 200 (Django's `FormView`)."""
