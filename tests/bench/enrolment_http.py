"""HTTP load run: gunicorn with 4 workers on PostgreSQL (and Redis), three figures of the
enrolment POST, then the catalogue served from the same workers and their peak memory.

- `burst`: N people (200) post the form at the same moment for 10 places: exactly 10 places
  given, no error; its p95.
- `floor`: the same burst against a minimal view in the same deployment that only locks the
  group row, counts and inserts one row (`tests/bench/floor.py`, mounted by the bench's own
  URLconf `tests/bench/urls.py`, never by the site's): what any Django implementation pays.
  The burst's p95 is reported as a multiple of the floor's.
- `sustained`: POSTs arriving at a steady rate (50 a second) for a while (60 s), spread over
  20 groups of 10 places, each sent on time whether or not the earlier ones were answered:
  p95, errors, and no group over its capacity.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vt_bench .venv/bin/python \
        tests/bench/enrolment_http.py --people 200 --places 10 --redis redis://127.0.0.1:6379/14

With `--redis` the workers run as the README's deployment for the whole network does: Redis is
their shared cache and the task broker (the given database is emptied first: use one of its
own). Without it, each worker has a cache of its own and the tasks go through PostgreSQL.
`--sustained-seconds 3` makes a smoke run of the sustained phase; `--probe lock` adds how long
each enrolment held the group's lock; `--probe stub` runs the same burst with the enrolment
service stubbed out (`probes.py`).

The client takes as little CPU as it can, since it shares the 2 cores with the workers being
measured: not 200 threads, and for the POSTs not even asyncio (its streams cost about 1.5 ms of
CPU a POST, a tenth of what the server spends), but one loop of non-blocking sockets over a
selector. Every person of the burst first loads the form (cookie and CSRF token), then all
POSTs leave together; the sustained phase reuses a few forms' cookies and tokens (Django's CSRF
check accepts a token with its cookie any number of times). A POST's latency runs from the
moment its request is written to the moment the response's status line is read.
"""

import argparse
import asyncio
import json
import os
import re
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

BENCH_COURSE_SLUG = "bench-enrolment"


def setup_group(places: int) -> int:
    """One group kept for the load run; its enrolments from an earlier run are removed."""
    return setup_groups(1, places)[0]


def setup_groups(count: int, places: int, *, offset: int = 0) -> list[int]:
    """`count` groups of the bench's course, kept for the load run (the first for the burst,
    then the floor's, then the sustained phase's), open with `places` places and no
    enrolments left from an earlier run."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from courses.models import CoursePage
    from groups.models import Enrolment, Group
    from tests.factories import CoursePageFactory, GroupFactory

    course = CoursePage.objects.filter(slug=BENCH_COURSE_SLUG).first()
    if course is None:
        course = CoursePageFactory(slug=BENCH_COURSE_SLUG)
    ids = list(Group.objects.filter(course=course).order_by("pk").values_list("pk", flat=True))
    while len(ids) < offset + count:
        group = GroupFactory(course=course, capacity=places, min_size=min(5, places))
        ids.append(group.pk)
    ids = ids[offset : offset + count]
    Enrolment.objects.filter(group_id__in=ids).delete()
    Group.objects.filter(pk__in=ids).update(
        capacity=places,
        min_size=min(5, places),
        status=Group.Status.OPEN,
        enrolment_opens=None,
        enrolment_closes=None,
    )
    return ids


def vacuum_enrolments() -> None:
    """Clear away the rows earlier runs deleted from the bench's group. PostgreSQL keeps a
    deleted row until a vacuum, and each run's count of places (under the group lock) stepped
    over all of them: after fifty runs, eleven thousand dead entries for a group of 200, so
    the bench measured its own leftovers. A group that opens for real has none."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE groups_enrolment")


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=10)  # noqa: S310 - local server
            return
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


