"""Search that ignores case and diacritics, on PostgreSQL (the suite's database) and on
SQLite (the demo's)."""

import pytest
from django.db.utils import ConnectionHandler

from ocop.core.models import AdministrativeUnit
from ocop.core.search import fold, search, search_terms

TYPED = ["man duc", "MÃN ĐỨC", "Mãn Đức", "mãn  đức", "Man Duc"]


def test_fold_removes_tone_marks_reads_d_for_dj_and_lowers_the_case():
    assert {fold(t) for t in TYPED} == {"man duc"}
    assert fold("Tương ớt Mường") == "tuong ot muong"
    assert fold("CAM CAO PHÒNG") == "cam cao phong"
    assert fold("Đ") == "d"
    assert search_terms("  Xã  Tân Lạc ") == ["xa", "tan", "lac"]
    assert search_terms("") == []


@pytest.mark.django_db
@pytest.mark.parametrize("typed", [*TYPED, "duc man", "MAN"])
def test_postgresql_finds_the_row_whatever_the_tone_marks_and_case(typed, units):
    found = search(AdministrativeUnit.objects.all(), typed, ["name"])

    assert units["commune"] in found
    assert units["commune"].name == "Thị trấn Mãn Đức"


@pytest.mark.django_db
def test_a_word_that_is_nowhere_finds_nothing(units):
    assert not search(AdministrativeUnit.objects.all(), "man duc zzz", ["name"]).exists()


def test_sqlite_learns_unaccent_on_each_new_connection(django_db_blocker):
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    wrapper = handler["default"]
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("SELECT LOWER(UNACCENT(%s))", ["Mãn Đức TƯƠNG ỚT"])
            assert cursor.fetchone() == ("man duc tuong ot",)
            cursor.execute("SELECT UNACCENT(NULL)")
            assert cursor.fetchone() == (None,)
    finally:
        wrapper.close()
