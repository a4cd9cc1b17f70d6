"""A bot's burst over real HTTP on loopback: one address posts the enrolment and login forms
as fast as it may for a bounded time. Prints the answers per status code as JSON.

    make bench    # 1,000 requests in one minute against gunicorn on PostgreSQL
    .venv/bin/python tests/bench/abuse_http.py --base-url http://127.0.0.1:8106 \
        --group 1 --requests 1000 --seconds 60

`make test` runs a short version (tests/cms/test_abuse.py): 200 requests in a few seconds.
Every answer must be a form answer (200/302/400), a 429 or a CSRF 403, never a 5xx.
"""

import argparse
import collections
import http.cookiejar
import json
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _session(url: str) -> tuple[urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return opener, token


def burst(*, base_url: str, group_id: int, requests: int, seconds: float, threads: int = 8) -> dict:
    """Send `requests` POSTs, alternating enrolment and login, spread over `seconds`."""
    enrol_url = f"{base_url}/fi/enrol/{group_id}/"
    login_url = f"{base_url}/accounts/login/"
    codes: collections.Counter = collections.Counter()
    by_form: dict[str, collections.Counter] = {
        "enrol": collections.Counter(),
        "login": collections.Counter(),
    }
    bodies_with_trace: list[int] = []
    lock = threading.Lock()
    started = time.monotonic()
    interval = seconds / requests

    def worker(offset: int) -> None:
        enrol, enrol_token = _session(enrol_url)
        login, login_token = _session(login_url)
        for n in range(offset, requests, threads):
            pause = started + n * interval - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            if n % 2:
                form, opener, url = "login", login, login_url
                data = {"csrfmiddlewaretoken": login_token, "username": f"bot{n}", "password": "x"}
            else:
                form, opener, url = "enrol", enrol, enrol_url
                data = {
                    "csrfmiddlewaretoken": enrol_token,
                    "display_name": f"Bot {n}",
                    "email": f"bot{n}@example.invalid",
                    "language": "fi",
                    "consent": "on",
                }
            request = urllib.request.Request(  # noqa: S310 - loopback
                url, data=urllib.parse.urlencode(data).encode(), headers={"Referer": url}
            )
            try:
                response = opener.open(request, timeout=60)
                code, body = response.status, response.read()
            except urllib.error.HTTPError as error:
                code, body = error.code, error.read()
            with lock:
                codes[code] += 1
                by_form[form][code] += 1
                if b"Traceback" in body:
                    bodies_with_trace.append(code)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return {
        "requests": requests,
        "seconds": round(time.monotonic() - started, 1),
        "codes": dict(sorted(codes.items())),
        "enrol": dict(sorted(by_form["enrol"].items())),
        "login": dict(sorted(by_form["login"].items())),
        "server_errors": sum(count for code, count in codes.items() if code >= 500),
        "stack_traces": len(bodies_with_trace),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", help="a running site; without it gunicorn is started")
    parser.add_argument("--group", type=int, help="group id to enrol in (with --base-url)")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8198)
    args = parser.parse_args()
    sys.path.insert(0, str(BASE_DIR))
    from tests.bench.enrolment_http import setup_group, wait_until_up

    server = None
    if args.base_url:
        base_url, group_id = args.base_url.rstrip("/"), args.group
    else:
        import os
        import subprocess

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DEBUG": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
        os.environ.update(env)
        group_id = setup_group(10)
        command = [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--workers=4"]
        server = subprocess.Popen(
            [*command, f"--bind=127.0.0.1:{args.port}", "--log-level=warning"],
            cwd=BASE_DIR,
            env=env,
        )
        base_url = f"http://127.0.0.1:{args.port}"
    try:
        wait_until_up(f"{base_url}/healthz")
        result = burst(
            base_url=base_url, group_id=group_id, requests=args.requests, seconds=args.seconds
        )
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=10) as health:  # noqa: S310
            result["healthz_after"] = health.status
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps(result))
    if result["server_errors"] or result["stack_traces"] or not result["codes"].get(429):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
