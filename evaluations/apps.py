from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# A district or commune working group: checks dossiers, runs its council, issues decisions.
LOCAL_OFFICER_PERMISSIONS = [
    "evaluations.view_round",
    "evaluations.view_dossier",
    "evaluations.check_dossier",
    "evaluations.manage_council",
    "evaluations.view_council",
    "evaluations.prepare_session",
    "evaluations.view_session",
    "evaluations.issue_decision",
    "evaluations.view_decision",
    "evaluations.view_certificate",
    "evaluations.revoke_certificate",
    "evaluations.inspect_certificate",
]


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("OCOP evaluations")
    role_permissions = {
        "administrator": [
            "evaluations.view_scoringform",
            "evaluations.change_scoringform",
            "evaluations.view_criteriaversion",
            "evaluations.view_regime",
            "evaluations.manage_council",
            "evaluations.view_council",
        ],
        "province_officer": [
            "evaluations.view_scoringform",
            "evaluations.view_regime",
            "evaluations.add_round",
            "evaluations.open_round",
            "evaluations.view_round",
            "evaluations.view_dossier",
            "evaluations.check_dossier",
            "evaluations.extend_deadline",
            "evaluations.manage_council",
            "evaluations.view_council",
            "evaluations.prepare_session",
            "evaluations.view_session",
            "evaluations.issue_decision",
            "evaluations.view_decision",
            "evaluations.view_certificate",
            "evaluations.revoke_certificate",
            "evaluations.inspect_certificate",
            "evaluations.view_levelresult",
        ],
        "district_officer": LOCAL_OFFICER_PERMISSIONS,
        "commune_officer": LOCAL_OFFICER_PERMISSIONS,
        "producer_member": [
            "evaluations.view_round",
            "evaluations.view_dossier",
            "evaluations.add_dossier",
            "evaluations.change_dossier",
        ],
    }

    def ready(self) -> None:
        # The inspection plan hears of each inspection recorded (docs/decisions/0027).
        from evaluations.certificates.signals import inspection_recorded
        from evaluations.followup.services import on_inspection_recorded

        inspection_recorded.connect(on_inspection_recorded, dispatch_uid="followup_plan_item")

    def navigation(self, user) -> list:
        import rules

        from evaluations.rules import is_council_member_at_all
        from ocop.core.context_processors import NavItem
        from ocop.core.enums import Role

        items = [
            NavItem(_("OCOP products"), reverse("evaluations:catalogue"), "catalogue", public=True),
            NavItem(
                _("Scoring forms"), reverse("evaluations:criteria_index"), "criteria", public=True
            ),
            NavItem(
                _("Verify a certificate"),
                reverse("evaluations:verify_search"),
                "verify_search",
                public=True,
            ),
        ]
        if not getattr(user, "is_authenticated", False):
            return items
        if user.has_role(Role.PRODUCER_MEMBER):
            items.append(
                NavItem(_("My dossiers"), reverse("evaluations:dossier_list"), "dossier_list")
            )
        if user.is_officer and user.jurisdiction_id:
            items.append(NavItem(_("Dossier inbox"), reverse("evaluations:inbox"), "inbox"))
        if user.has_role(Role.PROVINCE_OFFICER) and user.jurisdiction_id:
            items.append(NavItem(_("Rounds"), reverse("evaluations:round_list"), "round_list"))
        if (user.is_officer and user.jurisdiction_id) or user.has_role(Role.ADMINISTRATOR):
            # Officers reach the sessions from their councils' pages.
            items.append(
                NavItem(_("Councils"), reverse("evaluations:council_list"), "council_list")
            )
        elif is_council_member_at_all(user):
            items.append(
                NavItem(_("Council sessions"), reverse("evaluations:session_list"), "session_list")
            )
        if user.is_officer and user.jurisdiction_id:
            items.append(
                NavItem(
                    _("Certificates"), reverse("evaluations:certificate_list"), "certificate_list"
                )
            )
            items.append(
                NavItem(
                    pgettext_lazy("menu", "Decisions"),
                    reverse("evaluations:decision_list"),
                    "decision_list",
                )
            )
        elif user.has_role(Role.PRODUCER_MEMBER):
            items.append(
                NavItem(
                    _("My certificates"),
                    reverse("evaluations:certificate_list"),
                    "certificate_list",
                )
            )
        if user.has_role(Role.PROVINCE_OFFICER) and user.jurisdiction_id:
            items.append(
                NavItem(
                    pgettext_lazy("menu", "Potential list"),
                    reverse("evaluations:potential"),
                    "potential",
                )
            )
            items.append(
                NavItem(
                    _("Progress of the round"),
                    reverse("evaluations:report_progress"),
                    "report_progress",
                    more=True,
                )
            )
            items.append(
                NavItem(
                    _("Funnel of the year"),
                    reverse("evaluations:report_funnel"),
                    "report_funnel",
                    more=True,
                )
            )
            items.append(
                NavItem(
                    _("OCOP results by year"),
                    reverse("evaluations:report_years"),
                    "report_years",
                    more=True,
                )
            )
        if rules.test_rule("evaluations.plan_inspections", user):
            items.append(
                NavItem(
                    _("Inspection plan"),
                    reverse("evaluations:inspection_plan"),
                    "inspection_plan",
                    more=True,
                )
            )
            items.append(
                NavItem(
                    _("Follow-up report"),
                    reverse("evaluations:report_followup"),
                    "report_followup",
                    more=True,
                )
            )
        if rules.test_rule("evaluations.use_result_import", user):
            items.append(
                NavItem(
                    _("Import published results"),
                    reverse("evaluations:result_import"),
                    "result_import",
                    more=True,
                )
            )
        return items

    def desk(self, user, today) -> list:
        from evaluations.desk import desk

        return desk(user, today) if user.is_authenticated and user.is_active else []

    def product_set_warnings(self) -> dict[int, str]:
        """What a producer choosing a product set must know at once: its scoring form cannot
        be used yet (products.forms.ProductForm)."""
        from evaluations.criteria.selectors import unverified_forms

        return {
            form.product_set_id: str(
                _("scoring form not verified yet: ask your province's OCOP office")
            )
            for form in unverified_forms()
        }

    def document_uses(self, document) -> list:
        """The draft and returned dossiers carrying a document (products.services.documents)."""
        from evaluations.intake.selectors import dossiers_using_document
        from products.services.documents import DocumentUse

        return [
            DocumentUse(
                key=f"dossier-{d.pk}",
                label=f"{d.product.name} · {d.round} ({d.get_state_display()})",
                url=reverse("evaluations:dossier_detail", args=[d.pk]),
            )
            for d in dossiers_using_document(document)
        ]

    def document_replaced(self, old, new, keep: set[str], actor) -> list[str]:
        """A new version of `old` takes its place in those dossiers, but the kept ones."""
        from evaluations.intake.services.dossiers import dossier_replace_document

        kept = {
            int(k.removeprefix("dossier-"))
            for k in keep
            if k.startswith("dossier-") and k.removeprefix("dossier-").isdigit()
        }
        changed = dossier_replace_document(old=old, new=new, keep=kept, actor=actor)
        return [f"dossier-{pk}" for pk in changed]

    def personal_data(self, user) -> dict:
        """This app's part of a person's copy of their data (ocop.core.services.privacy)."""
        from evaluations.models import CouncilMember

        return {
            "council_memberships": [
                {
                    "council": str(m.council),
                    "role": m.role,
                    "organisation": m.organisation,
                    "title": m.title,
                }
                for m in CouncilMember.objects.filter(user=user).select_related("council")
            ]
        }

    def personal_data_erasure_blockers(self, user) -> list[str]:
        """Why the account cannot be erased now (docs/privacy.md)."""
        from django.db.models import Count

        from evaluations.enums import DOSSIER_RESULT_FINAL, DossierState
        from evaluations.models import CouncilMember, Dossier
        from products.enums import MemberRole
        from products.models import ProducerMember

        reasons = []
        owned = ProducerMember.objects.filter(user=user, role=MemberRole.OWNER).values(
            "producer_id"
        )
        sole = (
            ProducerMember.objects.filter(producer_id__in=owned, role=MemberRole.OWNER)
            .values("producer_id")
            .annotate(owners=Count("pk"))
            .filter(owners=1)
            .values("producer_id")
        )
        pending = Dossier.objects.filter(product__producer_id__in=sole).exclude(
            state__in=[*DOSSIER_RESULT_FINAL, DossierState.WITHDRAWN]
        )
        if pending.exists():
            reasons.append(
                _(
                    "The person is the only owner of a producer with a dossier in progress: "
                    "another member must become an owner, or the dossier must be withdrawn "
                    "or finished, first."
                )
            )
        if CouncilMember.objects.filter(user=user).exists():
            reasons.append(
                _(
                    "The person is a member of an evaluation council: councils' minutes and "
                    "results are official records that name their members, so the account "
                    "is kept. An administrator can disable its login instead."
                )
            )
        return [str(r) for r in reasons]
