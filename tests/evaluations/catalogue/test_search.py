"""The catalogue's search and filters on PostgreSQL (the SQLite side runs in the smoke run,
scripts/smoke_pages.py, on the demo database): case and tone marks ignored, "đ" read as
"d", typos forgiven when nothing matches exactly, filters on either map, counts per value."""

from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import urlencode

from evaluations.catalogue.filters import CatalogueFilter
from evaluations.catalogue.selectors import catalogue
from evaluations.certificates.validity import add_months
from evaluations.enums import CertificateStatus
from tests.factories import producer_with_owner

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def query(data) -> QueryDict:
    """The data as a request's GET (a list for a repeated parameter)."""
    return data if isinstance(data, QueryDict) else QueryDict(urlencode(data, doseq=True))


def names(data) -> list[str]:
    found = catalogue(CatalogueFilter(query(data)), timezone.localdate(), with_facets=False)
    return [entry.product_name for entry in found.entries]


def found(data):
    return catalogue(CatalogueFilter(query(data)), timezone.localdate())


@pytest.fixture
def shelf(world, other):
    """Five products: three of Tân Lạc (old map), one of Thái Nguyên, one expired."""
    world.certificate(name="Cam Cao Phong", stars=4, score=Decimal("78.50"), product_set=4)
    world.certificate(name="Tương ớt Mường", producer_name="HTX Đồi Chè", stars=3)
    world.certificate(name="Gà đồi Mãn Đức", stars=5, score=Decimal("91.00"), product_set=9)
    producer, _owner = producer_with_owner(
        commune=other["commune"], username="tancuong", name="HTX Chè Tân Cương"
    )
    world.certificate(
        name="Chè Tân Cương",
        producer=producer,
        unit=other["district"],
        issuer=other["district"],
        stars=4,
    )
    world.certificate(
        name="Mật ong Đà Bắc",
        issued_on=add_months(timezone.localdate(), -40),
        status=CertificateStatus.EXPIRED,
    )
    return world


@pytest.mark.parametrize("typed", ["cam cao phong", "CAM CAO PHÒNG", "Cam Cao Phong", " cao  cam "])
def test_case_and_tone_marks_are_ignored(shelf, typed):
    result = found({"q": typed})
    assert [e.product_name for e in result.entries] == ["Cam Cao Phong"]
    assert not result.search.forgiving


@pytest.mark.parametrize("typed", ["ga doi", "GÀ ĐỒI", "gà dồi", "man duc"])
def test_dj_is_read_as_d(shelf, typed):
    assert names({"q": typed}) == ["Gà đồi Mãn Đức"]


def test_the_producer_name_is_searched_too_after_the_product_names(shelf):
    # "che" is in "Chè Tân Cương" (a product) and in "HTX Đồi Chè" (a producer): the
    # product first.
    assert names({"q": "che"}) == ["Chè Tân Cương", "Tương ớt Mường"]


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("tuong ot muong", "Tương ớt Mường"),  # no tone marks: an exact match
        ("tuong ot muongg", "Tương ớt Mường"),  # a letter too many
        ("cam cao phonh", "Cam Cao Phong"),  # a wrong letter
        ("tuong ot muog", "Tương ớt Mường"),  # a letter missing
    ],
)
def test_a_typo_is_forgiven_when_nothing_matches_exactly(shelf, typed, expected):
    result = found({"q": typed})
    assert [e.product_name for e in result.entries] == [expected]
    assert result.search.forgiving == (typed != "tuong ot muong")


def test_words_nowhere_find_nothing_even_forgiving(shelf):
    result = found({"q": "xyz bánh"})
    assert list(result.entries) == []
    assert result.search.forgiving


def test_a_short_word_is_not_taken_for_another(shelf):
    # "cam" is close to nothing but "Cam": not to "Chè" or "cao" alone.
    assert names({"q": "cam"}) == ["Cam Cao Phong"]


def test_valid_by_default_and_each_validity_on_demand(shelf):
    assert "Mật ong Đà Bắc" not in names({})
    assert len(names({})) == 4
    assert names({"status": "expired"}) == ["Mật ong Đà Bắc"]
    assert names({"status": "revoked"}) == []
    assert len(names({"status": "all"})) == 5


def test_stars_repeatable_and_at_least(shelf):
    assert set(names(QueryDict("stars=4&stars=5"))) == {
        "Cam Cao Phong",
        "Gà đồi Mãn Đức",
        "Chè Tân Cương",
    }
    assert names({"min_stars": "5"}) == ["Gà đồi Mãn Đức"]


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"province": "17"}, {"Cam Cao Phong", "Tương ớt Mường", "Gà đồi Mãn Đức"}),
        # Today's Phú Thọ covers the old Hoà Bình merged into it.
        ({"province": "25"}, {"Cam Cao Phong", "Tương ớt Mường", "Gà đồi Mãn Đức"}),
        ({"province": "19"}, {"Chè Tân Cương"}),
        ({"district": "155"}, {"Cam Cao Phong", "Tương ớt Mường", "Gà đồi Mãn Đức"}),
        ({"district": "173"}, {"Chè Tân Cương"}),
        ({"product_set": "4"}, {"Cam Cao Phong"}),
        ({"sector": "1", "min_stars": "5"}, {"Gà đồi Mãn Đức"}),
    ],
)
def test_filters_on_either_map(shelf, data, expected):
    assert set(names(data)) == expected


