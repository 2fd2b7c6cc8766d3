from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from evaluations.criteria.forms import ScoringFormCorrectionForm
from evaluations.criteria.selectors import (
    criteria_versions_with_choice,
    current_forms,
    form_revisions,
    form_spec,
    form_tree,
    scoring_form_at,
)
from evaluations.criteria.services import scoring_form_correct
from evaluations.engine.edit import with_changes
from evaluations.engine.validation import validate_form
from ocop.core.db_router import replica_reads
from ocop.core.mixins import ObjectPermissionMixin
from ocop.core.service_views import ServiceFormView


class ScoringFormMixin:
    """The scoring form of the URL (criteria version slug, product set number), else 404."""

    object_name = "scoring_form"

    def get_queryset(self):
        return scoring_form_at(self.kwargs["version"], self.kwargs["number"])

    def get_object(self):
        return get_object_or_404(self.get_queryset())


@method_decorator(replica_reads, name="dispatch")
class CriteriaIndexView(TemplateView):
    """Public: the criteria versions and their forms by sector."""

    template_name = "evaluations/criteria/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions, version = criteria_versions_with_choice(self.request.GET.get("version"))
        context.update(
            versions=versions,
            version=version,
            forms=current_forms(version) if version else [],
        )
        return context


@method_decorator(replica_reads, name="dispatch")
class FormDetailView(ScoringFormMixin, TemplateView):
    """Public, printable: the form as on paper (`?revision=` for an earlier revision)."""

    template_name = "evaluations/criteria/detail.html"

    def get_queryset(self):
        return scoring_form_at(
            self.kwargs["version"], self.kwargs["number"], self.request.GET.get("revision")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.get_object()
        context.update(scoring_form=form, tree=form_tree(form), revisions=form_revisions(form))
        return context


class FormCorrectView(ScoringFormMixin, ObjectPermissionMixin, ServiceFormView):
    """Administrators correct a form's points, labels and star markers, validated live.

    htmx posts (and "Check") answer the defects of the values typed, saving nothing; "Save"
    saves the changes through `scoring_form_correct` (a new revision when the form is frozen).
    """

    permission_required = "evaluations.change_scoringform"
    template_name = "evaluations/criteria/correct.html"
    defects_template = "evaluations/criteria/_defects.html"
    form_class = ScoringFormCorrectionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tree": form_tree(self.scoring_form)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(tree=context["form"].tree, defects=self.scoring_form.defects)
        return context

    def form_invalid(self, form):
        if self.request.htmx:
            return render(self.request, self.defects_template, self.get_context_data(form=form))
        return super().form_invalid(form)

    def form_valid(self, form):
        changes = form.changes()
        if self.request.htmx or self.request.POST.get("action") == "check":
            defects = validate_form(with_changes(form_spec(self.scoring_form), changes))
            return render(
                self.request,
                self.defects_template,
                {
                    "defects": [{"ref": d.ref, "message": d.message} for d in defects],
                    "live": True,
                    "form": form,
                },
            )
        if not changes:
            messages.info(self.request, _("Nothing was changed."))
            return redirect(self.request.path)
        return super().form_valid(form)

    def perform(self, form):
        return scoring_form_correct(
            form=self.scoring_form, changes=form.changes(), actor=self.request.user
        )

    def get_success_message(self, form) -> str:
        """Success, or a warning when the saved form still has defects (then no success);
        an earlier revision kept for submitted sheets is said first."""
        old, saved = self.scoring_form, self.result
        if saved.revision != old.revision:
            messages.info(
                self.request,
                _(
                    "Revision %(old)s is used by submitted score sheets and stays as it was; "
                    "your corrections are in revision %(new)s."
                )
                % {"old": old.revision, "new": saved.revision},
            )
        if saved.is_verified:
            return _("Saved. The form validates and can be used to score.")
        messages.warning(
            self.request, _("Saved. The form still has defects and cannot be used to score.")
        )
        return ""

    def get_success_url(self) -> str:
        return self.request.path
