#!/usr/bin/env python
"""Benchmark of the public pages and the open-data API on a national-scale data set.

    scripts/with-postgres .venv/bin/python bench/public_api.py [--duration 15] [--explain]

(or `make bench`). Against the empty database of DATABASE_URL (a throwaway cluster: the
script refuses a database that already has tables) it migrates, writes the data set of
bench/dataset.py, collects the static files, serves the app with gunicorn (production
settings through bench/settings.py, 2 sync workers), and measures each endpoint with the
closed-loop load generator of bench/load.py at a fixed concurrency: requests per second and
p50/p95/p99 latency, next to the baseline, a bare one-query Django view on the same server.
It prints a Markdown report; `--json FILE` also writes the numbers. A miss is reported, not
failed (`--strict` makes it exit 1): timings on a shared machine are evidence to read, not an
assertion.

The bar (DESIGN.md, "Quality bars"): p95 under 150 ms and at least half the baseline's
throughput. The higher of the two baseline runs (first and last) is the reference.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

P95_LIMIT_MS = 150  # public pages and the API
THROUGHPUT_SHARE = 0.5  # of the bare view's, public pages and the API
OFFICER_P95_MS = 300  # the officers' busiest lists at national size
REPORT_MS = 300  # the funnel report of a province-year (its p95)
PDF_COUNT = 500
PDF_LIMIT_S = 60
WORKERS = 2


def log(message: str = "") -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> dict:
    with open("/proc/meminfo") as f:
        mem_kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu model": model,
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def configure_environment(tmp: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(tmp / "static"),
        OCOP_VAR_DIR=str(tmp / "var"),
    )
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def prepare_database(products: int) -> tuple[dict, float]:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmark needs PostgreSQL: run it under scripts/with-postgres.")
    if connection.introspection.table_names():
        sys.exit(
            "The database of DATABASE_URL already has tables: the benchmark writes a data set "
            "of its own into an empty one (scripts/with-postgres gives a throwaway cluster)."
        )
    from bench import dataset

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    log(f"  [{time.monotonic() - started:5.1f}s] migrated")
    sizes = dataset.build(products=products, log=log)
    call_command("collectstatic", interactive=False, verbosity=0)
    log("  static files collected (manifest storage)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        sizes["_postgres"] = cursor.fetchone()[0]
    return sizes, time.monotonic() - started


def endpoints(officers: dict) -> list[dict]:
    """What to request (random choices made per request from the data set). The query
    fixes this benchmark once measured as bench-only copies are in the project now (issue
    16: register_page, status_q, the register's indexes). `kind` says which budget applies:
    public pages and the API, the officers' lists, the funnel report."""
    from django.core.paginator import Paginator
    from django.urls import reverse
    from django.utils import timezone

    from bench.dataset import PRODUCT_NAMES
    from evaluations.catalogue.api import PAGE_SIZE as PRODUCTS_PAGE_SIZE
    from evaluations.catalogue.filters import CatalogueFilter
    from evaluations.catalogue.selectors import catalogue as catalogue_of
    from evaluations.catalogue.selectors import entries
    from evaluations.certificates.api import PAGE_SIZE
    from evaluations.certificates.selectors import public_certificates
    from evaluations.intake.filters import SHOW_ALL
    from evaluations.models import Certificate

    numbers = list(Certificate.objects.values_list("number", flat=True))
    today = timezone.localdate()
    pages = Paginator(public_certificates(today), PAGE_SIZE).num_pages
    expiring = public_certificates(today).filter(current_status="expiring").count()
    form_url = reverse("evaluations:form_detail", args=["148-2023", 1])
    # What the list and the API show by default: the products whose certificate stands.
    listed = catalogue_of(CatalogueFilter({}), today, with_facets=False).entries.count()
    catalogue = list(entries(today).values_list("product_id", flat=True))
    catalogue_pages = -(-listed // 24)
    words = sorted({w for name in PRODUCT_NAMES for w in name.lower().split() if len(w) > 2})
    session, items = officers["session"], officers["items"]
    province = officers["cookies"]["province"]
    product_pages = -(-listed // PRODUCTS_PAGE_SIZE)

    def point(key, name, shape, path, expect=200, kind="public", cookie=None):
        return {
            "key": key,
            "name": name,
            "shape": shape,
            "path": path,
            "expect": expect,
            "kind": kind,
            "cookie": cookie,
        }

    public = [
        point(
            "verify",
            "verify page, existing number",
            "/verify/<number>/",
            lambda r: f"/verify/{quote(r.choice(numbers))}/",
        ),
        point(
            "verify-404",
            "verify search, unknown number (404)",
            "/verify/?number=<unknown>",
            lambda r: f"/verify/?number=OCOP-99-2026-{r.randint(1, 9999):04d}",
            404,
        ),
        point(
            "api-page",
            "API list, random page",
            f"/api/v1/certificates/?page=<1–{pages}>",
            lambda r: f"/api/v1/certificates/?page={r.randint(1, pages)}",
        ),
        point(
            "api-expiring",
            f"API list, status=expiring ({expiring} certificates)",
            "/api/v1/certificates/?status=expiring",
            lambda r: "/api/v1/certificates/?status=expiring",
        ),
        point(
            "api-detail",
            "API detail, existing number",
            "/api/v1/certificates/<number>/",
            lambda r: f"/api/v1/certificates/{quote(r.choice(numbers))}/",
        ),
        point("verify-form", "verify search box (no number)", "/verify/", lambda r: "/verify/"),
        point("criteria", "scoring forms index", "/criteria/", lambda r: "/criteria/"),
        point("criteria-form", "scoring form (set 1)", form_url, lambda r: form_url),
        point(
            "catalogue",
            f"catalogue, random page ({listed} products)",
            f"/catalogue/?page=<1–{catalogue_pages}>",
            lambda r: f"/catalogue/?page={r.randint(1, catalogue_pages)}",
        ),
        point(
            "catalogue-search",
            "catalogue search, one word without tone marks",
            "/catalogue/?q=<word>",
            lambda r: f"/catalogue/?q={quote(fold_word(r.choice(words)))}",
        ),
        point(
            "catalogue-product",
            "catalogue product page",
            "/catalogue/products/<id>/",
            lambda r: f"/catalogue/products/{r.choice(catalogue)}/",
        ),
        point(
            "api-products",
            "products API, random page",
            f"/api/v1/products/?page=<1–{product_pages}>",
            lambda r: f"/api/v1/products/?page={r.randint(1, product_pages)}",
        ),
    ]
    # There is no whole-country officer: an administrator manages accounts and has no
    # officers' lists (404 by design); the office of the largest province is the busiest.
    name = officers["province"].name
    officer = [
        point(
            "inbox",
            f"inbox, all states ({name})",
            f"/inbox/?state={SHOW_ALL}",
            lambda r: f"/inbox/?state={SHOW_ALL}",
            kind="officer",
            cookie=province,
        ),
        point(
            "certificates",
            f"certificates list ({name})",
            "/certificates/",
            lambda r: "/certificates/",
            kind="officer",
            cookie=province,
        ),
        point(
            "producers",
            f"producers list ({name})",
            "/producers/",
            lambda r: "/producers/",
            kind="officer",
            cookie=province,
        ),
    ]
    officer += [
        point(
            "potential-province",
            f"potential list ({officers['province'].name})",
            "/potential/",
            lambda r: "/potential/",
            kind="officer",
            cookie=province,
        ),
        point(
            "consolidation",
            f"consolidation of one product (9 sheets, {len(items)} on the agenda)",
            "/sessions/<pk>/items/<item>/",
            lambda r: f"/sessions/{session.pk}/items/{r.choice(items)}/",
            kind="officer",
            cookie=province,
        ),
        point(
            "funnel",
            f"funnel report, {officers['province'].name} {officers['year']}",
            f"/reports/funnel/?year={officers['year']}",
            lambda r: f"/reports/funnel/?year={officers['year']}",
            kind="report",
            cookie=province,
        ),
    ]
    return public + officer


def fold_word(word: str) -> str:
    from ocop.core.search import fold

    return fold(word)


def _render_pdfs(ids: list[int]) -> int:
    """Each certificate of `ids` as its own PDF (in a worker process); the bytes made."""
    from evaluations.certificates.pdf import certificate_pdf
    from evaluations.models import Certificate

    return sum(len(certificate_pdf(c)) for c in Certificate.objects.filter(pk__in=ids))


def pdf_batch(count: int = 500) -> dict:
    """`count` certificate PDFs, one file each: one after another in this process (one task
    worker), then shared between two processes (two task workers, one per core); and the same
    certificates as one printable file (the decision's batch task)."""
    import multiprocessing

    from django.db import connections

    from evaluations.certificates.pdf import certificate_pdf, certificates_html
    from evaluations.certificates.selectors import PRINT_RELATED
    from evaluations.models import Certificate
    from ocop.core.pdf import html_to_pdf

    certificates = list(Certificate.objects.select_related(*PRINT_RELATED).order_by("pk")[:count])
    certificate_pdf(certificates[0])  # fonts and templates loaded once, as in a worker
    started = time.perf_counter()
    size = sum(len(certificate_pdf(c)) for c in certificates)
    separate = time.perf_counter() - started
    ids = [c.pk for c in certificates]
    connections.close_all()  # each process opens its own connection
    with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
        pool.map(_render_pdfs, [ids[:1]] * WORKERS)  # each process's fonts loaded once
        started = time.perf_counter()
        pool.map(_render_pdfs, [ids[i::WORKERS] for i in range(WORKERS)])
        parallel = time.perf_counter() - started
    started = time.perf_counter()
    one = html_to_pdf(certificates_html(certificates))
    together = time.perf_counter() - started
    return {
        "count": len(certificates),
        "separate_s": separate,
        "separate_mb": size / 1e6,
        "parallel_s": parallel,
        "together_s": together,
        "together_mb": len(one) / 1e6,
    }


BASELINE = {
    "name": "baseline: bare one-query view",
    "shape": "/bench/bare/",
    "path": lambda r: "/bench/bare/",
    "expect": 200,
}


def profile(points: list[dict], *, explain: bool, samples: int = 15) -> dict[str, dict]:
    """In-process, one request at a time (Django's test client, no HTTP): queries per
    request, median SQL time and median total time; with `explain`, EXPLAIN ANALYZE of each
    query of one request."""
    import logging
    import random

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    logging.getLogger("django.request").setLevel(logging.ERROR)  # "Not Found: …" of the 404s
    profiles = {}
    for point in points:
        extra = {"HTTP_COOKIE": point["cookie"]} if point.get("cookie") else {}
        client = Client(HTTP_HOST="127.0.0.1", **extra)
        rng = random.Random(7)
        queries, sql_ms, total_ms = [], [], []
        sample = None
        for i in range(samples + 2):
            path = point["path"](rng)
            # What the page costs to make: the whole-page cache (decision 0033) emptied first;
            # the load over HTTP below measures it with the cache, as visitors meet it.
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - t0) * 1000
            if response.status_code != point["expect"]:
                log(f"  WARNING: {path} answered {response.status_code}, not {point['expect']}")
            if i < 2:  # warm-up: templates, first connection
                continue
            queries.append(len(captured))
            sql_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            total_ms.append(elapsed)
            sample = (path, list(captured.captured_queries))
        profiles[point["key"]] = {
            "queries": max(queries),
            "sql_ms": statistics.median(sql_ms),
            "inprocess_ms": statistics.median(total_ms),
        }
        if explain and sample:
            path, captured_queries = sample
            log(f"\n#### EXPLAIN ANALYZE — {path}\n")
            with connection.cursor() as cursor:
                for q in captured_queries:
                    if not q["sql"].lstrip().upper().startswith("SELECT"):
                        continue
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                    log(f"```sql\n{q['sql']}\n```\n```\n{plan}\n```\n")
    connection.close()
    return profiles


def start_server(port: int, tmp: Path) -> subprocess.Popen:
    with open(tmp / "gunicorn.log", "w") as errors:  # the server keeps its own copy
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ocop.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--chdir",
                str(ROOT),
            ],
            cwd=ROOT,
            stdout=errors,
            stderr=errors,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited:\n{(tmp / 'gunicorn.log').read_text()}")
        try:
            url = f"http://127.0.0.1:{port}/bench/bare/"
            with urllib.request.urlopen(url, timeout=5):
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit(f"gunicorn did not answer in 60 s:\n{(tmp / 'gunicorn.log').read_text()}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the arbiter stops its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def report(
    args, info, sizes, setup_s, profiles, results, load_start, pdfs, officers
) -> tuple[str, bool]:
    baseline_rps = max(results["baseline-1"].rps, results["baseline-2"].rps)
    lines = [
        f"## OCOP registry benchmark — {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu model']}), {info['ram']} RAM, "
        f"Linux {info['kernel']}, Python {info['python']}, PostgreSQL {sizes['_postgres']}.",
        f"Server: gunicorn, {WORKERS} sync workers, bench.settings (production, DEBUG off). "
        f"Load: {args.concurrency} concurrent clients on the same machine, "
        f"{args.warmup:g} s warm-up + {args.duration:g} s measured per endpoint.",
        f"1-minute load average before measuring: {load_start:.2f}. "
        f"Setup (migrate, data set, collectstatic): {setup_s:.0f} s.",
        "",
        "Data set: "
        + ", ".join(f"{v} {k}" for k, v in sizes.items() if not k.startswith(("_", "by ")))
        + "; certificates today: "
        + ", ".join(f"{n} {s}" for s, n in sizes["by status today"].items())
        + ".",
        "",
        f"Officers: the OCOP office of {officers['province'].name}, the two-tier province "
        "with the most dossiers (province officer, secretary of its council), with a session "
        "cookie. There is no whole-country officer: the administrator has no officers' lists.",
        "",
        f"Budgets: public pages and the API p95 < {P95_LIMIT_MS} ms and ≥ "
        f"{THROUGHPUT_SHARE:.0%} of the baseline's req/s; officers' lists p95 < "
        f"{OFFICER_P95_MS} ms; the funnel report p95 < {REPORT_MS} ms; {PDF_COUNT} "
        f"certificate PDFs < {PDF_LIMIT_S} s.",
        "",
        "| Endpoint | Request | req/s | vs. baseline | p50 ms | p95 ms | p99 ms | max ms "
        "| queries | SQL ms | in-process ms | CPUs busy | others | steal | client CPU "
        "| Verdict |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    all_pass = True
    for key, result in results.items():
        prof = profiles[key]
        share = result.rps / baseline_rps
        if key.startswith("baseline"):
            verdict = "reference"
        else:
            misses = []
            limit = {"officer": OFFICER_P95_MS, "report": REPORT_MS}.get(result.kind, P95_LIMIT_MS)
            if result.percentile(95) >= limit:
                misses.append(f"p95 ≥ {limit} ms")
            if result.kind == "public" and share < THROUGHPUT_SHARE:
                misses.append(f"< {THROUGHPUT_SHARE:.0%} of baseline")
            if result.unexpected:
                misses.append(f"{result.unexpected} unexpected responses")
            verdict = "**miss**: " + "; ".join(misses) if misses else "pass"
            all_pass = all_pass and not misses
        if result.busy_before >= 0.15 or result.others + result.steal >= 0.10:
            verdict += " (machine busy: re-run)"
        lines.append(
            f"| {result.name} | `{result.path_shape}` | {result.rps:.0f} | {share:.0%} "
            f"| {result.percentile(50):.1f} | {result.percentile(95):.1f} "
            f"| {result.percentile(99):.1f} | {max(result.latencies_ms, default=0):.1f} "
            f"| {prof['queries']} | {prof['sql_ms']:.1f} | {prof['inprocess_ms']:.1f} "
            f"| {result.machine_busy:.0%} | {result.others:.0%} | {result.steal:.0%} "
            f"| {result.client_cpu:.0%} "
            f"| {verdict} |"
        )
    lines += [
        "",
        "req/s and latencies: over HTTP, measured window only, the whole-page cache on "
        "(decision 0033: emptied before each endpoint, so random numbers and pages are mostly "
        "made afresh, a fixed address mostly served from the cache); latency = connect to "
        "last byte. "
        "queries / SQL ms / in-process ms: one request at a time through Django's test client "
        "(no HTTP), the cache emptied before each: what the page costs to make, medians. "
        "CPUs busy: share of both CPUs used during the window; others: "
        "the part of it not used by gunicorn, PostgreSQL or the load generator (another job "
        "on the machine); steal: CPU time the hypervisor gave to other virtual machines (others "
        "+ steal of 10 % or more marks the row for a re-run). Client CPU: the load "
        "generator, as a share of one CPU. Statuses: "
        + "; ".join(
            f"{r.name}: " + ", ".join(f"{s}×{n}" for s, n in sorted(r.statuses.items(), key=str))
            for r in results.values()
        )
        + ".",
    ]
    if pdfs is not None:

        def verdict(seconds: float) -> str:
            return "pass" if seconds < PDF_LIMIT_S else f"**miss** (≥ {PDF_LIMIT_S} s)"

        all_pass = all_pass and pdfs["parallel_s"] < PDF_LIMIT_S
        all_pass = all_pass and pdfs["together_s"] < PDF_LIMIT_S
        lines += [
            "",
            f"**{pdfs['count']} certificate PDFs** (after the server stopped): "
            f"one file each, one process: {pdfs['separate_s']:.1f} s "
            f"({pdfs['separate_s'] / pdfs['count'] * 1000:.0f} ms a file, "
            f"{pdfs['separate_mb']:.1f} MB in all), {verdict(pdfs['separate_s'])}; "
            f"one file each, {WORKERS} processes (a task worker per core): "
            f"{pdfs['parallel_s']:.1f} s, {verdict(pdfs['parallel_s'])}; "
            f"as one {pdfs['count']}-page file (the decision's batch task): "
            f"{pdfs['together_s']:.1f} s ({pdfs['together_mb']:.1f} MB), "
            f"{verdict(pdfs['together_s'])}.",
        ]
    return "\n".join(lines), all_pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=300,
        help="seconds to wait for an idle machine before measuring anyway (default 300)",
    )
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when an endpoint misses the bar"
    )
    parser.add_argument(
        "--only", nargs="*", help="measure only these endpoint keys (the baseline always)"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name PostgreSQL: run under scripts/with-postgres.")

    started = time.monotonic()
    info = machine()
    log(f"Machine: {info}; 1-minute load average {os.getloadavg()[0]:.2f}")

    tmp = Path(tempfile.mkdtemp(prefix="ocop-bench."))
    server = None
    try:
        configure_environment(tmp)
        import django

        django.setup()
        from django.core.cache import cache

        log("Preparing the database and the data set…")
        sizes, setup_s = prepare_database(args.products)
        from bench import officers as officers_data

        officers = officers_data.build(log=log)
        for key, value in sizes.items():
            log(f"  {key}: {value}")
        real = endpoints(officers)
        if args.only:
            real = [p for p in real if p["key"] in args.only]

        port = free_port()
        log(f"Starting gunicorn ({WORKERS} workers) on 127.0.0.1:{port}…")
        server = start_server(port, tmp)
        postmaster = load.find_postmaster(urlparse(os.environ["DATABASE_URL"]).port)
        if postmaster is None:
            log("  (PostgreSQL's process not found: its CPU will count as someone else's)")
        log("Waiting for the machine to be idle (1-minute load average < 1.0)…")
        load_start = load.wait_for_idle_load(1.0, timeout=args.idle_timeout, log=log)
        log(f"  load average {load_start:.2f}")
        log("Profiling each endpoint in-process (our server idle)…")
        profiles = profile([BASELINE | {"key": "baseline"}, *real], explain=args.explain)
        results = {}

        def run(points: list[dict]) -> None:
            for point in points:
                # The load average still carries our previous endpoint: look at the CPUs.
                quiet = load.wait_for_quiet_cpu(0.15, timeout=args.idle_timeout, log=log)
                cache.clear()  # each endpoint starts with no page kept (decision 0033)
                log(f"Measuring {point['name']} ({args.warmup:g} + {args.duration:g} s)…")
                result = load.measure(
                    name=point["name"],
                    host="127.0.0.1",
                    port=port,
                    path_for=point["path"],
                    expect=point["expect"],
                    concurrency=args.concurrency,
                    warmup=args.warmup,
                    duration=args.duration,
                    seed=len(results) + 1,
                    our_roots=lambda: (server.pid, postmaster),
                    headers={"Cookie": point["cookie"]} if point.get("cookie") else None,
                )
                result.path_shape = point["shape"]
                result.kind = point.get("kind", "public")
                result.busy_before = quiet
                results[point["key"]] = result
                log(
                    f"  {result.rps:.0f} req/s, p50 {result.percentile(50):.1f} ms, "
                    f"p95 {result.percentile(95):.1f} ms, p99 {result.percentile(99):.1f} ms, "
                    f"CPUs {result.machine_busy:.0%} busy (others {result.others:.0%}, "
                    f"steal {result.steal:.0%}), "
                    f"client {result.client_cpu:.0%}"
                )

        run([BASELINE | {"key": "baseline-1"}, *real])
        run([BASELINE | {"key": "baseline-2"}])
        profiles["baseline-1"] = profiles["baseline-2"] = profiles.pop("baseline")
        stop_server(server)
        server = None
        pdfs = None
        if not args.only or "pdfs" in args.only:
            load.wait_for_quiet_cpu(0.15, timeout=args.idle_timeout, log=log)
            log(f"Rendering {PDF_COUNT} certificate PDFs in-process…")
            pdfs = pdf_batch(PDF_COUNT)
            log(
                f"  {pdfs['separate_s']:.1f} s one file each, {pdfs['parallel_s']:.1f} s in "
                f"{WORKERS} processes, {pdfs['together_s']:.1f} s as one file"
            )
        text, all_pass = report(
            args, info, sizes, setup_s, profiles, results, load_start, pdfs, officers
        )
        print(text, flush=True)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "machine": info,
                        "sizes": sizes,
                        "load_average_before": load_start,
                        "pdfs": pdfs,
                        "args": {k: str(v) for k, v in vars(args).items()},
                        "results": {
                            key: {
                                "name": r.name,
                                "request": r.path_shape,
                                "requests": r.requests,
                                "rps": r.rps,
                                "p50_ms": r.percentile(50),
                                "p95_ms": r.percentile(95),
                                "p99_ms": r.percentile(99),
                                "max_ms": max(r.latencies_ms, default=0),
                                "statuses": {str(s): n for s, n in r.statuses.items()},
                                "cpus_busy": r.machine_busy,
                                "client_cpu": r.client_cpu,
                                "load_before": r.load_before,
                                "cpus_busy_before": r.busy_before,
                                "others_cpu": r.others,
                                "steal": r.steal,
                                **profiles[key],
                            }
                            for key, r in results.items()
                        },
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        log(f"Done in {time.monotonic() - started:.0f} s.")
        return 1 if args.strict and not all_pass else 0
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