async def http(port: int, request: bytes, timeout: float = 120) -> tuple[int, dict, bytes, float]:
    """One request on its own connection: status, headers, body and seconds to the status."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        started = time.perf_counter()
        writer.write(request)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout)
        elapsed = time.perf_counter() - started
        headers: dict[str, list[str]] = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _sep, value = line.decode("latin-1").partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        length = int(headers.get("content-length", ["0"])[0])
        body = await reader.readexactly(length) if length else await reader.read()
        return int(status_line.split()[1]), headers, body, elapsed
    finally:
        writer.close()


def request_bytes(method: str, path: str, port: int, headers: dict, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def person_prepare(port: int, path: str, n: int) -> bytes:
    _status, headers, body, _elapsed = await http(
        port, request_bytes("GET", path, port, {"Accept-Language": "en"})
    )
    cookies = "; ".join(value.split(";")[0] for value in headers.get("set-cookie", []))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "display_name": f"Bench {n}",
            "email": f"bench{n}@example.invalid",
            "language": "fi",
            "consent": "on",
        }
    ).encode()
    return request_bytes(
        "POST",
        path,
        port,
        {
            "Cookie": cookies,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}{path}",
        },
        form,
    )


async def load(
    port: int, path: str, people: int, *, first: int = 0, cpu: dict | None = None
) -> tuple[list[int], list[float]]:
    # Forms are fetched a few at a time, like people arriving; the POSTs then leave at once.
    semaphore = asyncio.Semaphore(8)

    async def prepare(n: int) -> bytes:
        async with semaphore:
            return await person_prepare(port, path, n)

    posts = await asyncio.gather(*(prepare(n) for n in range(first, first + people)))
    before = cpu_snapshot(cpu["workers"]) if cpu is not None else None
    results = burst(port, posts)
    if cpu is not None:
        cpu.update(cpu_delta(before, cpu_snapshot(cpu["workers"])))
    return [status for status, _elapsed in results], [elapsed for _status, elapsed in results]


def burst(
    port: int, requests: list[bytes], timeout: float = 120, *, rate: float | None = None
) -> list[tuple[int, float]]:
    """Send every request at once (or, given a `rate`, request n at n/rate seconds from the
    start, whether or not earlier ones were answered), each on its own connection: (status,
    seconds from writing the request to reading the status line) for each, in order. Responses
    are read to the end (the server closes the connection), so no connection is reset under
    the server."""
    selector = selectors.DefaultSelector()
    results: list[tuple[int, float] | None] = [None] * len(requests)

    def open_connection(n: int) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        state = {"n": n, "out": memoryview(requests[n]), "in": b"", "started": 0.0}
        selector.register(sock, selectors.EVENT_WRITE, state)

    started = time.perf_counter()
    due = [0.0 if rate is None else n / rate for n in range(len(requests))]
    opened = 0
    deadline = time.monotonic() + timeout + due[-1] if due else 0
    while opened < len(requests) or selector.get_map():
        now = time.perf_counter() - started
        while opened < len(requests) and due[opened] <= now:
            open_connection(opened)
            opened += 1
        if time.monotonic() > deadline:
            raise SystemExit("the server did not answer every POST in time")
        wait = 1.0 if opened == len(requests) else max(0.0, min(1.0, due[opened] - now))
        if not selector.get_map():
            time.sleep(wait)
            continue
        for key, _mask in selector.select(timeout=wait):
            sock, state = key.fileobj, key.data
            if state["out"]:
                state["started"] = state["started"] or time.perf_counter()
                state["out"] = state["out"][sock.send(state["out"]) :]
                if not state["out"]:
                    selector.modify(sock, selectors.EVENT_READ, state)
                continue
            chunk = sock.recv(65536)
            if results[state["n"]] is None:
                state["in"] += chunk
                if b"\r\n" in state["in"]:
                    status = int(state["in"].split(b" ", 2)[1])
                    results[state["n"]] = (status, time.perf_counter() - state["started"])
            if not chunk:
                selector.unregister(sock)
                sock.close()
    selector.close()
    if None in results:
        raise SystemExit("a connection closed before its status line")
    return results


def latency_figures(codes: list[int], latencies: list[float]) -> dict:
    quantiles = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    return {
        "posts": len(codes),
        "errors": sum(1 for code in codes if code != 302),
        "server_errors": sum(1 for code in codes if code >= 500),
        "p50_ms": round(statistics.median(latencies) * 1000),
        "p95_ms": round(quantiles[18] * 1000),
        "max_ms": round(max(latencies) * 1000),
    }


def places_held(group_ids: list[int]) -> dict:
    """Places given in the groups, and the groups holding more than their capacity."""
    from django.db.models import Count, F, Q

    from groups.models import Enrolment, Group

    groups = Group.objects.filter(pk__in=group_ids).annotate(
        held=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.HOLDS_PLACE))
    )
    return {
        "confirmed": Enrolment.objects.filter(
            group_id__in=group_ids, status=Enrolment.Status.CONFIRMED
        ).count(),
        "waitlisted": Enrolment.objects.filter(
            group_id__in=group_ids, status=Enrolment.Status.WAITLISTED
        ).count(),
        "groups_over_capacity": groups.filter(held__gt=F("capacity")).count(),
    }


def floor_run(port: int, group_id: int, people: int) -> dict:
    """The burst against the floor's view (`tests/bench/floor.py`): the same number of POSTs
    at once, for the same places."""
    path = f"/bench/floor/{group_id}/"
    posts = [
        request_bytes(
            "POST",
            path,
            port,
            {"Content-Type": "application/x-www-form-urlencoded"},
            urllib.parse.urlencode(
                {"display_name": f"Floor {n}", "email": f"floor{n}@example.invalid"}
            ).encode(),
        )
        for n in range(people)
    ]
    burst(port, posts[:4])  # each worker's first request imports the view: not measured
    from groups.models import Enrolment

    Enrolment.objects.filter(group_id=group_id).delete()
    vacuum_enrolments()
    results = burst(port, posts)
    return {
        **latency_figures([code for code, _t in results], [t for _code, t in results]),
        **places_held([group_id]),
    }


async def sustained_posts(port: int, group_ids: list[int], count: int) -> list[bytes]:
    """`count` enrolment POSTs spread over the groups in turn, each a different person, on the
    cookies and CSRF tokens of one form per group."""
    forms = await asyncio.gather(
        *(person_prepare(port, f"/en/enrol/{group_id}/", n) for n, group_id in enumerate(group_ids))
    )
    posts = []
    for n in range(count):
        head, _sep, body = forms[n % len(forms)].partition(b"\r\n\r\n")
        fields = urllib.parse.parse_qs(body.decode())
        fields.update(display_name=[f"Sustained {n}"], email=[f"sustained{n}@example.invalid"])
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        head = re.sub(rb"Content-Length: \d+", f"Content-Length: {len(body)}".encode(), head)
        posts.append(head + b"\r\n\r\n" + body)
    return posts


def sustained_run(port: int, group_ids: list[int], *, seconds: float, rate: float) -> dict:
    """Enrolment POSTs arriving at `rate` a second for `seconds`, over the groups in turn."""
    posts = asyncio.run(sustained_posts(port, group_ids, max(1, round(seconds * rate))))
    started = time.perf_counter()
    results = burst(port, posts, rate=rate)
    return {
        "seconds": seconds,
        "rate": rate,
        "groups": len(group_ids),
        "wall_s": round(time.perf_counter() - started, 1),
        **latency_figures([code for code, _t in results], [t for _code, t in results]),
        **places_held(group_ids),
    }


def cpu_snapshot(workers: list[int]) -> dict:
    """CPU seconds so far of the workers, of this client and of the whole machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    worker_ticks = 0
    for pid in workers:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        worker_ticks += int(fields[11]) + int(fields[12])  # utime + stime
    machine = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = machine[3] + machine[4]  # idle + iowait
    return {
        "workers": worker_ticks / ticks,
        "client": time.process_time(),
        "busy": (sum(machine) - idle) / ticks,
        "wall": time.perf_counter(),
    }


