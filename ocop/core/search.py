"""Text search that ignores case and Vietnamese diacritics, on PostgreSQL and SQLite.

"man duc", "MÃN ĐỨC" and "Mãn Đức" find the same row: both the text typed and the column
are folded (tone marks and other diacritics removed, "đ" read as "d", lower case) before
they are compared. PostgreSQL folds with its `unaccent` extension (migration
core/0008); SQLite with the same Python function, registered on each new connection
(`register_sqlite_unaccent`). Decision 0022.
"""

import unicodedata
from collections.abc import Callable
from functools import reduce
from operator import and_, or_

from django.db.models import Func, Q, QuerySet
from django.db.models.functions import Lower
from django.db.models.lookups import Contains

SEARCH_MAX_LENGTH = 100


def fold(text: str) -> str:
    """The text without diacritics, "đ" as "d", in lower case, spaces collapsed."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def _unaccent(value):
    # SQLite's side of UNACCENT(): the case is left to LOWER(), as on PostgreSQL.
    if value is None:
        return None
    text = str(value).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def register_sqlite_unaccent(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: SQLite learns UNACCENT() (PostgreSQL has it from
    its extension)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, _unaccent, deterministic=True)


class Unaccent(Func):
    function = "UNACCENT"


def folded(field: str) -> Lower:
    """The column as `fold` would write it (spaces are not collapsed in the database)."""
    return Lower(Unaccent(field))


def search_terms(text: str) -> list[str]:
    """The words of a search, folded; at most SEARCH_MAX_LENGTH characters are read."""
    return fold((text or "")[:SEARCH_MAX_LENGTH]).split()


def compact(text: str) -> str:
    """The text as typed, without spaces: a tax code or a number."""
    return "".join((text or "")[:SEARCH_MAX_LENGTH].split())


def matching_q(text: str, fields: list[str], *, also: Callable[[str], Q] | None = None) -> Q:
    """Rows where every word of `text` appears in one of `fields` (folded), or that `also`
    matches for the text as typed (a tax code, a certificate number). An empty search
    matches every row."""
    terms = search_terms(text)
    if not terms:
        return Q()
    words = reduce(
        and_, (reduce(or_, (Q(Contains(folded(f), term)) for f in fields)) for term in terms)
    )
    if also is not None:
        words |= also(text[:SEARCH_MAX_LENGTH])
    return words


def search(queryset: QuerySet, text: str, fields: list[str], **kwargs) -> QuerySet:
    """`queryset` filtered by `matching_q`."""
    return queryset.filter(matching_q(text, fields, **kwargs))
