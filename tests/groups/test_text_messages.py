"""Text messages (issue 26): phone-only people hear about their place, offers, reminders and
changes by text message, once, in their language, with no health information, and reach their
page through a short link."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from cms.models import ShortLink
from cms.services.short_links import short_link_for, short_links_purge_expired
from cms.sms import gsm7_length, sms_fits_one
from groups import tasks
from groups.models import Enrolment, Meeting, OutboxMessage
from groups.selectors.dashboard import outbox_failing
from groups.services import enrolment as services
from groups.services import outbox
from groups.services.privacy import personal_data_erase
from tests.factories import (
    CoursePageFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv", "en"]
TOPIC = "Itsemurhan kautta läheisensä menettäneet"
PHONE = "+358401234567"


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.ENROLMENT_RATE_LIMIT = 0
    settings.BASE_URL = "https://www.vertaistuki.fi"  # as long as a real address


def sent_texts(smsoutbox, to=PHONE) -> list[str]:
    return [message.body for message in smsoutbox if message.to == to]


def short_path(body: str) -> str:
    """The /s/<code> path of the short link in a message."""
    return "/s/" + body.split("/s/")[1].split()[0].rstrip(".")


def phone_only(**fields) -> Enrolment:
    return EnrolmentFactory(email="", phone=PHONE, **fields)


# --- what a message says ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_message_fits_one_gsm7_message_and_never_names_the_topic(site_tree, language):
    course = CoursePageFactory(title=TOPIC)
    centre = CrisisCentreFactory(name="Etelä-Pohjanmaan kriisikeskus")
    group = GroupFactory(course=course, centre=centre, name="Torstain suruhyvinvointiryhmä")
    enrolment = phone_only(
        group=group,
        language=language,
        display_name="Sininen lintu",
        status=Enrolment.Status.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(hours=30),
    )
    meeting = MeetingFactory(group=group, status=Meeting.Status.CANCELLED)

    for template in sorted(outbox.SMS_KINDS):
        for status in ("cancelled", "moved"):
            extra = {"meeting_starts_at": meeting.starts_at.isoformat(), "meeting_status": status}
            message = outbox.enrolment_message_queue(
                enrolment=enrolment, template=template, key_suffix=status, extra=extra
            )
            body = outbox.sms_render(template=template, language=language, context=message.context)

            assert message.channel == OutboxMessage.Channel.SMS
            assert gsm7_length(body) is not None, body
            assert sms_fits_one(body), f"{len(body)}: {body}"
            for secret in (TOPIC, "suru", "Sininen", "Itsemurha", "itsemurha"):
                assert secret not in body
            assert set(message.context) <= set(outbox.SMS_CONTEXT_KEYS)  # stored: no more
            assert "Etelä-Pohjanmaan kriisikeskus" in body
            assert "https://www.vertaistuki.fi/s/" in body


@pytest.mark.parametrize(
    ("language", "words", "helpline"),
    [
        ("fi", "ilmoittautumisesi on vastaanotettu", "Kriisipuhelin 09 2525 0111 (24/7)"),
        ("sv", "vi har tagit emot din anmälan", "09 2525 0111 (24/7)"),
        ("en", "we received your enrolment", "09 2525 0111 (24/7)"),
    ],
)
def test_a_short_message_carries_the_always_open_helpline_and_112(
    site_tree, language, words, helpline
):
    enrolment = phone_only(
        language=language, group=GroupFactory(centre=CrisisCentreFactory(name="Vantaa"))
    )

    message = outbox.enrolment_message_queue(enrolment=enrolment, template="received")
    body = outbox.sms_render(template="received", language=language, context=message.context)

    assert words in body
    assert helpline in body
    assert "112" in body
    assert sms_fits_one(body)


# --- the done-when path: enrol by phone, confirmation, offer, accept from the short link --------


def enrol(client, group, language, **data):
    with translation.override(language):
        url = reverse("groups:enrol", kwargs={"group_id": group.pk})
    form = {
        "display_name": "Sininen lintu",
        "email": "",
        "phone": "040 123 4567",
        "language": language,
        "consent": "on",
        "website": "",
        **data,
    }
    return client.post(url, form, follow=True)


@pytest.mark.parametrize(
    ("language", "confirmed", "offer", "accepted"),
    [
        ("fi", "paikkasi on vahvistettu", "sinulle vapautui paikka", "Tervetuloa"),
        ("sv", "din plats är bekräftad", "en plats är ledig för dig", "Välkommen"),
        ("en", "your place is confirmed", "a place is free for you", "Welcome"),
    ],
)
def test_phone_only_person_gets_texts_and_accepts_an_offer_from_its_short_link(
    client, site_tree, django_capture_on_commit_callbacks, smsoutbox, language, confirmed, offer,
    accepted,
):  # fmt: skip
    group = GroupFactory(capacity=1, min_size=1)
    with django_capture_on_commit_callbacks(execute=True):
        enrol(client, group, language, phone="040 765 4321")  # takes the only place
        enrol(client, group, language)  # the phone-only person queues

    first, queued = Enrolment.objects.order_by("pk")
    assert queued.phone == PHONE and queued.status == Enrolment.Status.WAITLISTED
    assert len(sent_texts(smsoutbox)) == 1  # "you are on the waiting list"
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment_id=first.pk)

    body = sent_texts(smsoutbox)[-1]
    assert offer in body
    queued.refresh_from_db()
    assert queued.status == Enrolment.Status.OFFERED

    response = client.get(short_path(body))
    with translation.override(language):
        offer_page = reverse("groups:offer", kwargs={"token": queued.manage_token})
    assert response.status_code == 302
    assert response["Location"] == offer_page

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(offer_page, {"answer": "accept"}, follow=True)

    queued.refresh_from_db()
    assert queued.status == Enrolment.Status.CONFIRMED
    assert accepted in page.content.decode()
    assert confirmed in sent_texts(smsoutbox)[-1]
    sms_rows = OutboxMessage.objects.filter(enrolment=queued, channel="sms")
    assert sorted(sms_rows.values_list("template", flat=True)) == [
        "confirmed",
        "offer",
        "waitlisted",
    ]
    assert set(sms_rows.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fi", "Anna puhelinnumero muodossa 040 123 4567 tai +358 40 123 4567"),
        ("sv", "Ange ett telefonnummer, till exempel 040 123 4567 eller +358 40 123 4567"),
        ("en", "Enter a phone number, like 040 123 4567 or +358 40 123 4567"),
    ],
)
def test_a_number_that_is_not_a_phone_number_is_refused_in_the_persons_language(
    client, site_tree, language, message
):
    response = enrol(client, GroupFactory(), language, phone="12345")

    html = response.content.decode()
    assert response.status_code == 400
    assert Enrolment.objects.count() == 0
    assert 'class="error-summary' in html
    assert html.count(message) == 2  # in the summary and at the field


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({}, "We have also sent the link to your phone in a text message."),
        (
            {"email": "a@example.invalid", "message_channel": "both"},
            "We have also sent the link to your e-mail and to your phone in a text message.",
        ),
        ({"email": "a@example.invalid"}, "We have also sent the link to your e-mail."),
    ],
)
def test_the_done_page_says_where_the_link_was_sent(client, site_tree, data, said):
    html = enrol(client, GroupFactory(), "en", **data).content.decode()
    assert said in html
    assert html.count("We have also sent the link") == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_tells_phone_only_people_they_get_text_messages(client, site_tree, language):
    with translation.override(language):
        url = reverse("groups:enrol", kwargs={"group_id": GroupFactory().pk})
        expected = str(
            translation.gettext(
                "Give an e-mail address, a phone number or both. If you give only a phone "
                "number, we send you text messages."
            )
        )
    html = client.get(url).content.decode()
    assert expected in html
    assert 'name="message_channel"' in html


# --- the channel chosen -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "emails", "texts"),
    [("email", 1, 0), ("sms", 0, 1), ("both", 1, 1), ("", 1, 0)],
)
def test_with_both_contacts_messages_go_where_the_person_chose(
    client, site_tree, django_capture_on_commit_callbacks, smsoutbox, choice, emails, texts
):
    with django_capture_on_commit_callbacks(execute=True):
        enrol(client, GroupFactory(), "en", email="lintu@example.invalid", message_channel=choice)

    assert len(mail.outbox) == emails
    assert len(smsoutbox) == texts


def test_a_choice_the_contacts_cannot_carry_is_not_kept(client, site_tree):
    enrol(
        client, GroupFactory(), "en", email="lintu@example.invalid", phone="", message_channel="sms"
    )
    assert Enrolment.objects.get().message_channel == "email"


def test_the_manage_page_changes_the_channel_and_the_next_message_follows_it(
    client, site_tree, django_capture_on_commit_callbacks, smsoutbox
):
    enrolment = EnrolmentFactory(phone=PHONE, status=Enrolment.Status.CONFIRMED)
    with translation.override("en"):
        manage = reverse("groups:manage", kwargs={"token": enrolment.manage_token})
        change = reverse("groups:manage_channel", kwargs={"token": enrolment.manage_token})
    assert 'name="message_channel"' in client.get(manage).content.decode()

    response = client.post(change, {"message_channel": "sms"}, follow=True)

    assert "Your choice has been saved." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.message_channel == "sms"
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment_id=enrolment.pk)
    assert mail.outbox == []
    assert len(smsoutbox) == 1


def test_the_manage_page_offers_no_channel_a_person_has_no_contact_for(client, site_tree):
    enrolment = phone_only(status=Enrolment.Status.CONFIRMED)
    with translation.override("en"):
        manage = reverse("groups:manage", kwargs={"token": enrolment.manage_token})
        change = reverse("groups:manage_channel", kwargs={"token": enrolment.manage_token})

    html = client.get(manage).content.decode()
    response = client.post(change, {"message_channel": "email"})

    assert 'name="message_channel"' not in html
    assert "We send you text messages to the phone number you gave." in html
    assert response.status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.message_channel == "email"  # untouched; resolved to text messages
    assert outbox.message_channels(
        email=enrolment.email, phone=enrolment.phone, preference=enrolment.message_channel
    ) == ["sms"]


# --- reminders and changes ---------------------------------------------------------------------


def test_offer_expiring_in_12_hours_is_reminded_once_by_mail_and_text(
    site_tree, django_capture_on_commit_callbacks, smsoutbox
):
    enrolment = EnrolmentFactory(
        phone=PHONE,
        message_channel="both",
        status=Enrolment.Status.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(hours=11),
    )
    EnrolmentFactory(
        status=Enrolment.Status.OFFERED, offer_expires_at=timezone.now() + dt.timedelta(hours=30)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.offer_expiry_reminders_queue() == 1
        assert outbox.offer_expiry_reminders_queue() == 1  # queued again: the same rows

    rows = OutboxMessage.objects.filter(template="offer_expiring")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms"]
    assert len(mail.outbox) == 1 and len(smsoutbox) == 1
    assert mail.outbox[0].to == [enrolment.email]
    assert "/s/" in smsoutbox[0].body


def test_no_expiry_reminder_when_offers_are_short(settings, site_tree):
    settings.OFFER_HOURS = 12
    phone_only(
        status=Enrolment.Status.OFFERED, offer_expires_at=timezone.now() + dt.timedelta(hours=3)
    )
    assert outbox.offer_expiry_reminders_queue() == 0


def test_phone_only_people_are_reminded_the_day_before_and_told_of_a_cancelled_meeting(
    site_tree, django_capture_on_commit_callbacks, smsoutbox
):
    group = GroupFactory()
    phone_only(group=group, status=Enrolment.Status.CONFIRMED)
    meeting = MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=20))

    with django_capture_on_commit_callbacks(execute=True):
        tasks.meeting_reminders_queue()
        tasks.meeting_reminders_queue()
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
        tasks.meeting_changed_notify(meeting.pk)

    texts = sent_texts(smsoutbox)
    assert len(texts) == 2
    assert "reminder" in texts[0] or "muistutus" in texts[0]
    assert "peruttu" in texts[1]


def test_group_cancelled_reaches_phone_only_people(
    site_tree, django_capture_on_commit_callbacks, smsoutbox
):
    group = GroupFactory()
    phone_only(group=group, status=Enrolment.Status.CONFIRMED, language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.group_cancelled_notify(group_id=group.pk) == 1
    assert "tyvärr är din grupp inställd" in sent_texts(smsoutbox)[0]


# --- sent once, failures shown ------------------------------------------------------------------


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception`."""


