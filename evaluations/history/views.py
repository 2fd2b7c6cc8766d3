"""The OCOP office's page for the historical import: check a file (a dry run that lists
every refused row and every note), then import it; the imports made so far."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from evaluations.history.forms import ResultImportForm
from evaluations.history.selectors import imports_visible_to
from evaluations.history.services import results_import
from evaluations.history.tasks import import_tasks_of, results_import_enqueue
from ocop.core.mixins import PermissionOr404Mixin

# A page's check runs in its request (about 40 ms a row, measured on the sample), its import
# in the background worker; larger files go through `manage.py import_results` (5,000 rows).
PAGE_MAX_ROWS = 500
# What a check counts, in the order the page lists it.
COUNTED = (
    ("producers", gettext_lazy("Producers")),
    ("products", gettext_lazy("Products")),
    ("rounds", gettext_lazy("Historical rounds")),
    ("results", gettext_lazy("Level results")),
    ("decisions", gettext_lazy("Decisions")),
    ("certificates", gettext_lazy("Certificates")),
)


class ResultImportView(PermissionOr404Mixin, FormView):
    template_name = "evaluations/history/import.html"
    form_class = ResultImportForm
    rule_required = "evaluations.use_result_import"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["imports"] = imports_visible_to(self.request.user)[:20]
        context["import_tasks"] = import_tasks_of(self.request.user)
        context["import_pending"] = any(t["state"] == "pending" for t in context["import_tasks"])
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        dry_run = self.request.POST.get("action") != "import"
        if not dry_run:
            # The import itself is the worker's (decision 0031); the page shows its outcome.
            results_import_enqueue(upload=upload, actor=self.request.user, max_rows=PAGE_MAX_ROWS)
            messages.info(
                self.request,
                _("%(file)s is being imported in the background: its outcome shows below.")
                % {"file": upload.name},
            )
            return HttpResponseRedirect(reverse("evaluations:result_import"))
        try:
            report = results_import(
                file_name=upload.name,
                content=upload.read(),
                actor=self.request.user,
                dry_run=True,
                max_rows=PAGE_MAX_ROWS,
            )
        except PermissionDenied as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        counts = [(label, report.created[kind], report.matched[kind]) for kind, label in COUNTED]
        return self.render_to_response(
            self.get_context_data(form=form, report=report, report_counts=counts),
            status=200 if report.ok else 400,
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
