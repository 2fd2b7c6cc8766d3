"""Request each main page on the demo database (SQLite) as each demo account."""

import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings.dev")
django.setup()

from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from evaluations.catalogue.filters import CatalogueFilter  # noqa: E402
from evaluations.catalogue.selectors import catalogue  # noqa: E402
from evaluations.certificates.validity import status_on  # noqa: E402
from evaluations.enums import CertificateStatus, ItemState, Level  # noqa: E402
from evaluations.models import Certificate, Dossier, LevelResult, Session  # noqa: E402
from ocop.demo.councils import COUNCIL_ACCOUNTS  # noqa: E402
from ocop.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD  # noqa: E402
from products.models import ProductChangeRequest  # noqa: E402

setup_test_environment()
PUBLIC = [
    "/",
    "/account/login/",
    "/account/password_reset/",
    "/criteria/",
    "/register/",
    "/open-data/",
]
PRIVATE = [
    "/desk/",
    "/account/profile/",
    "/units/",
    "/audit/",
    "/admin/",
    "/producer/",
    "/producers/",
    "/rounds/",
    "/dossiers/",
    "/inbox/",
    "/criteria/148-2023/1/",
    "/councils/",
    "/sessions/",
    "/potential/",
    "/account/my-data/",
    "/account/my-data/erase/",
    "/privacy/requests/",
    "/producers/change-requests/",
    "/demo/outbox/",
]


def _session(level: str, finished: bool) -> Session:
    sessions = Session.objects.filter(council__level=level)
    if finished:  # the latest: the demo round's, not the previous council term's
        finished_sessions = sessions.exclude(items__state=ItemState.SCORING)
        return finished_sessions.filter(items__isnull=False).order_by("-date", "-pk")[0]
    return sessions.filter(items__state=ItemState.SCORING).order_by("date", "pk")[0]


