"""Where to buy (decision 0030): a producer's places to buy, kept by its members, and the OCOP
points of sale and fairs the province's OCOP office marks.

Each function checks the actor's permission and the place's rules (kind by kind), then saves
the row and its products in one transaction with its audit entry. Refusals name the field.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core.audit import audit_log
from ocop.core.enums import UnitLevel
from ocop.core.models import AdministrativeUnit, User
from ocop.core.public_cache import register_changed
from ocop.core.selectors import in_unit_q
from products.enums import ONLINE_SALES_POINT_KINDS, OutletKind, SalesPointKind
from products.models import Outlet, Producer, Product, SalesPoint

SALES_POINT_FIELDS = (
    "kind",
    "name",
    "address_unit",
    "address_detail",
    "opening_hours",
    "phone",
    "url",
    "order",
    "products",
)
OUTLET_FIELDS = (
    "province",
    "kind",
    "name",
    "address_unit",
    "address_detail",
    "opening_hours",
    "phone",
    "url",
    "first_day",
    "last_day",
    "products",
)
_TEXT_FIELDS = ("name", "address_detail", "opening_hours", "phone", "url")


# --- shared checks -----------------------------------------------------------------------


def _values(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Not fields of this place: {sorted(unknown)}")
    values = dict(fields)
    for name in _TEXT_FIELDS:
        if name in values:
            values[name] = (values[name] or "").strip()
    if "products" in values:
        values["products"] = _product_ids(values["products"])
    return values


def _product_ids(products: Iterable) -> list[int]:
    """Product ids, sorted, each once (products or their ids)."""
    return sorted({getattr(p, "pk", p) for p in products or ()})


def _add(errors: dict, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _field_errors(obj, exclude: list[str]) -> dict:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return dict(error.error_dict)
    return {}


def _is_todays_commune(unit: AdministrativeUnit, today: datetime.date) -> bool:
    return unit.level == UnitLevel.COMMUNE and unit.in_force_on(today)


def _changes(old: dict, new: dict) -> dict:
    return {
        field: {"from": old[field], "to": value}
        for field, value in new.items()
        if old.get(field) != value
    }


def _unit_id(unit) -> int | None:
    return getattr(unit, "pk", unit)


# --- a producer's places to buy ----------------------------------------------------------


def validate_sales_point(point: SalesPoint, product_ids: list[int]) -> None:
    """Every rule of a place to buy (unsaved or changed, with the products it will list),
    the errors collected by field; the form checks with it too."""
    today = timezone.localdate()
    errors = _field_errors(point, exclude=["producer", "address_unit"])
    if point.kind == SalesPointKind.SHOP:
        if point.address_unit is None:
            _add(errors, "address_unit", _("Choose the commune the shop is in."), "required")
        elif not _is_todays_commune(point.address_unit, today):
            _add(
                errors,
                "address_unit",
                _("Choose a commune (ward) of today's map."),
                "not_a_commune",
            )
        if not point.address_detail and "address_detail" not in errors:
            _add(
                errors,
                "address_detail",
                _("Enter the shop's street address (house number, street or village)."),
                "required",
            )
    elif point.kind in ONLINE_SALES_POINT_KINDS and not point.url and "url" not in errors:
        _add(errors, "url", _("Enter the page's web address."), "required")
    if not product_ids:
        _add(errors, "products", _("Choose at least one product sold there."), "required")
    else:
        own = Product.objects.filter(producer_id=point.producer_id, pk__in=product_ids).count()
        if own != len(product_ids):
            _add(
                errors,
                "products",
                _("Choose among the producer's own products."),
                "not_own_product",
            )
    if point.name and "name" not in errors:
        taken = (
            SalesPoint.objects.filter(producer_id=point.producer_id, name__iexact=point.name)
            .exclude(pk=point.pk)
            .exists()
        )
        if taken:
            _add(errors, "name", _name_taken_message(), "unique")
    if errors:
        raise ValidationError(errors)


def _name_taken_message() -> str:
    return _("The producer already has a place to buy with this name.")


def sales_point_values(fields: dict) -> dict:
    """The fields of a place to buy as the services keep them: text trimmed, products as
    sorted ids, and for a page online no street address (what was typed for one is
    dropped)."""
    values = _values(fields, SALES_POINT_FIELDS)
    if values.get("kind") in ONLINE_SALES_POINT_KINDS:
        values["address_unit"] = None
        values["address_detail"] = ""
    return values


def _sales_point_data(point: SalesPoint, product_ids: list[int]) -> dict:
    return {
        "kind": point.kind,
        "name": point.name,
        "address_unit": point.address_unit_id,
        "address_detail": point.address_detail,
        "opening_hours": point.opening_hours,
        "phone": point.phone,
        "url": point.url,
        "order": point.order,
        "products": product_ids,
    }


def _update(locked, values: dict, *, describe, validate, action: str, actor: User) -> None:
    """A place (a producer's or an office's), locked, given `values` (its products kept
    unless given): checked by `validate`, saved and audited with what changed (`describe`
    before and after), nothing when nothing changed. Inside the caller's transaction."""
    old_ids = sorted(locked.products.values_list("pk", flat=True))
    before = describe(locked, old_ids)
    product_ids = values.pop("products", old_ids)
    for field, value in values.items():
        setattr(locked, field, value)
    validate(locked, product_ids)
    changed = _changes(before, describe(locked, product_ids))
    if not changed:
        return
    locked.save()
    register_changed()  # the catalogue shows where to buy
    if "products" in changed:
        locked.products.set(product_ids)
    audit_log(actor=actor, action=action, obj=locked, data=changed)


