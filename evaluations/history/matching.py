"""Reading the names a spreadsheet of published results uses: administrative units on the
map in force at the row's date, product sets and kinds of producer.

Names are compared folded (`ocop.core.search.fold`: no case, no diacritics, so "Hòa" and
"Hoà" agree) and without the unit-type prefix ("Huyện", "Xã", "TP.", ...). A province may be
named as it was called before a rename the 2025 map kept under the same code (Thừa Thiên Huế,
now Thành phố Huế).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ocop.core.enums import UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit
from ocop.core.models.units import TWO_TIER_FROM, scheme_in_force
from ocop.core.search import fold
from products.enums import ProducerKind

# Unit-type words a name may start with, folded, longest first.
UNIT_PREFIXES = (
    "thanh pho",
    "thi tran",
    "thi xa",
    "phuong",
    "huyen",
    "quan",
    "tinh",
    "xa",
    "tp",
    "tx",
    "tt",
)
_PREFIX = re.compile(r"^(?:{})\.?\s+".format("|".join(UNIT_PREFIXES)))

# Former names of provinces whose code the registry's maps keep: Thừa Thiên Huế became
# Thành phố Huế (a centrally governed city) on 01/01/2025 (Resolution 1314/NQ-UBTVQH15).
PROVINCE_FORMER_NAMES = {"thua thien hue": "46"}


def unit_key(name: str) -> str:
    """The name folded, without its unit-type prefix or punctuation ("Huyện Tân Lạc",
    "huyen tan lac" and "Tân Lạc" give "tan lac")."""
    key = fold(name).replace(",", " ").strip()
    key = _PREFIX.sub("", key)
    return " ".join(key.replace(".", " ").split())


@dataclass
class UnitMatch:
    """Where a row's names lead: the finest unit found, the first-level unit whose working
    group would have received the dossier, the province, and what could not be matched."""

    province: AdministrativeUnit
    unit: AdministrativeUnit
    first_level_unit: AdministrativeUnit
    warnings: list[str] = field(default_factory=list)


class UnitNotFound(ValueError):
    pass


class UnitIndex:
    """The units of both maps, loaded once per import (three queries), looked up by name."""

    def __init__(self):
        units = list(
            AdministrativeUnit.objects.only(
                "pk", "scheme", "level", "code", "name", "parent_id", "valid_from", "valid_until"
            )
        )
        self.by_pk = {u.pk: u for u in units}
        self.children: dict[tuple[int, str], list[AdministrativeUnit]] = {}
        self.provinces: dict[str, list[AdministrativeUnit]] = {}
        for unit in units:
            if unit.parent_id is None:
                self.provinces.setdefault(unit.scheme, []).append(unit)
            else:
                self.children.setdefault((unit.parent_id, unit.level), []).append(unit)

    def _named(self, units, name: str):
        key = unit_key(name)
        return [u for u in units if unit_key(u.name) == key]

    def province(self, name: str, day: datetime.date) -> AdministrativeUnit:
        scheme = scheme_in_force(day)
        candidates = self.provinces.get(scheme, [])
        found = self._named(candidates, name)
        code = PROVINCE_FORMER_NAMES.get(unit_key(name))
        if not found and code:
            found = [u for u in candidates if u.code == code]
        found = [u for u in found if u.in_force_on(day)]
        if len(found) == 1:
            return found[0]
        other = UnitScheme.THREE_TIER if scheme == UnitScheme.TWO_TIER else UnitScheme.TWO_TIER
        if self._named(self.provinces.get(other, []), name):
            raise UnitNotFound(
                _("The province “%(name)s” did not exist on %(day)s.") % _names(name, day)
            )
        raise UnitNotFound(_("Unknown province “%(name)s”.") % {"name": name})

    def _below(self, parents, level: str):
        return [c for p in parents for c in self.children.get((p.pk, level), [])]

    def match(self, *, province: str, district: str, commune: str, day) -> UnitMatch:
        """The units a row names (district and commune may be empty). An unknown province, a
        district on the two-tier map, or a commune named in several districts is refused; a
        district or commune not on the map (merged since) falls back to the unit above it,
        with a warning."""
        province_unit = self.province(province, day)
        two_tier = province_unit.scheme == UnitScheme.TWO_TIER
        parent = province_unit
        warnings = []
        if district:
            if two_tier:
                raise UnitNotFound(
                    _(
                        "The district “%(name)s” did not exist on %(day)s: districts were "
                        "abolished on %(abolished)s."
                    )
                    % {**_names(district, day), "abolished": _day(TWO_TIER_FROM)}
                )
            districts = self._named(self._below([province_unit], UnitLevel.DISTRICT), district)
            if len(districts) == 1:
                parent = districts[0]
            else:
                # The registry's old map is the one of 30/06/2025: a district merged before
                # (Nam Đông into Phú Lộc, 2025) is not on it.
                warnings.append(
                    _(
                        "The district “%(name)s” is not on the map of %(province)s (merged "
                        "before 30/06/2025, or misspelt?): the row is placed by its commune, "
                        "or in the province."
                    )
                    % {"name": district, "province": province_unit.name}
                )
        unit = parent
        if commune:
            if parent.level == UnitLevel.PROVINCE and not two_tier:
                pool = self._below(self._below([parent], UnitLevel.DISTRICT), UnitLevel.COMMUNE)
            else:
                pool = self._below([parent], UnitLevel.COMMUNE)
            communes = self._named(pool, commune)
            if len(communes) > 1:
                raise UnitNotFound(
                    _(
                        "“%(name)s” names several communes of %(province)s (%(where)s): add "
                        "the district."
                    )
                    % {
                        "name": commune,
                        "province": province_unit.name,
                        "where": ", ".join(self.by_pk[c.parent_id].name for c in communes),
                    }
                )
            if communes:
                unit = communes[0]
            else:
                warnings.append(
                    _(
                        "The commune “%(name)s” is not on the map of %(day)s (merged or "
                        "renamed since?): the row is placed in %(unit)s."
                    )
                    % {**_names(commune, day), "unit": parent.name}
                )
        if two_tier or unit.level != UnitLevel.COMMUNE:
            first_level = unit
        else:
            first_level = self.by_pk[unit.parent_id]
        return UnitMatch(
            province=province_unit, unit=unit, first_level_unit=first_level, warnings=warnings
        )


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _names(name: str, day: datetime.date) -> dict:
    return {"name": name, "day": _day(day)}


# --- product sets --------------------------------------------------------------------------

# The head of a Vietnamese product name comes first ("Nước mắm cá cơm ..."): the set of a
# product is read from the first words when the file has no `product_set` column, then from
# a few words found anywhere (tea named after its brand). Folded; longest first where one
# head starts another.
PRODUCT_SET_HEADS = {
    "nuoc mam": 9,
    "nuoc ot": 9,
    "nuoc tuong": 9,
    "mam": 9,
    "tuong": 9,
    "giam": 9,
    "gao": 3,
    "nep": 3,
    "mat ong": 4,
    "keo gao": 6,
    "banh": 6,
    "bun": 6,
    "mien": 6,
    "pho": 6,
    "mi": 6,
    "keo": 7,
    "mut": 7,
    "o mai": 7,
    "buoi": 1,
    "cam": 1,
    "quyt": 1,
    "nhan": 1,
    "xoai": 1,
    "dua": 1,
    "chuoi": 1,
    "thanh long": 1,
    "rau": 1,
    "trung": 2,
    "sua": 2,
    "cha": 8,
    "nem": 8,
    "lap xuong": 8,
    "ruoc": 8,
    "que": 10,
    "hoi": 10,
    "muoi": 10,
    "tieu": 10,
    "mac khen": 10,
    "tra": 11,
    "che": 11,
    "ca phe": 13,
    "ca cao": 13,
    "ruou": 14,
    "tinh dau": 20,
    "cao": 18,
    "den": 21,
    "bo san pham den": 21,
    "chieu": 21,
    "non": 21,
    "tho cam": 22,
}
PRODUCT_SET_ANYWHERE = (
    ("shan tuyet", 11),
    ("tra", 11),
    ("may tre", 21),
    ("trang tri", 21),
)


def product_set_of(name: str) -> int | None:
    """The product set a product's name says, or None when it says none clearly."""
    words = fold(name).replace(",", " ").split()
    for size in (4, 3, 2, 1):
        head = " ".join(words[:size])
        if len(words) >= size and head in PRODUCT_SET_HEADS:
            return PRODUCT_SET_HEADS[head]
    text = f" {' '.join(words)} "
    for phrase, number in PRODUCT_SET_ANYWHERE:
        if f" {phrase} " in text:
            return number
    return None


