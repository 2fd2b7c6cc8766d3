"""The OCOP office's import page: check a file, read its refusals and notes, import it."""

from pathlib import Path

import pytest
from django.conf import settings
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


def test_importing_queues_the_file_and_the_worker_imports_it(client, office, run_tasks):
    response = client.post(URL, {"file": upload(GOOD), "action": "import"}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert not Certificate.objects.exists()
    page = response.content.decode()
    assert 'data-state="pending"' in page and "đang được nhập" in page

    run_tasks()

    assert Certificate.objects.count() == 2
    batch = ResultImport.objects.get()
    assert batch.imported_by == office
    page = client.get(URL).content.decode()
    assert "ket-qua.csv" in page and 'data-testid="imports"' in page
    assert 'data-state="done"' in page
    assert "Đã nhập ket-qua.csv: 2 giấy chứng nhận" in page
    # The stored file is gone once imported.
    assert not list(Path(settings.MEDIA_ROOT, "result-imports").glob("*"))


def test_a_refused_file_lists_each_line_and_imports_nothing(client, office, run_tasks):
    bad = GOOD + "Thanh Hóa,5445/QĐ-UBND,23/13/2019,Kẹo lạc,,,Thọ Xuân,3,\n"

    client.post(URL, {"file": upload(bad), "action": "import"})
    run_tasks()

    page = client.get(URL).content.decode()
    assert 'data-state="refused"' in page
    assert 'data-testid="import-task-errors"' in page and "<td>4</td>" in page
    assert not Certificate.objects.exists()


def test_checking_a_refused_file_lists_each_line_at_once(client, office):
    bad = GOOD + "Thanh Hóa,5445/QĐ-UBND,23/13/2019,Kẹo lạc,,,Thọ Xuân,3,\n"

    response = client.post(URL, {"file": upload(bad), "action": "check"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page and "<td>4</td>" in page


def test_rows_of_another_province_are_refused(client, office, run_tasks):
    sample = SAMPLE.read_text(encoding="utf-8")
    response = client.post(URL, {"file": upload(sample), "action": "check"})

    assert response.status_code == 400
    assert response.context["form"].errors["file"]

    client.post(URL, {"file": upload(sample), "action": "import"})
    run_tasks()

    page = client.get(URL).content.decode()
    assert 'data-state="refused"' in page
    assert str(response.context["form"].errors["file"][0]) in page
    assert not Certificate.objects.exists()


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
