"""Loading Vietnam's administrative units from the `vietnam-provinces` package.

Both maps are kept: the three-tier one in force until 30/06/2025 (63 provinces, districts,
communes), on which every OCOP decision before that date was made, and the two-tier one
from 01/07/2025 (34 provinces, communes). Codes are the official GSO codes, zero-padded
(province 2 digits, district 3, commune 5).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from ocop.core.audit import audit_log
from ocop.core.enums import UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit

_PREFIXES = sorted(
    [
        "thành phố trung ương",
        "thành phố",
        "tỉnh",
        "huyện",
        "quận",
        "thị xã",
        "thị trấn",
        "xã",
        "phường",
        "đặc khu",
    ],
    key=len,
    reverse=True,
)
_CODE_WIDTH = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}


def short_name(full_name: str) -> str:
    """'Huyện Tân Lạc' -> 'Tân Lạc'; a name without a known prefix is kept whole."""
    lowered = full_name.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix + " "):
            return full_name[len(prefix) + 1 :].strip()
    return full_name


def format_code(level: str, code: int) -> str:
    return str(int(code)).zfill(_CODE_WIDTH[UnitLevel(level)])


@dataclass(frozen=True)
class _Row:
    level: str
    code: str
    name: str
    division_type: str
    parent_code: str | None


def _three_tier_rows() -> Iterable[_Row]:
    from vietnam_provinces import legacy

    for p in legacy.Province.iter_all():
        yield _Row(
            UnitLevel.PROVINCE, format_code("province", p.code), p.name, p.division_type, None
        )
    for d in legacy.District.iter_all():
        yield _Row(
            UnitLevel.DISTRICT,
            format_code("district", d.code),
            d.name,
            d.division_type,
            format_code("province", d.province_code),
        )
    for w in legacy.Ward.iter_all():
        yield _Row(
            UnitLevel.COMMUNE,
            format_code("commune", w.code),
            w.name,
            w.division_type,
            format_code("district", w.district_code),
        )


def _two_tier_rows() -> Iterable[_Row]:
    from vietnam_provinces import Province, Ward

    for p in Province.iter_all():
        yield _Row(
            UnitLevel.PROVINCE, format_code("province", p.code), p.name, p.division_type, None
        )
    for w in Ward.iter_all():
        yield _Row(
            UnitLevel.COMMUNE,
            format_code("commune", w.code),
            w.name,
            w.division_type,
            format_code("province", w.province_code),
        )


_SOURCES = {UnitScheme.THREE_TIER: _three_tier_rows, UnitScheme.TWO_TIER: _two_tier_rows}
_PARENT_LEVEL = {
    (UnitScheme.THREE_TIER, UnitLevel.DISTRICT): UnitLevel.PROVINCE,
    (UnitScheme.THREE_TIER, UnitLevel.COMMUNE): UnitLevel.DISTRICT,
    (UnitScheme.TWO_TIER, UnitLevel.COMMUNE): UnitLevel.PROVINCE,
}


def _load_scheme(scheme: UnitScheme) -> dict[str, int]:
    rows = list(_SOURCES[scheme]())
    counts: dict[str, int] = {}
    pk_by_code: dict[tuple[str, str], int] = {}
    for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        level_rows = [r for r in rows if r.level == level]
        if not level_rows:
            continue
        parent_level = _PARENT_LEVEL.get((scheme, level))
        objs = [
            AdministrativeUnit(
                scheme=scheme,
                level=level,
                code=r.code,
                name=r.name,
                short_name=short_name(r.name),
                division_type=str(r.division_type),
                parent_id=pk_by_code[(parent_level, r.parent_code)] if parent_level else None,
            )
            for r in level_rows
        ]
        AdministrativeUnit.objects.bulk_create(
            objs,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["scheme", "level", "code"],
            update_fields=["name", "short_name", "division_type", "parent"],
        )
        for pk, code in AdministrativeUnit.objects.filter(scheme=scheme, level=level).values_list(
            "pk", "code"
        ):
            pk_by_code[(level, code)] = pk
        counts[level] = len(objs)
    return counts


def units_load(*, schemes: Iterable[str] | None = None, actor=None) -> dict[str, dict[str, int]]:
    """Create or update every unit of the given schemes (default: both). Idempotent."""
    import vietnam_provinces

    chosen = [UnitScheme(s) for s in (schemes or UnitScheme.values)]
    result: dict[str, dict[str, int]] = {}
    with transaction.atomic():
        for scheme in chosen:
            result[scheme] = _load_scheme(scheme)
        audit_log(
            actor=actor,
            action="units.load",
            data={"counts": result, "source": f"vietnam-provinces {vietnam_provinces.__version__}"},
        )
    return result
