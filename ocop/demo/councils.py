"""Demo councils: Phú Thọ's province council, which scores today's round under 1489/2025,
and the Tân Lạc district council of the old map, whose terms scored Hòa Bình's products
until 30/06/2025 (its history: `ocop.demo.certificates`).

- The province council met ten days ago on seven products of this year's round: varied score
  sheets, one member recused from one product, one product re-scored after a spread above 10
  points, every result final with the council's comments. Outcomes: 4★ and 3★ recognised by
  the province, not recognised (a mandatory minimum failed), and one candidate above 90
  points forwarded to the central level.
- An open province session in three days has "Tương ớt Mường (demo)" on its agenda: three
  members have submitted, one has a draft, one has not started (log in as them to score).

Members' answers are built from each form's options (best options lowered step by step to
a planned total, keeping the mandatory minimums of the planned stars), so the totals and
outcomes hold on every form version. Everything goes through the services; the whole is
skipped once the province council exists, so seeding twice changes nothing.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from evaluations.councils.services.councils import council_add_member, council_create
from evaluations.councils.services.scoring import (
    conflict_declare,
    item_finalise,
    item_record_discussion,
    sheet_save,
    sheet_submit,
    sheets_reopen,
)
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.selectors import form_spec
from evaluations.engine.scoring import score_sheet
from evaluations.engine.stars import minimum_requirements
from evaluations.enums import CouncilRole, DossierState, Level
from evaluations.intake.selectors import round_is_open
from evaluations.models import Council, Dossier, ScoreSheet, Session, SessionItem
from ocop.core.models import User
from ocop.demo.dossiers import (
    DEMO_PRODUCER_NAME,
    demo_round_of,
    dossier_in_state,
    producer_library,
)
from products.models import Producer, Product, ProductSet
from products.services.products import product_create

PROVINCE_DECISION = "3120/QĐ-UBND"
OPEN_SESSION_PRODUCT = "Tương ớt Mường (demo)"


@dataclass(frozen=True)
class CouncilAccount:
    username: str
    first_name: str
    last_name: str  # family and middle names (shown first)
    role: CouncilRole
    title: str
    organisation: str
    level: str  # the council's level: "district" or "province"

    @property
    def label(self) -> str:
        """What the account is, in Vietnamese like the rest of the demo data."""
        where = "huyện Tân Lạc (đến 30/06/2025)" if self.level == Level.DISTRICT else "tỉnh Phú Thọ"
        return f"{ROLE_NAMES[self.role]} Hội đồng OCOP {where}"


ROLE_NAMES = {
    CouncilRole.CHAIR: "Chủ tịch",
    CouncilRole.VICE_CHAIR: "Phó Chủ tịch",
    CouncilRole.MEMBER: "Thành viên",
    CouncilRole.SECRETARY: "Thư ký",
}


_D, _P = Level.DISTRICT, Level.PROVINCE
_NN_HUYEN = "Phòng Nông nghiệp và Phát triển nông thôn huyện Tân Lạc"
COUNCIL_ACCOUNTS = (
    CouncilAccount(
        "chutich.huyen", "Thắng", "Bùi Văn", CouncilRole.CHAIR,
        "Phó Chủ tịch UBND huyện", "UBND huyện Tân Lạc", _D,
    ),
    CouncilAccount(
        "phochutich.huyen", "Hương", "Đinh Thị", CouncilRole.VICE_CHAIR,
        "Trưởng phòng", _NN_HUYEN, _D,
    ),
    CouncilAccount(
        "thanhvien1.huyen", "Tuấn", "Quách Anh", CouncilRole.MEMBER,
        "Phó Trưởng phòng", "Phòng Kinh tế và Hạ tầng huyện Tân Lạc", _D,
    ),
    CouncilAccount(
        "thanhvien2.huyen", "Mai", "Hoàng Thị", CouncilRole.MEMBER,
        "Giám đốc", "Trung tâm Dịch vụ nông nghiệp huyện Tân Lạc", _D,
    ),
    CouncilAccount(
        "thanhvien3.huyen", "Dũng", "Xa Văn", CouncilRole.MEMBER,
        "Chuyên viên", "Phòng Văn hoá và Thông tin huyện Tân Lạc", _D,
    ),
    CouncilAccount(
        "thuky.huyen", "Ngọc", "Bạch Thị", CouncilRole.SECRETARY,
        "Chuyên viên", _NN_HUYEN, _D,
    ),
    CouncilAccount(
        "chutich.tinh", "Quang", "Nguyễn Văn", CouncilRole.CHAIR,
        "Phó Chủ tịch UBND tỉnh", "UBND tỉnh Phú Thọ", _P,
    ),
    CouncilAccount(
        "phochutich.tinh", "Hải", "Trần Thanh", CouncilRole.VICE_CHAIR,
        "Giám đốc Sở", "Sở Nông nghiệp và Môi trường tỉnh Phú Thọ", _P,
    ),
    CouncilAccount(
        "thanhvien1.tinh", "Hà", "Lê Thu", CouncilRole.MEMBER,
        "Phó Giám đốc Sở", "Sở Công Thương tỉnh Phú Thọ", _P,
    ),
    CouncilAccount(
        "thanhvien2.tinh", "Sơn", "Hà Công", CouncilRole.MEMBER,
        "Phó Chi cục trưởng", "Chi cục Chất lượng, Chế biến và Phát triển thị trường Phú Thọ", _P,
    ),
    CouncilAccount(
        "thanhvien3.tinh", "Thảo", "Đinh Phương", CouncilRole.MEMBER,
        "Phó Giám đốc Sở", "Sở Văn hoá, Thể thao và Du lịch tỉnh Phú Thọ", _P,
    ),
    CouncilAccount(
        "thuky.tinh", "Linh", "Phạm Thị Thuỳ", CouncilRole.SECRETARY,
        "Chuyên viên", "Văn phòng Điều phối nông thôn mới tỉnh Phú Thọ", _P,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Scoring:
    """How a council scores one product.

    `target`: the planned total before each member's small differences; `stars`: the
    mandatory minimums of this star level and below are kept; `fail`: a criterion every
    member scores below its 3★ minimum; `lower`: per scoring member (chair, vice-chair,
    members in order), how many criteria they score one option lower than the plan.
    """

    target: int
    stars: int
    comments: str
    fail: str = ""
    lower: tuple[int, ...] = (1, 2, 0, 3, 2)
    notes: dict[str, str] = field(default_factory=dict)
    # A member (username) who declares a conflict of interest, and why.
    conflict: tuple[str, str] | None = None
    # A member (username) whose first sheet is far lower, then reopened by the chair.
    rescored: tuple[str, int, str] | None = None  # (username, first target, reason)
    discussion: str = ""


@dataclass(frozen=True)
class SessionProduct:
    name: str
    product_set: int
    description: str
    scoring: Scoring  # the province council's (under 1489/2025, the only council that scores)


SESSION_PRODUCTS = (
    SessionProduct(
        "Thổ cẩm Mường Bi (demo)",
        22,
        "Khăn, túi và tấm trải dệt thủ công từ sợi bông nhuộm màu tự nhiên.",
        Scoring(
            86,
            4,
            "Đạt 4 sao. Để hướng tới 5 sao cần mở rộng liên kết chuỗi với các hộ dệt và "
            "hoàn thiện hướng dẫn sử dụng, bảo quản trên nhãn.",
            notes={"C.6.a": "Hoa văn dệt đều, sắc nét."},
            discussion="Hội đồng thống nhất đề nghị UBND tỉnh công nhận sản phẩm đạt 4 sao.",
        ),
    ),
    SessionProduct(
        "Gạo Séng Cù Mường Bi (demo)",
        3,
        "Gạo Séng Cù trồng trên ruộng bậc thang, canh tác hữu cơ, xay xát tại hợp tác xã.",
        Scoring(
            93,
            5,
            "Đạt 93 điểm, đủ tiêu chí tối thiểu của hạng 5 sao: đề nghị chuyển Hội đồng "
            "Trung ương đánh giá, phân hạng 5 sao.",
            lower=(0, 1, 0, 1, 0),
            notes={"A.1.a": "Vùng nguyên liệu hữu cơ được chứng nhận, liên kết 120 hộ."},
        ),
    ),
    SessionProduct(
        "Muối ớt rừng Mường Bi (demo)",
        10,
        "Muối rang với ớt rừng và mắc khén, đóng hũ thuỷ tinh, truy xuất nguồn gốc theo lô.",
        Scoring(
            91,
            5,
            "Đạt 91 điểm, đủ tiêu chí tối thiểu của hạng 5 sao: đề nghị chuyển Hội đồng "
            "Trung ương đánh giá, phân hạng 5 sao.",
            lower=(0, 1, 1, 0, 1),
        ),
    ),
    SessionProduct(
        "Rượu ngô men lá Mãn Đức (demo)",
        14,
        "Rượu ngô nấu thủ công bằng men lá rừng, hạ thổ sáu tháng.",
        Scoring(
            75,
            4,
            "Đạt 4 sao. Lưu ý bổ sung kết quả kiểm nghiệm định kỳ hàm lượng methanol và mở "
            "rộng kênh phân phối ngoài tỉnh.",
            lower=(0, 2, 1, 3, 1),
            notes={"B.4.a": "Mới phân phối trong tỉnh."},
        ),
    ),
    SessionProduct(
        "Bưởi đỏ Tân Lạc (demo)",
        1,
        "Bưởi đỏ trồng theo quy trình VietGAP tại các xóm của xã Tân Lạc.",
        Scoring(
            68,
            3,
            "Đạt 3 sao. Cần xây dựng câu chuyện sản phẩm đầy đủ hơn và đăng ký nhãn hiệu "
            "chứng nhận để nâng hạng.",
            conflict=(
                "thanhvien2.tinh",
                "Chi cục do tôi phụ trách đã trực tiếp hướng dẫn quy trình VietGAP cho vùng "
                "bưởi của hợp tác xã.",
            ),
        ),
    ),
    SessionProduct(
        "Gà đồi Mãn Đức (demo)",
        2,
        "Gà thả đồi nuôi bằng ngô và thảo dược, giết mổ tại cơ sở đủ điều kiện.",
        Scoring(
            59,
            3,
            "Đạt 3 sao. Cần truy xuất nguồn gốc theo lô và bao bì có tem nhãn đầy đủ.",
            rescored=(
                "thanhvien3.tinh",
                44,
                "Tổng điểm của bà Đinh Phương Thảo thấp hơn các thành viên khác trên 10 điểm; "
                "đề nghị xem lại các tiêu chí phần B và C sau khi hội đồng thảo luận.",
            ),
        ),
    ),
    SessionProduct(
        "Cao lá thuốc Mường (demo)",
        18,
        "Cao xoa bóp từ các loại lá thuốc của người Mường.",
        Scoring(
            62,
            3,
            "Chưa được công nhận: tiêu chí 12 (đảm bảo chất lượng sản phẩm) chưa đạt mức tối "
            "thiểu của hạng 3 sao. Cần xây dựng và áp dụng hệ thống quản lý chất lượng, rồi "
            "đăng ký lại ở đợt sau.",
            fail="C.12.a",
            notes={"C.12.a": "Chưa có hồ sơ kiểm soát chất lượng theo lô."},
        ),
    ),
)
OPEN_SCORING = Scoring(78, 4, "")


# --- answers ------------------------------------------------------------------------------


def _leaves(spec) -> list:
    leaves = []
    for group in spec.groups():
        for criterion in group.criteria[:1] if group.choose_one else group.criteria:
            leaves.extend(criterion.leaves())
    return leaves


def _floors(spec, stars: int) -> dict[str, Decimal]:
    """Leaf key → the fewest points it may get for the product to keep `stars`."""
    floors: dict[str, Decimal] = {}
    for level, requirements in minimum_requirements(spec).items():
        if level > stars:
            break
        for requirement in requirements:
            if requirement.option_key is not None:
                key = requirement.criterion_key
                floors[key] = max(floors.get(key, requirement.points), requirement.points)
    return floors


def _ordered(leaf) -> list:
    return sorted(leaf.options, key=lambda option: option.points)


def planned_answers(spec, scoring: Scoring, target: int | None = None) -> dict[str, str]:
    """Best options lowered one step at a time, criteria taken in a spread-out order, until
    the total reaches `target` (never below a kept minimum)."""
    target = Decimal(scoring.target if target is None else target)
    leaves = _leaves(spec)
    floors = _floors(spec, scoring.stars)
    answers = {leaf.key: _ordered(leaf)[-1].key for leaf in leaves}
    if scoring.fail:
        leaf = next(leaf for leaf in leaves if leaf.key == scoring.fail)
        required = _floors(spec, 3)[scoring.fail]
        answers[leaf.key] = max(
            (o for o in _ordered(leaf) if o.points < required), key=lambda o: o.points
        ).key
    total = score_sheet(form=spec, answers=answers).total
    order = [leaves[(i * 7) % len(leaves)] for i in range(len(leaves))]
    if len({leaf.key for leaf in order}) != len(leaves):
        order = leaves
    moved = True
    while total > target and moved:
        moved = False
        for leaf in order:
            if leaf.key == scoring.fail:
                continue
            lower = _one_lower(leaf, answers[leaf.key], floors.get(leaf.key))
            if lower is None:
                continue
            step = _points(leaf, answers[leaf.key]) - lower.points
            if total - step < target - 1:
                continue
            answers[leaf.key] = lower.key
            total -= step
            moved = True
            if total <= target:
                break
    return answers


def _points(leaf, option_key: str) -> Decimal:
    return next(o.points for o in leaf.options if o.key == option_key)


def _one_lower(leaf, option_key: str, floor: Decimal | None):
    options = _ordered(leaf)
    index = [o.key for o in options].index(option_key)
    if index == 0:
        return None
    lower = options[index - 1]
    if floor is not None and lower.points < floor:
        return None
    return lower


def member_answers(spec, scoring: Scoring, base: dict[str, str], seat: int) -> dict[str, str]:
    """The plan with `scoring.lower[seat]` criteria one option lower, different ones for
    each member, minimums kept."""
    answers = dict(base)
    floors = _floors(spec, scoring.stars)
    leaves = [leaf for leaf in _leaves(spec) if leaf.key != scoring.fail]
    count = scoring.lower[seat % len(scoring.lower)]
    start = seat * 5
    lowered = 0
    for offset in range(len(leaves)):
        if lowered >= count:
            break
        leaf = leaves[(start + offset * 3) % len(leaves)]
        lower = _one_lower(leaf, answers[leaf.key], floors.get(leaf.key))
        if lower is not None:
            answers[leaf.key] = lower.key
            lowered += 1
    return answers


# --- accounts and councils ----------------------------------------------------------------


def council_users(password: str) -> dict[str, User]:
    """The council members' accounts (no role: membership is what lets them in)."""
    users = {}
    hashed = None  # hashed once: one slow hash for eleven accounts with the same password
    for account in COUNCIL_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@example.vn",
            },
        )
        if created:  # a second run keeps what the demo users changed
            hashed = hashed or make_password(password)
            user.password = hashed
            user.save(update_fields=["password"])
        users[account.username] = user
    return users


