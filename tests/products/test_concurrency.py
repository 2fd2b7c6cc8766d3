"""Two officers act on the same pending producer at the same moment."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from products.enums import ProducerState
from products.models import Producer
from products.services.producers import producer_reject, producer_verify
from tests.factories import producer_with_owner, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_verify_and_reject_give_one_change_and_one_clear_refusal(units):
    producer, _owner = producer_with_owner(commune=units["commune"], state="pending")
    first = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tanlac1")
    second = user_with_role(Role.COMMUNE_OFFICER, units["commune"], username="manduc1")
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(name, action):
        try:
            start.wait()
            action()
            outcomes[name] = "done"
        except ValidationError as error:
            outcomes[name] = error.code
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=act,
            args=("verify", lambda: producer_verify(producer=producer, actor=first)),
        ),
        threading.Thread(
            target=act,
            args=(
                "reject",
                lambda: producer_reject(producer=producer, actor=second, reason="Thiếu giấy"),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["done", "illegal_transition"]
    state = Producer.objects.get(pk=producer.pk).state
    winner = "verify" if state == ProducerState.VERIFIED else "reject"
    assert outcomes[winner] == "done"
    assert AuditEntry.objects.filter(action__in=["producer.verify", "producer.reject"]).count() == 1