# The council pages of the demo data: (url, the accounts that must get them with 200). Today's
# province council (Phú Thọ), and the district council of the old map (Hòa Bình's history).
district, province = _session(Level.DISTRICT, True), _session(Level.PROVINCE, True)
open_session = _session(Level.PROVINCE, False)
# The demo's own dossiers (not those of the published results it imports).
recognised = LevelResult.objects.filter(
    level=Level.PROVINCE, outcome="recognised", dossier__import_batch__isnull=True
).first()
central_candidate = Dossier.objects.get(
    state="forwarded", level=Level.CENTRAL, import_batch__isnull=True
)
COUNCIL_PAGES = [
    ("/councils/", ["huyen.demo", "tinh.demo", "admin.demo"]),
    ("/sessions/", ["huyen.demo", "tinh.demo", "chutich.tinh", "thanhvien2.tinh"]),
    (f"/sessions/{district.pk}/", ["huyen.demo", "chutich.huyen", "thuky.huyen"]),
    (f"/sessions/{province.pk}/", ["tinh.demo", "chutich.tinh"]),
    (f"/sessions/{open_session.pk}/", ["thanhvien2.tinh", "thanhvien3.tinh"]),
    ("/potential/", ["tinh.demo"]),
    (f"/dossiers/{recognised.dossier_id}/result/", ["htx.demo"]),
    (f"/sessions/{district.pk}/minutes.pdf", ["thuky.huyen", "huyen.demo"]),
    (f"/sessions/{province.pk}/minutes.pdf", ["thuky.tinh"]),
    (f"/rounds/{recognised.dossier.round_id}/", ["tinh.demo", "xa.demo", "htx.demo"]),
    # Under 1489: the commune's letter, and the candidate waiting for the central level.
    (f"/dossiers/{recognised.dossier_id}/commune-letter/", ["xa.demo", "tinh.demo", "htx.demo"]),
    (f"/dossiers/{central_candidate.pk}/central-result/", ["tinh.demo"]),
    # Word drafts: the commune's letter forwarding its dossiers of the round to the province.
    (f"/rounds/{recognised.dossier.round_id}/forwarding-letter.docx", ["xa.demo"]),
]
# Certificates: the public verification page of a valid and of the revoked certificate and
# the open-data API (anonymous, with PUBLIC), the offices' lists.
today = timezone.localdate()
certificates = list(Certificate.objects.select_related("decision").order_by("number"))
valid = next(c for c in certificates if status_on(c, today) == CertificateStatus.VALID)
revoked = next(c for c in certificates if c.status == CertificateStatus.REVOKED)
imported = [c for c in certificates if c.decision.import_batch_id][:3]
PUBLIC += [f"/verify/{valid.number}/", f"/verify/{revoked.number}/", "/api/v1/certificates/"]
PUBLIC += [f"/verify/{c.number}/" for c in imported]
change = ProductChangeRequest.objects.get()
CERTIFICATE_PAGES = [
    ("/certificates/", ["huyen.demo", "tinh.demo"]),
    ("/decisions/", ["huyen.demo", "tinh.demo"]),
    # Today's decision of Phú Thọ as a Word draft, and its certificates to print.
    (f"/decisions/{recognised.decision_item.decision_id}/draft.docx", ["tinh.demo"]),
    (f"/decisions/{recognised.decision_item.decision_id}/certificates.docx", ["tinh.demo"]),
    # A certified product's rename: the cooperative's request, the province office's list.
    (f"/producer/products/{change.product_id}/change-request/", ["htx.demo"]),
    ("/producers/change-requests/", ["tinh.demo"]),
    # Everyone's own data; the administrators' requests list and the demo's outbox.
    ("/account/my-data/", ["htx.demo", "tinh.demo", "chutich.huyen"]),
    ("/privacy/requests/", ["admin.demo"]),
    ("/demo/outbox/", ["admin.demo"]),
]
PAGES = COUNCIL_PAGES + CERTIFICATE_PAGES
# The catalogue's search on SQLite (PostgreSQL's side is in tests/evaluations/catalogue):
# what is typed, the product that must come first, and whether only a typo-forgiving match
# finds it.
RUOU = "Rượu ngô men lá Mãn Đức (demo)"
SEARCHES = [
    ("ruou ngo man duc", RUOU, False),
    ("RƯỢU NGÔ MÃN ĐỨC", RUOU, False),
    ("Rượu Ngô", RUOU, False),
    ("ruouu ngo men la", RUOU, True),  # a letter too many
    ("ruou ngo men lá mãn đưc", RUOU, False),
    ("ga doi", "Gà đồi Mãn Đức (demo)", False),
    ("che bat tien", "Chè Bát tiên đặc sản Hưng Khánh", False),  # an imported product
    ("che bat tienn", "Chè Bát tiên đặc sản Hưng Khánh", True),
]
PUBLIC += ["/catalogue/", "/catalogue/?status=all&sort=newest", "/open-data/products.csv"]
PUBLIC += [f"/catalogue/products/{c.product_id}/" for c in [valid, revoked, *imported]]
failures = []
checked = 0
anonymous = Client()
for typed, first, forgiving in SEARCHES:
    checked += 1
    found = catalogue(CatalogueFilter(QueryDict(urlencode({"q": typed}))), today)
    names = [entry.product_name for entry in found.entries[:3]]
    if names[:1] != [first] or found.search.forgiving != forgiving:
        failures.append(f"catalogue {typed!r}: {names}, forgiving {found.search.forgiving}")
    response = anonymous.get("/api/v1/products/", {"q": typed})
    if response.status_code != 200 or response.json()["results"][:1] == []:
        failures.append(f"/api/v1/products/?q={typed}: {response.status_code}")
for url in PUBLIC:
    checked += 1
    status = anonymous.get(url).status_code
    if status != 200:
        failures.append(f"anonymous {url}: {status}")
expected = {(username, url) for url, usernames in PAGES for username in usernames}
for username in [a.username for a in DEMO_ACCOUNTS + COUNCIL_ACCOUNTS]:
    client = Client()
    if not client.login(username=username, password=DEMO_PASSWORD):
        failures.append(f"{username}: cannot log in")
        continue
    for url in dict.fromkeys(PUBLIC + PRIVATE + [url for url, _users in PAGES]):
        if url.endswith(".pdf") and (username, url) not in expected:
            continue  # rendering a PDF is slow: only as the accounts listed
        checked += 1
        response = client.get(url)
        status = response.status_code
        # A page the role may not open answers 404 (or the admin's login redirect): fine,
        # except the council and certificate pages these accounts must see.
        if status >= 500 or ((username, url) in expected and status != 200):
            failures.append(f"{username} {url}: {status}")
        elif status == 200 and url.endswith(".pdf"):
            kind = response["Content-Type"]
            if not kind.startswith("application/pdf"):
                failures.append(f"{username} {url}: {kind}, not a PDF")
        elif status == 200 and url.endswith(".docx"):
            kind = response["Content-Type"]
            if not kind.startswith("application/vnd.openxmlformats-officedocument"):
                failures.append(f"{username} {url}: {kind}, not a Word file")
print(f"smoke: {checked} page requests, failures: {len(failures)}")
for failure in failures:
    print("  " + failure)
sys.exit(1 if failures else 0)
