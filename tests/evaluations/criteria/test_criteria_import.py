from decimal import Decimal

import pytest
from django.core.management import call_command

from evaluations.criteria.selectors import form_spec
from evaluations.criteria.services import criteria_import, scoring_form_correct, scoring_form_freeze
from evaluations.enums import FormStatus
from evaluations.models import CriteriaVersion, Option, ScoringForm
from ocop.core.models import AuditEntry
from products.models import ProductGroup, ProductSet, Sector

pytestmark = pytest.mark.django_db

UNVERIFIED = {7, 11, 12, 13}


def test_taxonomy_has_6_sectors_17_groups_26_sets(imported_forms):
    assert (Sector.objects.count(), ProductGroup.objects.count(), ProductSet.objects.count()) == (
        6,
        17,
        26,
    )
    assert str(ProductSet.objects.get(number=14)) == "14. Rượu trắng"


def test_import_stores_26_forms_and_verifies_all_but_four(imported_forms):
    statuses = dict(
        ScoringForm.objects.values_list("product_set__number", "status").filter(is_current=True)
    )

    assert len(statuses) == 26
    assert {n for n, s in statuses.items() if s == FormStatus.UNVERIFIED} == UNVERIFIED


def test_import_keeps_the_defects_of_form_07(imported_forms):
    form = ScoringForm.objects.get(product_set__number=7)

    assert [d["code"] for d in form.defects] == ["criterion_max"]


def test_import_records_the_safe_corrections(imported_forms):
    assert len(imported_forms[17].corrections) == 1
    assert len(imported_forms[18].corrections) == 1
    assert imported_forms[1].corrections == []


def test_both_criteria_versions_exist_with_their_part_maxima(imported_forms):
    maxima = {v.code: v.part_maxima for v in CriteriaVersion.objects.all()}

    assert maxima == {
        "148/2023": {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)},
        "1048/2019": {"A": Decimal(35), "B": Decimal(25), "C": Decimal(40)},
    }


def test_stored_form_gives_back_the_same_spec_total(imported_forms):
    spec = form_spec(ScoringForm.objects.get(product_set__number=1))

    assert sum(p.max_points for p in spec.parts) == Decimal(100)
    assert [p.key for p in spec.parts] == ["A", "B", "C"]


def test_form_26_keeps_its_choose_one_groups(imported_forms):
    spec = form_spec(ScoringForm.objects.get(product_set__number=26))

    chosen = [g.label[:3].strip() for p in spec.parts for g in p.groups if g.choose_one]
    assert chosen == ["8.", "9.", "15."]


def test_reimport_changes_nothing(imported_forms):
    ids = set(Option.objects.values_list("pk", flat=True))

    results = criteria_import()

    assert {r.action for r in results} == {"unchanged"}
    assert set(Option.objects.values_list("pk", flat=True)) == ids


def test_import_command_reports_each_form(db, capsys):
    call_command("import_criteria")

    out = capsys.readouterr().out
    assert "26 forms: 22 verified, 4 unverified" in out
    assert "07-che-bien-tu-rau-cu-qua-hat.csv: created, unverified" in out


def _mui_options(form):
    return list(
        Option.objects.filter(
            criterion__group__part__form=form, criterion__label__startswith="d) Mùi"
        ).order_by("order")
    )


def test_correcting_form_07_makes_it_verified_and_audited(imported_forms, django_user_model):
    form = ScoringForm.objects.get(product_set__number=7)
    best = _mui_options(form)[-1]
    actor = django_user_model.objects.create(username="admin")

    saved = scoring_form_correct(
        form=form, changes={("option", best.key): {"points": Decimal(4)}}, actor=actor
    )

    assert (saved.pk, saved.status, saved.defects) == (form.pk, FormStatus.VERIFIED, [])
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "scoring_form.correct"
    assert entry.data["changes"] == {f"option {best.key}": {"points": {"from": "3.00", "to": "4"}}}


def test_a_wrong_correction_leaves_the_form_unverified(imported_forms):
    form = ScoringForm.objects.get(product_set__number=1)
    option = Option.objects.filter(criterion__group__part__form=form).first()

    saved = scoring_form_correct(
        form=form, changes={("option", option.key): {"points": Decimal(50)}}, actor=None
    )

    assert saved.status == FormStatus.UNVERIFIED
    assert saved.defects != []


def test_correcting_a_frozen_form_creates_a_new_revision(imported_forms):
    form = scoring_form_freeze(form=ScoringForm.objects.get(product_set__number=7), actor=None)
    best = _mui_options(form)[-1]

    saved = scoring_form_correct(
        form=form, changes={("option", best.key): {"points": Decimal(4)}}, actor=None
    )

    form.refresh_from_db()
    assert (saved.revision, saved.is_current, saved.status) == (2, True, FormStatus.VERIFIED)
    assert (form.revision, form.is_current, form.status) == (1, False, FormStatus.UNVERIFIED)
    assert _mui_options(form)[-1].points == Decimal(3)
