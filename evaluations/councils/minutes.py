"""The minutes of a council session ("biên bản họp hội đồng") as a PDF.

The minutes are an official Vietnamese document: they are always rendered in Vietnamese,
whatever the reader's language (docs/decisions/0009-weasyprint-minutes.md). The template's
text is Vietnamese; the labels below are too, so the document does not depend on the state of
the translation catalogue.

While a product's result is not final, the minutes are a draft ("DỰ THẢO") and the members'
totals for that product are not printed (nor the totals before and after a re-scoring): during
scoring only the chair and the secretary see them (`evaluations.consolidate_session`), and the
minutes are open to every member.

Points are written by `evaluations.engine.display.format_points` in Vietnamese: 2 decimals,
rounded half-up, with a decimal comma (67,13).
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from evaluations.councils.consolidation import ItemConsolidation
from evaluations.councils.selectors import SessionView
from evaluations.councils.transparency import failed_minimums
from evaluations.engine.display import format_points
from evaluations.engine.regimes import level_outcome
from evaluations.enums import LEVEL_NAMES_VI, CouncilRole, ItemState, Outcome
from evaluations.models import CouncilMember, Session, SessionItem
from ocop.core.pdf import html_to_pdf

TEMPLATE = "evaluations/sessions/minutes_pdf.html"

ROLES = {
    CouncilRole.CHAIR: "Chủ tịch Hội đồng",
    CouncilRole.VICE_CHAIR: "Phó Chủ tịch Hội đồng",
    CouncilRole.MEMBER: "Ủy viên",
    CouncilRole.SECRETARY: "Thư ký",
}
ROLE_ORDER = {role: index for index, role in enumerate(ROLES)}

LEVELS = LEVEL_NAMES_VI

NOT_FINAL = "Chưa có kết quả chính thức"


def points_vi(value) -> str:
    """Points in Vietnamese whatever the active language: 72,50; 67,125 → 67,13 (2 decimals,
    rounded half-up, as `format_points`); an em dash for none."""
    if value is None:
        return "—"
    with translation.override("vi"):
        return format_points(value)


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
class Rescoring:
    member: str
    asked_by: str
    at: str
    reason: str
    discussion: str
    before: str
    after: str
    excuse: str = ""


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
    band_stars: str = ""
    caps: list[str] = field(default_factory=list)
    rescorings: list[Rescoring] = field(default_factory=list)


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
    names = {m.user_id: _member_name(m) for m in view.members}
    for status in consolidation.members:
        for reopening in status.reopenings:
            minutes.rescorings.append(_rescoring(status, reopening, final, names))
    for status in consolidation.members:
        if status.recused:
            text = "rút lui"
        elif status.excused:
            text = "được miễn chấm lại"
        elif status.rescoring:
            text = "đang chấm lại"
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
    minutes.band_stars = stars_vi(result.band_stars)
    minutes.caps = [
        f"tiêu chí {f.key} “{f.label}” cần đạt tối thiểu {points_vi(f.points)} điểm để xếp "
        f"hạng từ {f.stars} sao, điểm trung bình của Hội đồng là {points_vi(f.mean)} điểm"
        for f in failed_minimums(view.spec(item), result.details)
    ]
    minutes.outcome = outcome_vi(result.outcome, result.to_level)
    minutes.comments = result.comments
    # The reason as the engine words it, in Vietnamese (the minutes are rendered under
    # translation.override("vi")); the stored one (in the language of the chair who
    # finalised) if the rules have changed since.
    outcome = level_outcome(
        regime=view.regime, level=result.level, stars=result.stars, mean=result.mean
    )
    minutes.reason = outcome.reason if outcome.kind.value == result.outcome else result.reason
    return minutes


def _member_name(member: CouncilMember) -> str:
    return f"{ROLES.get(member.role, member.role)} {member.name}"


def _rescoring(status, reopening, final: bool, names: dict[int, str]) -> Rescoring:
    """One re-scoring; the totals only once the result is final (see the module's note)."""
    user = reopening.requested_by
    asked_by = names.get(user.pk) or user.get_full_name() or user.get_username()
    if reopening.resubmitted_at is not None:
        after = points_vi(reopening.total_after) if final else "đã nộp lại"
    elif reopening.excused_at is not None:
        after = "được miễn chấm lại"
    else:
        after = "chưa nộp lại"
    return Rescoring(
        member=status.member.name,
        asked_by=asked_by,
        at=formats.date_format(timezone.localtime(reopening.reopened_at), "d/m/Y H:i"),
        reason=reopening.reason,
        discussion=reopening.discussion,
        before=points_vi(reopening.total_before) if final else "",
        after=after,
        excuse=reopening.excuse_reason if reopening.excused_at is not None else "",
    )


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
    return html_to_pdf(minutes_html(session))