def _council(level, unit, name, decision, decided, users, actor) -> Council:
    council = council_create(
        level=level,
        unit=unit,
        name=name,
        decision_number=decision,
        decision_date=decided,
        term_start=decided,
        term_end=datetime.date(decided.year + 3, 12, 31),
        actor=actor,
    )
    for account in COUNCIL_ACCOUNTS:
        if account.level == level:
            council_add_member(
                council=council,
                user=users[account.username],
                role=account.role,
                organisation=account.organisation,
                title=account.title,
                actor=actor,
            )
    return council


# --- scoring ------------------------------------------------------------------------------


def _scorers(council: Council) -> list:
    order = {CouncilRole.CHAIR: 0, CouncilRole.VICE_CHAIR: 1, CouncilRole.MEMBER: 2}
    members = [m for m in council.members.select_related("user") if m.scores]
    return sorted(members, key=lambda m: (order[m.role], m.pk))


def _submit(item: SessionItem, member, answers, notes=None) -> ScoreSheet:
    sheet = ScoreSheet.objects.get(item=item, member=member)
    return sheet_submit(sheet=sheet, answers=answers, notes=notes or {}, actor=member.user)


def score_item(item: SessionItem, scoring: Scoring) -> None:
    """Every scoring member declares, then scores; a far-off sheet is reopened and
    re-scored; the chair records the discussion if any and finalises with comments."""
    council = item.session.council
    members = _scorers(council)
    chair = members[0]
    spec = form_spec(item.dossier.scoring_form)
    base = planned_answers(spec, scoring)
    conflict_user, conflict_reason = scoring.conflict or ("", "")
    rescored_user, first_target, reopen_reason = scoring.rescored or ("", 0, "")
    first_sheets = {}
    for seat, member in enumerate(members):
        username = member.user.username
        if username == conflict_user:
            conflict_declare(
                item=item, has_conflict=True, reason=conflict_reason, actor=member.user
            )
            continue
        conflict_declare(item=item, has_conflict=False, actor=member.user)
        if username == rescored_user:
            answers = planned_answers(spec, scoring, target=first_target)
        else:
            answers = member_answers(spec, scoring, base, seat)
        notes = scoring.notes if member == chair else {}
        first_sheets[username] = _submit(item, member, answers, notes)
    if rescored_user:
        sheet = first_sheets[rescored_user]
        sheets_reopen(item=item, sheets=[sheet], reason=reopen_reason, actor=chair.user)
        member = sheet.member
        seat = members.index(member)
        _submit(item, member, member_answers(spec, scoring, base, seat))
    if scoring.discussion:
        item_record_discussion(item=item, conclusion=scoring.discussion, actor=chair.user)
    item_finalise(item=item, comments=scoring.comments, actor=chair.user)


