"""Opening evaluation rounds."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
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


def round_regime_errors(
    *,
    regime: Regime,
    year: int,
    historical: bool,
    province: AdministrativeUnit | None = None,
    today: date | None = None,
) -> dict[str, str]:
    """Field → message when the regime or the province does not fit the round (decision
    0021).

    A round takes the regime in force on the day it is opened, in a province of the map in
    force that day. An older regime only for a round entered as history, of a past or the
    current year, in which that regime (and the province) was in force on at least one
    day."""
    today = today or timezone.localdate()
    if historical:
        if year > today.year:
            return {"year": _("A round entered as history cannot be of a future year.")}
        first, last = date(year, 1, 1), date(year, 12, 31)
        if province is not None and not (
            (province.valid_from is None or province.valid_from <= last)
            and (province.valid_until is None or province.valid_until >= first)
        ):
            return {
                "year": _("%(province)s did not exist in %(year)s.")
                % {"province": province.name, "year": year}
            }
        if not Regime.objects.in_force_during(year).filter(pk=regime.pk).exists():
            return {
                "regime": _(
                    "%(regime)s was not in force in %(year)s. Choose a regime of that year."
                )
                % {"regime": regime.code, "year": year}
            }
        return {}
    if province is not None and not province.in_force_on(today):
        return {
            "historical": _(
                "%(province)s is no longer on today's map: its rounds can only be entered as "
                "history, for the years it existed."
            )
            % {"province": province.name}
        }
    if not regime.in_force_on(today):
        in_force = Regime.objects.in_force(today).first()
        return {
            "regime": _(
                "A round opened today takes the regime in force today (%(in_force)s). "
                "To enter a round of a past year under %(regime)s, tick “Entered as history”."
            )
            % {"in_force": in_force.code if in_force else "—", "regime": regime.code}
        }
    return {}


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
    historical: bool = False,
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
    errors.update(
        round_regime_errors(regime=regime, year=year, historical=historical, province=province)
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
                historical=historical,
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
                    "historical": historical,
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
