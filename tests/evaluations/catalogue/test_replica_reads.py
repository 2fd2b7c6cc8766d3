"""Public reads from the read replica, on two aliases of the test database (decision 0034).

"replica" (ocop/settings/test.py) is a second connection to the same database, as a
streaming replica is a second server with the same rows: it sees only what was committed,
so these tests commit (transaction=True). The router is installed as production installs it
when OCOP_REPLICA_DATABASE_URL is set. Each test counts the queries each alias ran: the public
pages of an anonymous visitor read the replica; a signed-in visitor, the officers' pages and
every write use the primary."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.core.db_router import replica_retry_now
from products.services.products import product_photos_add
from tests.products.files import png

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def replica_router(settings):
    settings.DATABASE_ROUTERS = ["ocop.core.db_router.ReplicaRouter"]


@pytest.fixture
def cam(world):
    certificate = world.certificate(
        name="Cam Cao Phong", stars=4, score=Decimal("78.50"), product_set=4
    )
    image = SimpleUploadedFile("cam.png", png((800, 600)), content_type="image/png")
    product_photos_add(
        product=certificate.product, images=[image], actor=certificate.producer.members.get().user
    )
    return certificate


class Queries:
    """The queries each alias runs while the block runs."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


def public_urls(cam) -> list[str]:
    photo = cam.product.photos.get()
    return [
        reverse("evaluations:verify", args=[cam.number]),
        reverse("evaluations:verify_search") + "?number=Cam+Cao",
        reverse("evaluations:catalogue") + "?q=cam",
        reverse("evaluations:catalogue_product", args=[cam.product_id]),
        reverse("evaluations:catalogue_producer", args=[cam.producer_id]),
        reverse("evaluations:catalogue_photo", args=[cam.product_id, photo.pk, "thumb"]),
        reverse("evaluations:open_data_products_csv"),
        "/api/v1/certificates/",
        f"/api/v1/certificates/{cam.number}/",
        "/api/v1/products/",
        reverse("evaluations:criteria_index"),
    ]


def test_an_anonymous_visitor_reads_every_public_page_from_the_replica(client, cam):
    for url in public_urls(cam):
        with Queries() as queries:
            response = client.get(url)

        assert response.status_code == 200, url
        assert len(queries.replica) > 0, url
        assert [q["sql"] for q in queries.primary] == [], url


def test_what_the_replica_answers_is_the_register(client, cam):
    with Queries() as queries:
        page = client.get(reverse("evaluations:verify", args=[cam.number]))
        api = client.get(f"/api/v1/certificates/{cam.number}/")

    assert cam.number in page.content.decode()
    assert api.json()["number"] == cam.number
    assert any('"evaluations_certificate"' in q["sql"] for q in queries.replica)


def test_a_signed_in_visitor_reads_public_pages_from_the_primary(client, cam, world):
    # An officer who just issued a decision sees it at once, whatever the replica's lag.
    client.force_login(world.district_officer)

    for url in public_urls(cam):
        with Queries() as queries:
            response = client.get(url)

        assert response.status_code == 200, url
        assert len(queries.primary) > 0, url
        assert len(queries.replica) == 0, url


def test_the_officers_pages_never_read_the_replica(client, cam, world):
    client.force_login(world.district_officer)
    urls = [
        reverse("core:dashboard"),
        reverse("evaluations:certificate_list"),
        reverse("evaluations:certificate_detail", args=[cam.number]),
    ]
    for url in urls:
        with Queries() as queries:
            response = client.get(url)

        assert response.status_code == 200, url
        assert len(queries.primary) > 0, url
        assert len(queries.replica) == 0, url


def test_a_change_is_written_to_the_primary_and_the_replica_is_not_asked(client, cam, world):
    officer = world.district_officer
    client.force_login(officer)

    with Queries() as queries:
        response = client.post(
            reverse("core:profile"),
            {"first_name": "Lan", "last_name": "Nguyễn", "email": "lan@example.vn", "phone": ""},
        )

    assert response.status_code == 302
    assert any(q["sql"].startswith("UPDATE") for q in queries.primary)
    assert len(queries.replica) == 0


def test_the_health_check_reports_both_databases(client):
    with Queries() as queries:
        response = client.get(reverse("core:health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": "ok", "replica": "ok"}}
    assert [q["sql"] for q in queries.primary] == ["SELECT 1"]
    assert [q["sql"] for q in queries.replica] == ["SELECT 1"]


def test_a_replica_that_does_not_answer_costs_no_visitor_a_500(client, cam, caplog):
    replica = connections["replica"]
    port = replica.settings_dict["PORT"]
    replica.close()
    replica.settings_dict["PORT"] = "9"  # the replica's server is down: connection refused
    try:
        with CaptureQueriesContext(connections["default"]) as first:
            page = client.get(reverse("evaluations:verify", args=[cam.number]))
        with CaptureQueriesContext(connections["default"]) as then:
            api = client.get("/api/v1/certificates/")
    finally:
        replica.close()
        replica.settings_dict["PORT"] = port
    replica_retry_now()  # the outage is over
    cache.clear()  # the page answered from the primary was kept (decision 0033)
    with Queries() as after:
        client.get(reverse("evaluations:verify", args=[cam.number]))

    # The request that met the error was answered again from the primary...
    assert page.status_code == 200
    assert cam.number in page.content.decode()
    assert len(first) > 0
    # ...and the next one read the primary without trying the replica (no second failure).
    assert api.status_code == 200
    assert api.json()["count"] == 1
    assert len(then) > 0
    failures = [r for r in caplog.records if r.getMessage().startswith("The read replica failed")]
    assert len(failures) == 1
    # Once it answers again, the replica is read again.
    assert (len(after.primary), len(after.replica) > 0) == (0, True)


def test_the_health_check_reports_a_replica_down_and_spares_the_pages_the_wait(client, cam, caplog):
    replica = connections["replica"]
    port = replica.settings_dict["PORT"]
    replica.close()
    replica.settings_dict["PORT"] = "9"
    try:
        health = client.get(reverse("core:health"))
        again = client.get(reverse("core:health"))
        page = client.get(reverse("evaluations:verify", args=[cam.number]))
    finally:
        replica.close()
        replica.settings_dict["PORT"] = port
        replica_retry_now()

    # The balancer keeps the server: the primary answers.
    assert (health.status_code, again.status_code) == (200, 200)
    assert health.json()["databases"] == {"default": "ok", "replica": "unavailable"}
    assert again.json()["databases"] == {"default": "ok", "replica": "unavailable"}
    # One attempt on the replica (the first check); the page read the primary at once.
    assert page.status_code == 200
    attempts = [r for r in caplog.records if "does not answer" in r.getMessage()]
    assert [r.getMessage() for r in attempts] == [
        "Health check: the database 'replica' does not answer."
    ]
    assert not [r for r in caplog.records if r.getMessage().startswith("The read replica failed")]