def test_the_year_of_recognition(shelf):
    year = timezone.localdate().year
    assert len(names({"year": str(year)})) == 4
    assert names({"year": str(add_months(timezone.localdate(), -40).year), "status": "all"})[
        -1:
    ] == ["Mật ong Đà Bắc"]


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"province": "99"}, "province", "No province has the code 99, on either map."),
        ({"province": "155"}, "province", "No province has the code 155, on either map."),
        ({"commune": "17"}, "commune", "No commune has the code 17, on either map."),
        ({"year": "1999"}, "year", "The program began in 2018."),
        ({"year": "abc"}, "year", "Enter a whole number."),
        ({"stars": "2"}, "stars", "Select a valid choice. 2 is not one of the available choices."),
        ({"status": "valid-ish"}, "status", "Select a valid choice."),
        ({"product_set": "27"}, "product_set", "Select a valid choice. 27 is not one of"),
    ],
)
def test_a_wrong_value_is_reported_and_left_out(shelf, data, field, message):
    filters = CatalogueFilter(query(data))
    assert not filters.form.is_valid()
    assert message in " ".join(filters.form.errors[field])
    # The other filters still apply; the wrong one is left out.
    assert len(names(data)) == 4


def test_counts_per_value_under_the_other_filters(shelf):
    facets = found({"province": "25", "stars": "4"}).facets
    # Stars count under the province, not under the stars chosen.
    assert {o.value: (o.count, o.chosen) for o in facets.stars} == {
        "3": (1, False),
        "4": (1, True),
        "5": (1, False),
    }
    # Provinces count under the stars, not under the province: today's provinces only,
    # Hoà Bình's certificates counted in Phú Thọ.
    provinces = {o.value: (o.count, o.chosen) for o in facets.provinces}
    assert provinces["25"] == (1, True)
    assert "17" not in provinces
    assert {o.value: o.count for o in facets.status} == {
        "valid": 1,
        "expired": 0,
        "revoked": 0,
        "all": 1,
    }
    # A province chosen, its communes (of either map) appear.
    assert [o.value for o in facets.communes] == ["05128"]


def test_sorts(shelf):
    assert names({"sort": "name"}) == [
        "Cam Cao Phong",
        "Chè Tân Cương",
        "Gà đồi Mãn Đức",
        "Tương ớt Mường",
    ]
    assert names({"sort": "stars"})[0] == "Gà đồi Mãn Đức"
    assert names({})[0] == "Gà đồi Mãn Đức"  # stars first when nothing is typed


def test_a_renewed_product_shows_once_with_its_latest_certificate(world):
    from evaluations.certificates.services import _supersede_older  # noqa: F401

    first = world.certificate(
        name="Bưởi đỏ Tân Lạc", issued_on=add_months(timezone.localdate(), -30)
    )
    latest = world.certificate(producer=first.producer, name="Bưởi đỏ Tân Lạc 2")
    first.status = CertificateStatus.SUPERSEDED
    first.superseded_by = latest
    first.save(update_fields=["status", "superseded_by"])
    assert names({"q": "buoi do", "status": "all"}) == ["Bưởi đỏ Tân Lạc 2"]


def test_sold_near_a_province(shelf, units):
    from products.services.sales import sales_point_create

    cam = shelf.certificate(name="Cam Đường Canh", stars=4)
    owner = cam.producer.members.get().user
    sales_point_create(
        producer=cam.producer,
        actor=owner,
        kind="shop",
        name="Quầy cam",
        address_unit=units["new_commune"],
        address_detail="Chợ Mường Khến",
        products=[cam.product],
    )
    # A page online sells everywhere and nowhere: not "near" a province.
    sales_point_create(
        producer=cam.producer,
        actor=owner,
        kind="marketplace",
        name="Trên Shopee",
        url="https://shopee.vn/cam",
        products=[cam.product],
    )
    assert names({"sold_in": "25"}) == ["Cam Đường Canh"]
    # The old Hoà Bình stands for today's Phú Thọ it went into.
    assert names({"sold_in": "17"}) == ["Cam Đường Canh"]
    assert names({"sold_in": "19"}) == []
    filters = CatalogueFilter(query({"sold_in": "99"}))
    assert not filters.form.is_valid()
    assert "No province has the code 99" in filters.form.errors["sold_in"][0]


def test_a_whole_word_ranks_before_the_start_of_a_longer_one(shelf):
    shelf.certificate(name="Gạo Séng Cù", stars=5)
    # "ga" is the whole word "Gà"; in "Gạo" only a part: the chicken first.
    assert names({"q": "ga"})[:2] == ["Gà đồi Mãn Đức", "Gạo Séng Cù"]


def test_sold_in_counts_per_province(shelf, units):
    from products.services.sales import sales_point_create

    cam = CatalogueFilter(query({"q": "cam cao phong"}))
    certificate = catalogue(cam, timezone.localdate(), with_facets=False).entries[0]
    sales_point_create(
        producer=certificate.producer,
        actor=certificate.producer.members.get().user,
        kind="shop",
        name="Quầy cam",
        address_unit=units["new_commune"],
        address_detail="Chợ",
        products=[certificate.product],
    )
    options = {o.value: (o.count, o.chosen) for o in found({"sold_in": "25"}).facets.sold_in}
    assert options["25"] == (1, True)
    # An old province's code, chosen from a link, stays chosen in the form.
    old = found({"sold_in": "17"}).facets.sold_in
    assert (old[0].value, old[0].chosen) == ("17", True)
    assert old[0].label == "Tỉnh Hoà Bình (until 06/2025)"
