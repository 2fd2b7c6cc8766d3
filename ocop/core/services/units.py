"""Loading Vietnam's administrative units from the `vietnam-provinces` package.

Both maps are kept: the three-tier one in force until 30/06/2025 (63 provinces, districts,
communes), on which every OCOP decision before that date was made, and the two-tier one
from 01/07/2025 (34 provinces, communes). Codes are the official GSO codes, zero-padded
(province 2 digits, district 3, commune 5).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from ocop.core.audit import audit_log
from ocop.core.enums import UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit, UnitSuccession
from ocop.core.models.units import THREE_TIER_UNTIL, TWO_TIER_FROM
from ocop.core.public_cache import register_changed

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
# Each map's period of force.
_VALIDITY = {
    UnitScheme.THREE_TIER: (None, THREE_TIER_UNTIL),
    UnitScheme.TWO_TIER: (TWO_TIER_FROM, None),
}
_PARENT_LEVEL = {
    (UnitScheme.THREE_TIER, UnitLevel.DISTRICT): UnitLevel.PROVINCE,
    (UnitScheme.THREE_TIER, UnitLevel.COMMUNE): UnitLevel.DISTRICT,
    (UnitScheme.TWO_TIER, UnitLevel.COMMUNE): UnitLevel.PROVINCE,
}


def _load_scheme(scheme: UnitScheme) -> dict[str, int]:
    rows = list(_SOURCES[scheme]())
    counts: dict[str, int] = {}
    pk_by_code: dict[tuple[str, str], int] = {}
    valid_from, valid_until = _VALIDITY[scheme]
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
                valid_from=valid_from,
                valid_until=valid_until,
            )
            for r in level_rows
        ]
        AdministrativeUnit.objects.bulk_create(
            objs,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["scheme", "level", "code"],
            update_fields=[
                "name",
                "short_name",
                "division_type",
                "parent",
                "valid_from",
                "valid_until",
            ],
        )
        for pk, code in AdministrativeUnit.objects.filter(scheme=scheme, level=level).values_list(
            "pk", "code"
        ):
            pk_by_code[(level, code)] = pk
        counts[level] = len(objs)
    return counts


def _succession_links() -> dict[tuple[str, str], dict[str, bool]]:
    """(old level, old code) -> {new code: partly} from the official 2025 conversion table
    shipped in vietnam-provinces (its module is private; the version is pinned and
    tests/core/test_unit_successions.py checks what is read from it). Communes go to
    communes; districts and provinces to the provinces their communes went to, `partly` when
    to more than one."""
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    links: dict[tuple[str, str], dict[str, bool]] = {}
    wider: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in OLD_TO_NEW.values():
        old = entry.old_ward
        split = old.is_partly_merged or len(entry.new_wards) > 1
        links[(UnitLevel.COMMUNE, format_code("commune", old.code))] = {
            format_code("commune", new.code): split for new in entry.new_wards
        }
        for new in entry.new_wards:
            province = format_code("province", new.province_code)
            wider[(UnitLevel.DISTRICT, format_code("district", old.district_code))].add(province)
            wider[(UnitLevel.PROVINCE, format_code("province", old.province_code))].add(province)
    for key, provinces in wider.items():
        links[key] = dict.fromkeys(provinces, len(provinces) > 1)
    return links


def _load_successions() -> int:
    """Replace the links between the two maps (both must be loaded)."""
    pk = {
        (scheme, level, code): unit_pk
        for unit_pk, scheme, level, code in AdministrativeUnit.objects.values_list(
            "pk", "scheme", "level", "code"
        )
    }
    rows = []
    for (level, old_code), new in _succession_links().items():
        old_pk = pk.get((UnitScheme.THREE_TIER, level, old_code))
        new_level = UnitLevel.COMMUNE if level == UnitLevel.COMMUNE else UnitLevel.PROVINCE
        for new_code, partly in new.items():
            new_pk = pk.get((UnitScheme.TWO_TIER, new_level, new_code))
            if old_pk and new_pk:
                rows.append(UnitSuccession(old_id=old_pk, new_id=new_pk, partly=partly))
    UnitSuccession.objects.all().delete()
    UnitSuccession.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def units_load(*, schemes: Iterable[str] | None = None, actor=None) -> dict[str, dict[str, int]]:
    """Create or update every unit of the given schemes (default: both), each with its map's
    period of force, then the links from the old map to the new one when both are loaded.
    Idempotent."""
    import vietnam_provinces

    chosen = [UnitScheme(s) for s in (schemes or UnitScheme.values)]
    result: dict[str, dict[str, int]] = {}
    with transaction.atomic():
        for scheme in chosen:
            result[scheme] = _load_scheme(scheme)
        loaded = set(
            AdministrativeUnit.objects.values_list("scheme", flat=True).distinct().order_by()
        )
        successions = _load_successions() if loaded >= set(UnitScheme.values) else 0
        audit_log(
            actor=actor,
            action="units.load",
            data={
                "counts": result,
                "successions": successions,
                "source": f"vietnam-provinces {vietnam_provinces.__version__}",
            },
        )
        register_changed()  # public pages name units (places, "nay thuộc")
    return result
