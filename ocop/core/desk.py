"""Each person's desk: what they must do now, most urgent first.

Apps contribute sections with an AppConfig method `desk(user, today) -> list[DeskSection]`
(as they contribute menu entries), so that the core app never names another app's work.
A section lists at most `DESK_LIMIT` tasks, oldest deadline first, and links to the full
list when there are more. Every section costs a fixed number of queries, whatever the
number of tasks (tests/core/test_desk.py).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.utils import timezone

DESK_LIMIT = 10
# A deadline this close is shown as near (in amber).
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class DeskTask:
    """One thing to do: what, where, and by when."""

    title: str
    url: str
    detail: str = ""
    due: date | None = None
    # When it started waiting (a dossier's submission, a sheet's session...).
    since: date | datetime | None = None

    def sort_key(self) -> tuple:
        since = self.since
        if isinstance(since, datetime):
            since = timezone.localdate(since)
        return (self.due or date.max, since or date.max, self.title)


@dataclass
class DeskSection:
    """A kind of work on one person's desk."""

    key: str
    title: str
    tasks: list[DeskTask]
    # How many tasks there are in all (the section lists the first DESK_LIMIT).
    total: int
    # Said when there is nothing to do, so an empty desk explains itself.
    empty: str = ""
    # The page with every task of the kind, and its label.
    more_url: str = ""
    more_label: str = ""
    # Information rather than work (open rounds): shown after the work.
    info: bool = False
    order: int = 50

    def __post_init__(self):
        self.tasks = sorted(self.tasks, key=DeskTask.sort_key)

    @property
    def more(self) -> int:
        return max(self.total - len(self.tasks), 0)


def desk_sections(user, today: date | None = None) -> list[DeskSection]:
    """The sections every app contributes for `user`: work first (sections with tasks before
    empty ones), then information."""
    today = today or timezone.localdate()
    sections = [
        section
        for config in apps.get_app_configs()
        if hasattr(config, "desk")
        for section in config.desk(user, today)
    ]
    return sorted(sections, key=lambda s: (s.info, not s.tasks, s.order))


def limited(queryset, limit: int = DESK_LIMIT) -> tuple[list, int]:
    """The first `limit` rows and the total count: one query when they are all there."""
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], queryset.count()