# --- kinds of producer ---------------------------------------------------------------------

# How names and spreadsheets write the kinds (folded), besides the registry's own values.
PRODUCER_KIND_WORDS = (
    ("hop tac xa", ProducerKind.COOPERATIVE),
    ("htx", ProducerKind.COOPERATIVE),
    ("cong ty tnhh", ProducerKind.ENTERPRISE_LLC),
    ("cty tnhh", ProducerKind.ENTERPRISE_LLC),
    ("tnhh", ProducerKind.ENTERPRISE_LLC),
    ("cong ty co phan", ProducerKind.ENTERPRISE_JSC),
    ("cong ty cp", ProducerKind.ENTERPRISE_JSC),
    ("cty cp", ProducerKind.ENTERPRISE_JSC),
    ("co phan", ProducerKind.ENTERPRISE_JSC),
    ("doanh nghiep tu nhan", ProducerKind.ENTERPRISE_PRIVATE),
    ("dntn", ProducerKind.ENTERPRISE_PRIVATE),
    ("to hop tac", ProducerKind.COOPERATIVE_GROUP),
    ("tht", ProducerKind.COOPERATIVE_GROUP),
    ("ho kinh doanh", ProducerKind.HOUSEHOLD),
    ("hkd", ProducerKind.HOUSEHOLD),
    ("co so", ProducerKind.HOUSEHOLD),
    ("ho", ProducerKind.HOUSEHOLD),
)


def producer_kind_of(text: str) -> str:
    """The kind a `producer_kind` cell or a producer's name says ("HTX ...", "Công ty TNHH
    ..."), or "" when it says none."""
    if text in ProducerKind.values:
        return text
    folded = fold(text)
    for words, kind in PRODUCER_KIND_WORDS:
        if folded == words or folded.startswith(words + " "):
            return kind
    return ""
