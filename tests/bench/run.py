"""`make bench`: every benchmark of issue 12 in one run, on a scratch PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vt_bench BENCH_SCALE=10 \
        .venv/bin/python tests/bench/run.py

Seeds the demo and the scale-N data set (`seed_demo`, then `scale_seed.py`; both kept between
runs), then measures and writes `bench/results.json`: a list of {name, value, unit, target, ok,
reference, ratio, note}. Absolute times depend on the machine; each figure comes with a
reference measured in the same run (a small case of the same work), so the ratio travels
between machines.

Writes made by a benchmark (a register save, a schedule, an import) are rolled back, so the data
set stays the same from run to run. Exit status 1 when a target is missed.

The enrolment figures are named by their phase (`enrolment_http.py`): `burst` (200 POSTs at
once for 10 places), `floor` (the same burst on a view that only locks, counts and inserts,
and the `burst / floor` ratio) and `sustained` (50 POSTs a second for 60 s over 20 groups).
A smoke run of the load run alone, with a sustained phase of a few seconds:

    make bench BENCH_SCALE=0.1 BENCH_ARGS="--http-only --sustained-seconds 3"
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

RESULTS: list[dict] = []


def record(
    name: str,
    value: float,
    unit: str,
    *,
    target: str | None = None,
    ok: bool = True,
    reference: float | None = None,
    note: str = "",
) -> None:
    ratio = round(value / reference, 2) if reference else None
    RESULTS.append(
        {
            "name": name,
            "value": value,
            "unit": unit,
            "target": target,
            "ok": bool(ok),
            "reference": reference,
            "ratio": ratio,
            "note": note,
        }
    )
    mark = "ok  " if ok else "MISS"
    ratio_text = f"  x{ratio} of reference {reference}" if ratio is not None else ""
    target_text = f"  (target {target})" if target else ""
    print(f"[{mark}] {name}: {value} {unit}{ratio_text}{target_text}", flush=True)
    if note:
        print(f"       {note}", flush=True)


class Timer:
    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started


def rolled_back(work):
    """Run `work()` in a transaction that is then rolled back; return its seconds."""
    from django.db import transaction

    with transaction.atomic():
        with Timer() as timer:
            work()
        transaction.set_rollback(True)
    return timer.seconds


# --- Pages ------------------------------------------------------------------------------------


def page_queries(client, url: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), len(response.content)


def throughput(client, url: str, *, seconds: float, at_least: int = 3) -> float:
    count = 0
    started = time.perf_counter()
    while count < at_least or time.perf_counter() - started < seconds:
        response = client.get(url)
        assert response.status_code == 200
        count += 1
    return count / (time.perf_counter() - started)


def bench_pages(seconds: float) -> None:
    from django.core.cache import cache
    from django.test import Client, override_settings

    from courses.models import CourseIndexPage, CoursePage, Topic
    from network.models import ExpertDirectoryPage
    from tests.bench.scale_seed import SLUG_PREFIX

    catalogue = CourseIndexPage.objects.get(locale__language_code="fi")
    big_course = CoursePage.objects.filter(slug=f"{SLUG_PREFIX}0").first()
    # The same kind of course (a residential one shows its programme) with a few groups.
    small_course = (
        CoursePage.objects.live()
        .filter(locale=catalogue.locale, format=big_course.format)
        .exclude(slug__startswith=SLUG_PREFIX)
        .order_by("pk")
        .first()
    )
    directory = ExpertDirectoryPage.objects.get(locale__language_code="fi")
    topic = Topic.objects.filter(locale=catalogue.locale).order_by("slug").first()
    pages = [
        # name, the page on the large set, the reference: the same page with few rows
        ("catalogue", catalogue.url, f"{catalogue.url}?topic={topic.slug}&weeks=1"),
        ("course page", big_course.url, small_course.url),
        ("expert directory", directory.url, f"{directory.url}?county=kainuu"),
    ]
    client = Client(HTTP_HOST="localhost")
    for name, url, small_url in pages:
        with override_settings(PAGE_CACHE_SECONDS=0):
            page_queries(client, url)  # warm-up: templates, translations, site root
            queries, size = page_queries(client, url)
            small_queries, _small_size = page_queries(client, small_url)
            uncached = throughput(client, url, seconds=seconds)
        record(
            f"{name}: queries per request, large set",
            queries,
            "queries",
            target="<= 15 and the same as with few rows",
            ok=queries <= 15 and queries == small_queries,
            reference=small_queries,
            note=f"reference: {small_url} (few rows); page {size // 1024} KiB",
        )
        cache.clear()
        client.get(url)  # fills the page cache
        cached_queries, _size = page_queries(client, url)
        record(
            f"{name}: queries per request from the page cache",
            cached_queries,
            "queries",
            target="0",
            ok=cached_queries == 0,
        )
        cached = throughput(client, url, seconds=seconds, at_least=50)
        record(
            f"{name}: requests/s from the page cache",
            round(cached, 1),
            "req/s",
            target=">= 10x uncached",
            ok=cached >= 10 * uncached,
            reference=round(uncached, 2),
            note="reference: the same page rendered without the page cache (in-process client)",
        )


def bench_search(seconds: float) -> None:
    """Site search (issue 25) on the scale data: queries per request with many matches against a
    search with few, requests per second without and with the page cache."""
    from django.core.cache import cache
    from django.test import Client, override_settings

    from cms.services.search import search_index_rebuild

    # The scale data's groups are bulk-inserted (no signals): write the documents as a deploy
    # after a bulk load would (`manage.py search_index_rebuild`).
    with Timer() as rebuild:
        documents = search_index_rebuild()
    record("search: index rebuild", round(rebuild.seconds, 1), "s", note=f"{documents} documents")
    client = Client(HTTP_HOST="localhost")
    # Many matches: a word of every scale course's summary (and of the centres' services); few:
    # one town, its centre and the course with a group there (the same kinds of result).
    url, small_url = "/fi/search/?q=vertaistukea", "/fi/search/?q=Kajaani"
    with override_settings(PAGE_CACHE_SECONDS=0):
        page_queries(client, url)  # warm-up
        queries, size = page_queries(client, url)
        small_queries, _small_size = page_queries(client, small_url)
        uncached = throughput(client, url, seconds=seconds)
    record(
        "search: queries per request, many matches",
        queries,
        "queries",
        target="<= 15 and the same as with few matches",
        ok=queries <= 15 and queries == small_queries,
        reference=small_queries,
        note=f"reference: {small_url}; page {size // 1024} KiB",
    )
    record("search: requests/s without the page cache", round(uncached, 1), "req/s")
    cache.clear()
    client.get(url)
    cached = throughput(client, url, seconds=seconds, at_least=50)
    record(
        "search: requests/s from the page cache",
        round(cached, 1),
        "req/s",
        target=">= 10x uncached",
        ok=cached >= 10 * uncached,
        reference=round(uncached, 2),
    )


# --- Writes and reports -----------------------------------------------------------------------


def register_group(size: int):
    """A group that met yesterday with `size` confirmed people (inside the caller's transaction)."""
    import datetime as dt

    from django.utils import timezone

    from courses.models import CoursePage
    from groups.models import Enrolment, Group, Meeting
    from tests.bench.scale_seed import SLUG_PREFIX

    course = CoursePage.objects.get(slug=f"{SLUG_PREFIX}0")
    now = timezone.now()
    group = Group.objects.create(course=course, status=Group.Status.RUNNING, capacity=10)
    Enrolment.objects.bulk_create(
        Enrolment(
            group=group,
            display_name=f"Register {n}",
            email=f"register{n}@example.invalid",
            consent_text_version="bench",
            consented_at=now - dt.timedelta(days=3),
            status=Enrolment.Status.CONFIRMED,
        )
        for n in range(size)
    )
    Enrolment.objects.filter(group=group).update(created_at=now - dt.timedelta(days=3))
    meeting = Meeting.objects.create(
        group=group, starts_at=now - dt.timedelta(days=1), ends_at=now - dt.timedelta(hours=22)
    )
    return meeting, list(group.enrolments.values_list("pk", flat=True))


def bench_register() -> None:
    from django.contrib.auth import get_user_model

    from groups.services.attendance import attendance_record_bulk

    user = get_user_model().objects.get(username="facilitator")
    timings = {}
    for size in (1, 10):

        def work(size=size):
            meeting, people = register_group(size)
            with Timer() as timer:
                attendance_record_bulk(
                    meeting=meeting, statuses=dict.fromkeys(people, "present"), user=user
                )
            timings[size] = timer.seconds

        rolled_back(work)
    record(
        "register save, 10 participants",
        round(timings[10] * 1000, 1),
        "ms",
        target="< 500 ms",
        ok=timings[10] < 0.5,
        reference=round(timings[1] * 1000, 1),
        note="reference: the same save for 1 participant",
    )


def bench_reports() -> None:
    from groups.admin.reports import GROUPS_PER_PAGE
    from groups.models import Group
    from groups.selectors.reports import group_figures, report_by, report_groups, report_selection
    from tests.bench.scale_seed import SLUG_PREFIX

    one_course = Group.objects.filter(course__slug=f"{SLUG_PREFIX}0")
    with Timer() as small:
        report_by(dimension="course", queryset=one_course)
    for dimension in ("course", "centre", "topic", "month"):
        with Timer() as timer:
            rows = report_by(dimension=dimension)
        record(
            f"report by {dimension}, large set",
            round(timer.seconds, 2),
            "s",
            target="< 2 s",
            ok=timer.seconds < 2,
            reference=round(small.seconds, 3),
            note=f"{len(rows)} rows; reference: the report of one course's groups",
        )
    # The report by group as the admin serves it: every group in the download (no rates per
    # meeting: only the charts show them), a page of groups with their charts on screen.
    with Timer() as timer:
        selected = report_selection()
        groups = report_groups(queryset=selected)
        group_figures(groups=groups, within=selected, per_meeting=False)
    record(
        "report by group, download of all groups, large set",
        round(timer.seconds, 2),
        "s",
        target="< 2 s",
        ok=timer.seconds < 2,
        reference=round(small.seconds, 3),
        note=f"{len(groups)} groups",
    )
    with Timer() as timer:
        groups = report_groups(queryset=report_selection())
        group_figures(groups=groups[-GROUPS_PER_PAGE:])
    record(
        "report by group, a page of groups with rates per meeting, large set",
        round(timer.seconds, 2),
        "s",
        target="< 2 s",
        ok=timer.seconds < 2,
        reference=round(small.seconds, 3),
        note=f"the last {GROUPS_PER_PAGE} of {len(groups)} groups",
    )


def bench_schedule(count: int) -> None:
    import datetime as dt

    import recurrence
    from django.utils import timezone

    from courses.models import CoursePage
    from groups.models import Group
    from groups.services.schedule import meetings_schedule
    from tests.bench.scale_seed import SLUG_PREFIX

    course = CoursePage.objects.get(slug=f"{SLUG_PREFIX}0")
    start = timezone.localdate() + dt.timedelta(days=30)

    def materialise(n: int) -> None:
        groups = Group.objects.bulk_create(
            Group(
                course=course,
                schedule=recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=12"),
                schedule_from=start,
                start_time=dt.time(17, 30),
            )
            for _n in range(n)
        )
        with Timer() as timer:
            for group in groups:
                meetings_schedule(group=group)
        timings[n] = timer.seconds

    timings: dict[int, float] = {}
    rolled_back(lambda: materialise(count // 10))
    rolled_back(lambda: materialise(count))
    record(
        f"schedule materialisation, {count} groups x 12 meetings",
        round(timings[count], 1),
        "s",
        target="linear: <= 12x the tenth",
        ok=timings[count] <= 12 * timings[count // 10],
        reference=round(timings[count // 10], 2),
        note=f"reference: {count // 10} groups",
    )


def bench_expert_import(rows: int) -> None:
    from network.resources import ExpertResource
    from tests.bench.test_expert_import import dataset

    def import_rows(n: int) -> None:
        sheet = dataset(n)
        with Timer() as timer:
            preview = ExpertResource().import_data(sheet, dry_run=True, raise_errors=False)
            result = ExpertResource().import_data(sheet, dry_run=False, raise_errors=False)
        assert not preview.has_validation_errors() and not result.has_errors()
        timings[n] = timer.seconds

    timings: dict[int, float] = {}
    rolled_back(lambda: import_rows(rows // 10))
    rolled_back(lambda: import_rows(rows))
    record(
        f"expert import, {rows} rows (preview + import)",
        round(timings[rows], 1),
        "s",
        target="< 60 s",
        ok=timings[rows] < 60,
        reference=round(timings[rows // 10], 2),
        note=f"reference: {rows // 10} rows",
    )


# --- Interest list ----------------------------------------------------------------------------


def _interests_seed(count: int, *, group) -> None:
    """`count` waiting interests spread as real ones would be: over the topics, three languages,
    the towns of the crisis centres (one or two each, a third also online), start windows over a
    year and six months of arrival. Marked by their consent version, deleted afterwards."""
    import datetime as dt
    import random

    from django.utils import timezone

    from cms.models import CrisisCentre
    from courses.models import Topic
    from groups.models import Interest, InterestTown

    rng = random.Random(27)
    topics = list({topic.translation_key for topic in Topic.objects.all()})
    towns = sorted(set(CrisisCentre.objects.values_list("city", flat=True))) or ["Joensuu"]
    now = timezone.now()
    today = timezone.localdate()
    batch = 5_000
    for start in range(0, count, batch):
        rows = []
        for n in range(start, min(start + batch, count)):
            earliest = today + dt.timedelta(days=rng.randint(-60, 300)) if n % 3 else None
            rows.append(
                Interest(
                    topic_key=topics[n % len(topics)]
                    if n % 5
                    else group.course.topic.translation_key,
                    course_key=group.course.translation_key if n % 4 == 0 else None,
                    online=n % 3 == 0,
                    language=rng.choices(["fi", "sv", "en"], weights=[7, 2, 1])[0],
                    earliest_start=earliest,
                    latest_start=earliest + dt.timedelta(days=120) if earliest and n % 2 else None,
                    display_name=f"Bench {n}",
                    phone=f"+3584010{n:05d}",
                    consent_text_version="bench",
                    consented_at=now,
                    created_at=now - dt.timedelta(minutes=rng.randint(0, 260_000)),
                    expires_at=now + dt.timedelta(days=180),
                )
            )
        created = Interest.objects.bulk_create(rows)
        InterestTown.objects.bulk_create(
            InterestTown(interest=interest, town=town)
            for interest in created
            for town in rng.sample(towns, k=1 + (interest.pk % 2))
        )


def bench_interest(count: int) -> None:
    """Matching a newly opened group against `count` waiting interests (issue 27): the time
    of `holds_give` (lock, count, match the oldest, keep the places, queue the messages) and its
    queries, against a tenth of the interests. Everything made is deleted afterwards."""
    from unittest import mock

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.models import CrisisCentre
    from courses.models import CoursePage
    from groups.models import Group, Interest, PlaceHold
    from groups.services.interest import holds_give

    course = CoursePage.objects.filter(live=True).order_by("pk").first()
    centre = CrisisCentre.objects.order_by("pk").first()
    # Django's content-type cache, filled once per process, is not part of the figure.
    ContentType.objects.get_for_models(Interest, PlaceHold)
    figures = {}
    try:
        for size in (count // 10, count):
            Interest.objects.filter(consent_text_version="bench").delete()
            group = Group.objects.create(
                course=course,
                centre=centre,
                language="fi",
                capacity=10,
                min_size=5,
                status=Group.Status.OPEN,
                name="bench-interest",
            )
            _interests_seed(size, group=group)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE groups_interest; ANALYZE groups_interesttown")
            # No task is queued: the figure is the matching, not the broker.
            with (
                mock.patch("cms.services.tasks.task_enqueue"),
                CaptureQueriesContext(connection) as queries,
                Timer() as timer,
            ):
                holds = holds_give(group_id=group.pk)
            figures[size] = (timer.seconds, len(queries), len(holds))
            Group.objects.filter(pk=group.pk).delete()
    finally:
        Interest.objects.filter(consent_text_version="bench").delete()
        Group.objects.filter(name="bench-interest").delete()
    seconds, queries, kept = figures[count]
    small_seconds, small_queries, _kept = figures[count // 10]
    record(
        f"interest: match a newly opened group against {count} interests",
        round(seconds * 1000, 1),
        "ms",
        target="< 1000 ms, queries as for a tenth",
        ok=seconds < 1 and queries == small_queries,
        reference=round(small_seconds * 1000, 1),
        note=f"{queries} queries ({small_queries} for {count // 10}); {kept} places kept",
    )


def bench_http(
    people: int,
    places: int,
    port: int,
    redis_url: str,
    *,
    sustained_seconds: float = 60,
    sustained_rate: float = 50,
) -> None:
    """The load run as the README deploys for the whole network (PostgreSQL and, given
    `redis_url`, Redis): the enrolment `burst`, its `floor` and the `sustained` arrival
    (`enrolment_http.py` tells what each is); then the burst once more without Redis, for
    comparison (no target)."""
    from tests.bench import enrolment_http

    result = enrolment_http.run(
        people=people,
        places=places,
        port=port,
        workers=4,
        catalogue_requests=8,
        redis_url=redis_url,
        floor=True,
        sustained_seconds=sustained_seconds,
        sustained_rate=sustained_rate,
    )
    print(json.dumps(result), flush=True)
    reference = {
        "reference": result["alone_ms"],
        "note": "reference: median of 9 single POSTs on the warm server",
    }
    record(
        f"burst: places given to {people} simultaneous POSTs for {places} places",
        result["confirmed"],
        "enrolments",
        target=f"exactly {places}",
        ok=result["confirmed"] == places and result["waitlisted"] == people - places,
    )
    record("burst: errors", result["errors"], "responses", target="0", ok=result["errors"] == 0)
    record("burst: p50", result["p50_ms"], "ms", **reference)
    record(
        "burst: p95",
        result["p95_ms"],
        "ms",
        target="< 1500 ms",
        ok=result["p95_ms"] < 1500,
        **reference,
    )
    floor = result["floor"]
    record(
        "floor: p95 of the same burst on a view that only locks, counts and inserts",
        floor["p95_ms"],
        "ms",
        ok=floor["errors"] == 0 and floor["confirmed"] == places,
        note=(
            f"{floor['confirmed']} confirmed, {floor['errors']} errors, p50 {floor['p50_ms']} ms "
            "(tests/bench/floor.py, mounted only by the bench's URLconf)"
        ),
    )
    record(
        "burst / floor: p95 ratio",
        round(result["p95_ms"] / max(floor["p95_ms"], 1), 2),
        "x",
        target="<= 2",
        ok=result["p95_ms"] <= 2 * floor["p95_ms"],
        note="the enrolment's p95 over the floor's, in the same deployment and run",
    )
    # Fairness of the latency figures: what the workers, the load client and everything else on
    # the machine (PostgreSQL, other processes) used during the burst of POSTs.
    record(
        "burst: worker CPU per POST",
        result["workers_cpu_ms_per_post"],
        "ms",
        reference=result["alone_ms"],
        note=(
            f"burst {result['burst_wall_s']} s on {result['cores']} cores: workers "
            f"{result['workers_cpu_s']} s CPU, client {result['client_cpu_s']} s, everything "
            f"else {result['others_cpu_s']} s; reference: one POST alone (wall)"
        ),
    )
    sustained = result["sustained"]
    arrival = (
        f"{sustained['posts']} POSTs at {sustained['rate']:g}/s for {sustained['seconds']:g} s "
        f"over {sustained['groups']} groups"
    )
    record(
        "sustained: p95",
        sustained["p95_ms"],
        "ms",
        target="< 300 ms",
        ok=sustained["p95_ms"] < 300,
        note=f"{arrival}; p50 {sustained['p50_ms']} ms, sent in {sustained['wall_s']} s",
        **{"reference": result["alone_ms"]},
    )
    record(
        "sustained: errors",
        sustained["errors"],
        "responses",
        target="0",
        ok=sustained["errors"] == 0,
        note=arrival,
    )
    record(
        "sustained: groups over capacity",
        sustained["groups_over_capacity"],
        "groups",
        target="0",
        ok=sustained["groups_over_capacity"] == 0,
        note=f"{sustained['confirmed']} places given, {sustained['waitlisted']} on waiting lists",
    )
    record(
        "peak RSS of a worker serving the catalogue",
        result["worker_peak_rss_mib"],
        "MiB",
        target="< 300 MiB",
        ok=result["worker_peak_rss_mib"] < 300,
        reference=result["worker_idle_rss_mib"],
        note="reference: the largest worker after the enrolment run, before the catalogue",
    )
    if not redis_url:
        return
    without_redis = enrolment_http.run(
        people=people, places=places, port=port, workers=4, catalogue_requests=0
    )
    print(json.dumps(without_redis), flush=True)
    record(
        "burst without Redis (database broker, a cache per worker): p95",
        without_redis["p95_ms"],
        "ms",
        ok=without_redis["confirmed"] == places and without_redis["errors"] == 0,
        reference=without_redis["alone_ms"],
        note=(
            f"{without_redis['confirmed']} confirmed, {without_redis['errors']} errors; "
            f"worker CPU per POST {without_redis['workers_cpu_ms_per_post']} ms; "
            "reference: one POST alone"
        ),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "10")))
    parser.add_argument("--out", default=str(BASE_DIR / "bench" / "results.json"))
    parser.add_argument("--seconds", type=float, default=5, help="per throughput measurement")
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--places", type=int, default=10)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8199")))
    parser.add_argument("--expert-rows", type=int, default=10_000)
    parser.add_argument("--schedule-groups", type=int, default=1_000)
    parser.add_argument("--interests", type=int, default=100_000)
    parser.add_argument(
        "--only",
        choices=["interest"],
        help="seed the demo only and run this one benchmark (a quick local run of it)",
    )
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument(
        "--http-only", action="store_true", help="only the load run (a smoke test of it)"
    )
    parser.add_argument(
        "--sustained-seconds",
        type=float,
        default=60,
        help="length of the sustained arrival (a few seconds for a smoke run)",
    )
    parser.add_argument("--sustained-rate", type=float, default=50, help="POSTs a second")
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL", ""),
        help="a Redis database the load run may empty (the deployment's cache and broker)",
    )
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit(
            "Set DATABASE_URL (or BENCH_DB for make) to a scratch PostgreSQL database."
        )
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "ENROLMENT_RATE_LIMIT": "0",
        }
    )
    os.environ.pop("REDIS_URL", None)  # the in-process page cache: no network in the figures
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from groups.models import Attendance, Enrolment, Group, Meeting
    from tests.bench.scale_seed import scale_data_seed

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    if args.only == "interest":
        call_command("seed_demo", verbosity=0)
        bench_interest(args.interests)
        return 0 if all(row["ok"] for row in RESULTS) else 1
    with Timer() as seed:
        call_command("seed_demo", verbosity=0)
        scale_data_seed(scale=args.scale)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sizes = {
        "groups": Group.objects.count(),
        "meetings": Meeting.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "attendance": Attendance.objects.count(),
    }
    print(f"Data set at scale {args.scale}: {sizes}", flush=True)
    record(
        f"seed_demo and scale data {args.scale} (only adds what is missing)",
        round(seed.seconds, 1),
        "s",
        note=json.dumps(sizes),
    )

    if not args.http_only:
        bench_pages(args.seconds)
        bench_search(args.seconds)
        bench_register()
        bench_reports()
        bench_schedule(args.schedule_groups)
        bench_expert_import(args.expert_rows)
        bench_interest(args.interests)
    if not args.skip_http:
        bench_http(
            args.people,
            args.places,
            args.port,
            args.redis,
            sustained_seconds=args.sustained_seconds,
            sustained_rate=args.sustained_rate,
        )

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(RESULTS, indent=2) + "\n")
    missed = [row["name"] for row in RESULTS if not row["ok"]]
    print(
        f"\n{len(RESULTS)} figures in {time.perf_counter() - started:.0f} s, written to {out}; "
        + (f"targets missed: {', '.join(missed)}" if missed else "every target met"),
        flush=True,
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
