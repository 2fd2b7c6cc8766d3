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

from django.db.models import FloatField, Func, Q, QuerySet
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


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: two spaces before it, one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def word_similarity(term, text) -> float:
    """How close `term` comes to the closest word of `text`, from 0 to 1: the share of the
    term's trigrams found in that word. SQLite's side of pg_trgm's `word_similarity()`
    (which also measures against runs of words; the two agree on one-word terms, the only
    use here)."""
    if not term or not text:
        return 0.0
    wanted = trigrams(str(term))
    return max(len(wanted & trigrams(word)) / len(wanted) for word in str(text).split())


def register_sqlite_unaccent(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: SQLite learns UNACCENT() and WORD_SIMILARITY()
    (PostgreSQL has them from its unaccent and pg_trgm extensions)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, _unaccent, deterministic=True)
        connection.connection.create_function(
            "WORD_SIMILARITY", 2, word_similarity, deterministic=True
        )


class Unaccent(Func):
    function = "UNACCENT"


class WordSimilarity(Func):
    """`word_similarity(term, column)`: pg_trgm's on PostgreSQL, `word_similarity` above on
    SQLite."""

    function = "WORD_SIMILARITY"
    output_field = FloatField()


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
