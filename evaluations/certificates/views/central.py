"""The central level's result for a product the province forwarded (≥ 90 points, 5★)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from evaluations.certificates.central import MINISTRY, record_central_result
from evaluations.certificates.forms import CentralResultForm
from evaluations.intake.views.dossiers import DossierMixin
from ocop.core.service_views import ServiceFormView


class CentralResultView(DossierMixin, ServiceFormView):
    """The province's OCOP office records the central council's result and, for 5★, the
    ministry's decision: the certificate follows at once."""

    permission_required = "evaluations.record_central_result"
    template_name = "evaluations/certificates/central_result.html"
    form_class = CentralResultForm
    # The decision services name their fields `number` and `date`.
    service_field_map = {
        "number": "decision_number",
        "date": "decision_date",
        None: "signed_scan",  # the scan refused by its content
    }

    def get_initial(self):
        return {"issuer_name": MINISTRY}

    def perform(self, form):
        data = form.cleaned_data
        return record_central_result(
            dossier=self.dossier,
            score=data["score"],
            stars=data["stars"],
            comments=data["comments"],
            decision=form.decision(),
            actor=self.request.user,
        )

    def get_success_message(self, form) -> str:
        if self.result.certificate is not None:
            return _("The central result is recorded: 5★, certificate %(number)s.") % {
                "number": self.result.certificate.number
            }
        return _("The central result is recorded.")

    def get_success_url(self) -> str:
        if self.result.certificate is not None:
            return reverse("evaluations:certificate_detail", args=[self.result.certificate.number])
        return reverse("evaluations:dossier_detail", args=[self.dossier.pk])
