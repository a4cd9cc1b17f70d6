"""The interest list (issue 27): matching, places kept through the one capacity rule, the
private page, withdrawal and the end of an interest."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from groups import tasks
from groups.capacity import groups_with_places, place_counts
from groups.exceptions import InterestError
from groups.models import Enrolment, Group, Interest, OutboxMessage, PlaceHold
from groups.selectors.availability import GroupState, group_state
from groups.services.enrolment import enrolment_create, place_offer_next
from groups.services.interest import (
    hold_release,
    holds_give,
    interest_create,
    interest_erase,
    interests_remind_and_end,
)
from groups.tasks import offers_expire_due
from tests.factories import CrisisCentreFactory, EnrolmentFactory, GroupFactory

pytestmark = pytest.mark.django_db


def _group(**fields):
    fields.setdefault("centre", CrisisCentreFactory(name="Joensuun kriisikeskus", city="Joensuu"))
    fields.setdefault("capacity", 5)
    fields.setdefault("min_size", 3)
    return GroupFactory(**fields)


def _interest(group: Group, n: int = 0, **fields) -> Interest:
    values = {
        "topic_key": group.course.topic.translation_key,
        "towns": ["Joensuu"],
        "online": False,
        "language": group.language,
        "display_name": f"Kiinnostunut {n}",
        "email": f"interest{n}@example.invalid",
        "consent_text_version": "2026-1",
    }
    values.update(fields)
    return interest_create(**values)


def test_a_matching_group_keeps_places_for_the_oldest_interests_first(site_tree):
    group = _group(capacity=3, min_size=3)
    people = [_interest(group, n, now=timezone.now() - dt.timedelta(days=10 - n)) for n in range(5)]

    holds = holds_give(group_id=group.pk)

    assert [hold.interest_id for hold in holds] == [person.pk for person in people[:3]]
    assert place_counts(group).left == 0
    annotated = groups_with_places(Group.objects.filter(pk=group.pk)).get()
    assert (annotated.places_held, annotated.places_left) == (3, 0)
    # The public sees the group as full: places kept count as taken.
    state = group_state(group=group, places_left=annotated.places_left, course_public=True)
    assert state == GroupState.WAITLIST


def test_no_place_is_kept_twice_and_each_person_is_told_once(site_tree):
    group = _group(capacity=2, min_size=2)
    for n in range(3):
        _interest(group, n)
    mail.outbox.clear()

    first = holds_give(group_id=group.pk)
    again = holds_give(group_id=group.pk)

    assert len(first) == 2 and again == []
    assert PlaceHold.objects.filter(group=group, status="open").count() == 2
    kept = [message for message in mail.outbox if "kept" in message.body or "hold" in message.body]
    assert len(OutboxMessage.objects.filter(template="interest_place_kept")) == 2
    assert len(kept) <= 2


def test_only_matching_interests_are_kept_a_place(site_tree):
    group = _group(starts_on=timezone.localdate() + dt.timedelta(days=30))
    other_town = _interest(group, 1, towns=["Tampere"])
    other_language = _interest(group, 2, language="sv")
    too_late = _interest(group, 3, latest_start=timezone.localdate() + dt.timedelta(days=10))
    online_only = _interest(group, 4, towns=[], online=True)
    match = _interest(group, 5, earliest_start=timezone.localdate())

    holds = holds_give(group_id=group.pk)

    assert [hold.interest_id for hold in holds] == [match.pk]
    assert {other_town.pk, other_language.pk, too_late.pk, online_only.pk}.isdisjoint(
        {hold.interest_id for hold in holds}
    )


def test_a_remote_group_matches_online_interests(site_tree):
    group = _group(mode=Group.Mode.REMOTE)
    online = _interest(group, 1, towns=[], online=True)
    _interest(group, 2)  # Joensuu only

    assert [hold.interest_id for hold in holds_give(group_id=group.pk)] == [online.pk]


def test_the_waiting_list_goes_first(site_tree):
    group = _group(capacity=2, min_size=2)
    EnrolmentFactory(group=group)
    EnrolmentFactory(group=group, status=Enrolment.Status.WAITLISTED, queued_at=timezone.now())
    _interest(group)

    assert holds_give(group_id=group.pk) == []


def test_no_place_kept_before_enrolment_opens(site_tree):
    group = _group(enrolment_opens=timezone.now() + dt.timedelta(days=1))
    _interest(group)
    assert holds_give(group_id=group.pk) == []


def test_taking_the_kept_place_enrols_and_erases_the_interest(site_tree):
    group = _group(capacity=1, min_size=1)
    interest = _interest(group, phone="040 123 4567", email="")
    (hold,) = holds_give(group_id=group.pk)

    enrolment = enrolment_create(
        group_id=group.pk,
        display_name=interest.display_name,
        phone=interest.phone,
        consent_text_version="2026-1",
        hold_token=hold.token,
    )

    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert not Interest.objects.filter(pk=interest.pk).exists()
    assert not PlaceHold.objects.exists()
    assert place_counts(group).left == 0


def test_a_newcomer_cannot_take_a_kept_place(site_tree):
    group = _group(capacity=1, min_size=1)
    _interest(group)
    holds_give(group_id=group.pk)

    newcomer = enrolment_create(
        group_id=group.pk,
        display_name="Uusi",
        email="new@example.invalid",
        consent_text_version="2026-1",
    )

    assert newcomer.status == Enrolment.Status.WAITLISTED


def test_an_expired_hold_cannot_be_taken_and_its_place_goes_on(site_tree):
    group = _group(capacity=1, min_size=1)
    first = _interest(group, 1, now=timezone.now() - dt.timedelta(days=2))
    second = _interest(group, 2)
    (hold,) = holds_give(group_id=group.pk)
    assert hold.interest_id == first.pk
    PlaceHold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    with pytest.raises(InterestError):
        enrolment_create(
            group_id=group.pk,
            display_name="Myöhässä",
            email=first.email,
            consent_text_version="2026-1",
            hold_token=hold.token,
        )
    offers_expire_due()  # the periodic task: expires the hold, keeps the place for the next

    assert PlaceHold.objects.get(pk=hold.pk).status == PlaceHold.Status.RELEASED
    assert PlaceHold.objects.get(status="open").interest_id == second.pk


def test_refusing_the_place_keeps_the_interest_and_offers_the_next(
    site_tree, django_capture_on_commit_callbacks
):
    group = _group(capacity=1, min_size=1)
    first = _interest(group, 1, now=timezone.now() - dt.timedelta(days=2))
    second = _interest(group, 2)
    (hold,) = holds_give(group_id=group.pk)

    with django_capture_on_commit_callbacks(execute=True):
        hold_release(hold_id=hold.pk)  # the task after commit keeps the place for the next

    assert Interest.objects.filter(pk=first.pk).exists()
    assert PlaceHold.objects.get(status="open").interest_id == second.pk
    # The same group is never offered to the first person again.
    assert holds_give(group_id=group.pk) == []


def test_a_freed_place_goes_to_an_interest_when_nobody_waits(site_tree):
    group = _group(capacity=1, min_size=1)
    taken = EnrolmentFactory(group=group)
    interest = _interest(group)
    assert holds_give(group_id=group.pk) == []

    from groups.services.enrolment import enrolment_cancel

    enrolment_cancel(enrolment_id=taken.pk)

    assert place_offer_next(group_id=group.pk) is None  # nobody waits
    assert tasks.place_offer_next(group.pk) == 1  # the task after the cancellation
    assert PlaceHold.objects.get(status="open").interest_id == interest.pk


def test_withdrawing_erases_the_interest_and_frees_its_place(site_tree):
    group = _group(capacity=1, min_size=1)
    interest = _interest(group)
    holds_give(group_id=group.pk)

    assert interest_erase(interest_id=interest.pk)

    assert not Interest.objects.exists()
    assert not OutboxMessage.objects.filter(interest_id=interest.pk).exists()
    assert place_counts(group).left == 1


def test_an_interest_is_reminded_once_and_then_ends(site_tree):
    group = _group()
    interest = _interest(group)
    near_end = interest.expires_at - dt.timedelta(days=3)

    assert interests_remind_and_end(now=near_end) == (1, 0)
    assert interests_remind_and_end(now=near_end) == (0, 0)
    assert OutboxMessage.objects.filter(template="interest_ending").count() == 1
    assert interests_remind_and_end(now=interest.expires_at + dt.timedelta(minutes=1)) == (0, 1)
    assert not Interest.objects.exists()


def test_matching_takes_a_constant_number_of_queries(site_tree, django_assert_max_num_queries):
    group = _group(capacity=10, min_size=3)
    for n in range(12):
        _interest(group, n)
    with django_assert_max_num_queries(14):
        holds = holds_give(group_id=group.pk)
    assert len(holds) == 10


def test_leave_an_interest_with_only_a_phone_number(client, site_tree):
    group = _group()
    url = reverse("interest:new")
    page = client.get(url)
    assert page.status_code == 200
    assert "112" in page.content.decode()  # helplines on the page

    response = client.post(
        url,
        {
            "topic": str(group.course.topic.translation_key),
            "towns": ["Joensuu"],
            "language": "fi",
            "display_name": "Nuori",
            "phone": "040 765 4321",
            "consent": "on",
        },
    )

    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.phone == "+358407654321" and interest.email == ""
    assert list(interest.towns.values_list("town", flat=True)) == ["Joensuu"]


def test_the_form_says_what_is_missing_in_an_error_summary(client, site_tree):
    _group()
    response = client.post(reverse("interest:new"), {"display_name": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Virhe:" in body or "Error:" in body
    assert not Interest.objects.exists()


def test_the_private_page_shows_changes_and_withdraws(client, site_tree):
    group = _group()
    interest = _interest(group)
    manage = reverse("interest:manage", kwargs={"token": interest.manage_token})
    assert client.get(manage).status_code == 200

    changed = client.post(manage, {"towns": [], "online": "on", "language": "fi"})
    assert changed.status_code == 302
    interest.refresh_from_db()
    assert interest.online and not interest.towns.exists()

    withdraw = reverse("interest:withdraw", kwargs={"token": interest.manage_token})
    assert client.post(withdraw).status_code == 200
    assert not Interest.objects.exists()
    assert client.get(manage).status_code == 404


def test_the_kept_place_link_leads_to_a_prefilled_enrolment(client, site_tree):
    group = _group(capacity=1, min_size=1)
    interest = _interest(group, phone="0401112222", email="")
    (hold,) = holds_give(group_id=group.pk)

    page = client.get(reverse("interest:hold", kwargs={"token": hold.token}))
    assert page.status_code == 200
    enrol_url = f"{reverse('groups:enrol', args=[group.pk])}?hold={hold.token}"
    form = client.get(enrol_url)
    assert form.status_code == 200
    assert "+358401112222" in form.content.decode()

    response = client.post(
        enrol_url,
        {
            "display_name": interest.display_name,
            "phone": "0401112222",
            "language": "fi",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert group.enrolments.get().status == Enrolment.Status.CONFIRMED
    assert not Interest.objects.exists()


def test_a_phone_only_person_gets_one_text_message_with_a_short_link_to_the_place(
    client, site_tree, smsoutbox, django_capture_on_commit_callbacks
):
    group = _group(capacity=1, min_size=1)
    interest = _interest(group, email="", phone="040 765 4321")
    smsoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        (hold,) = holds_give(group_id=group.pk)

    (text,) = smsoutbox
    assert text.to == "+358407654321"
    assert group.course.title not in text.body and interest.display_name not in text.body
    short_path = (
        text.body.split("http://testserver")[1].split()[0]
        if "testserver" in (text.body)
        else "/s/" + text.body.split("/s/")[1].split()[0]
    )
    landing = client.get(short_path, follow=True)
    assert landing.status_code == 200
    assert landing.redirect_chain[-1][0].endswith(
        reverse("interest:hold", kwargs={"token": hold.token})
    )


def test_the_form_and_the_private_page_take_a_constant_number_of_queries(
    client, site_tree, django_assert_max_num_queries
):
    group = _group()
    for n in range(5):
        CrisisCentreFactory(name=f"Keskus {n}", city=f"Kaupunki {n}")
    interest = _interest(group, towns=["Joensuu", "Kaupunki 1", "Kaupunki 2"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("interest:new") + "?topic=bereaved-by-suicide").status_code == 200
    with django_assert_max_num_queries(14):
        manage = reverse("interest:manage", kwargs={"token": interest.manage_token})
        assert client.get(manage).status_code == 200


def test_the_kept_place_mail_gives_the_same_facts_as_an_enrolments_mail(site_tree):
    """The number of meetings and the time with its end, as every participant's e-mail gives
    them (groups.selectors.enrolment.group_for_mail)."""
    from groups.services.outbox import message_render
    from tests.factories import MeetingFactory

    group = _group(start_time=dt.time(17, 30), duration_minutes=90)
    for week in range(3):
        MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(weeks=week + 1))
    _interest(group)
    holds_give(group_id=group.pk)

    message = OutboxMessage.objects.get(template="interest_place_kept", channel="email")
    _subject, text, _html = message_render(message)
    assert "Tapaamiset: 3 tapaamista" in text
    assert "17.30\u201319.00" in text  # with its end (an en dash)