def cpu_delta(before: dict, after: dict) -> dict:
    delta = {key: after[key] - before[key] for key in before}
    return {
        "burst_wall_s": round(delta["wall"], 2),
        "workers_cpu_s": round(delta["workers"], 2),
        "client_cpu_s": round(delta["client"], 2),
        # Everything else busy on the machine meanwhile: PostgreSQL and other people's work.
        "others_cpu_s": round(delta["busy"] - delta["workers"] - delta["client"], 2),
        "cores": os.cpu_count(),
    }


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def catalogue_path() -> str:
    from courses.models import CourseIndexPage

    return CourseIndexPage.objects.get(locale__language_code="fi").url


def run(
    *,
    people: int,
    places: int,
    port: int,
    workers: int,
    catalogue_requests: int,
    redis_url: str = "",
    probe: str = "",
    floor: bool = False,
    sustained_seconds: float = 0,
    sustained_rate: float = 50,
    sustained_groups: int = 20,
) -> dict:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database the bench may fill.")
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        # The site's settings with the bench's URLconf: the site's URLs and the floor's view.
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DEBUG": "false",
        "ENROLMENT_RATE_LIMIT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": redis_url,
    }
    probe_file = Path(tempfile.gettempdir()) / f"bench-probe-{os.getpid()}.txt"
    if probe:
        env.update(BENCH_PROBE=probe, BENCH_PROBE_FILE=str(probe_file))
    os.environ.update(env)
    group_id, floor_group_id, *sustained_ids = setup_groups(2 + sustained_groups, places)
    catalogue = catalogue_path()

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--log-level=warning",
            *([f"--config={Path(__file__).with_name('probes.py')}"] if probe else []),
        ],
        cwd=BASE_DIR,
        env=env,
    )
    path = f"/en/enrol/{group_id}/"
    try:
        wait_until_up(f"http://127.0.0.1:{port}{path}")
        # The reference: one POST at a time on a quiet, warm server (each worker's first POST
        # imports and compiles what the form's GET did not need; those are not measured).
        warm_codes, _warm = asyncio.run(load(port, path, 4 * workers, first=10_000))
        alone_codes, alone = [], []
        for n in range(9):
            codes, latencies = asyncio.run(load(port, path, 1, first=20_000 + n))
            alone_codes += codes
            alone += latencies
        from groups.models import Enrolment

        Enrolment.objects.filter(group_id=group_id).delete()
        vacuum_enrolments()
        probe_file.unlink(missing_ok=True)
        cpu = {"workers": worker_pids(server.pid)}
        codes, latencies = asyncio.run(load(port, path, people, cpu=cpu))
        cpu.pop("workers")
        floor_figures = floor_run(port, floor_group_id, people) if floor else {}
        sustained = (
            sustained_run(port, sustained_ids, seconds=sustained_seconds, rate=sustained_rate)
            if sustained_seconds
            else {}
        )
        idle_kib = max(memory_kib(pid, "VmRSS") for pid in worker_pids(server.pid))
        # Every request renders the whole catalogue: the query string makes each one a miss in
        # the page cache (the catalogue ignores the unknown parameter and shows every course).
        for n in range(catalogue_requests):
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}{catalogue}?bench={n}", timeout=300
            ).read()
        peak_kib = max(memory_kib(pid, "VmHWM") for pid in worker_pids(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)

    lock = {}
    if probe == "lock":
        held = [float(line) for line in probe_file.read_text().split()]
        probe_file.unlink()
        lock = {
            "lock_held_ms_mean": round(statistics.mean(held) * 1000, 2),
            "lock_held_s_total": round(sum(held), 2),
        }
    statuses = list(Enrolment.objects.filter(group_id=group_id).values_list("status", flat=True))
    quantiles = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    return {
        "broker": "redis" if redis_url else "database",
        "people": people,
        "places": places,
        "confirmed": statuses.count("confirmed"),
        "waitlisted": statuses.count("waitlisted"),
        "errors": sum(1 for code in codes if code != 302)
        + sum(c != 302 for c in alone_codes + warm_codes),
        "server_errors": sum(1 for code in codes if code >= 500),
        "alone_ms": round(statistics.median(alone) * 1000),
        "workers_cpu_ms_per_post": round(cpu["workers_cpu_s"] * 1000 / people, 1),
        **cpu,
        "p50_ms": round(statistics.median(latencies) * 1000),
        "p95_ms": round(quantiles[18] * 1000),
        "max_ms": round(max(latencies) * 1000),
        "worker_idle_rss_mib": round(idle_kib / 1024),
        "worker_peak_rss_mib": round(peak_kib / 1024),
        **lock,
        "floor": floor_figures,
        "sustained": sustained,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--places", type=int, default=10)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8199")))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--catalogue-requests", type=int, default=8)
    parser.add_argument("--redis", default="", help="a Redis database the bench may empty")
    parser.add_argument("--probe", choices=["lock", "stub"], default="")
    parser.add_argument("--floor", action="store_true", help="the burst on the floor's view too")
    parser.add_argument("--sustained-seconds", type=float, default=0)
    parser.add_argument("--sustained-rate", type=float, default=50)
    args = parser.parse_args()
    print(
        json.dumps(
            run(
                people=args.people,
                places=args.places,
                port=args.port,
                workers=args.workers,
                catalogue_requests=args.catalogue_requests,
                redis_url=args.redis,
                probe=args.probe,
                floor=args.floor,
                sustained_seconds=args.sustained_seconds,
                sustained_rate=args.sustained_rate,
            )
        )
    )


if __name__ == "__main__":
    main()
