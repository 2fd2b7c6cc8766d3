"""/api/v1/products/ and /open-data/products.csv|.xlsx: the contract, field by field; the
filters' wrong values (422, never ignored); the query counts."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.certificates.validity import add_months
from evaluations.enums import CertificateStatus
from tests.xlsx import read_xlsx

pytestmark = pytest.mark.django_db

API = "/api/v1/products/"


@pytest.fixture
def cam(world):
    return world.certificate(name="Cam Cao Phong", stars=4, score=Decimal("78.5"), product_set=4)


def test_each_field_of_a_product(client, cam, units):
    response = client.get(API, {"q": "cam cao phong"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    decision = cam.decision
    assert body["results"] == [
        {
            "id": cam.product_id,
            "name": "Cam Cao Phong",
            "url": f"http://testserver/catalogue/products/{cam.product_id}/",
            "product_set": {"number": 4, "name": cam.product_set.name},
            "producer": {"name": cam.producer_name, "kind": "cooperative"},
            # Today's map: Mãn Đức went whole into Xã Tân Lạc, Hoà Bình into Phú Thọ; the
            # district was abolished.
            "province": {"code": "25", "name": "Tỉnh Phú Thọ"},
            "district": None,
            "commune": {"code": "05128", "name": "Xã Tân Lạc"},
            "stars": 4,
            "score": "78.50",
            "certificate": {
                "number": cam.number,
                "issued_on": cam.issued_on.isoformat(),
                "valid_until": cam.valid_until.isoformat(),
                "status": "valid",
            },
            "decision": {
                "number": decision.number,
                "date": decision.date.isoformat(),
                "issuer": "Huyện Tân Lạc",
            },
        }
    ]


def test_unknown_places_and_scores_are_null(client, world, units, users):
    from ocop.core.enums import Role
    from products.services.imports import producer_import

    placeholder = producer_import(
        name="", kind="", unit=units["district"], actor=users[Role.ADMINISTRATOR]
    )
    world.certificate(producer=placeholder, name="Chè không tên", score=None)
    (result,) = client.get(API, {"q": "che khong ten"}).json()["results"]
    assert result["producer"] == {"name": None, "kind": None}
    assert result["score"] is None
    assert result["commune"] is None
    assert result["district"] is None
    assert result["province"] == {"code": "25", "name": "Tỉnh Phú Thọ"}
    # The certificates' API does not pass the placeholder off as a name either.
    (certificate,) = client.get("/api/v1/certificates/", {"q": "che khong ten"}).json()["results"]
    assert certificate["producer"]["name"] is None


def test_the_placeholder_of_unnamed_producers_is_not_searched(client, world, units, users):
    from ocop.core.enums import Role
    from products.services.imports import producer_import

    placeholder = producer_import(
        name="", kind="", unit=units["district"], actor=users[Role.ADMINISTRATOR]
    )
    world.certificate(producer=placeholder, name="Chè không tên")
    # "(Chủ thể chưa được công bố)" holds "duoc", "chua", "bo": no product is found by them.
    for word in ["duoc", "chua cong bo"]:
        assert client.get(API, {"q": word}).json()["count"] == 0
    assert client.get(API, {"q": "che khong"}).json()["count"] == 1


@pytest.mark.parametrize("name", ["province", "q", "status", "page"])
def test_a_parameter_given_twice_answers_422(client, cam, name):
    response = client.get(f"{API}?{name}=25&{name}=17")
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", name]]
    certificates = client.get(f"/api/v1/certificates/?{name}=25&{name}=17")
    assert certificates.status_code == 422
    download = client.get(f"/open-data/products.csv?{name}=25&{name}=17")
    assert download.status_code == 422


def test_the_two_tier_map_has_no_district(client, world, units):
    from tests.factories import producer_with_owner

    producer, _owner = producer_with_owner(commune=units["new_commune"], username="moi")
    world.certificate(producer=producer, name="Gạo mới")
    (result,) = client.get(API, {"q": "gao moi"}).json()["results"]
    assert result["district"] is None
    assert result["province"] == {"code": "25", "name": "Tỉnh Phú Thọ"}
    assert result["commune"] == {"code": "05128", "name": "Xã Tân Lạc"}


def test_filters_and_validity(client, world, cam):
    world.certificate(name="Gà đồi", stars=5)
    world.certificate(
        name="Mật ong cũ",
        issued_on=add_months(timezone.localdate(), -40),
        status=CertificateStatus.EXPIRED,
    )

    def names(params):
        response = client.get(API, params)
        assert response.status_code == 200, response.content
        return sorted(r["name"] for r in response.json()["results"])

    assert names({}) == ["Cam Cao Phong", "Gà đồi"]
    assert names({"stars": [4, 5]}) == ["Cam Cao Phong", "Gà đồi"]
    assert names({"min_stars": 5}) == ["Gà đồi"]
    assert names({"province": "25"}) == ["Cam Cao Phong", "Gà đồi"]
    assert names({"commune": "05128", "product_set": 4}) == ["Cam Cao Phong"]
    assert names({"status": "expired"}) == ["Mật ong cũ"]
    assert names({"status": "all"}) == ["Cam Cao Phong", "Gà đồi", "Mật ong cũ"]
    assert names({"year": timezone.localdate().year}) == ["Cam Cao Phong", "Gà đồi"]
    assert names({"q": "ga doii"}) == ["Gà đồi"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"province": "99"}, "province"),
        ({"district": "17"}, "district"),
        ({"commune": "25"}, "commune"),
        ({"product_set": 27}, "product_set"),
        ({"stars": 2}, "stars"),
        ({"min_stars": 6}, "min_stars"),
        ({"year": 2017}, "year"),
        ({"status": "valid-ish"}, "status"),
        ({"sort": "price"}, "sort"),
        ({"year": "abc"}, "year"),
        ({"page": 0}, "page"),
    ],
)
def test_a_value_that_names_nothing_answers_422(client, cam, params, field):
    response = client.get(API, params)
    assert response.status_code == 422
    # The API's one shape of a refusal: each parameter refused, with why.
    (issue,) = response.json()["detail"]
    assert issue["loc"] == ["query", field]
    assert issue["msg"]


def test_the_value_refused_is_said_in_english_in_the_api(client, cam):
    response = client.get(API, {"province": "99"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["query", "province"],
            "msg": "No province has the code 99, on either map.",
        }
    ]


def test_an_unknown_parameter_answers_422_naming_it(client, cam):
    response = client.get(API, {"provence": "17"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "provence"]
    download = client.get(reverse("evaluations:open_data_products_csv"), {"provence": "17"})
    assert download.status_code == 422
    assert "provence: unknown parameter." in download.content.decode()


def test_the_files_carry_an_etag_and_answer_304(client, cam):
    for name in ["evaluations:open_data_products_csv", "evaluations:open_data_products_xlsx"]:
        url = reverse(name)
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304


def test_the_certificates_take_the_same_filters(client, world, cam):
    world.certificate(name="Gà đồi", stars=5)

    def numbers(params):
        response = client.get("/api/v1/certificates/", params)
        assert response.status_code == 200, response.content
        return [c["product"]["name"] for c in response.json()["results"]]

    assert numbers({"stars": 5}) == ["Gà đồi"]
    assert numbers({"q": "cam cao phong", "province": "25"}) == ["Cam Cao Phong"]
    assert numbers({"product_set": 4, "status": "valid"}) == ["Cam Cao Phong"]
    refused = client.get("/api/v1/certificates/", {"province": "99"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "province"]


def test_a_page_past_the_last_answers_404(client, cam):
    response = client.get(API, {"page": 2})
    assert response.status_code == 404
    assert response.json() == {"detail": "Page 2 does not exist: the last page is 1."}


def test_pages_of_50_link_to_each_other(client, world):
    for n in range(51):
        world.certificate(name=f"Sản phẩm {n:02d}")
    first = client.get(API, {"sort": "name"}).json()
    assert first["count"] == 51 and len(first["results"]) == 50
    assert first["next"] == "http://testserver/api/v1/products/?sort=name&page=2"
    second = client.get(first["next"]).json()
    assert [r["name"] for r in second["results"]] == ["Sản phẩm 50"]
    assert second["previous"] == "http://testserver/api/v1/products/?sort=name&page=1"


def count_queries(client, url, params) -> int:
    """The queries of the answer as made, not as kept whole in the cache (decision 0033)."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", [API, "/open-data/products.csv", "/open-data/products.xlsx"])
