"""The follow-up's part of each desk (ocop.core.desk): the producer's yearly self-reports to
write; the province office's missed self-reports and the inspections its plan puts in this
month (or earlier) not recorded yet."""

from datetime import date

import rules
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.enums import SelfReportStanding
from evaluations.followup.selectors import missed_reports, plan_items_due, producer_reports_due
from ocop.core.desk import DESK_LIMIT, DeskSection, DeskTask, limited
from ocop.core.enums import Role


def _report_task(due) -> DeskTask:
    certificate, period = due.certificate, due.period
    if due.standing == SelfReportStanding.MISSED:
        detail = _("%(number)s · self-report of %(year)s, due %(date)s: late, send it now")
    else:
        detail = _("%(number)s · self-report of %(year)s, due %(date)s")
    return DeskTask(
        title=certificate.product_name,
        url=reverse("evaluations:self_report", args=[certificate.number, period.year]),
        detail=detail
        % {
            "number": certificate.number,
            "year": period.year,
            "date": date_format(period.due_on, "SHORT_DATE_FORMAT"),
        },
        due=period.due_on,
    )


def producer_sections(user, today: date) -> list[DeskSection]:
    if not user.has_role(Role.PRODUCER_MEMBER):
        return []
    due = producer_reports_due(user, today)
    if not due:
        return []
    return [
        DeskSection(
            key="self_reports",
            title=_("Yearly self-reports to send"),
            tasks=[_report_task(d) for d in due[:DESK_LIMIT]],
            total=len(due),
            empty=_("No self-report is due."),
            more_url=reverse("evaluations:certificate_list"),
            more_label=_("My certificates"),
            order=32,
        )
    ]


def office_sections(user, today: date) -> list[DeskSection]:
    if not rules.test_rule("evaluations.plan_inspections", user):
        return []
    missed = missed_reports(user, today)
    items, items_total = limited(plan_items_due(user, today))
    plan_url = reverse("evaluations:inspection_plan")
    return [
        DeskSection(
            key="missed_self_reports",
            title=_("Self-reports missed"),
            tasks=[
                DeskTask(
                    title=d.certificate.product_name,
                    url=reverse(
                        "evaluations:self_report", args=[d.certificate.number, d.period.year]
                    ),
                    detail=_("%(number)s · %(producer)s · self-report of %(year)s not sent")
                    % {
                        "number": d.certificate.number,
                        "producer": d.certificate.producer_name,
                        "year": d.period.year,
                    },
                    due=d.period.due_on,
                )
                for d in missed[:DESK_LIMIT]
            ],
            total=len(missed),
            empty=_("Every self-report due has been sent."),
            more_url=plan_url,
            more_label=_("Inspection plan"),
            order=40,
        ),
        DeskSection(
            key="planned_inspections",
            title=_("Inspections planned for this month"),
            tasks=[
                DeskTask(
                    title=item.certificate.product_name,
                    url=reverse("evaluations:certificate_detail", args=[item.certificate.number])
                    + "#inspections",
                    detail=_("%(number)s · %(inspector)s · planned for %(month)s/%(year)s")
                    % {
                        "number": item.certificate.number,
                        "inspector": item.inspector,
                        "month": item.month,
                        "year": item.plan.year,
                    },
                    due=date(item.plan.year, item.month, 1),
                )
                for item in items
            ],
            total=items_total,
            empty=_("No planned inspection is due this month."),
            more_url=plan_url,
            more_label=_("Inspection plan"),
            order=41,
        ),
    ]
