"""The historical import: a file of published results (CSV or XLSX) becomes producers,
products, historical rounds, dossiers, level results, decisions and certificates, each marked
as imported (decision 0026).

All or nothing: every row is read and checked first (its units on the map in force at its
date, its regime, level and outcome, duplicates); one refused row refuses the file, with each
refused row's line and reason. Then everything is created in one transaction, with an audit
entry per object. A dry run does the same and rolls back, so it reports exactly what the
import would create. Importing a file again creates nothing: producers are matched by name
within their unit, products by name within their producer, dossiers by round and product,
results by dossier and level, decisions by issuer, year and number.
"""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.certificates.central import MINISTRY
from evaluations.certificates.services import certificate_record_imported
from evaluations.engine.stars import StarBands, stars_for_score
from evaluations.enums import DecisionState, DossierKind, DossierState, Level, Outcome
from evaluations.history.matching import (
    UnitIndex,
    UnitNotFound,
    producer_kind_of,
    product_set_of,
)
from evaluations.history.rows import MAX_ROWS, FileRefused, Row, read_rows
from evaluations.models import (
    CriteriaVersion,
    Decision,
    DecisionItem,
    Dossier,
    LevelResult,
    Regime,
    ResultImport,
    Round,
)
from ocop.core.audit import audit_log
from ocop.core.enums import UnitLevel
from ocop.core.models import AdministrativeUnit
from ocop.core.search import fold
from products.models import Producer, Product, ProductSet
from products.services.imports import producer_import, product_import

# The real published results kept with the importer (data/README.md): the demo's and the
# tests' sample.
PUBLISHED_SAMPLE = Path(__file__).resolve().parent / "data" / "published-results.csv"
# The ministry's name before the 2025 merger of ministries (Decree 35/2025/NĐ-CP, 01/03/2025).
MINISTRY_BEFORE_2025 = "Bộ Nông nghiệp và Phát triển nông thôn"
MINISTRY_RENAMED = datetime.date(2025, 3, 1)
LEVEL_ORDER = {Level.COMMUNE: 0, Level.DISTRICT: 1, Level.PROVINCE: 2, Level.CENTRAL: 3}


@dataclass
class ImportReport:
    """What an import did, or would do (a dry run), or why it refused the file."""

    file_name: str
    rows: int = 0
    dry_run: bool = False
    # (line, message): the rows refused (the file is then not imported) and the notes.
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    matched: Counter = field(default_factory=Counter)
    certificates_by_stars: Counter = field(default_factory=Counter)
    batch: ResultImport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> bool:
        return self.ok and not self.dry_run


@dataclass
class Planned:
    """A checked row and what it resolves to."""

    row: Row
    province: AdministrativeUnit
    unit: AdministrativeUnit
    first_level_unit: AdministrativeUnit
    regime: Regime
    level: str
    outcome: str
    to_level: str
    product_set: int
    kind: str


