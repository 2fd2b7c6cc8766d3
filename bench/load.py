"""A small closed-loop HTTP load generator (threads + http.client, standard library only) and
the idle checks that come before measuring.

Each of `concurrency` threads sends one request, reads the whole response, and sends the
next: a new TCP connection per request, as gunicorn's sync workers close the connection
after each response anyway. Requests that start during the warm-up are not counted;
throughput is the number of responses completed in the measured window over its length.
"""

import http.client
import math
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: Counter
    unexpected: int
    machine_busy: float  # share of all CPUs busy during the window (0–1), everything included
    client_cpu: float  # share of one CPU used by this load generator during the window
    load_before: float
    others: float = 0.0  # share of all CPUs used by processes not ours during the window
    steal: float = 0.0  # share of all CPUs the hypervisor gave to other machines
    path_shape: str = ""
    kind: str = "public"  # which budget applies (bench/public_api.py)
    busy_before: float = 0.0  # share of all CPUs busy just before, our server idle

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the measured latencies, in ms."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
        return ordered[rank - 1]


def cpu_times() -> tuple[int, int, int]:
    """(busy, steal, total) jiffies of all CPUs, from /proc/stat. Busy excludes steal: the
    time the hypervisor gave our virtual CPUs to someone else."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    steal = fields[7]
    total = sum(fields[:8])  # without guest time, already counted in user
    return total - idle - steal, steal, total


def process_tree(*roots: int) -> set[int]:
    """The given processes and all their descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [r for r in roots if r]
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def find_postmaster(port: int) -> int | None:
    """The PostgreSQL server listening on `port` (its command line says `-p port`)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    args = f.read().split(b"\0")
            except OSError:
                continue
            if args and args[0].endswith(b"postgres") and b"-p" in args:
                i = args.index(b"-p")
                if i + 1 < len(args) and args[i + 1] == str(port).encode():
                    return int(entry)
    return None


def process_jiffies(pids: set[int]) -> dict[int, int]:
    """utime + stime of each process still running, in clock ticks."""
    times = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            times[pid] = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return times


def busy_share(seconds: float) -> float:
    """Share of all CPUs busy over the next `seconds` (0–1)."""
    b0, s0, t0 = cpu_times()
    time.sleep(seconds)
    b1, s1, t1 = cpu_times()
    return ((b1 - b0) + (s1 - s0)) / max(1, t1 - t0)


def wait_for_idle_load(limit: float = 1.0, timeout: float = 300, log=print) -> float:
    """Wait until the 1-minute load average is under `limit` (at most `timeout` s); return it."""
    deadline = time.monotonic() + timeout
    load = os.getloadavg()[0]
    announced = False
    while load >= limit and time.monotonic() < deadline:
        if not announced:
            log(f"  load average {load:.2f} ≥ {limit}: waiting (up to {timeout:.0f} s)…")
            announced = True
        time.sleep(5)
        load = os.getloadavg()[0]
    if load >= limit:
        log(f"  WARNING: load average still {load:.2f} after {timeout:.0f} s; measuring anyway")
    return load


def wait_for_quiet_cpu(limit: float = 0.15, timeout: float = 180, log=print) -> float:
    """Between endpoints the load average still carries our own previous run, so check the
    CPUs directly: with our server idle, the machine must be under `limit` busy over 2 s."""
    deadline = time.monotonic() + timeout
    busy = busy_share(2)
    announced = False
    while busy >= limit and time.monotonic() < deadline:
        if not announced:
            log(f"  CPUs {busy:.0%} busy with our server idle: waiting (up to {timeout:.0f} s)…")
            announced = True
        busy = busy_share(5)
    if busy >= limit:
        log(f"  WARNING: CPUs still {busy:.0%} busy; measuring anyway")
    return busy


def measure(
    *,
    name: str,
    host: str,
    port: int,
    path_for: Callable[[random.Random], str],
    expect: int,
    concurrency: int,
    warmup: float,
    duration: float,
    seed: int = 1,
    our_roots: Callable[[], tuple[int, ...]] = tuple,
    headers: dict[str, str] | None = None,
) -> Result:
    """`our_roots`: the processes (with their children) whose CPU is ours: the server's and
    the database's; the rest of the CPU time in the window is someone else's. `headers`:
    sent with every request (an officer's session cookie)."""
    headers = {"Accept": "text/html,application/json", **(headers or {})}
    start = time.perf_counter()
    window_start = start + warmup
    window_end = window_start + duration
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter = Counter()
    counts = {"requests": 0, "unexpected": 0}
    marks: dict[str, tuple] = {}

    def worker(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        mine: list[float] = []
        my_statuses: Counter = Counter()
        requests = unexpected = 0
        while True:
            t0 = time.perf_counter()
            if t0 >= window_end:
                break
            path = path_for(rng)
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                conn.close()
            except OSError as error:
                status = f"error: {type(error).__name__}"
            t1 = time.perf_counter()
            if t0 >= window_start and t1 <= window_end:
                mine.append((t1 - t0) * 1000)
                my_statuses[status] += 1
                requests += 1
                unexpected += status != expect
        with lock:
            latencies.extend(mine)
            statuses.update(my_statuses)
            counts["requests"] += requests
            counts["unexpected"] += unexpected

    def sampler() -> None:
        # CPU counters at the window's edges.
        time.sleep(max(0.0, window_start - time.perf_counter()))
        ours = process_tree(os.getpid(), *our_roots())
        marks["start"] = (cpu_times(), time.process_time(), time.perf_counter())
        marks["ours_start"] = process_jiffies(ours)
        time.sleep(max(0.0, window_end - time.perf_counter()))
        ours = process_tree(os.getpid(), *our_roots())
        marks["end"] = (cpu_times(), time.process_time(), time.perf_counter())
        marks["ours_end"] = process_jiffies(ours)

    load_before = os.getloadavg()[0]
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    threads.append(threading.Thread(target=sampler))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (b0, s0, tot0), p0, w0 = marks["start"]
    (b1, s1, tot1), p1, w1 = marks["end"]
    before, after = marks["ours_start"], marks["ours_end"]
    ours = sum(t - before.get(pid, 0) for pid, t in after.items())
    return Result(
        name=name,
        requests=counts["requests"],
        seconds=duration,
        latencies_ms=latencies,
        statuses=statuses,
        unexpected=counts["unexpected"],
        machine_busy=(b1 - b0) / max(1, tot1 - tot0),
        client_cpu=(p1 - p0) / max(1e-9, w1 - w0),
        load_before=load_before,
        others=max(0, (b1 - b0) - ours) / max(1, tot1 - tot0),
        steal=(s1 - s0) / max(1, tot1 - tot0),
    )
