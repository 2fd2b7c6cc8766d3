"""Opening evaluation rounds."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.models import CriteriaVersion, Regime, Round
from ocop.core.audit import audit_log
from ocop.core.models import AdministrativeUnit


def round_deadline_errors(
    *, submission_deadline: date, first_level_deadline: date, province_deadline: date
) -> dict[str, str]:
    """Field → message for deadlines out of order (submission ≤ first level ≤ province)."""
    errors = {}
    if first_level_deadline < submission_deadline:
        errors["first_level_deadline"] = _(
            "The first-level evaluation deadline cannot be before the submission deadline "
            "(%(date)s)."
        ) % {"date": date_format(submission_deadline, "SHORT_DATE_FORMAT")}
    if province_deadline < first_level_deadline:
        errors["province_deadline"] = _(
            "The province evaluation deadline cannot be before the first-level evaluation "
            "deadline (%(date)s)."
        ) % {"date": date_format(first_level_deadline, "SHORT_DATE_FORMAT")}
    return errors


def round_open(
    *,
    province: AdministrativeUnit,
    year: int,
    number: int,
    title: str = "",
    regime: Regime,
    criteria_version: CriteriaVersion,
    submission_deadline: date,
    first_level_deadline: date,
    province_deadline: date,
    actor,
) -> Round:
    """Open a round of the province's annual cycle. Only the province's own officers may."""
    if not actor.has_perm("evaluations.open_round", province):
        raise PermissionDenied(_("Only an officer of this province may open its rounds."))
    errors = round_deadline_errors(
        submission_deadline=submission_deadline,
        first_level_deadline=first_level_deadline,
        province_deadline=province_deadline,
    )
    if not regime.levels.filter(checks_dossiers=True).exists():
        errors["regime"] = _("This regime names no level whose working group checks dossiers.")
    if Round.objects.filter(province=province, year=year, number=number).exists():
        errors["number"] = _("Round %(number)s of %(year)s already exists in this province.") % {
            "number": number,
            "year": year,
        }
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            round_obj = Round.objects.create(
                province=province,
                year=year,
                number=number,
                title=title.strip(),
                regime=regime,
                criteria_version=criteria_version,
                submission_deadline=submission_deadline,
                first_level_deadline=first_level_deadline,
                province_deadline=province_deadline,
                created_by=actor,
            )
            audit_log(
                actor=actor,
                action="round.open",
                obj=round_obj,
                data={
                    "province": province.code,
                    "year": year,
                    "number": number,
                    "regime": regime.code,
                    "criteria_version": criteria_version.code,
                    "deadlines": [submission_deadline, first_level_deadline, province_deadline],
                },
            )
    except IntegrityError as error:
        # Another officer opened the same round number a moment earlier.
        message = _("Round %(number)s of %(year)s already exists in this province.") % {
            "number": number,
            "year": year,
        }
        raise ValidationError({"number": message}) from error
    return round_obj
