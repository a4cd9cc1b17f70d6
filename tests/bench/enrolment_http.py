"""HTTP load run: gunicorn with 4 workers on PostgreSQL, N simultaneous enrolment POSTs for
10 places. Prints confirmed / waitlisted / errors and p50 / p95 latency as JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vt_bench .venv/bin/python \
        tests/bench/enrolment_http.py --people 200 --places 10

Not a timed test: it shows that the capacity rule holds over real HTTP and real processes.
"""

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))


def setup_group(places: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from tests.factories import CoursePageFactory, GroupFactory

    course = CoursePageFactory(slug=f"bench-{time.time_ns()}")
    return GroupFactory(course=course, capacity=places, min_size=min(5, places)).pk


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=10)  # noqa: S310 - local server
            return
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--places", type=int, default=10)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8199")))
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database the bench may fill.")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "false",
        "ENROLMENT_RATE_LIMIT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    group_id = setup_group(args.places)

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            f"--bind=127.0.0.1:{args.port}",
            f"--workers={args.workers}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    url = f"{base}/en/enrol/{group_id}/"
    try:
        wait_until_up(url)
        barrier = threading.Barrier(args.people)
        latencies: list[float] = []
        codes: list[int] = []

        def person(n: int) -> None:
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(jar), NoRedirect
            )
            page = opener.open(url, timeout=60).read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "display_name": f"Bench {n}",
                    "email": f"bench{n}@example.invalid",
                    "language": "fi",
                    "consent": "on",
                }
            ).encode()
            request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
            barrier.wait(timeout=120)
            started = time.perf_counter()
            try:
                code = opener.open(request, timeout=120).status
            except urllib.error.HTTPError as error:
                code = error.code
            latencies.append(time.perf_counter() - started)
            codes.append(code)

        threads = [threading.Thread(target=person, args=(n,)) for n in range(args.people)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    from groups.models import Enrolment

    statuses = list(Enrolment.objects.filter(group_id=group_id).values_list("status", flat=True))
    quantiles = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [0] * 19
    print(
        json.dumps(
            {
                "people": args.people,
                "places": args.places,
                "confirmed": statuses.count("confirmed"),
                "waitlisted": statuses.count("waitlisted"),
                "errors": sum(1 for code in codes if code != 302),
                "p50_ms": round(statistics.median(latencies) * 1000),
                "p95_ms": round(quantiles[18] * 1000),
            }
        )
    )


if __name__ == "__main__":
    main()