def test_the_api_and_files_cost_the_same_with_1_and_30_products(client, world, url):
    world.certificate()
    params = {"q": "san pham", "province": "25"}
    one = count_queries(client, url, params)
    for _ in range(29):
        world.certificate()
    assert count_queries(client, url, params) == one


def test_the_csv_has_vietnamese_headers_and_a_bom(client, cam):
    response = client.get(reverse("evaluations:open_data_products_csv"), {"stars": 4})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã sản phẩm", "Sản phẩm", "Số bộ sản phẩm"]
    assert rows[0][12:18] == [
        "Hạng sao",
        "Điểm",
        "Số giấy chứng nhận",
        "Ngày cấp",
        "Có hiệu lực đến",
        "Trạng thái",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Sản phẩm"] == "Cam Cao Phong"
    assert row["Hạng sao"] == "4" and row["Điểm"] == "78.50"
    assert row["Mã tỉnh"] == "25" and row["Trạng thái"] == "Còn hiệu lực"
    assert row["Số giấy chứng nhận"] == cam.number


def test_the_xlsx_has_the_same_rows(client, cam):
    response = client.get(
        reverse("evaluations:open_data_products_xlsx"),
        {"stars": [4, 5], "province": "25", "sort": "name"},
    )
    assert response.status_code == 200
    sheet = read_xlsx(response)
    assert sheet.headers[:2] == ["Mã sản phẩm", "Sản phẩm"]
    # The filters in words, not codes; the validity said though not chosen.
    lines = " | ".join(sheet.lines)
    for said in ["Hạng sao: 4★, 5★", "Tỉnh: Tỉnh Phú Thọ", "Hiệu lực: Còn hiệu lực", "Tên"]:
        assert said in lines, (said, lines)
    (row,) = sheet.rows
    assert row[1] == "Cam Cao Phong" and row[12] == 4 and row[13] == Decimal("78.5")


def test_a_file_with_a_wrong_filter_answers_422_saying_why(client, cam):
    response = client.get(reverse("evaluations:open_data_products_csv"), {"province": "99"})
    assert response.status_code == 422
    assert "99" in response.content.decode()


def test_the_csv_neutralises_what_a_spreadsheet_would_run(client, world):
    world.certificate(name='=HYPERLINK("http://x")', producer_name="@HTX")
    content = client.get(reverse("evaluations:open_data_products_csv")).content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Sản phẩm"] == '\'=HYPERLINK("http://x")'
    assert row["Chủ thể"] == "'@HTX"