def open_item_partly_scored(item: SessionItem) -> None:
    """Chair, vice-chair and the first member submit; the second member keeps a draft with
    half the criteria answered; the third has not started."""
    members = _scorers(item.session.council)
    spec = form_spec(item.dossier.scoring_form)
    base = planned_answers(spec, OPEN_SCORING)
    for seat, member in enumerate(members[:3]):
        conflict_declare(item=item, has_conflict=False, actor=member.user)
        _submit(item, member, member_answers(spec, OPEN_SCORING, base, seat))
    drafter = members[3]
    conflict_declare(item=item, has_conflict=False, actor=drafter.user)
    answers = member_answers(spec, OPEN_SCORING, base, 3)
    half = dict(list(answers.items())[: len(answers) // 2])
    sheet_save(
        sheet=ScoreSheet.objects.get(item=item, member=drafter),
        answers=half,
        notes={next(iter(half)): "Cần xem mẫu sản phẩm tại phiên họp."},
        actor=drafter.user,
    )


# --- the whole ----------------------------------------------------------------------------


@transaction.atomic
def seed_councils_and_sessions(*, units, accounts, password: str) -> dict[str, User]:
    """Idempotent: once Phú Thọ's council exists, only the accounts are read. Returns
    username → account of the council members."""
    province = units["province"]
    users = council_users(password)
    if Council.objects.filter(unit=province, decision_number=PROVINCE_DECISION).exists():
        return users
    today = timezone.localdate()
    province_officer = accounts["tinh.demo"]
    province_council = _council(
        Level.PROVINCE,
        province,
        "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Phú Thọ",
        PROVINCE_DECISION,
        datetime.date(today.year - 1, 12, 10),
        users,
        province_officer,
    )
    demo_round = demo_round_of(province)
    producer = Producer.objects.filter(name=DEMO_PRODUCER_NAME).first()
    if demo_round is None or producer is None or not round_is_open(demo_round, today):
        return users  # an older demo database: the council only
    _finished_session(demo_round, producer, province_council, accounts, today)
    _open_session(demo_round, producer, province_council, province_officer, today)
    return users


def _finished_session(demo_round, producer, council, accounts, today):
    """Xã Tân Lạc's working group forwards the products; the province council scores them."""
    owner, commune_officer = accounts["htx.demo"], accounts["xa.demo"]
    library = producer_library(producer)
    dossiers = []
    for entry in SESSION_PRODUCTS:
        product = Product.objects.filter(producer=producer, name=entry.name).first()
        if product is None:
            product = product_create(
                producer=producer,
                actor=owner,
                name=entry.name,
                product_set=ProductSet.objects.get(number=entry.product_set),
                description=entry.description,
            )
        dossiers.append(
            dossier_in_state(
                demo_round,
                product,
                DossierState.ACCEPTED,
                owner,
                commune_officer,
                library,
                today,
                returned_once=False,
                samples_received_on=today - datetime.timedelta(days=20),
            )
        )
    session = session_create(
        council=council,
        round=demo_round,
        date=today - datetime.timedelta(days=10),
        place="Phòng họp số 2, Sở Nông nghiệp và Môi trường tỉnh Phú Thọ",
        actor=accounts["tinh.demo"],
    )
    items = session_add_dossiers(session=session, dossiers=dossiers, actor=accounts["tinh.demo"])
    for item, entry in zip(items_in_order(items, dossiers), SESSION_PRODUCTS, strict=True):
        score_item(item, entry.scoring)


def items_in_order(items: list[SessionItem], dossiers: list[Dossier]) -> list[SessionItem]:
    """The items in the order of `dossiers` (the service adds them by dossier pk)."""
    by_dossier = {item.dossier_id: item for item in items}
    return [by_dossier[dossier.pk] for dossier in dossiers]


def _open_session(demo_round, producer, council, officer, today) -> Session:
    session = session_create(
        council=council,
        round=demo_round,
        date=today + datetime.timedelta(days=3),
        place="Phòng họp số 1, UBND tỉnh Phú Thọ",
        actor=officer,
    )
    dossier = Dossier.objects.filter(
        round=demo_round,
        product__producer=producer,
        product__name=OPEN_SESSION_PRODUCT,
        state=DossierState.ACCEPTED,
    ).first()
    if dossier is not None:  # an older demo database has it under evaluation without a session
        (item,) = session_add_dossiers(session=session, dossiers=[dossier], actor=officer)
        open_item_partly_scored(item)
    return session
