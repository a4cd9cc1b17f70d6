""" "I can't come this time" (issue 26, point 4): a page from the reminder's private link with one
button; a GET changes nothing (mail scanners open links), the POST tells the facilitators,
"I can come after all" undoes it, both until the meeting starts. The register shows it and the
reach-out list does not count the absence."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from groups.models import Apology, Attendance, Enrolment, Group, Meeting
from groups.selectors.portal import reach_out_list
from groups.services.privacy import person_data
from tests.factories import (
    AttendanceFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - dt.timedelta(days=90)


@pytest.fixture
def facilitator():
    user = UserFactory(username="ohjaaja")
    user.groups.add(AuthGroup.objects.get_or_create(name="Facilitators")[0])
    return user


@pytest.fixture
def group(facilitator):
    return GroupFactory(facilitator_1=facilitator, status=Group.Status.RUNNING)


@pytest.fixture
def meeting(group):
    return MeetingFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=20))


@pytest.fixture
def person(group):
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=LONG_AGO)
    enrolment.refresh_from_db()
    return enrolment


def apology_path(enrolment, meeting, language="en") -> str:
    with translation.override(language):
        return reverse(
            "groups:apology", kwargs={"token": enrolment.manage_token, "meeting_id": meeting.pk}
        )


def test_opening_the_link_changes_nothing(client, site_tree, person, meeting):
    # What a mail scanner does: GET, HEAD, and following every link on the page.
    response = client.get(apology_path(person, meeting))
    client.head(apology_path(person, meeting))

    assert response.status_code == 200
    page = response.content.decode()
    assert "I can't come this time" in page
    assert page.count('name="answer"') == 1
    assert not Apology.objects.exists()
    assert not ModelLogEntry.objects.filter(action__startswith="groups.apology").exists()


def test_the_button_tells_the_facilitators_and_can_be_undone(
    client, site_tree, facilitator, person, meeting
):
    path = apology_path(person, meeting)

    response = client.post(path, {"answer": "cannot_come"})

    assert response.status_code == 302
    apology = Apology.objects.get()
    assert (apology.enrolment, apology.meeting) == (person, meeting)
    page = client.get(path).content.decode()
    assert "The facilitators have been told" in page
    assert "I can come after all" in page
    assert (
        "You sent apologies"
        in client.get(
            reverse("groups:manage", kwargs={"token": person.manage_token})
        ).content.decode()
    )
    client.post(path, {"answer": "cannot_come"})  # twice: still one
    assert Apology.objects.count() == 1

    client.force_login(facilitator)
    register = client.get(reverse("portal:register", args=[meeting.pk])).content.decode()
    assert "Ilmoitti esteestä" in register  # the portal speaks the facilitator's Finnish
    client.logout()

    client.post(path, {"answer": "can_come"})

    assert not Apology.objects.exists()
    assert "I can't come this time" in client.get(path).content.decode()
    actions = list(
        ModelLogEntry.objects.filter(action__startswith="groups.apology")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["groups.apology.sent", "groups.apology.withdrawn"]


def test_the_page_closes_when_the_meeting_starts(client, site_tree, person, meeting):
    client.post(apology_path(person, meeting), {"answer": "cannot_come"})
    started = meeting.starts_at
    with mock.patch("django.utils.timezone.now", return_value=started):
        page = client.get(apology_path(person, meeting))
        undo = client.post(apology_path(person, meeting), {"answer": "can_come"})

    assert page.status_code == 410
    assert "already started" in page.content.decode()
    assert 'name="answer"' not in page.content.decode()
    assert undo.status_code == 410
    assert Apology.objects.count() == 1  # the undo came too late: it stays


def test_a_second_before_the_start_still_works(client, site_tree, person, meeting):
    just_before = meeting.starts_at - dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=just_before):
        response = client.post(apology_path(person, meeting), {"answer": "cannot_come"})
    assert response.status_code == 302
    assert Apology.objects.count() == 1


def test_only_the_persons_own_meetings_and_a_confirmed_place(client, site_tree, person, meeting):
    other_meeting = MeetingFactory(starts_at=timezone.now() + dt.timedelta(hours=20))
    cancelled = MeetingFactory(
        group=person.group,
        starts_at=timezone.now() + dt.timedelta(days=2),
        status=Meeting.Status.CANCELLED,
    )
    waiting = EnrolmentFactory(group=person.group, status=Enrolment.Status.WAITLISTED)

    for path in (
        apology_path(person, other_meeting),
        apology_path(person, cancelled),
        apology_path(waiting, meeting),
        f"/en/my/not-a-real-token/meetings/{meeting.pk}/cant-come/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"answer": "cannot_come"}).status_code == 404, path
    assert not Apology.objects.exists()


def test_an_expired_private_link_opens_nothing(client, site_tree, meeting):
    group = meeting.group
    Group.objects.filter(pk=group.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=60))
    enrolment = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)

    response = client.post(apology_path(enrolment, meeting), {"answer": "cannot_come"})

    assert response.status_code == 410
    assert not Apology.objects.exists()


def test_an_empty_answer_says_what_to_do(client, site_tree, person, meeting):
    response = client.post(apology_path(person, meeting), {})
    assert response.status_code == 400
    assert "Choose whether you can come" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "button", "undo"),
    [
        ("fi", "En pääse tällä kertaa", "Pääsenkin tulemaan"),
        ("sv", "Jag kan inte komma den här gången", "Jag kan komma ändå"),
        ("en", "I can't come this time", "I can come after all"),
    ],
)
def test_the_page_speaks_the_persons_language(
    client, site_tree, person, meeting, language, button, undo
):
    path = apology_path(person, meeting, language)
    assert button in client.get(path).content.decode()
    client.post(path, {"answer": "cannot_come"})
    assert undo in client.get(path).content.decode()


def past_meeting(group, days_ago: int) -> Meeting:
    return MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=days_ago))


def test_an_absence_with_apologies_is_not_counted_for_the_reach_out_list(group, person):
    first, second, third = (past_meeting(group, days) for days in (21, 14, 7))
    for meeting in (first, second, third):
        AttendanceFactory(meeting=meeting, enrolment=person, status=Attendance.Status.ABSENT)
    Apology.objects.create(meeting=second, enrolment=person, sent_at=LONG_AGO)

    # absent, absent with apologies, absent: no two unexplained absences in a row.
    assert reach_out_list(group=group) == []

    Apology.objects.filter(meeting=second).delete()
    assert [run.absences for run in reach_out_list(group=group)] == [3]


def test_the_register_starts_someone_with_apologies_as_excused_and_they_may_still_come(
    client, facilitator, group, person
):
    other = EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    Enrolment.objects.filter(pk=other.pk).update(created_at=LONG_AGO)
    meeting = past_meeting(group, 0)
    Apology.objects.create(meeting=meeting, enrolment=person, sent_at=LONG_AGO)
    client.force_login(facilitator)
    path = reverse("portal:register", args=[meeting.pk])

    form = client.get(path).context["form"]
    assert form[f"status-{person.pk}"].value() == "excused"
    assert form[f"status-{other.pk}"].value() is None

    # "Everyone else present" leaves the apologies standing.
    client.post(path, {"all_present": "on"})
    statuses = dict(meeting.attendances.values_list("enrolment_id", "status"))
    assert statuses == {person.pk: "excused", other.pk: "present"}

    # They came after all: the facilitator marks them present.
    client.post(path, {f"status-{person.pk}": "present"})
    assert meeting.attendances.get(enrolment=person).status == "present"


def test_the_group_page_counts_apologies_per_meeting(client, facilitator, group, person, meeting):
    Apology.objects.create(meeting=meeting, enrolment=person, sent_at=timezone.now())
    client.force_login(facilitator)
    page = client.get(reverse("portal:group", args=[group.pk])).content.decode()
    assert "(1 ilmoitti esteestä)" in page


@pytest.mark.parametrize("participants", [5, 200])
def test_register_queries_do_not_grow_with_apologies(
    client, facilitator, group, participants, django_assert_max_num_queries
):
    meeting = past_meeting(group, 0)
    people = EnrolmentFactory.create_batch(
        participants, group=group, status=Enrolment.Status.CONFIRMED
    )
    Enrolment.objects.filter(group=group).update(created_at=LONG_AGO)
    Apology.objects.bulk_create(
        Apology(meeting=meeting, enrolment=enrolment, sent_at=LONG_AGO) for enrolment in people[::2]
    )
    client.force_login(facilitator)

    with django_assert_max_num_queries(10):
        page = client.get(reverse("portal:register", args=[meeting.pk])).content.decode()
    assert page.count("Ilmoitti esteestä") == len(people[::2])
    with django_assert_max_num_queries(10):
        client.get(reverse("portal:group", args=[group.pk]))


def test_a_persons_data_export_lists_their_apologies(person, meeting):
    Apology.objects.create(meeting=meeting, enrolment=person, sent_at=timezone.now())
    records = person_data(enrolments=[person])["enrolments"]
    assert records[0]["apologies"] == [timezone.localtime(meeting.starts_at).isoformat()]


def test_the_service_refuses_what_the_page_never_offers(person, meeting):
    from groups.exceptions import AttendanceError
    from groups.services.attendance import apology_send, apology_withdraw

    other_group_meeting = MeetingFactory(starts_at=meeting.starts_at)
    cases = [
        ({"meeting_id": other_group_meeting.pk}, "wrong_group"),
        ({"meeting_id": meeting.pk, "now": meeting.starts_at}, "started"),
    ]
    for kwargs, code in cases:
        for service in (apology_send, apology_withdraw):
            with pytest.raises(AttendanceError) as error:
                service(enrolment_id=person.pk, **kwargs)
            assert error.value.code == code
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    with pytest.raises(AttendanceError) as error:
        apology_send(enrolment_id=person.pk, meeting_id=meeting.pk)
    assert error.value.code == "cancelled"
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SCHEDULED)
    Enrolment.objects.filter(pk=person.pk).update(status=Enrolment.Status.WAITLISTED)
    with pytest.raises(AttendanceError) as error:
        apology_send(enrolment_id=person.pk, meeting_id=meeting.pk)
    assert error.value.code == "not_confirmed"
    assert not Apology.objects.exists()


def test_sending_twice_keeps_the_first_and_withdrawing_nothing_is_harmless(person, meeting):
    from groups.services.attendance import apology_send, apology_withdraw

    first = apology_send(enrolment_id=person.pk, meeting_id=meeting.pk)
    again = apology_send(enrolment_id=person.pk, meeting_id=meeting.pk)
    assert again.pk == first.pk and again.sent_at == first.sent_at
    assert apology_withdraw(enrolment_id=person.pk, meeting_id=meeting.pk) == 1
    assert apology_withdraw(enrolment_id=person.pk, meeting_id=meeting.pk) == 0