def queued_text() -> OutboxMessage:
    return outbox.enrolment_message_queue(enrolment=phone_only(), template="confirmed")


def test_a_text_message_is_never_sent_twice(smsoutbox, site_tree):
    message = queued_text()
    outbox.message_send(message_id=message.pk)
    outbox.message_send(message_id=message.pk)
    tasks.outbox_send_due()
    assert len(smsoutbox) == 1


def test_a_worker_killed_before_the_text_left_sends_it_once_after_the_lease(
    monkeypatch, smsoutbox, site_tree
):
    message = queued_text()

    def killed(**kwargs):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(outbox, "sms_send", killed)
        with pytest.raises(WorkerKilled):
            tasks.outbox_send(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING

    tasks.outbox_send_due()  # the lease still runs: nothing sent
    assert smsoutbox == []
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    tasks.outbox_send_due()
    tasks.outbox_send_due()

    assert len(smsoutbox) == 1
    assert smsoutbox[0].reference == outbox.outbox_reference(message)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_a_batch_killed_midway_loses_and_repeats_no_text_message(monkeypatch, smsoutbox, site_tree):
    """Ten messages; the worker dies on the fourth. After the lease, every message has gone
    exactly once (by reference)."""
    messages = [queued_text() for _ in range(10)]
    real_send = outbox.sms_send
    calls = []

    def dies_on_the_fourth(**kwargs):
        calls.append(kwargs)
        if len(calls) == 4:
            raise WorkerKilled
        return real_send(**kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(outbox, "sms_send", dies_on_the_fourth)
        with pytest.raises(WorkerKilled):
            tasks.outbox_send_due()
    assert len(smsoutbox) == 3

    tasks.outbox_send_due()  # the killed one is still leased; the rest go now
    OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING).update(
        next_attempt_at=timezone.now()
    )
    tasks.outbox_send_due()

    references = [sms.reference for sms in smsoutbox]
    assert sorted(references) == sorted(outbox.outbox_reference(m) for m in messages)
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()


def test_a_refused_number_fails_at_once_and_shows_on_the_dashboard(
    monkeypatch, site_tree, admin_user
):
    from cms.sms import SmsError

    message = queued_text()

    def refused(**kwargs):
        raise SmsError("GatewayAPI HTTP 422 0x0216", permanent=True)

    monkeypatch.setattr(outbox, "sms_send", refused)
    outbox.message_send(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 1
    assert message.last_error == "SmsError: GatewayAPI HTTP 422 0x0216"
    assert list(outbox_failing(user=admin_user)) == [message]


def test_a_gateway_that_keeps_failing_is_retried_with_growing_delay_then_given_up(
    monkeypatch, settings, site_tree
):
    from cms.sms import SmsError

    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = queued_text()

    def busy(**kwargs):
        raise SmsError("GatewayAPI HTTP 503")

    monkeypatch.setattr(outbox, "sms_send", busy)
    delays = []
    for _ in range(3):
        before = timezone.now()
        outbox.message_send(message_id=message.pk)
        message.refresh_from_db()
        if message.next_attempt_at:
            delays.append(message.next_attempt_at - before)
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())

    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3
    assert delays[0] < delays[1]


# --- short links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [("fi", "Tämä linkki on vanhentunut"), ("sv", "Länken har gått ut"), ("en", "has expired")],
)
def test_an_expired_short_link_answers_410_with_the_helplines_in_its_pages_language(
    client, site_tree, language, words
):
    enrolment = phone_only(language=language)
    with translation.override(language):
        target = reverse("groups:manage", kwargs={"token": enrolment.manage_token})
    link = short_link_for(
        target=target, expires_at=timezone.now() - dt.timedelta(minutes=1), owner=enrolment
    )

    response = client.get(f"/s/{link.code}")

    html = response.content.decode()
    assert response.status_code == 410
    assert f'<html lang="{language}">' in html
    assert "09 2525 0111" in html and "112" in html


