"""The permission matrix: for every route, how to build its URL from the shared world and
what a GET answers to each role.

Answers: 200, 404 (never 403: "every object a user may not see answers 404"), 405 (a
POST-only route asked with GET by someone who may post to it; others get 404 first),
LOGIN (302 to the login page) or `to("ns:name")` (302 to another page of ours).

`post_only=True` marks a route that changes something by POST (most take only POST; a few
show with GET what the POST will do): tests/test_permission_matrix.py also POSTs to it as
every role whose GET answer is 404 or LOGIN and checks that the answer is the
same and that nothing changed.

A new view fails tests/test_permission_matrix.py::test_every_route_has_an_entry until it has
an entry here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.permission_matrix.world import ROLES, World

LOGIN = "login"


def to(view_name: str) -> str:
    """A redirect to another page of ours (not the login page)."""
    return f"-> {view_name}"


# --- groups of roles ----------------------------------------------------------------------
PRODUCERS = ("producer_a", "producer_b")
OFFICERS_IN = ("commune_in", "district_in", "province_in")
OFFICERS_OUT = ("commune_out", "district_out", "province_out")
OFFICERS = OFFICERS_IN + OFFICERS_OUT
PROVINCE_OFFICERS = ("province_in", "province_out")
# Members of the district council that holds the session (pm1 chair, pm3, pm5, pmtk).
SESSION_COUNCIL = ("member_assigned", "member_recused", "chair", "secretary")
COUNCIL_MEMBERS = (*SESSION_COUNCIL, "member_unassigned")
SIGNED_IN = tuple(r for r in ROLES if r != "anonymous")
# Who sees producer A, its products, photos and documents: its members and the officers
# whose jurisdiction contains its commune.
SEES_PRODUCER_A = ("producer_a", *OFFICERS_IN)
# Who sees A's dossiers: its members and the working groups of the dossier's first level
# (the district) and above; a commune officer's jurisdiction lies below the district.
SEES_DOSSIER_A = ("producer_a", "district_in", "province_in")


def only(answer, *roles: str, anonymous=LOGIN, others=404, **exceptions) -> dict:
    """`answer` for `roles`, `others` for the other signed-in roles, `anonymous` for
    anonymous; `exceptions` by role last."""
    table = {role: answer if role in roles else others for role in SIGNED_IN}
    table["anonymous"] = anonymous
    table.update(exceptions)
    return table


def everyone(answer) -> dict:
    return dict.fromkeys(ROLES, answer)


@dataclass(frozen=True)
class Route:
    get: dict
    kwargs: Callable[[World], dict] = lambda world: {}
    post_only: bool = False
    # Appended to the URL: a list that opens on a subset is checked showing everything.
    query: str = ""


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


_session = _pk("session")


def _item(w):
    return {"pk": w.session.pk, "item": w.item_scoring.pk}


def _certificate(w):
    return {"number": w.certificate.number}


_form = lambda w: {"version": "148-2023", "number": 1}  # noqa: E731

TABLE: dict[str, Route] = {
    # --- public pages ---------------------------------------------------------------------
    "home": Route(everyone(200)),
    # The language switch, a link: sets the cookie and goes back (here to the home page).
    "core:language": Route(everyone(to("home")), lambda w: {"code": "en"}),
    "core:health": Route(everyone(200)),  # the load balancer's check (docs/scaling.md)
    "core:unit_options": Route(everyone(200)),
    "evaluations:criteria_index": Route(everyone(200)),
    "evaluations:form_detail": Route(everyone(200), _form),
    "evaluations:verify_search": Route(everyone(200)),
    "evaluations:verify": Route(everyone(200), _certificate),
    # The public catalogue: a recognised product, its producer, its photos; the open data.
    "evaluations:catalogue": Route(everyone(200)),
    "evaluations:catalogue_product": Route(
        everyone(200), lambda w: {"pk": w.certificate.product_id}
    ),
    "evaluations:catalogue_photo": Route(
        everyone(200),
        lambda w: {
            "pk": w.certificate.product_id,
            "photo_pk": w.photo_certified.pk,
            "variant": "thumb",
        },
    ),
    "evaluations:catalogue_producer": Route(
        everyone(200), lambda w: {"pk": w.certificate.producer_id}
    ),
    "evaluations:catalogue_products": Route(everyone(to("evaluations:catalogue"))),
    "evaluations:catalogue_search": Route(everyone(to("evaluations:catalogue"))),
    "evaluations:open_data_products_csv": Route(everyone(200)),
    "evaluations:open_data_products_xlsx": Route(everyone(200)),
    "evaluations:open_data": Route(everyone(200)),
    # An issued decision is published: its signed scan is public.
    "evaluations:decision_scan": Route(everyone(200), _pk("decision")),
    # Signing up is for visitors; the signed-in are sent to their desk.
    "products:register": Route(only(to("products:desk"), *SIGNED_IN, anonymous=200)),
    # The invitation link: the token is the secret; signing up from it is POST only.
    "products:invitation": Route(everyone(200), lambda w: {"token": w.invitation.token}),
    "products:invitation_signup": Route(everyone(405), lambda w: {"token": w.invitation.token}),
    # --- the open-data API (public, read-only) ---------------------------------------------
    "api-v1:api-root": Route(everyone(404)),  # no operation at the root, and no docs
    "api-v1:openapi-json": Route(everyone(200)),
    "api-v1:certificate_list": Route(everyone(200)),
    "api-v1:product_list": Route(everyone(200)),
    "api-v1:certificate_detail": Route(everyone(200), _certificate),
    # The officers' funnel of the world's province and year: its province office only; other
    # officers 404, everyone else (not an officer) 401.
    "evaluations:report_funnel": Route(only(200, *PROVINCE_OFFICERS)),
    "evaluations:report_progress": Route(only(200, *PROVINCE_OFFICERS)),
    "evaluations:report_years": Route(only(200, *PROVINCE_OFFICERS)),
    "evaluations:result_import": Route(only(200, *PROVINCE_OFFICERS, "administrator")),
    "api-v1:stats_funnel": Route(
        only(
            200,
            "province_in",
            anonymous=401,
            others=401,
            **dict.fromkeys(("commune_in", "district_in", *OFFICERS_OUT), 404),
        ),
        query="?province=17&year=2025",
    ),
    # --- every signed-in user's own pages -------------------------------------------------
    "core:dashboard": Route(only(200, *SIGNED_IN)),
    "core:profile": Route(only(200, *SIGNED_IN)),
    # Django's password reset with a limit on mails: a public form.
    "core:password_reset": Route(everyone(200)),
    "core:notifications": Route(only(200, *SIGNED_IN)),
    "core:notifications_read": Route(only(405, *SIGNED_IN), post_only=True),
    # Personal data (Decree 13/2023): one's own copy and erasure request...
    "core:personal_data": Route(only(200, *SIGNED_IN)),
    "core:deletion_request_create": Route(only(200, *SIGNED_IN)),
    # ... and the administrators' handling of the requests (B's member's request).
    "core:deletion_requests": Route(only(200, "administrator")),
    "core:deletion_request": Route(only(200, "administrator"), _pk("deletion_request")),
    "core:deletion_request_carry_out": Route(
        only(405, "administrator"), _pk("deletion_request"), post_only=True
    ),
    "core:deletion_request_refuse": Route(
        only(405, "administrator"), _pk("deletion_request"), post_only=True
    ),
    # --- core: officers' and administrators' pages ----------------------------------------
    "core:units": Route(only(200, *OFFICERS, "administrator")),
    # The page of every province officer (each reads the entries of their own area).
    "core:audit_log": Route(only(200, *PROVINCE_OFFICERS, "administrator")),
    # Background tasks that failed (decision 0031): the provincial office and administrators.
    "core:failed_tasks": Route(only(200, *PROVINCE_OFFICERS, "administrator")),
    "core:task_retry": Route(
        only(405, *PROVINCE_OFFICERS, "administrator"), _pk("failed_task"), post_only=True
    ),
    # Only with settings.OCOP_DEMO_OUTBOX_DIR (set by the world fixture), administrators.
    "demo:outbox": Route(only(200, "administrator")),
    # --- criteria -------------------------------------------------------------------------
    "evaluations:form_correct": Route(only(200, "administrator"), _form),
    # --- rounds ---------------------------------------------------------------------------
    "evaluations:round_list": Route(only(200, *PRODUCERS, *OFFICERS)),
    "evaluations:round_open": Route(only(200, *PROVINCE_OFFICERS)),
    # The round of Hoà Bình: producers located there and the officers working there.
    "evaluations:round_detail": Route(only(200, *PRODUCERS, *OFFICERS_IN), _pk("round")),
    # The letter of the first level (the district, under 148/2023) forwarding its dossiers of
    # the round to the province, as a Word draft: that working group's alone.
    "evaluations:round_forwarding_letter": Route(only(200, "district_in"), _pk("round")),
    # --- dossiers: the producer's side ----------------------------------------------------
    "evaluations:dossier_list": Route(only(200, *PRODUCERS, *OFFICERS)),
    "evaluations:dossier_create": Route(only(200, *PRODUCERS)),
    "evaluations:dossier_detail": Route(only(200, *SEES_DOSSIER_A), _pk("dossier_scoring")),
    "evaluations:dossier_history": Route(only(200, *SEES_DOSSIER_A), _pk("dossier_scoring")),
    "evaluations:dossier_self_assessment": Route(only(200, "producer_a"), _pk("dossier_draft")),
    "evaluations:dossier_documents": Route(only(200, "producer_a"), _pk("dossier_draft")),
    "evaluations:dossier_totals": Route(
        only(405, "producer_a"), _pk("dossier_draft"), post_only=True
    ),
    # GET: what submitting does (the draft is not ready: its problems are listed), then the
    # button; resubmitting a draft sends back to the dossier.
    "evaluations:dossier_submit": Route(
        only(200, "producer_a"), _pk("dossier_draft"), post_only=True
    ),
    "evaluations:dossier_resubmit": Route(
        only(to("evaluations:dossier_detail"), "producer_a"), _pk("dossier_draft"), post_only=True
    ),
    "evaluations:dossier_receipt": Route(only(200, *SEES_DOSSIER_A), _pk("dossier_scoring")),
    "evaluations:dossier_withdraw": Route(
        only(405, "producer_a"), _pk("dossier_draft"), post_only=True
    ),
    # The province's OCOP office extends a producer's deadline.
    "evaluations:dossier_extend": Route(only(200, "province_in"), _pk("dossier_draft")),
    "evaluations:dossier_result": Route(only(200, *SEES_DOSSIER_A), _pk("dossier_done")),
    # --- the working group's inbox ----------------------------------------------------------
    "evaluations:inbox": Route(only(200, *OFFICERS), query="?state=all"),
    "evaluations:dossier_check": Route(
        only(200, "district_in", "province_in"), _pk("dossier_scoring")
    ),
    "evaluations:dossier_return": Route(
        only(405, "district_in", "province_in"), _pk("dossier_scoring"), post_only=True
    ),
    "evaluations:dossier_accept": Route(
        only(405, "district_in", "province_in"), _pk("dossier_scoring"), post_only=True
    ),
    # The dossier of the world was accepted by a district: it has no commune letter.
    "evaluations:commune_letter": Route(only(404), _pk("dossier_scoring")),
    "evaluations:dossier_forward": Route(
        only(405, "district_in", "province_in"), _pk("dossier_scoring"), post_only=True
    ),
    "evaluations:potential": Route(only(200, *PROVINCE_OFFICERS)),
    # The province's office records the central result (the world's dossier is not waiting
    # for one: the form shows, the service refuses).
    "evaluations:central_result": Route(only(200, "province_in"), _pk("dossier_scoring")),
    # --- councils ---------------------------------------------------------------------------
    "evaluations:council_list": Route(only(200, *OFFICERS, *COUNCIL_MEMBERS, "administrator")),
    "evaluations:council_create": Route(only(200, *OFFICERS, "administrator")),
    "evaluations:council_detail": Route(
        only(200, "district_in", "province_in", *SESSION_COUNCIL, "administrator"),
        _pk("council"),
    ),
    "evaluations:council_edit": Route(
        only(200, "district_in", "province_in", "administrator"), _pk("council")
    ),
    "evaluations:council_member_add": Route(
        only(405, "district_in", "province_in", "administrator"), _pk("council"), post_only=True
    ),
    "evaluations:council_member_remove": Route(
        only(405, "district_in", "province_in", "administrator"),
        lambda w: {"pk": w.council.pk, "member": w.member_pm4.pk},
        post_only=True,
    ),
    # Sessions are prepared by the working group of the council's own level.
    "evaluations:session_create": Route(only(200, "district_in"), _pk("council")),
    # --- sessions -------------------------------------------------------------------------
    "evaluations:session_list": Route(only(200, *OFFICERS, *COUNCIL_MEMBERS)),
    "evaluations:session_detail": Route(
        only(200, "district_in", "province_in", *SESSION_COUNCIL), _session
    ),
    "evaluations:session_minutes": Route(
        only(200, "district_in", "province_in", *SESSION_COUNCIL), _session
    ),
    "evaluations:session_agenda": Route(only(200, "district_in"), _session),
    "evaluations:session_reschedule": Route(only(200, "district_in"), _session),
    "evaluations:session_remind": Route(
        only(405, "district_in", "chair", "secretary"), _session, post_only=True
    ),
    "evaluations:session_leniency": Route(only(200, "chair", "secretary"), _session),
    # One agenda item (A's product being scored): pm3 has declared no conflict and holds a
    # blank sheet; the chair has not declared yet; pm5 is recused; the secretary does not
    # score.
    "evaluations:item_detail": Route(only(200, "chair", "secretary"), _item),
    "evaluations:declare": Route(
        only(200, "chair", member_assigned=to("evaluations:sheet")), _item
    ),
    "evaluations:sheet": Route(
        only(200, "member_assigned", chair=to("evaluations:declare")), _item
    ),
    "evaluations:sheet_totals": Route(only(405, "member_assigned", "chair"), _item, post_only=True),
    "evaluations:item_document": Route(
        only(200, "member_assigned", "chair"),
        lambda w: {**_item(w), "document": w.document_a.pk},
    ),
    "evaluations:item_reopen": Route(only(405, "chair", "secretary"), _item, post_only=True),
    "evaluations:item_discussion": Route(only(405, "chair", "secretary"), _item, post_only=True),
    "evaluations:item_finalise": Route(only(405, "chair", "secretary"), _item, post_only=True),
    # The chair excuses a member whose reopened sheet is not resubmitted (council rules).
    "evaluations:item_excuse": Route(only(405, "chair", "secretary"), _item, post_only=True),
    # --- decisions and certificates ---------------------------------------------------------
    "evaluations:decision_list": Route(only(200, *OFFICERS)),
    "evaluations:decision_create": Route(only(200, *OFFICERS)),
    # The district's decision: its office, and the province's above it.
    "evaluations:decision_detail": Route(only(200, "district_in", "province_in"), _pk("decision")),
    # Its certificates in one PDF, made by the worker (decision 0031): the page that makes it,
    # and the file (none made yet in the world: the page).
    "evaluations:decision_certificates_batch": Route(
        only(200, "district_in", "province_in"), _pk("decision")
    ),
    "evaluations:decision_certificates_pdf": Route(
        only(to("evaluations:decision_certificates_batch"), "district_in", "province_in"),
        _pk("decision"),
    ),
    # Its Word drafts: the decision, and (issued) the list of its certificates to print.
    "evaluations:decision_docx": Route(only(200, "district_in", "province_in"), _pk("decision")),
    "evaluations:decision_certificates_docx": Route(
        only(200, "district_in", "province_in"), _pk("decision")
    ),
    # Only the issuing office issues.
    "evaluations:decision_issue": Route(only(405, "district_in"), _pk("decision"), post_only=True),
    "evaluations:certificate_list": Route(only(200, *PRODUCERS, *OFFICERS)),
    "evaluations:certificate_detail": Route(only(200, *SEES_DOSSIER_A), _certificate),
    "evaluations:certificate_pdf": Route(only(200, *SEES_DOSSIER_A), _certificate),
    "evaluations:certificate_revoke": Route(
        only(405, "district_in", "province_in"), _certificate, post_only=True
    ),
    "evaluations:inspection_create": Route(
        only(405, "district_in", "province_in"), _certificate, post_only=True
    ),
    "evaluations:inspection_file": Route(
        only(200, *SEES_DOSSIER_A),
        lambda w: {**_certificate(w), "pk": w.inspection.pk, "file": w.inspection_file.pk},
    ),
    # --- follow-up after certification -------------------------------------------------------
    # A's commitments: its members and the offices that may inspect its certificate record and
    # edit them (the pages: whoever sees the certificate and may keep them); the offices
    # assess them.
    "evaluations:commitment_create": Route(
        only(200, *SEES_DOSSIER_A), _certificate, post_only=True
    ),
    "evaluations:commitment_edit": Route(
        only(200, *SEES_DOSSIER_A),
        lambda w: {**_certificate(w), "commitment": w.commitment.pk},
        post_only=True,
    ),
    "evaluations:commitment_assess": Route(
        only(405, "district_in", "province_in"),
        lambda w: {**_certificate(w), "commitment": w.commitment.pk},
        post_only=True,
    ),
    # The yearly self-report: whoever sees the certificate reads it; A's members write it.
    "evaluations:self_report": Route(
        only(200, *SEES_DOSSIER_A),
        lambda w: {**_certificate(w), "year": w.self_report.year},
        post_only=True,
    ),
    "evaluations:self_report_file": Route(
        only(200, *SEES_DOSSIER_A),
        lambda w: {
            **_certificate(w),
            "year": w.self_report.year,
            "answer": w.self_report_answer.pk,
        },
    ),
    # The inspection plan and the follow-up report: each province's OCOP office, of its own
    # certificates (Thái Nguyên's office may not plan Hoà Bình's product).
    "evaluations:inspection_plan": Route(only(200, *PROVINCE_OFFICERS)),
    "evaluations:report_followup": Route(only(200, *PROVINCE_OFFICERS)),
    "evaluations:plan_item_add": Route(
        only(200, "province_in"),
        lambda w: {"year": w.plan_item.plan.year, "number": w.certificate.number},
        post_only=True,
    ),
    "evaluations:plan_item_edit": Route(only(200, "province_in"), _pk("plan_item"), post_only=True),
    "evaluations:plan_item_cancel": Route(
        only(405, "province_in"), _pk("plan_item"), post_only=True
    ),
    # --- products: the member's own producer --------------------------------------------
    "products:desk": Route(only(200, *PRODUCERS)),
    # A verified producer's profile is locked: the form sends back to the desk.
    "products:producer_edit": Route(only(to("products:desk"), *PRODUCERS)),
    "products:producer_resubmit": Route(only(405, *PRODUCERS), post_only=True),
    "products:product_list": Route(only(200, *PRODUCERS)),
    "products:product_create": Route(only(200, *PRODUCERS)),
    "products:document_list": Route(only(200, *PRODUCERS)),
    "products:document_upload": Route(only(200, *PRODUCERS)),
    # --- products: one of A's -------------------------------------------------------------
    "products:product_detail": Route(only(200, *SEES_PRODUCER_A), _pk("product_a")),
    "products:product_edit": Route(only(200, "producer_a"), _pk("product_a")),
    "products:product_change_request": Route(only(200, "producer_a"), _pk("product_certified")),
    "products:photo_add": Route(only(405, "producer_a"), _pk("product_a"), post_only=True),
    "products:photo_delete": Route(
        only(405, "producer_a"),
        lambda w: {"pk": w.product_a.pk, "photo_pk": w.photo_a.pk},
        post_only=True,
    ),
    "products:photo_file": Route(
        only(200, *SEES_PRODUCER_A),
        lambda w: {"pk": w.product_a.pk, "photo_pk": w.photo_a.pk, "variant": "thumb"},
    ),
    "products:document_new_version": Route(only(200, "producer_a"), _pk("document_a")),
    "products:document_download": Route(only(200, *SEES_PRODUCER_A), _pk("document_a")),
    # Where to buy: the member's producer's places, and one of A's.
    "products:sales_point_list": Route(only(200, *PRODUCERS)),
    "products:sales_point_create": Route(only(200, *PRODUCERS)),
    "products:sales_point_edit": Route(only(200, "producer_a"), _pk("sales_point_a")),
    "products:sales_point_delete": Route(
        only(405, "producer_a"), _pk("sales_point_a"), post_only=True
    ),
    # --- products: officers ---------------------------------------------------------------
    "products:producer_list": Route(only(200, *OFFICERS)),
    "products:producer_create": Route(only(200, *OFFICERS)),
    "products:producer_detail": Route(only(200, *SEES_PRODUCER_A), _pk("producer_a")),
    "products:producer_verify": Route(only(405, *OFFICERS_IN), _pk("producer_a"), post_only=True),
    # Its members and its officers of today's map say which commune of today's map it lies
    # in; the world's officers work on the old map (their accounts kept for its history).
    "products:producer_locate": Route(only(405, "producer_a"), _pk("producer_a"), post_only=True),
    "products:producer_reject": Route(only(200, *OFFICERS_IN), _pk("producer_a")),
    # The owner invites (officers only for a producer nobody owns yet).
    "products:producer_invite": Route(only(200, "producer_a"), _pk("producer_a")),
    # Product change requests: the province's OCOP office of the producer's province.
    "products:change_request_list": Route(only(200, *PROVINCE_OFFICERS)),
    "products:change_request_accept": Route(
        only(405, "province_in"), _pk("change_request"), post_only=True
    ),
    "products:change_request_refuse": Route(
        only(405, "province_in"), _pk("change_request"), post_only=True
    ),
    # OCOP points of sale and fairs: the OCOP office of a province of today's map (the
    # world's province officers work on the old map's Hòa Bình), and the administrators.
    "products:outlet_list": Route(only(200, "administrator")),
    "products:outlet_create": Route(only(200, "administrator")),
    "products:outlet_edit": Route(only(200, "administrator"), _pk("outlet")),
    "products:outlet_delete": Route(only(405, "administrator"), _pk("outlet"), post_only=True),
}
