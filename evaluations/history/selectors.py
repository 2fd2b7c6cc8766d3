from django.db.models import QuerySet

from evaluations.models import ResultImport
from ocop.core.rules import is_administrator


def imports_visible_to(user) -> QuerySet[ResultImport]:
    """The imports an administrator sees (all), or an office (those of its own officers)."""
    imports = ResultImport.objects.select_related("imported_by").order_by("-imported_at", "-pk")
    if is_administrator.test(user):
        return imports
    return imports.filter(imported_by__jurisdiction_id=user.jurisdiction_id)