def test_an_unknown_short_link_is_the_sites_404_page_with_helplines(client, site_tree):
    response = client.get("/s/eioleolemassa")
    assert response.status_code == 404
    assert "09 2525 0111" in response.content.decode()


def test_a_short_link_leads_only_to_a_page_of_this_site():
    with pytest.raises(ValueError):
        short_link_for(target="https://evil.example/", expires_at=timezone.now())
    with pytest.raises(ValueError):
        short_link_for(target="//evil.example/", expires_at=timezone.now())


def test_short_links_are_erased_with_the_person_and_purged_after_expiry(site_tree):
    enrolment = phone_only()
    other = phone_only(group=GroupFactory())
    outbox.enrolment_message_queue(enrolment=enrolment, template="confirmed")
    outbox.enrolment_message_queue(enrolment=other, template="confirmed")
    old = short_link_for(target="/fi/", expires_at=timezone.now() - dt.timedelta(days=31))
    assert ShortLink.objects.count() == 3

    personal_data_erase(enrolment_ids=[enrolment.pk])
    assert ShortLink.objects.filter(owner_id=enrolment.pk).count() == 0
    assert ShortLink.objects.filter(owner_id=other.pk).count() == 1
    row = OutboxMessage.objects.get(enrolment=enrolment)
    assert row.recipient == "" and row.context == {}

    assert short_links_purge_expired() == 1
    assert not ShortLink.objects.filter(pk=old.pk).exists()


