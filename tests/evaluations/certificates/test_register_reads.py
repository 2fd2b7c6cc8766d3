"""The register's reads on stored columns (issue 16, docs/benchmarks.md): the standing by
`status_q` is the standing by `with_status` (`status_on`) on every day, month ends and 29
February included; a page of the register reads only its rows."""

import datetime

import pytest

from evaluations.certificates.selectors import register_page
from evaluations.certificates.validity import add_months, status_q, with_status
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from tests.evaluations.followup.conftest import World, today
from tests.evaluations.followup.conftest import units as units
from tests.evaluations.followup.conftest import users as users
from tests.evaluations.followup.conftest import world as world

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DAYS = [
    datetime.date(2027, 1, 31),
    datetime.date(2027, 2, 28),
    datetime.date(2028, 2, 29),
    datetime.date(2028, 3, 1),
    datetime.date(2028, 8, 31),
    datetime.date(2028, 12, 31),
    datetime.date(2029, 1, 1),
]


@pytest.fixture
def register(world: World):
    """Certificates ending around each day, some revoked."""
    made = []
    n = 0
    for day in DAYS:
        for months in (-1, 0, 5, 6, 7):
            for offset in (-1, 0, 1):
                n += 1
                until = add_months(day, months) + datetime.timedelta(days=offset)
                issued = add_months(until, -36)
                made.append(
                    world.certificate(
                        name=f"Sản phẩm {n}",
                        issued_on=min(issued, today()),
                        valid_until=until,
                        status=CertificateStatus.REVOKED if n % 7 == 0 else "valid",
                    )
                )
    return made


def test_the_standing_on_stored_columns_is_the_computed_one_on_every_day(register):
    for day in DAYS:
        annotated = with_status(Certificate.objects.all(), day)
        for status in CertificateStatus.values:
            by_case = set(annotated.filter(current_status=status).values_list("pk", flat=True))
            by_columns = set(
                Certificate.objects.filter(status_q(status, day)).values_list("pk", flat=True)
            )
            assert by_columns == by_case, (day, status)


def test_a_page_reads_its_rows_newest_first_with_their_units(register, django_assert_num_queries):
    chosen = Certificate.objects.all()
    expected = list(chosen.order_by("-issued_on", "number").values_list("pk", flat=True)[5:15])
    with django_assert_num_queries(3):
        rows = register_page(chosen, today(), 5, 10)
        assert [row.pk for row in rows] == expected
        assert all(row.producer_address_unit.parent.parent for row in rows)
        assert {row.current_status for row in rows} <= set(CertificateStatus.values)
