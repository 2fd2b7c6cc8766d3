"""The minutes of a council session ("biên bản họp hội đồng") as a PDF.

The minutes are an official Vietnamese document: they are always rendered in Vietnamese,
whatever the reader's language (docs/decisions/0009-weasyprint-minutes.md). The template's
text is Vietnamese; the labels below are too, so the document does not depend on the state of
the translation catalogue.

While a product's result is not final, the minutes are a draft ("DỰ THẢO") and the members'
totals for that product are not printed: during scoring only the chair and the secretary see
them (`evaluations.consolidate_session`), and the minutes are open to every member.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, translation

from evaluations.consolidation import ItemConsolidation
from evaluations.engine.regimes import level_outcome
from evaluations.engine.stars import truncate_2dp
from evaluations.enums import CouncilRole, ItemState, Outcome
from evaluations.models import CouncilMember, Session, SessionItem
from evaluations.selectors.sessions import SessionView

TEMPLATE = "evaluations/sessions/minutes_pdf.html"

ROLES = {
    CouncilRole.CHAIR: "Chủ tịch Hội đồng",
    CouncilRole.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
    CouncilRole.MEMBER: "Ủy viên",
    CouncilRole.SECRETARY: "Thư ký",
}
ROLE_ORDER = {role: index for index, role in enumerate(ROLES)}

LEVELS = {"commune": "xã", "district": "huyện", "province": "tỉnh", "central": "trung ương"}

NOT_FINAL = "Chưa có kết quả chính thức"


def points_vi(value) -> str:
    """Points with two decimals, cut (not rounded), Vietnamese style: 72,50."""
    if value is None:
        return "—"
    with translation.override("vi"):
        return formats.number_format(
            truncate_2dp(Decimal(str(value))), decimal_pos=2, use_l10n=True
        )


def stars_vi(count: int | None) -> str:
    if not count:
        return "Không xếp hạng"
    return f"{count} sao ({'★' * count})"


def outcome_vi(outcome: str, to_level: str = "") -> str:
    to = LEVELS.get(to_level, to_level)
    return {
        Outcome.RECOGNISED: "Đạt, đề nghị công nhận ở cấp này",
        Outcome.FORWARDED: f"Đạt, chuyển lên Hội đồng cấp {to}",
        Outcome.REFERRED_DOWN: f"Đề nghị công nhận ở cấp {to}",
        Outcome.NOT_RECOGNISED: "Không đạt, không công nhận",
    }.get(outcome, outcome)


@dataclass
class MemberRow:
    name: str
    role: str
    organisation: str


@dataclass
class ScoreRow:
    name: str
    role: str
    text: str
    recused: bool = False


@dataclass
class Recusal:
    member: str
    product: str
    reason: str
    automatic: bool


@dataclass
class ItemMinutes:
    order: int
    product: str
    producer: str
    product_set: str
    final: bool
    rows: list[ScoreRow] = field(default_factory=list)
    mean: str = ""
    spread: str = ""
    quorum: str = ""
    stars: str = ""
    outcome: str = ""
    reason: str = ""
    discussion: str = ""
    comments: str = ""


def _member_row(member: CouncilMember) -> MemberRow:
    return MemberRow(
        name=member.name,
        role=ROLES.get(member.role, member.role),
        organisation=", ".join(p for p in (member.title, member.organisation) if p),
    )


def _present(view: SessionView) -> set[int]:
    """The members who made a declaration or have a sheet in the session; the secretary,
    who keeps and signs the minutes, is counted present."""
    present = {m.pk for m in view.members if m.role == CouncilRole.SECRETARY}
    for item in view.items:
        present.update(d.member_id for d in item.conflicts.all())
        present.update(s.member_id for s in item.sheets.all())
    return present


def _quorum(consolidation: ItemConsolidation) -> str:
    result = consolidation.result
    if result is None:
        return "Chưa có thành viên nộp phiếu chấm điểm"
    counts = f"{result.submitted_count}/{result.eligible_count} thành viên chấm điểm đã nộp phiếu"
    if result.quorum_met:
        return f"Đủ số thành viên theo quy định ({counts})"
    return f"Chưa đủ số thành viên theo quy định ({counts})"


def _item(view: SessionView, item: SessionItem) -> ItemMinutes:
    consolidation = view.consolidation(item)
    final = item.state == ItemState.FINAL and hasattr(item, "result")
    product = item.dossier.product
    minutes = ItemMinutes(
        order=item.order,
        product=product.name,
        producer=product.producer.name,
        product_set=str(product.product_set),
        final=final,
        quorum=_quorum(consolidation),
        discussion=item.discussion,
    )
    for status in consolidation.members:
        if status.recused:
            text = "rút lui"
        elif not status.submitted:
            text = "chưa nộp"
        elif final:
            text = points_vi(status.sheet.total)
        else:
            text = "đã nộp"
        minutes.rows.append(
            ScoreRow(
                name=status.member.name,
                role=ROLES.get(status.member.role, status.member.role),
                text=text,
                recused=status.recused,
            )
        )
    if not final:
        minutes.outcome = NOT_FINAL
        return minutes
    result = item.result
    minutes.mean = points_vi(result.display_mean)
    minutes.spread = points_vi(result.spread)
    minutes.stars = stars_vi(result.stars)
    minutes.outcome = outcome_vi(result.outcome, result.to_level)
    minutes.comments = result.comments
    # The reason as the engine words it, in Vietnamese; the stored one (in the language of
    # the chair who finalised) if the rules have changed since.
    outcome = level_outcome(
        regime=view.regime, level=result.level, stars=result.stars, mean=result.mean
    )
    if outcome.kind.value == result.outcome:
        # The engine writes the mean as 91.25; the minutes write points as 91,25.
        mean = truncate_2dp(result.mean)
        minutes.reason = outcome.reason.replace(str(mean), points_vi(mean))
    else:
        minutes.reason = result.reason
    return minutes


def minutes_context(session: Session) -> dict:
    """Everything the minutes show; call under `translation.override("vi")`."""
    view = SessionView(session)
    council = view.council
    members = sorted(view.members, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.pk))
    present = _present(view)
    by_pk = {m.pk: m for m in view.members}
    recusals = [
        Recusal(
            member=by_pk[d.member_id].name if d.member_id in by_pk else str(d.member),
            product=item.dossier.product.name,
            reason=d.reason,
            automatic=d.automatic,
        )
        for item in view.items
        for d in item.conflicts.all()
        if d.has_conflict
    ]
    items = [_item(view, item) for item in view.items]
    chair = next((m for m in members if m.role == CouncilRole.CHAIR), None)
    secretary = next((m for m in members if m.role == CouncilRole.SECRETARY), None)
    return {
        "session": session,
        "council": council,
        "level": LEVELS.get(council.level, council.level),
        "round": session.round,
        "date": formats.date_format(session.date, "d/m/Y"),
        "decision_date": formats.date_format(council.decision_date, "d/m/Y"),
        "present": [_member_row(m) for m in members if m.pk in present],
        "absent": [_member_row(m) for m in members if m.pk not in present],
        "recusals": recusals,
        "items": items,
        "draft": any(not i.final for i in items) or not items,
        "chair": chair.name if chair else "",
        "secretary": secretary.name if secretary else "",
    }


def minutes_html(session: Session) -> str:
    with translation.override("vi"):
        return render_to_string(TEMPLATE, minutes_context(session))


def minutes_pdf(session: Session) -> bytes:
    """The session's minutes, A4, in Vietnamese."""
    from weasyprint import HTML  # Pango is loaded on first use, not at Django start-up.

    return HTML(string=minutes_html(session)).write_pdf()