def results_import(
    *,
    file_name: str,
    content: bytes,
    actor,
    dry_run: bool = False,
    today=None,
    max_rows: int = MAX_ROWS,
) -> ImportReport:
    """Import a file of published results (see the module's docstring). The actor must be
    allowed to import each row's province (`evaluations.import_results`): its OCOP office,
    which also keeps the provinces merged into it; PermissionDenied otherwise."""
    today = today or timezone.localdate()
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    try:
        rows = read_rows(file_name, content, max_rows=max_rows)
    except FileRefused as error:
        report.errors.append((0, str(error)))
        return report
    report.rows = len(rows)
    planned = _plan(rows, report, today)
    if not report.ok:
        return report
    for province in {p.province for p in planned}:
        if not actor.has_perm("evaluations.import_results", province):
            raise PermissionDenied(
                _("You may not import results of %(province)s.") % {"province": province.name}
            )
    with transaction.atomic():
        batch = ResultImport.objects.create(
            file_name=file_name[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            rows=len(rows),
            imported_by=actor,
        )
        _Importer(batch, actor, report, today).run(planned)
        if dry_run or not report.created:
            transaction.set_rollback(True)
        else:
            batch.summary = {
                "created": dict(report.created),
                "matched": dict(report.matched),
                "warnings": len(report.warnings),
            }
            batch.save(update_fields=["summary"])
            audit_log(
                actor=actor,
                action="results.import",
                obj=batch,
                data={"sha256": batch.sha256, "rows": batch.rows, **batch.summary},
                unit_id=planned[0].province.pk,
            )
            report.batch = batch
    return report


# --- checking --------------------------------------------------------------------------------


def _plan(rows: list[Row], report: ImportReport, today: datetime.date) -> list[Planned]:
    units = UnitIndex()
    regimes = list(Regime.objects.prefetch_related("levels"))
    planned, seen, decisions = [], {}, {}
    for row in rows:
        if row.decision_date is not None and row.decision_date > today:
            row.errors.append(_("The decision date is in the future."))
        match = None
        if not row.errors:
            try:
                match = units.match(
                    province=row.province,
                    district=row.district,
                    commune=row.commune,
                    day=row.decision_date,
                )
            except UnitNotFound as error:
                row.errors.append(str(error))
        item = _resolve(row, match, regimes) if match and not row.errors else None
        if item is not None:
            key = (item.province.pk, fold(row.product), fold(row.producer), item.level)
            if key in seen:
                row.errors.append(
                    _("Line %(line)d has the same product, producer and level.")
                    % {"line": seen[key]}
                )
            seen.setdefault(key, row.line)
            if row.decision and item.outcome == Outcome.RECOGNISED:
                number_key = (item.province.pk, item.level, row.decision.upper())
                first = decisions.setdefault(number_key, (row.line, row.decision_date))
                if first[1] != row.decision_date:
                    row.errors.append(
                        _("Decision %(number)s is dated %(date)s on line %(line)d.")
                        % {
                            "number": row.decision,
                            "date": first[1].strftime("%d/%m/%Y"),
                            "line": first[0],
                        }
                    )
        report.errors.extend((row.line, message) for message in row.errors)
        report.warnings.extend((row.line, message) for message in row.warnings)
        if item is not None and not row.errors:
            planned.append(item)
    return planned


def _resolve(row: Row, match, regimes) -> Planned | None:
    day = row.decision_date
    regime = next((r for r in regimes if r.in_force_on(day)), None)
    if regime is None:
        row.errors.append(
            _("No OCOP regime of the registry was in force on %(day)s.")
            % {"day": day.strftime("%d/%m/%Y")}
        )
        return None
    levels = {lvl.level: lvl for lvl in regime.levels.all()}
    outcome = row.outcome or (
        Outcome.RECOGNISED
        if row.stars
        else Outcome.FORWARDED
        if row.score is not None and row.score >= Decimal(90)
        else ""
    )
    if not outcome:
        row.errors.append(_("Give the stars, or the outcome (forwarded, not_recognised)."))
        return None
    if outcome == Outcome.RECOGNISED and not row.stars:
        row.errors.append(_("A recognised product needs its stars."))
        return None
    if outcome != Outcome.RECOGNISED and row.stars:
        row.errors.append(_("Stars are given only to a recognised product."))
        return None
    level = row.level
    if not level:
        if outcome == Outcome.RECOGNISED:
            level = next(
                (
                    name
                    for name, lvl in levels.items()
                    if lvl.recognises_min_stars is not None
                    and lvl.recognises_min_stars <= row.stars <= lvl.recognises_max_stars
                ),
                "",
            )
        else:
            level = Level.PROVINCE
    spec = levels.get(level)
    if spec is None or not spec.scores:
        row.errors.append(
            _("Under %(regime)s no council scores at the %(level)s level.")
            % {"regime": regime.code, "level": level or "?"}
        )
        return None
    to_level = ""
    if outcome == Outcome.RECOGNISED and not (
        spec.recognises_min_stars is not None
        and spec.recognises_min_stars <= row.stars <= spec.recognises_max_stars
    ):
        row.errors.append(
            _("Under %(regime)s the %(level)s level does not recognise %(stars)d★.")
            % {"regime": regime.code, "level": level, "stars": row.stars}
        )
        return None
    if outcome == Outcome.FORWARDED:
        higher = sorted(
            (lvl for lvl in levels.values() if lvl.order > spec.order and lvl.scores),
            key=lambda lvl: lvl.order,
        )
        if not higher:
            row.errors.append(_("Nothing is forwarded beyond the central level."))
            return None
        to_level = higher[0].level
    if outcome == Outcome.RECOGNISED and not row.decision:
        row.errors.append(_("The decision that recognised the product is empty."))
        return None
    first_level = match.first_level_unit
    if level in (Level.DISTRICT, Level.COMMUNE) and first_level.level == UnitLevel.PROVINCE:
        row.errors.append(_("A result of the %(level)s level needs its unit.") % {"level": level})
        return None
    product_set = row.product_set or product_set_of(row.product)
    if product_set is None:
        row.errors.append(
            _(
                "The product set of “%(product)s” cannot be read from its name: add a "
                "product_set column (1–26)."
            )
            % {"product": row.product}
        )
        return None
    if row.product_set is None:
        row.warnings.append(
            _("Product set %(number)d read from the name “%(product)s”.")
            % {"number": product_set, "product": row.product}
        )
    if row.date_to_month:
        row.warnings.append(
            _("Only the month of the decision is known: dated %(day)s.")
            % {"day": day.strftime("%d/%m/%Y")}
        )
    row.warnings.extend(match.warnings)
    return Planned(
        row=row,
        province=match.province,
        unit=match.unit,
        first_level_unit=first_level,
        regime=regime,
        level=level,
        outcome=outcome,
        to_level=to_level,
        product_set=product_set,
        kind=producer_kind_of(row.producer_kind) or producer_kind_of(row.producer),
    )


# --- creating --------------------------------------------------------------------------------


class _Importer:
    """Creates or matches what the checked rows describe, oldest decision first (so that a
    later certificate supersedes an earlier one), inside the import's transaction."""

    def __init__(self, batch: ResultImport, actor, report: ImportReport, today):
        self.batch, self.actor, self.report, self.today = batch, actor, report, today
        self.product_sets = {s.number: s for s in ProductSet.objects.all()}
        self.versions = list(CriteriaVersion.objects.order_by("effective_from"))
        self.producers: dict[tuple[int, str], Producer] = {}
        self.products: dict[tuple[int, str], Product] = {}
        self.rounds: dict[tuple, Round] = {}
        # The products of each unit's producers, read once per unit (and kept up to date).
        self.unit_products: dict[int, list[Product]] = {}

    def run(self, planned: list[Planned]) -> None:
        # The provinces' rows lock the certificate numbering, as an issue does.
        provinces = sorted({p.province.pk for p in planned})
        list(AdministrativeUnit.objects.select_for_update().filter(pk__in=provinces))
        ordered = sorted(
            planned, key=lambda p: (p.row.decision_date, LEVEL_ORDER[p.level], p.row.line)
        )
        for item in ordered:
            self._one(item)

    def _count(self, kind: str, created: bool) -> None:
        (self.report.created if created else self.report.matched)[kind] += 1

    def _producer(self, item: Planned) -> Producer:
        name = item.row.producer
        key = (item.unit.pk, fold(name))
        if key not in self.producers:
            existing = [
                p
                for p in Producer.objects.filter(address_unit=item.unit)
                if (fold(p.name) == key[1] if name else not p.name_published)
            ]
            if existing:
                self.producers[key] = existing[0]
                self._count("producers", False)
            else:
                self.producers[key] = producer_import(
                    name=name, kind=item.kind, unit=item.unit, actor=self.actor
                )
                self._count("producers", True)
        return self.producers[key]

    def _unnamed_product(self, item: Planned) -> Product | None:
        """A product of this name that an earlier row or file imported without its producer's
        name, in this unit, when the named producer does not have it: the same product (a
        file corrected with the producers' names adds no second one)."""
        if not item.row.producer:
            return None
        name, producer = fold(item.row.product), fold(item.row.producer)
        if item.unit.pk not in self.unit_products:
            self.unit_products[item.unit.pk] = list(
                Product.objects.filter(producer__address_unit=item.unit).select_related("producer")
            )
        found = None
        for product in self.unit_products[item.unit.pk]:
            if fold(product.name) != name:
                continue
            if product.producer.name_published and fold(product.producer.name) == producer:
                return None  # the named producer has it: the usual path matches it
            if not product.producer.name_published:
                found = product
        if found is not None:
            self.report.warnings.append(
                (
                    item.row.line,
                    _(
                        "“%(product)s” was imported before without its producer's name: the "
                        "same product is kept, under no producer's name."
                    )
                    % {"product": item.row.product},
                )
            )
            self._count("products", False)
        return found

    def _product(self, item: Planned, producer: Producer) -> Product:
        key = (producer.pk, fold(item.row.product))
        if key not in self.products:
            existing = [p for p in producer.products.all() if fold(p.name) == key[1]]
            if existing:
                self.products[key] = existing[0]
                self._count("products", False)
            else:
                self.products[key] = product_import(
                    producer=producer,
                    name=item.row.product,
                    product_set=self.product_sets[item.product_set],
                    actor=self.actor,
                )
                if item.unit.pk in self.unit_products:
                    self.unit_products[item.unit.pk].append(self.products[key])
                self._count("products", True)
        return self.products[key]

    def _round(self, item: Planned) -> Round:
        year = item.row.decision_date.year
        key = (item.province.pk, year, item.regime.pk)
        if key in self.rounds:
            return self.rounds[key]
        found = Round.objects.filter(
            province=item.province, year=year, regime=item.regime, import_batch__isnull=False
        ).first()
        if found is None:
            last = Round.objects.filter(province=item.province, year=year).aggregate(
                last=Max("number")
            )["last"]
            end = datetime.date(year, 12, 31)
            version = next(
                (v for v in reversed(self.versions) if v.effective_from <= item.row.decision_date),
                self.versions[0],
            )
            found = Round.objects.create(
                province=item.province,
                year=year,
                number=(last or 0) + 1,
                title=f"Kết quả đã công bố năm {year} (nhập từ tệp)",
                regime=item.regime,
                criteria_version=version,
                historical=True,
                import_batch=self.batch,
                submission_deadline=end,
                first_level_deadline=end,
                province_deadline=end,
                created_by=self.actor,
            )
            audit_log(
                actor=self.actor,
                action="round.import",
                obj=found,
                data={"year": year, "regime": item.regime.code},
            )
            self._count("rounds", True)
        self.rounds[key] = found
        return found

    def _dossier(self, item: Planned, product: Product, round_: Round) -> Dossier:
        dossier = (
            Dossier.objects.filter(round=round_, product=product)
            .exclude(state=DossierState.WITHDRAWN)
            .first()
        )
        if dossier is not None:
            self._count("dossiers", False)
            return dossier
        dossier = Dossier.objects.create(
            round=round_,
            product=product,
            kind=DossierKind.FIRST,
            state=DossierState.ACCEPTED,
            version=1,
            first_level_unit=item.first_level_unit,
            level=item.level,
            created_by=self.actor,
            import_batch=self.batch,
        )
        audit_log(actor=self.actor, action="dossier.import", obj=dossier, data={})
        self._count("dossiers", True)
        return dossier

    def _one(self, item: Planned) -> None:
        row = item.row
        product = self._unnamed_product(item)
        if product is None:
            product = self._product(item, self._producer(item))
        round_ = self._round(item)
        dossier = self._dossier(item, product, round_)
        result = LevelResult.objects.filter(dossier=dossier, level=item.level).first()
        if result is not None:
            self._count("results", False)
            if hasattr(result, "decision_item"):
                self.report.matched["certificates"] += 1
            return
        bands = StarBands(round_.criteria_version.star_thresholds)
        band = stars_for_score(score=row.score, bands=bands) if row.score is not None else None
        moment = timezone.make_aware(datetime.datetime.combine(row.decision_date, datetime.time(9)))
        result = LevelResult.objects.create(
            item=None,
            dossier=dossier,
            level=item.level,
            mean=row.score,
            display_mean=row.score,
            band_stars=band,
            stars=row.stars or band or 0,
            spread=None,
            outcome=item.outcome,
            to_level=item.to_level,
            reason=_imported_reason(row),
            details={"imported": True, "line": row.line},
            finalised_by=self.actor,
            finalised_at=moment,
        )
        self._count("results", True)
        state = {
            Outcome.RECOGNISED: DossierState.RECOGNISED,
            Outcome.FORWARDED: DossierState.FORWARDED,
            Outcome.NOT_RECOGNISED: DossierState.NOT_RECOGNISED,
        }[item.outcome]
        # The dossier shows its highest level's result (rows are taken level by level).
        if LEVEL_ORDER[item.level] >= LEVEL_ORDER.get(dossier.level, 0):
            dossier.state = state
            dossier.level = item.to_level or item.level
            dossier.save(update_fields=["state", "level"])
        audit_log(
            actor=self.actor,
            action="result.import",
            obj=dossier,
            data={"level": item.level, "outcome": item.outcome, "stars": row.stars},
        )
        if item.outcome == Outcome.RECOGNISED:
            self._certify(item, result, moment)

    def _certify(self, item: Planned, result: LevelResult, moment) -> None:
        row = item.row
        issuer = (
            item.province
            if item.level in (Level.PROVINCE, Level.CENTRAL)
            else (item.first_level_unit)
        )
        decision = Decision.objects.filter(
            issuer=issuer, level=item.level, year=row.decision_date.year, number=row.decision
        ).first()
        if decision is None:
            central = item.level == Level.CENTRAL
            decision = Decision.objects.create(
                level=item.level,
                issuer=issuer,
                issuer_name=(
                    (MINISTRY if row.decision_date >= MINISTRY_RENAMED else MINISTRY_BEFORE_2025)
                    if central
                    else ""
                ),
                number=row.decision,
                year=row.decision_date.year,
                date=row.decision_date,
                signer_name="",
                signer_title="",
                state=DecisionState.ISSUED,
                created_by=self.actor,
                issued_at=moment,
                import_batch=self.batch,
            )
            audit_log(
                actor=self.actor,
                action="decision.import",
                obj=decision,
                data={"number": decision.number, "date": decision.date},
            )
            self._count("decisions", True)
        item_row = DecisionItem.objects.create(
            decision=decision,
            result=result,
            stars=row.stars,
            score=row.score,
            order=decision.items.count(),
        )
        certificate = certificate_record_imported(
            decision=decision,
            item=item_row,
            province=item.province,
            today=self.today,
            actor=self.actor,
        )
        audit_log(
            actor=self.actor,
            action="certificate.import",
            obj=certificate,
            data={"stars": certificate.stars, "status": certificate.status},
        )
        self._count("certificates", True)
        self.report.certificates_by_stars[certificate.stars] += 1


def _imported_reason(row: Row) -> str:
    decision = f" {row.decision}" if row.decision else ""
    return _("Imported from the published decision%(decision)s (line %(line)d of the file).") % {
        "decision": decision,
        "line": row.line,
    }
