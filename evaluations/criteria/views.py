from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from evaluations.criteria.forms import ScoringFormCorrectionForm
from evaluations.criteria.selectors import current_forms, form_spec, form_tree
from evaluations.criteria.services import scoring_form_correct
from evaluations.engine.edit import with_changes
from evaluations.engine.validation import validate_form
from evaluations.models import CriteriaVersion, ScoringForm
from ocop.core.mixins import PermissionOr404Mixin


def _version(slug: str) -> CriteriaVersion:
    return get_object_or_404(CriteriaVersion, code=slug.replace("-", "/"))


def _form(slug: str, number: int, revision: str | None = None) -> ScoringForm:
    filters = {"version__code": slug.replace("-", "/"), "product_set__number": number}
    if revision and revision.isdigit():
        filters["revision"] = int(revision)
    else:
        filters["is_current"] = True
    return get_object_or_404(
        ScoringForm.objects.select_related("version", "product_set__group__sector"), **filters
    )


class CriteriaIndexView(TemplateView):
    """Public: the criteria versions and their forms by sector."""

    template_name = "evaluations/criteria/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(CriteriaVersion.objects.all())
        chosen = self.request.GET.get("version")
        version = next((v for v in versions if v.code == chosen), None) or next(
            (v for v in versions if v.status == "active"), versions[0] if versions else None
        )
        context.update(
            versions=versions,
            version=version,
            forms=current_forms(version) if version else [],
        )
        return context


class FormDetailView(TemplateView):
    """Public, printable: the form as on paper."""

    template_name = "evaluations/criteria/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = _form(kwargs["version"], kwargs["number"], self.request.GET.get("revision"))
        context.update(
            scoring_form=form,
            tree=form_tree(form),
            revisions=ScoringForm.objects.filter(
                version=form.version, product_set=form.product_set
            ).order_by("-revision"),
        )
        return context


class FormCorrectView(PermissionOr404Mixin, View):
    """Administrators correct a form's points, labels and star markers, validated live."""

    permission_required = "evaluations.change_scoringform"
    template_name = "evaluations/criteria/correct.html"

    def _context(self, form_obj, correction_form, defects):
        return {
            "scoring_form": form_obj,
            "tree": correction_form.tree,
            "form": correction_form,
            "defects": defects,
        }

    def _load(self, kwargs, data=None):
        form_obj = _form(kwargs["version"], kwargs["number"])
        tree = form_tree(form_obj)
        correction_form = ScoringFormCorrectionForm(data, tree=tree)
        correction_form.tree = tree
        return form_obj, correction_form

    def get(self, request, **kwargs):
        form_obj, correction_form = self._load(kwargs)
        return render(
            request,
            self.template_name,
            self._context(form_obj, correction_form, form_obj.defects),
        )

    def post(self, request, **kwargs):
        form_obj, correction_form = self._load(kwargs, request.POST)
        if not correction_form.is_valid():
            status = 200 if request.htmx else 400
            template = "evaluations/criteria/_defects.html" if request.htmx else self.template_name
            return render(
                request,
                template,
                self._context(form_obj, correction_form, form_obj.defects),
                status=status,
            )
        changes = correction_form.changes()
        if request.htmx or request.POST.get("action") == "check":
            defects = validate_form(with_changes(form_spec(form_obj), changes))
            return render(
                request,
                "evaluations/criteria/_defects.html",
                {
                    "defects": [{"ref": d.ref, "message": d.message} for d in defects],
                    "live": True,
                    "form": correction_form,
                },
            )
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect(request.path)
        saved = scoring_form_correct(form=form_obj, changes=changes, actor=request.user)
        if saved.revision != form_obj.revision:
            messages.info(
                request,
                _(
                    "Revision %(old)s is used by submitted score sheets and stays as it was; "
                    "your corrections are in revision %(new)s."
                )
                % {"old": form_obj.revision, "new": saved.revision},
            )
        if saved.is_verified:
            messages.success(request, _("Saved. The form validates and can be used to score."))
        else:
            messages.warning(
                request, _("Saved. The form still has defects and cannot be used to score.")
            )
        return redirect(request.path)


# --- rounds -------------------------------------------------------------------------------