def _delete(model, pk: int, *, describe, action: str, actor: User) -> None:
    """A place (a producer's or an office's) deleted, locked, in one transaction with its
    audit entry saying what it was (`describe`, with its products)."""
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=pk)
        product_ids = sorted(locked.products.values_list("pk", flat=True))
        audit_log(actor=actor, action=action, obj=locked, data=describe(locked, product_ids))
        locked.delete()
        register_changed()


def _require(actor: User, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not change this."))


def sales_point_create(*, producer: Producer, actor: User, **fields) -> SalesPoint:
    """A place to buy some of the producer's products, published on the catalogue."""
    _require(actor, "products.add_salespoint", producer)
    values = sales_point_values(fields)
    product_ids = values.pop("products", [])
    try:
        with transaction.atomic():
            point = SalesPoint(producer=producer, **values)
            validate_sales_point(point, product_ids)
            point.save()
            point.products.set(product_ids)
            register_changed()
            audit_log(
                actor=actor,
                action="salespoint.create",
                obj=point,
                data={"producer": producer.pk, **_sales_point_data(point, product_ids)},
            )
    except IntegrityError as error:
        raise ValidationError({"name": _name_taken_message()}, code="unique") from error
    return point


def sales_point_update(*, sales_point: SalesPoint, actor: User, **changes) -> SalesPoint:
    _require(actor, "products.change_salespoint", sales_point)
    try:
        with transaction.atomic():
            locked = (
                SalesPoint.objects.select_for_update(of=("self",))
                .select_related("address_unit")
                .get(pk=sales_point.pk)
            )
            _update(
                locked,
                sales_point_values({"kind": locked.kind, **changes}),
                describe=_sales_point_data,
                validate=validate_sales_point,
                action="salespoint.update",
                actor=actor,
            )
    except IntegrityError as error:
        raise ValidationError({"name": _name_taken_message()}, code="unique") from error
    return locked


def sales_point_delete(*, sales_point: SalesPoint, actor: User) -> None:
    _require(actor, "products.delete_salespoint", sales_point)
    _delete(
        SalesPoint,
        sales_point.pk,
        describe=lambda locked, ids: {
            "producer": locked.producer_id,
            **_sales_point_data(locked, ids),
        },
        action="salespoint.delete",
        actor=actor,
    )


# --- the office's points of sale and fairs -----------------------------------------------


def validate_outlet(outlet: Outlet, product_ids: list[int]) -> None:
    """Every rule of an outlet (unsaved or changed, with the products it will list), the
    errors collected by field; the form checks with it too."""
    today = timezone.localdate()
    errors = _field_errors(outlet, exclude=["province", "address_unit", "created_by"])
    province = outlet.province if outlet.province_id else None
    if province is None:
        _add(errors, "province", _("Choose the province."), "required")
    elif province.level != UnitLevel.PROVINCE or not province.in_force_on(today):
        _add(errors, "province", _("Choose a province of today's map."), "not_a_province")
        province = None
    commune = outlet.address_unit if outlet.address_unit_id else None
    if commune is None:
        _add(errors, "address_unit", _("Choose the commune the place is in."), "required")
    elif province is not None and not (
        _is_todays_commune(commune, today) and commune.parent_id == province.pk
    ):
        _add(
            errors,
            "address_unit",
            _("Choose a commune (ward) of %(province)s.") % {"province": province.name},
            "not_in_province",
        )
    if outlet.kind == OutletKind.FAIR:
        if outlet.first_day is None and "first_day" not in errors:
            _add(errors, "first_day", _("Enter the fair's first day."), "required")
        if outlet.last_day is None and "last_day" not in errors:
            _add(errors, "last_day", _("Enter the fair's last day."), "required")
        if outlet.first_day and outlet.last_day and outlet.last_day < outlet.first_day:
            _add(
                errors,
                "last_day",
                _("The last day cannot come before the first day."),
                "before_first_day",
            )
    if product_ids and province is not None:
        in_province = (
            Product.objects.filter(pk__in=product_ids)
            .filter(in_unit_q(province.pk, field="producer__address_unit"))
            .count()
        )
        if in_province != len(product_ids):
            _add(
                errors,
                "products",
                _("Choose products of producers in %(province)s.") % {"province": province.name},
                "not_in_province",
            )
    if errors:
        raise ValidationError(errors)


def outlet_values(fields: dict) -> dict:
    """The fields of an outlet as the services keep them: text trimmed, products as sorted
    ids, and for a point of sale no days (what was typed for one is dropped)."""
    values = _values(fields, OUTLET_FIELDS)
    if values.get("kind") == OutletKind.POINT_OF_SALE:
        values["first_day"] = None
        values["last_day"] = None
    return values


def _outlet_data(outlet: Outlet, product_ids: list[int]) -> dict:
    return {
        "province": outlet.province_id,
        "kind": outlet.kind,
        "name": outlet.name,
        "address_unit": outlet.address_unit_id,
        "address_detail": outlet.address_detail,
        "opening_hours": outlet.opening_hours,
        "phone": outlet.phone,
        "url": outlet.url,
        "first_day": outlet.first_day.isoformat() if outlet.first_day else None,
        "last_day": outlet.last_day.isoformat() if outlet.last_day else None,
        "products": product_ids,
    }


def outlet_create(*, province: AdministrativeUnit, actor: User, **fields) -> Outlet:
    """An OCOP point of sale or a fair of the province, published on the catalogue."""
    _require(actor, "products.add_outlet", province)
    values = outlet_values(fields)
    product_ids = values.pop("products", [])
    values.pop("province", None)
    with transaction.atomic():
        outlet = Outlet(province=province, created_by=actor, **values)
        validate_outlet(outlet, product_ids)
        outlet.save()
        outlet.products.set(product_ids)
        register_changed()
        audit_log(
            actor=actor,
            action="outlet.create",
            obj=outlet,
            data=_outlet_data(outlet, product_ids),
        )
    return outlet


def outlet_update(*, outlet: Outlet, actor: User, **changes) -> Outlet:
    """Corrected by the office; moving it to another province needs the right to add one
    there too."""
    _require(actor, "products.change_outlet", outlet)
    if "province" in changes and _unit_id(changes["province"]) != outlet.province_id:
        _require(actor, "products.add_outlet", changes["province"])
    with transaction.atomic():
        locked = (
            Outlet.objects.select_for_update(of=("self",))
            .select_related("province", "address_unit")
            .get(pk=outlet.pk)
        )
        _update(
            locked,
            outlet_values({"kind": locked.kind, **changes}),
            describe=_outlet_data,
            validate=validate_outlet,
            action="outlet.update",
            actor=actor,
        )
    return locked


def outlet_delete(*, outlet: Outlet, actor: User) -> None:
    _require(actor, "products.delete_outlet", outlet)
    _delete(Outlet, outlet.pk, describe=_outlet_data, action="outlet.delete", actor=actor)
