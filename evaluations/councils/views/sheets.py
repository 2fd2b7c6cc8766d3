"""A council member's pages: the conflict declaration, the score sheet with live totals, and
the producer's evidence documents of a product on the agenda."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from evaluations.councils.forms import ConflictForm, ScoreSheetForm
from evaluations.councils.services.scoring import conflict_declare, sheet_save, sheet_submit
from evaluations.criteria.selectors import form_spec
from evaluations.engine.display import format_points
from evaluations.enums import ItemState, SheetState
from evaluations.exceptions import EvaluationError
from evaluations.intake.selectors import dossier_answers
from evaluations.intake.selfassessment import score_or_none
from evaluations.models import ScoreSheet, Session, SessionItem
from evaluations.rules import council_membership
from ocop.core.files import file_response
from ocop.core.forms import add_service_errors
from products.models import EvidenceDocument


class ItemMixin(LoginRequiredMixin):
    """The agenda item of the URL for a member of the session's council who scores and is
    not recused from it; 404 for anybody else."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.item = get_object_or_404(
            SessionItem.objects.select_related(
                "session__council__unit",
                "session__round",
                "dossier__product__producer",
                "dossier__product__product_set",
                "dossier__scoring_form__version",
            ),
            pk=kwargs["item"],
            session_id=kwargs["pk"],
        )
        self.session: Session = self.item.session
        self.member = council_membership(request.user, self.item)
        if self.member is None or not self.member.scores:
            raise Http404
        self.declaration = self.item.conflicts.filter(member=self.member).first()
        if self.declaration is not None and self.declaration.has_conflict:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ConflictDeclareView(ItemMixin, View):
    template_name = "evaluations/sessions/declare.html"

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"item": self.item, "session": self.session, "form": form},
            status=status,
        )

    def get(self, request, *args, **kwargs):
        if self.declaration is not None:
            return redirect("evaluations:sheet", pk=self.session.pk, item=self.item.pk)
        if self.item.state != ItemState.SCORING:
            raise Http404
        return self._render(ConflictForm())

    def post(self, request, *args, **kwargs):
        form = ConflictForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            declaration = conflict_declare(
                item=self.item,
                has_conflict=form.cleaned_data["has_conflict"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self._render(form, status=400)
        except EvaluationError as error:
            messages.error(request, error.message)
            return redirect("evaluations:session_detail", pk=self.session.pk)
        if declaration.has_conflict:
            messages.info(request, _("Your conflict is recorded: you will not score this product."))
            return redirect("evaluations:session_detail", pk=self.session.pk)
        return redirect("evaluations:sheet", pk=self.session.pk, item=self.item.pk)


class SheetView(ItemMixin, View):
    """One option per criterion with the producer's self-assessment and evidence beside it,
    a note per criterion, live part totals; save a draft or submit (then it is locked)."""

    template_name = "evaluations/sessions/sheet.html"

    def _sheet(self) -> ScoreSheet:
        sheet = (
            ScoreSheet.objects.filter(item=self.item, member=self.member)
            .select_related("scoring_form__version")
            .first()
        )
        if sheet is None:
            raise Http404
        return sheet

    def _render(self, form, sheet, status=200):
        spec = form.spec
        dossier = self.item.dossier
        excused = sheet.reopenings.filter(
            number=sheet.reopened_count, excused_at__isnull=False
        ).first()
        return render(
            self.request,
            self.template_name,
            {
                "session": self.session,
                "item": self.item,
                "dossier": dossier,
                "sheet": sheet,
                "form": form,
                "parts": form.parts(),
                "score": score_or_none(spec, form.options()),
                "producer_answers": dossier_answers(dossier),
                "locked": sheet.state != SheetState.DRAFT
                or self.item.state != ItemState.SCORING
                or excused is not None,
                "excused": excused,
                "member": self.member,
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        if self.declaration is None:
            return redirect("evaluations:declare", pk=self.session.pk, item=self.item.pk)
        sheet = self._sheet()
        spec = form_spec(sheet.scoring_form)
        form = ScoreSheetForm(spec=spec, answers=sheet.answers, notes=sheet.notes)
        return self._render(form, sheet)

    def post(self, request, *args, **kwargs):
        sheet = self._sheet()
        spec = form_spec(sheet.scoring_form)
        form = ScoreSheetForm(request.POST, spec=spec, answers={}, notes={})
        if not form.is_valid():
            messages.error(request, _("Nothing was saved: please correct the criteria marked."))
            return self._render(form, sheet, status=400)
        service = sheet_submit if "submit" in request.POST else sheet_save
        try:
            sheet = service(
                sheet=sheet, answers=form.options(), notes=form.notes(), actor=request.user
            )
        except ValidationError as error:
            for key, problems in getattr(error, "message_dict", {"": error.messages}).items():
                for problem in problems:
                    messages.error(request, f"{key} {problem}".strip())
            return self._render(form, sheet, status=400)
        except EvaluationError as error:
            messages.error(request, error.message)
            for problem in error.problems:
                messages.error(request, problem)
            return self._render(form, self._sheet(), status=400)
        if sheet.state == SheetState.SUBMITTED:
            messages.success(
                request,
                _("Your score sheet is submitted: %(total)s points.")
                % {"total": format_points(sheet.total)},
            )
            return redirect("evaluations:session_detail", pk=self.session.pk)
        messages.success(request, _("Draft saved."))
        return redirect("evaluations:sheet", pk=self.session.pk, item=self.item.pk)


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
        dossier = self.item.dossier
        document = get_object_or_404(
            EvidenceDocument.objects.filter(
                Q(dossiers=dossier) | Q(pk__in=dossier.answers.values("documents"))
            ).distinct(),
            pk=kwargs["document"],
        )
        return file_response(
            document.file, filename=document.original_name, content_type=document.content_type
        )
