"""This app's sections of each person's desk (ocop.core.desk), from its subdomains."""

from datetime import date

from evaluations.certificates import desk as certificates
from evaluations.councils import desk as councils
from evaluations.followup import desk as followup
from evaluations.intake import desk as intake
from ocop.core.desk import DeskSection


def desk(user, today: date) -> list[DeskSection]:
    return [
        *intake.producer_sections(user, today),
        *certificates.producer_sections(user, today),
        *followup.producer_sections(user, today),
        *councils.council_sections(user, today),
        *intake.working_group_sections(user, today),
        *certificates.office_sections(user, today),
        *followup.office_sections(user, today),
        *intake.late_units_section(user, today),
        *intake.blocked_forms_section(user, today),
    ]