def test_the_admin_lists_text_messages_with_the_number_masked_and_failures_on_the_dashboard(
    admin_client, site_tree
):
    message = queued_text()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED, last_error="SmsError: GatewayAPI HTTP 422 0x0216"
    )

    listing = admin_client.get(reverse("outbox:index")).content.decode()
    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()

    assert "+358 ••• 67" in listing
    assert "Tekstiviesti" in listing  # the channel column, in the admin's Finnish
    assert PHONE not in listing and "401234567" not in listing
    assert f"confirmed #{message.pk} (Tekstiviesti)" in dashboard
    assert "Viestit, joita ei voitu lähettää" in dashboard


def test_an_app_built_on_groups_sends_its_own_text_message_through_the_outbox(
    monkeypatch, site_tree, django_capture_on_commit_callbacks, smsoutbox, tmp_path, settings
):
    """The interest list's way in (docs/messages.md): register a kind, queue it per channel."""
    folder = tmp_path / "templates"
    (folder / "myapp").mkdir(parents=True)
    (folder / "myapp" / "open.txt").write_text(
        "{% autoescape off %}{{ centre }}: open from {{ starts_on }} {{ short_url }}"
        " {{ course }}{% endautoescape %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    monkeypatch.setattr(outbox, "REGISTERED_KINDS", {})
    monkeypatch.setattr(outbox, "REGISTERED_SMS_KINDS", {})
    outbox.message_kind_register(
        template="interest_open",
        subject="Open",
        path="myapp/open",
        sms_path="myapp/open.txt",
        sms_keys=("starts_on",),
    )
    context = {
        "centre": "Vantaa",
        "short_url": "https://x/s/abc",
        "starts_on": "1.3.",
        "course": TOPIC,
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.message_queue(
            channel="sms", recipient=PHONE, language="fi", template="interest_open",
            context=context, idempotency_key="sms:interest_open:1",
        )  # fmt: skip
        again = outbox.message_queue(
            channel="sms", recipient=PHONE, language="fi", template="interest_open",
            context=context, idempotency_key="sms:interest_open:1",
        )  # fmt: skip

    assert first.pk == again.pk
    assert len(smsoutbox) == 1
    assert smsoutbox[0].body.startswith("Vantaa: open from 1.3. https://x/s/abc")
    assert TOPIC not in smsoutbox[0].body  # a key not declared never reaches the template
    with pytest.raises(ValueError):
        outbox.message_queue(
            channel="sms", recipient=PHONE, language="fi", template="unregistered",
            context={}, idempotency_key="sms:x",
        )  # fmt: skip
