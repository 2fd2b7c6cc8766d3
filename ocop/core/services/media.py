"""Uploaded files against the rows that refer to them (decision 0032).

A service stores an upload's file first and then commits the row that names it, in one
transaction: a crash, a killed worker or a failed commit between the two leaves a file no row
names (an orphan), never a row naming no file. `media_check` finds both anyway:

- orphans: files in the default storage (MEDIA_ROOT) that no FileField of any model names;
  those younger than the grace period are reported apart, as "recent", since an upload may
  still be in its transaction;
- missing files: rows whose FileField names a file that is not there (a restore of the database
  without the media, a disk lost): these need a person, never a deletion.

`media_orphans_delete` removes the orphans older than the grace period and audits what it
removed. Every model is read through the app registry, so that this app imports no other.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from ocop.core.audit import audit_log

# An upload's transaction lasts seconds (a request times out after 30 s); an hour is far
# beyond any of them, and short enough for a nightly run to catch yesterday's crash.
DEFAULT_GRACE = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    modified: datetime.datetime


@dataclass(frozen=True)
class MissingFile:
    model: str  # app_label.ModelName
    pk: object
    field: str
    name: str


@dataclass
class MediaReport:
    files: int = 0
    referenced: int = 0
    orphans: list[StoredFile] = field(default_factory=list)
    recent: list[StoredFile] = field(default_factory=list)
    missing: list[MissingFile] = field(default_factory=list)
    deleted: list[StoredFile] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Nothing left to act on: no orphan past the grace period, no missing file."""
        return not self.orphans and not self.missing


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every FileField (ImageField included) of every concrete model kept in the default
    storage."""
    found = []
    for model in apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField) and f.storage is default_storage:
                found.append((model, f))
    return found


# The task worker's own files (ocop.core.tasks): an import waiting in the queue or for a
# retry (evaluations.history.tasks) and a decision's certificates in one PDF
# (evaluations.certificates.tasks) are named by the task's arguments or result, not by a
# file field: never orphans.
TASK_FILE_DIRS = ("result-imports", "certificate-batches")


def _walk(storage, path: str = ""):
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        if not path and directory in TASK_FILE_DIRS:
            continue
        yield from _walk(storage, f"{path}/{directory}" if path else directory)


def _references() -> dict[str, list[tuple[type[models.Model], models.FileField, object]]]:
    refs: dict[str, list] = {}
    for model, f in file_fields():
        rows = (
            model._base_manager.exclude(**{f.attname: ""})
            .exclude(**{f"{f.attname}__isnull": True})
            .values_list("pk", f.attname)
        )
        for pk, name in rows.iterator(chunk_size=2000):
            refs.setdefault(name, []).append((model, f, pk))
    return refs


def media_check(*, grace: datetime.timedelta = DEFAULT_GRACE) -> MediaReport:
    """What lies in the storage against what the rows name (see the module's docstring)."""
    storage = default_storage
    refs = _references()
    report = MediaReport(referenced=len(refs))
    present = set()
    cutoff = timezone.now() - grace
    for name in _walk(storage):
        present.add(name)
        report.files += 1
        if name in refs:
            continue
        stored = StoredFile(name, storage.size(name), storage.get_modified_time(name))
        (report.orphans if stored.modified <= cutoff else report.recent).append(stored)
    for name in sorted(set(refs) - present):
        for model, f, pk in refs[name]:
            report.missing.append(MissingFile(model._meta.label, pk, f.name, name))
    return report


def media_orphans_delete(*, grace: datetime.timedelta = DEFAULT_GRACE, actor=None) -> MediaReport:
    """Delete the orphans older than `grace`, in one transaction with the audit entry that
    lists them (none when nothing is deleted). The references are read again inside it, so a
    file a row names is never deleted."""
    with transaction.atomic():
        report = media_check(grace=grace)
        for stored in report.orphans:
            default_storage.delete(stored.name)
            report.deleted.append(stored)
        report.orphans = []
        if report.deleted:
            audit_log(
                actor=actor,
                action="media.orphans_delete",
                data={
                    "files": [
                        {"name": s.name, "size": s.size, "modified": s.modified}
                        for s in report.deleted
                    ],
                    "grace_minutes": int(grace.total_seconds() // 60),
                },
            )
    return report
