"""factory_boy factories. Roles are given through the real service, never by hand."""

import factory

from ocop.core.enums import UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit, User
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
        code="05014",
        name="Thị trấn Mãn Đức",
        short_name="Mãn Đức",
        division_type="thị trấn",
        parent=district,
    )
    return {
        "province": province,
        "district": district,
        "other_district": other_district,
        "commune": commune,
    }


def user_with_role(role: str | None, jurisdiction=None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    if role:
        user = user_set_access(user=user, roles=[role], jurisdiction=jurisdiction, actor=None)
    return user
