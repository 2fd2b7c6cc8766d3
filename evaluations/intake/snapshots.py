"""What a dossier looked like when it was submitted (`DossierVersion.snapshot`), and what
changed between two submissions.

A snapshot is plain JSON: lists where order matters (PostgreSQL's jsonb does not keep the
order of object keys), Decimals and dates as strings.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from evaluations.engine.scoring import SheetScore
from evaluations.engine.spec import FormSpec
from evaluations.engine.validation import points as points_text

SNAPSHOT_SCHEMA = 1
PRODUCT_FIELDS = (
    "name",
    "description",
    "ingredients",
    "packaging",
    "shelf_life",
    "capacity",
    "markets",
    "brand",
)


def _document(document) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "title": document.title,
        "original_name": document.original_name,
        "sha256": document.sha256,
        "size": document.size,
        "issued_on": document.issued_on.isoformat() if document.issued_on else None,
        "valid_until": document.valid_until.isoformat() if document.valid_until else None,
    }


def build_snapshot(
    *,
    dossier,
    form: FormSpec,
    answers: Mapping,
    sheet: SheetScore,
    documents: Iterable,
) -> dict:
    """`answers`: criterion key → SelfAssessmentAnswer (with its documents prefetched)."""
    product = dossier.product
    producer = product.producer
    answer_rows = []
    for leaf in form.leaf_criteria():
        answer = answers.get(leaf.key)
        if answer is None or not answer.option_key or leaf.key not in sheet.criteria:
            continue
        option = next(o for o in leaf.options if o.key == answer.option_key)
        answer_rows.append(
            {
                "key": leaf.key,
                "criterion": leaf.label,
                "option": option.key,
                "option_label": option.label,
                "points": points_text(option.points),
                "note": answer.note,
                "documents": sorted(d.pk for d in answer.documents.all()),
            }
        )
    return {
        "schema": SNAPSHOT_SCHEMA,
        "form": {
            "id": dossier.scoring_form_id,
            "key": form.key,
            "revision": dossier.scoring_form.revision,
        },
        "kind": dossier.kind,
        "current_certificate_number": dossier.current_certificate_number,
        "product": {
            "id": product.pk,
            "product_set": str(product.product_set),
            **{name: getattr(product, name) for name in PRODUCT_FIELDS},
        },
        "producer": {
            "id": producer.pk,
            "name": producer.name,
            "registration_no": producer.registration_no,
            "tax_code": producer.tax_code,
        },
        "answers": answer_rows,
        "chosen_cases": sheet.chosen_cases,
        "totals": {
            "total": points_text(sheet.total),
            "parts": [{"key": k, "points": points_text(v)} for k, v in sheet.parts.items()],
        },
        "documents": [_document(d) for d in sorted(documents, key=lambda d: (d.kind, d.pk))],
    }


@dataclass(frozen=True)
class AnswerChange:
    key: str
    criterion: str
    old_option: str | None  # option label; None: not answered
    new_option: str | None
    old_points: str | None
    new_points: str | None
    note_changed: bool = False

    @property
    def option_changed(self) -> bool:
        return self.old_option != self.new_option


@dataclass(frozen=True)
class ValueChange:
    name: str
    old: str | None
    new: str | None


@dataclass
class SnapshotDiff:
    old_number: int
    new_number: int
    answers: list[AnswerChange] = field(default_factory=list)
    documents_added: list[dict] = field(default_factory=list)
    documents_removed: list[dict] = field(default_factory=list)
    totals: list[ValueChange] = field(default_factory=list)
    product: list[ValueChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.answers
            or self.documents_added
            or self.documents_removed
            or self.product
            or any(t.old != t.new for t in self.totals)
        )


def snapshot_diff(old: dict, new: dict, *, old_number: int, new_number: int) -> SnapshotDiff:
    """What changed from one submitted version to another."""
    diff = SnapshotDiff(old_number=old_number, new_number=new_number)
    old_answers = {a["key"]: a for a in old.get("answers", [])}
    new_answers = {a["key"]: a for a in new.get("answers", [])}
    order = [a["key"] for a in new.get("answers", [])]
    order += [k for k in old_answers if k not in new_answers]
    for key in order:
        before, after = old_answers.get(key), new_answers.get(key)
        old_option = before["option_label"] if before else None
        new_option = after["option_label"] if after else None
        note_changed = (before or {}).get("note", "") != (after or {}).get("note", "")
        if old_option == new_option and not note_changed:
            continue
        diff.answers.append(
            AnswerChange(
                key=key,
                criterion=(after or before)["criterion"],
                old_option=old_option,
                new_option=new_option,
                old_points=before["points"] if before else None,
                new_points=after["points"] if after else None,
                note_changed=note_changed,
            )
        )
    old_documents = {d["id"]: d for d in old.get("documents", [])}
    new_documents = {d["id"]: d for d in new.get("documents", [])}
    diff.documents_added = [d for i, d in new_documents.items() if i not in old_documents]
    diff.documents_removed = [d for i, d in old_documents.items() if i not in new_documents]
    old_totals, new_totals = old.get("totals", {}), new.get("totals", {})
    old_parts = {p["key"]: p["points"] for p in old_totals.get("parts", [])}
    for part in new_totals.get("parts", []):
        diff.totals.append(ValueChange(part["key"], old_parts.get(part["key"]), part["points"]))
    diff.totals.append(ValueChange("total", old_totals.get("total"), new_totals.get("total")))
    old_product, new_product = old.get("product", {}), new.get("product", {})
    diff.product = [
        ValueChange(name, old_product.get(name), new_product.get(name))
        for name in PRODUCT_FIELDS
        if old_product.get(name) != new_product.get(name)
    ]
    return diff
