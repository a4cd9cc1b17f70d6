"""A q2 cluster killed with SIGKILL half-way through its work loses and repeats nothing.

Real `manage.py qcluster` processes on the PostgreSQL test database (ORM broker), the outbox
writing to a file sink that outlives them. Marked postgres: `make test` runs them.
"""

import time

import pytest
from django.utils import timezone
from django_q.tasks import async_task

from cms.services.site import site_tree_ensure
from groups.models import Enrolment, OutboxMessage
from groups.selectors.enrolment import groups_with_free_places_and_queue
from groups.services.outbox import outbox_message_id, outbox_reference
from tests.factories import EnrolmentFactory, GroupFactory
from tests.live.mail_sink import delivered_message_ids, delivered_sms_references
from tests.live.processes import (
    database_url_for_processes,
    kill_group,
    live_env,
    qcluster_start,
    stop_group,
    wait_for,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

MESSAGES = 30
TEXTS = 20


def enqueue(func: str, *args) -> None:
    """Into the broker the cluster reads, whatever the test settings' sync mode says."""
    async_task(func, *args, sync=False)


def delivered_count(mail_dir, sms_dir) -> int:
    return len(delivered_message_ids(mail_dir)) + len(delivered_sms_references(sms_dir))


def all_sent() -> bool:
    return not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()


def test_a_sigkilled_cluster_loses_no_mail_sends_none_twice_and_leaves_no_place_unoffered(
    tmp_path,
):
    """One cluster, killed mid-batch while it sends 30 mails and 20 text messages and offers 24
    freed places in 12 groups; restarted, it finishes: every message delivered (by Message-ID
    or gateway reference) once, and no place left neither offered nor free. (One kill for
    all, to keep the suite fast.)"""
    site_tree_ensure()
    mail_dir = tmp_path / "mail"
    sms_dir = tmp_path / "sms"
    env = live_env(
        database_url=database_url_for_processes(),
        mail_dir=mail_dir,
        SMS_FILE_PATH=str(sms_dir),
        OUTBOX_SENDING_LEASE_SECONDS="2",
        MAIL_SINK_DELAY="0.15",
    )
    enrolments = EnrolmentFactory.create_batch(MESSAGES)
    rows = [
        OutboxMessage.objects.create(
            recipient=enrolment.email,
            language="fi",
            template="confirmed",
            context={"display_name": "", "group": "", "course": "", "manage_url": ""},
            idempotency_key=f"kill-test:{enrolment.pk}",
            enrolment=enrolment,
            next_attempt_at=timezone.now(),
        )
        for enrolment in enrolments
    ]
    texts = [
        OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.SMS,
            recipient=f"+3584012300{n:02d}",
            language="fi",
            template="confirmed",
            context={"centre": "Kriisikeskus", "short_url": "https://example.invalid/s/x"},
            idempotency_key=f"kill-test-sms:{n}",
            next_attempt_at=timezone.now(),
        )
        for n in range(TEXTS)
    ]
    groups = GroupFactory.create_batch(12, capacity=5, min_size=5)
    for group in groups:
        EnrolmentFactory.create_batch(5, group=group, status=Enrolment.Status.CONFIRMED)
        for n in range(3):
            EnrolmentFactory(
                group=group,
                status=Enrolment.Status.WAITLISTED,
                queued_at=timezone.now() + timezone.timedelta(seconds=n),
            )
        # Two people cancelled; their offer tasks are what the killed cluster was running.
        freed = group.enrolments.filter(status=Enrolment.Status.CONFIRMED)[:2]
        Enrolment.objects.filter(pk__in=[e.pk for e in freed]).update(
            status=Enrolment.Status.CANCELLED
        )
    # Mails and texts interleaved, so that the kill finds both under way.
    for index, row in enumerate(rows):
        enqueue("groups.tasks.outbox_send", row.pk)
        if index < len(texts):
            enqueue("groups.tasks.outbox_send", texts[index].pk)
    for group in groups:
        enqueue("groups.tasks.place_offer_next", group.pk)

    cluster = qcluster_start(env, tmp_path / "q1.log")
    try:
        wait_for(lambda: delivered_count(mail_dir, sms_dir) >= 8, seconds=90, what="first messages")
    finally:
        kill_group(cluster)
    delivered_before = delivered_count(mail_dir, sms_dir)
    assert 0 < delivered_before < MESSAGES + TEXTS, "the kill must land mid-batch"
    assert not all_sent()

    cluster = qcluster_start(env, tmp_path / "q2.log")
    try:

        def settled() -> bool:
            # The five- and ten-minute schedules, sooner.
            enqueue("groups.tasks.offers_expire_due")
            enqueue("groups.tasks.outbox_send_due")
            time.sleep(1)
            return not groups_with_free_places_and_queue() and all_sent()

        wait_for(settled, seconds=150, what="every message sent and every place offered")
    finally:
        stop_group(cluster)

    delivered = delivered_message_ids(mail_dir)
    mails = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL)
    expected = {outbox_message_id(row) for row in mails}
    assert set(delivered) == expected  # every message, and nothing else
    delivered_texts = delivered_sms_references(sms_dir)
    sms_rows = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.SMS)
    expected_texts = {outbox_reference(row) for row in sms_rows}
    assert set(delivered_texts) == expected_texts  # every text message, and nothing else
    # A repeat is possible only if the kill fell between the sink's acceptance and the commit
    # of `sent` (at most one per worker), and it carries the same Message-ID or reference.
    repeats = len(delivered) - len(expected) + len(delivered_texts) - len(expected_texts)
    assert repeats <= 2

    for group in groups:
        statuses = list(group.enrolments.values_list("status", flat=True))
        held = statuses.count(Enrolment.Status.CONFIRMED) + statuses.count(Enrolment.Status.OFFERED)
        assert held == 5, f"group {group.pk}: {statuses}"
        assert statuses.count(Enrolment.Status.OFFERED) == 2
        assert statuses.count(Enrolment.Status.WAITLISTED) == 1
    offered = Enrolment.objects.filter(status=Enrolment.Status.OFFERED)
    offer_mails = OutboxMessage.objects.filter(template="offer")
    assert sorted(offer_mails.values_list("enrolment_id", flat=True)) == sorted(
        offered.values_list("pk", flat=True)
    )  # one offer mail per offered person, none for anyone else
