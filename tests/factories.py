"""factory_boy factories. Roles are given through the real service, never by hand."""

import factory

from ocop.core.enums import UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit, User
from ocop.core.models.units import THREE_TIER_UNTIL, TWO_TIER_FROM
from ocop.core.services.users import user_set_access

TEST_PASSWORD = "correct horse battery staple"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("scheme", "level", "code")

    scheme = UnitScheme.THREE_TIER
    level = UnitLevel.PROVINCE
    code = factory.Sequence(lambda n: f"{90000 + n}")
    name = factory.LazyAttribute(lambda o: f"Tỉnh {o.short_name}")
    short_name = factory.Sequence(lambda n: f"Thử {n}")
    division_type = "tỉnh"
    parent = None
    # Each map's period of force, as `units_load` gives it.
    valid_from = factory.LazyAttribute(
        lambda o: TWO_TIER_FROM if o.scheme == UnitScheme.TWO_TIER else None
    )
    valid_until = factory.LazyAttribute(
        lambda o: THREE_TIER_UNTIL if o.scheme == UnitScheme.THREE_TIER else None
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Lan"
    last_name = "Nguyễn"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def hoa_binh_units() -> dict[str, AdministrativeUnit]:
    """The slice of the real map the tests need (codes as in vietnam-provinces)."""
    province = UnitFactory(code="17", name="Tỉnh Hoà Bình", short_name="Hoà Bình")
    district = UnitFactory(
        level=UnitLevel.DISTRICT,
        code="155",
        name="Huyện Tân Lạc",
        short_name="Tân Lạc",
        division_type="huyện",
        parent=province,
    )
    other_district = UnitFactory(
        level=UnitLevel.DISTRICT,
        code="150",
        name="Huyện Đà Bắc",
        short_name="Đà Bắc",
        division_type="huyện",
        parent=province,
    )
    commune = UnitFactory(
        level=UnitLevel.COMMUNE,
        code="05128",
        name="Thị trấn Mãn Đức",
        short_name="Mãn Đức",
        division_type="thị trấn",
        parent=district,
    )
    old = {
        "province": province,
        "district": district,
        "other_district": other_district,
        "commune": commune,
    }
    # Today's map beside it, linked as the 2025 conversion table links them: new records
    # (registrations, officer areas, councils) are made on it.
    today = phu_tho_units(old)
    return {**old, "new_province": today["province"], "new_commune": today["commune"]}


def phu_tho_units(
    old: dict[str, AdministrativeUnit] | None = None,
) -> dict[str, AdministrativeUnit]:
    """The slice of today's map (two-tier) the tests need: the new Phú Thọ, which absorbed
    Hoà Bình, and Xã Tân Lạc, which absorbed Mãn Đức; linked to `old` (`hoa_binh_units`) as
    the official 2025 conversion table links them (codes as in vietnam-provinces)."""
    from ocop.core.models import UnitSuccession

    two_tier = {"scheme": UnitScheme.TWO_TIER}
    province = UnitFactory(**two_tier, code="25", name="Tỉnh Phú Thọ", short_name="Phú Thọ")
    commune = UnitFactory(
        **two_tier,
        level=UnitLevel.COMMUNE,
        code="05128",
        name="Xã Tân Lạc",
        short_name="Tân Lạc",
        division_type="xã",
        parent=province,
    )
    other_commune = UnitFactory(
        **two_tier,
        level=UnitLevel.COMMUNE,
        code="04831",
        name="Xã Đà Bắc",
        short_name="Đà Bắc",
        division_type="xã",
        parent=province,
    )
    if old is not None:
        for before, after in (
            (old["province"], province),
            (old["district"], province),
            (old["other_district"], province),
            (old["commune"], commune),
        ):
            UnitSuccession.objects.get_or_create(old=before, new=after)
    return {"province": province, "commune": commune, "other_commune": other_commune}


def thai_nguyen_units() -> dict[str, AdministrativeUnit]:
    """Another province's slice, for officers and producers out of Hoà Bình's area."""
    province = UnitFactory(code="19", name="Tỉnh Thái Nguyên", short_name="Thái Nguyên")
    district = UnitFactory(
        level=UnitLevel.DISTRICT,
        code="173",
        name="Huyện Đại Từ",
        short_name="Đại Từ",
        division_type="huyện",
        parent=province,
    )
    commune = UnitFactory(
        level=UnitLevel.COMMUNE,
        code="05611",
        name="Xã Hùng Sơn",
        short_name="Hùng Sơn",
        division_type="xã",
        parent=district,
    )
    return {"province": province, "district": district, "commune": commune}


def user_with_role(role: str | None, jurisdiction=None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    if role:
        user = user_set_access(
            user=user, roles=[role], jurisdiction=jurisdiction, actor=None, abolished_ok=True
        )
    return user


def role_users_of(units: dict[str, AdministrativeUnit]) -> dict[str, User]:
    """One account per role, officers with a jurisdiction of their level in `units`
    (`hoa_binh_units`): the `role_users` fixture's accounts."""
    from ocop.core.enums import Role

    return {
        Role.PRODUCER_MEMBER: user_with_role(Role.PRODUCER_MEMBER, username="producer"),
        Role.COMMUNE_OFFICER: user_with_role(
            Role.COMMUNE_OFFICER, units["commune"], username="commune"
        ),
        Role.DISTRICT_OFFICER: user_with_role(
            Role.DISTRICT_OFFICER, units["district"], username="district"
        ),
        Role.PROVINCE_OFFICER: user_with_role(
            Role.PROVINCE_OFFICER, units["province"], username="province"
        ),
        Role.ADMINISTRATOR: user_with_role(Role.ADMINISTRATOR, username="admin"),
    }


# --- products -----------------------------------------------------------------------------


def producer_with_owner(*, commune, username="htx", state="verified", **fields):
    """A producer and its owner account (a producer member), created as the services would."""
    from products.models import Producer, ProducerMember

    owner = user_with_role("producer_member", username=username)
    number = 5400000000 + Producer.objects.count() + 1
    producer = Producer.objects.create(
        kind=fields.pop("kind", "cooperative"),
        name=fields.pop("name", f"HTX Thử nghiệm {number}"),
        registration_no=fields.pop("registration_no", str(number)),
        tax_code=fields.pop("tax_code", str(number)),
        representative_name=fields.pop("representative_name", "Bùi Thị Lan"),
        representative_title=fields.pop("representative_title", "Giám đốc"),
        representative_gender=fields.pop("representative_gender", "female"),
        representative_ethnic_minority=fields.pop("representative_ethnic_minority", True),
        address_unit=commune,
        phone=fields.pop("phone", "0912345678"),
        email=fields.pop("email", f"{username}@htx.vn"),
        state=state,
        **fields,
    )
    ProducerMember.objects.create(producer=producer, user=owner, role="owner")
    return producer, owner


def product_for(producer, *, number=1, name=None):
    from products.models import Product, ProductSet
    from products.services.taxonomy import taxonomy_load

    if not ProductSet.objects.exists():
        taxonomy_load()
    return Product.objects.create(
        producer=producer,
        name=name or f"Sản phẩm {producer.products.count() + 1}",
        product_set=ProductSet.objects.get(number=number),
    )
