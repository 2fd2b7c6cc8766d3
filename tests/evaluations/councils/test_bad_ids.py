"""Ids out of any integer column's range, posted to the agenda form: a form error, never a
500, on PostgreSQL and on SQLite (refused before any query, so no driver sees them)."""

import pytest
from django.urls import reverse

from evaluations.councils.forms import AgendaForm
from evaluations.models import Dossier, SessionItem
from ocop.core.models import AuditEntry

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BAD_IDS = [HUGE, "-" + HUGE, "9223372036854775808", "1e400", "１２", " ", "0x10"]


@pytest.mark.parametrize("value", BAD_IDS)
def test_agenda_refuses_an_id_out_of_range(client, session, dossiers, district_officer, value):
    client.force_login(district_officer)
    audit_before = AuditEntry.objects.count()

    response = client.post(
        reverse("evaluations:session_agenda", args=[session.pk]),
        {"dossiers": [str(dossiers[0].pk), value]},
    )

    assert response.status_code == 400
    assert "not of this session" in response.content.decode()
    assert not SessionItem.objects.exists()
    assert Dossier.objects.get(pk=dossiers[0].pk).state == dossiers[0].state
    assert AuditEntry.objects.count() == audit_before


def test_agenda_form_refuses_a_huge_id_without_a_query(
    session, dossiers, django_assert_num_queries
):
    form = AgendaForm(data={"dossiers": [str(dossiers[0].pk), HUGE]}, session=session)

    with django_assert_num_queries(0):
        valid = form.is_valid()

    assert not valid
    assert form.errors["dossiers"] == ["A chosen dossier is not of this session's round."]
