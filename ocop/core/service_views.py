"""One way to write a view that changes something: a form, one service call, one answer.

Every state change goes through one service function (DESIGN.md). The views around those
services all do the same thing, written once here:

1. build and validate the form (the input the user typed is kept on every refusal);
2. call `perform(form)`, which unpacks `form.cleaned_data` into the service;
3. answer the service's refusals:
   - `ValidationError`: on the form's fields it names (`service_field_map` renames), else above
     the form;
   - `DomainError` (a rule refuses: wrong state, closed session): above the form;
   - `PermissionDenied`: 404, as for any object the user may not see;
4. on success, `success_message` as a message and a redirect to `get_success_url()` (to an
   upload sent by script, the same address as JSON, `{"redirect": url}`).

`ServiceFormView` re-renders its page with the form and status 400 (`refusal_status`) on a
refusal.
`ServiceActionView` is a button on another page (submit, reopen, remind): it has no page of its
own, so a refusal becomes an error message and the redirect goes back to that page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.views.generic import FormView
from django.views.generic.edit import FormMixin

from ocop.core.exceptions import DomainError
from ocop.core.forms import add_service_errors

# Sent by the uploads that static/js/ocop.js sends itself (<form data-upload>).
UPLOAD_HEADER = "X-OCOP-Upload"


class ServiceFormMixin(FormMixin):
    """The POST handling shared by every form that calls one service (see the module)."""

    #: Text shown after the service succeeded; may use `%(name)s` keys of `get_success_message`.
    success_message = ""
    #: The service's field names that differ from the form's: {"service_field": "form_field"}.
    service_field_map: dict[str, str] | None = None
    #: A rule's refusal (DomainError) becomes a message and a redirect to `get_failure_url()`
    #: instead of an error above the form (buttons, and pages that say it elsewhere).
    refusal_redirects = False
    #: Whether a refusal's `problems` are shown with its message (not where the page lists them).
    refusal_lists_problems = True

    def perform(self, form):
        """Call the service with the form's cleaned data; return what it returns."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        return self.form_valid(form)

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error, self.service_field_map)
            return self.form_invalid(form)
        except DomainError as error:
            return self.domain_error(form, error)
        except PermissionDenied as error:
            raise Http404 from error
        message = self.get_success_message(form)
        if message:
            messages.success(self.request, message)
        if self.request.headers.get(UPLOAD_HEADER) == "1":
            # An upload sent by static/js/ocop.js (to show its progress): it follows the
            # redirect itself, so the message waits for that page.
            return JsonResponse({"redirect": self.get_success_url()})
        return HttpResponseRedirect(self.get_success_url())

    def get_success_message(self, form) -> str:
        return str(self.success_message)

    def get_failure_url(self) -> str:
        return self.get_success_url()

    def refusal_texts(self, error: DomainError) -> list[str]:
        return error.messages if self.refusal_lists_problems else [error.message]

    def domain_error(self, form, error: DomainError):
        if self.refusal_redirects:
            for text in self.refusal_texts(error):
                messages.error(self.request, text)
            return HttpResponseRedirect(self.get_failure_url())
        for text in self.refusal_texts(error):
            form.add_error(None, text)
        return self.form_invalid(form)


class ServiceFormView(ServiceFormMixin, FormView):
    """A page with a form whose valid data goes to one service. A refusal shows the page again
    with the user's input and `refusal_status` (400; the producer's own pages keep 200)."""

    refusal_status = 400

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=self.refusal_status)


class ServiceActionView(ServiceFormMixin, FormView):
    """A POST-only button on another page: refusals become messages, then back to that page.

    Without a `form_class` the action takes no input. `get_success_url()` names the page the
    button is on; a refusal redirects there too (`get_failure_url()`).
    """

    http_method_names = ["post"]
    form_class = forms.Form
    refusal_redirects = True

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return HttpResponseRedirect(self.get_failure_url())
