"""Two gunicorn servers and two q2 clusters on one PostgreSQL and one Redis (broker and cache)
behave like one site: concurrent enrolments and cancellations give no overbooking, no double
offers and no double mails. Uses Redis database 6 of the local server (flushed first)."""

import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import redis

from cms.services.site import site_tree_ensure
from groups.models import Enrolment, OutboxMessage
from groups.selectors.enrolment import groups_with_free_places_and_queue
from groups.services.outbox import outbox_message_id
from tests.bench.abuse_http import _session
from tests.factories import GroupFactory
from tests.live.mail_sink import delivered_message_ids
from tests.live.processes import (
    database_url_for_processes,
    free_port,
    gunicorn_start,
    http_up,
    live_env,
    qcluster_start,
    stop_group,
    wait_for,
)

REDIS_URL = "redis://127.0.0.1:6379/6"
PLACES = 5

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def post_form(url: str, data: dict) -> int:
    opener, token = _session(url)
    request = urllib.request.Request(  # noqa: S310 - loopback
        url,
        urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode(),
        headers={"Referer": url},
    )
    try:
        return opener.open(request, timeout=120).status
    except urllib.error.HTTPError as error:
        return error.code


def all_at_once(calls) -> list[int]:
    barrier = threading.Barrier(len(calls))
    codes: list[int] = []

    def run(call):
        barrier.wait(timeout=120)
        codes.append(call())

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return codes


def test_two_web_servers_and_two_clusters_behave_like_one_site(tmp_path):
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError:
        pytest.fail("Redis does not answer on 127.0.0.1:6379")
    site_tree_ensure()
    group = GroupFactory(capacity=PLACES, min_size=PLACES)
    mail_dir = tmp_path / "mail"
    env = live_env(
        database_url=database_url_for_processes(),
        mail_dir=mail_dir,
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"vt-live-{time.monotonic_ns()}",
        ENROLMENT_RATE_LIMIT="0",
        Q_WORKERS="1",
        MAIL_SINK_DELAY="0.02",
    )
    ports = [free_port(), free_port()]
    processes = [
        gunicorn_start(env, tmp_path / f"web{n}.log", port, workers=1)
        for n, port in enumerate(ports)
    ]
    processes += [qcluster_start(env, tmp_path / f"q{n}.log") for n in range(2)]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base in bases:
            wait_for(lambda base=base: http_up(f"{base}/healthz"), seconds=120, what=base)

        def enrol(n: int):
            url = f"{bases[n % 2]}/fi/enrol/{group.pk}/"
            data = {"display_name": f"Nimi {n}", "email": f"p{n}@example.invalid"}
            return lambda: post_form(url, {**data, "language": "fi", "consent": "on"})

        codes = all_at_once([enrol(n) for n in range(12)])
        assert codes == [302] * 12

        confirmed = list(
            group.enrolments.filter(status=Enrolment.Status.CONFIRMED).values_list(
                "manage_token", flat=True
            )[:3]
        )

        def cancel(n: int, token: str):
            return lambda: post_form(f"{bases[n % 2]}/fi/my/{token}/cancel/", {})

        codes = all_at_once(
            [cancel(n, token) for n, token in enumerate(confirmed)]
            + [enrol(n) for n in range(12, 16)]
        )
        assert sorted(codes) == [302] * 7

        def settled() -> bool:
            return (
                not groups_with_free_places_and_queue()
                and not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()
                and len(delivered_message_ids(mail_dir)) == OutboxMessage.objects.count()
            )

        wait_for(settled, seconds=180, what="offers made and every mail sent")
        time.sleep(2)  # anything still running in a worker would show now
    finally:
        for process in processes:
            stop_group(process)

    statuses = list(group.enrolments.values_list("status", flat=True))
    held = statuses.count(Enrolment.Status.CONFIRMED) + statuses.count(Enrolment.Status.OFFERED)
    assert held == PLACES, statuses
    assert statuses.count(Enrolment.Status.OFFERED) == 3
    assert statuses.count(Enrolment.Status.CANCELLED) == 3
    offered = set(
        group.enrolments.filter(status=Enrolment.Status.OFFERED).values_list("pk", flat=True)
    )
    offer_mails = list(
        OutboxMessage.objects.filter(template="offer").values_list("enrolment_id", flat=True)
    )
    assert sorted(offer_mails) == sorted(offered)  # one offer each, nobody else
    delivered = delivered_message_ids(mail_dir)
    expected = [outbox_message_id(message) for message in OutboxMessage.objects.all()]
    assert sorted(delivered) == sorted(expected)  # every mail once, none twice
