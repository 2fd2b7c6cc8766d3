"""A council member's pages: the conflict declaration, the score sheet with live totals, and
the producer's evidence documents of a product on the agenda."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View

from evaluations.councils.forms import ConflictForm, ScoreSheetForm
from evaluations.councils.selectors import excused_reopening, item_evidence, member_sheet
from evaluations.councils.services.scoring import conflict_declare, sheet_save, sheet_submit
from evaluations.councils.views.mixins import ItemMixin
from evaluations.councils.workflow import sheet_actions
from evaluations.criteria.selectors import form_spec
from evaluations.engine.display import format_points
from evaluations.enums import ItemState, SheetState
from evaluations.intake.selectors import dossier_answers
from evaluations.intake.selfassessment import score_or_none
from evaluations.models import ScoreSheet
from ocop.core.files import file_response
from ocop.core.service_views import ServiceFormView


class ConflictDeclareView(ItemMixin, ServiceFormView):
    """Before scoring, the member declares a conflict of interest (then is recused) or none
    (then scores). A refusal (declared meanwhile) goes back to the session."""

    template_name = "evaluations/sessions/declare.html"
    form_class = ConflictForm

    def get(self, request, *args, **kwargs):
        if self.declaration is not None:
            return redirect("evaluations:sheet", pk=self.session.pk, item=self.item.pk)
        if self.item.state != ItemState.SCORING:
            raise Http404
        return super().get(request, *args, **kwargs)

    def perform(self, form):
        return conflict_declare(
            item=self.item,
            has_conflict=form.cleaned_data["has_conflict"],
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )

    def get_success_message(self, form) -> str:
        if self.result.has_conflict:
            messages.info(
                self.request, _("Your conflict is recorded: you will not score this product.")
            )
        return ""

    def get_success_url(self) -> str:
        if self.result.has_conflict:
            return reverse("evaluations:session_detail", args=[self.session.pk])
        return reverse("evaluations:sheet", args=[self.session.pk, self.item.pk])

    def domain_error(self, form, error):
        for text in error.messages:
            messages.error(self.request, text)
        return redirect("evaluations:session_detail", pk=self.session.pk)


class SheetView(ItemMixin, ServiceFormView):
    """One option per criterion with the producer's self-assessment and evidence beside it,
    a note per criterion, live part totals; save a draft or submit (then it is locked)."""

    template_name = "evaluations/sessions/sheet.html"

    @cached_property
    def sheet(self) -> ScoreSheet:
        sheet = member_sheet(self.item, self.member)
        if sheet is None:
            raise Http404
        return sheet

    def get(self, request, *args, **kwargs):
        if self.declaration is None:
            return redirect("evaluations:declare", pk=self.session.pk, item=self.item.pk)
        return super().get(request, *args, **kwargs)

    def get_form(self, form_class=None):
        spec = form_spec(self.sheet.scoring_form)
        if self.request.method == "POST":
            return ScoreSheetForm(self.request.POST, spec=spec, answers={}, notes={})
        return ScoreSheetForm(spec=spec, answers=self.sheet.answers, notes=self.sheet.notes)

    def perform(self, form):
        service = sheet_submit if "submit" in self.request.POST else sheet_save
        return service(
            sheet=self.sheet, answers=form.options(), notes=form.notes(), actor=self.request.user
        )

    def get_success_message(self, form) -> str:
        if self.result.state == SheetState.SUBMITTED:
            return _("Your score sheet is submitted: %(total)s points.") % {
                "total": format_points(self.result.total)
            }
        return _("Draft saved.")

    def get_success_url(self) -> str:
        if self.result.state == SheetState.SUBMITTED:
            return reverse("evaluations:session_detail", args=[self.session.pk])
        return reverse("evaluations:sheet", args=[self.session.pk, self.item.pk])

    def form_invalid(self, form):
        messages.error(self.request, _("Nothing was saved: please correct the criteria marked."))
        return super().form_invalid(form)

    def domain_error(self, form, error):
        """The sheet is locked, excused or incomplete: say why, and show it as it is now."""
        for text in error.messages:
            messages.error(self.request, text)
        del self.sheet
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, sheet, dossier = context["form"], self.sheet, self.item.dossier
        excused = excused_reopening(sheet)
        context.update(
            dossier=dossier,
            sheet=sheet,
            parts=form.parts(),
            score=score_or_none(form.spec, form.options()),
            producer_answers=dossier_answers(dossier),
            locked=not sheet_actions(
                self.request.user,
                sheet,
                item=self.item,
                member=self.member,
                excused=excused is not None,
            )["save"],
            excused=excused,
            member=self.member,
        )
        return context


class SheetTotalsView(ItemMixin, View):
    """htmx: the live totals of the options being ticked, before they are saved."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        spec = form_spec(self.item.dossier.scoring_form)
        form = ScoreSheetForm(request.POST, spec=spec, answers={}, notes={})
        return render(
            request,
            "evaluations/dossiers/_totals.html",
            {"score": score_or_none(spec, form.options()), "spec": spec},
        )


class ItemDocumentView(ItemMixin, View):
    """A council member who scores the product opens the producer's evidence."""

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(item_evidence(self.item), pk=kwargs["document"])
        return file_response(
            document.file, filename=document.original_name, content_type=document.content_type
        )
