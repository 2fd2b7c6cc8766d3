"""The OCOP office's import page: check a file, read its refusals and notes, import it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.models import Certificate, ResultImport
from ocop.core.enums import Role, UnitScheme
from tests.evaluations.history.conftest import SAMPLE
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
URL = "/results/import/"


@pytest.fixture
def office(sample_map, client):
    """Thanh Hóa's OCOP office, signed in."""
    officer = user_with_role(
        Role.PROVINCE_OFFICER, sample_map[(UnitScheme.TWO_TIER, "38")], username="ocop.th"
    )
    client.force_login(officer)
    return officer


def upload(text: str, name="ket-qua.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


GOOD = (
    "province,decision,decision_date,product,producer,commune,district,stars,score\n"
    "Thanh Hóa,5445/QĐ-UBND,2019-12-23,Dưa lưới taki,,,Quảng Xương,4,\n"
    "Thanh Hóa,5445/QĐ-UBND,2019-12-23,Bánh gai Lâm Thắm,,,Thọ Xuân,3,\n"
)


def test_checking_a_file_counts_what_it_would_create_and_keeps_nothing(client, office):
    response = client.post(URL, {"file": upload(GOOD), "action": "check"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "ket-qua.csv: có thể nhập 2 dòng" in page
    assert 'data-testid="import-counts"' in page
    assert not Certificate.objects.exists()


def test_importing_creates_the_certificates_and_lists_the_import(client, office):
    response = client.post(URL, {"file": upload(GOOD), "action": "import"}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert Certificate.objects.count() == 2
    batch = ResultImport.objects.get()
    assert batch.imported_by == office
    page = response.content.decode()
    assert "ket-qua.csv" in page and 'data-testid="imports"' in page


def test_a_refused_file_lists_each_line_and_imports_nothing(client, office):
    bad = GOOD + "Thanh Hóa,5445/QĐ-UBND,23/13/2019,Kẹo lạc,,,Thọ Xuân,3,\n"

    response = client.post(URL, {"file": upload(bad), "action": "import"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page and "<td>4</td>" in page
    assert not Certificate.objects.exists()


def test_rows_of_another_province_are_refused_on_the_form(client, office):
    response = client.post(
        URL, {"file": upload(SAMPLE.read_text(encoding="utf-8")), "action": "import"}
    )

    assert response.status_code == 400
    assert not Certificate.objects.exists()
    assert response.context["form"].errors["file"]


def test_a_missing_file_is_asked_for(client, office):
    response = client.post(URL, {"action": "check"})

    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_the_page_answers_the_office_in_english_too(client, office, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(URL, {"file": upload(GOOD), "action": "check"})

    assert "ket-qua.csv: 2 rows can be imported" in response.content.decode()


def test_the_page_takes_at_most_500_rows(client, office):
    """Larger files go through `manage.py import_results` (the page's import runs in its
    request); the refusal says how many rows there are."""
    row = "Thanh Hóa,5445/QĐ-UBND,2019-12-23,Bánh gai {n},,,Thọ Xuân,3,\n"
    big = GOOD.splitlines(keepends=True)[0] + "".join(row.format(n=n) for n in range(501))

    response = client.post(URL, {"file": upload(big), "action": "check"})

    assert response.status_code == 400
    assert "501" in response.content.decode()
    assert not Certificate.objects.exists()
