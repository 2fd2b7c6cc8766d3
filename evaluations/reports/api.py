"""The reports' part of the API (/api/v1/stats/...): for officers signed in, their own area
only; anyone else's province answers 404, an anonymous call 401."""

from ninja import Field, Query, Schema, Status

from evaluations.certificates.api import Message, api
from evaluations.models import Round
from evaluations.reports.funnel import funnel, province_of_year
from evaluations.rules import officer_of_province


def officer_session(request):
    """django-ninja auth: the signed-in user when an officer, else None (401)."""
    user = request.user
    return user if user.is_authenticated and user.is_active and user.is_officer else None


class FunnelFilters(Schema):
    province: str = Field(description="The province's code in force that year, or today's.")
    year: int = Field(ge=2018, le=2100)
    round: int | None = Field(None, description="One round of that province and year.")


class FunnelOut(Schema):
    province: str
    year: int
    districts_total: int = Field(description="First-level units of that year's map.")
    districts_participating: int
    evaluated_first_level: int
    forwarded: int
    recognised: dict[str, int]
    recognised_total: int
    not_recognised: int
    producers_recognised: int


@api.get(
    "/stats/funnel/",
    response={200: FunnelOut, 401: Message, 404: Message},
    auth=officer_session,
    summary="A province's funnel for a year, from registration to recognition",
    tags=["reports"],
)
def stats_funnel(request, filters: Query[FunnelFilters]):
    province = province_of_year(filters.province, filters.year)
    if province is None or not officer_of_province(request.auth, province):
        return Status(404, {"detail": "No province of yours has this code that year."})
    round_obj = None
    if filters.round is not None:
        round_obj = Round.objects.filter(pk=filters.round, year=filters.year).first()
        if round_obj is None:
            return Status(404, {"detail": "No round of that year has this id."})
    data = funnel(province, filters.year, round_obj)
    if round_obj is not None and round_obj.province not in data.provinces:
        return Status(404, {"detail": "No round of that province has this id."})
    return {
        "province": province.code,
        "year": filters.year,
        "districts_total": data.units_total,
        "districts_participating": data.units_participating,
        "evaluated_first_level": data.evaluated_first_level,
        "forwarded": data.forwarded,
        "recognised": {str(n): count for n, count in data.recognised.items()},
        "recognised_total": data.recognised_total,
        "not_recognised": data.not_recognised,
        "producers_recognised": data.producers_recognised,
    }
