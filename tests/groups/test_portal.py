"""The facilitator portal: who sees what, the roster, the register and the reach-out list."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from groups.models import Attendance, Enrolment, FollowUp, Group, Meeting
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
def group(facilitator):
    return GroupFactory(facilitator_1=facilitator, status=Group.Status.RUNNING)


def past_meeting(group, days_ago: int, **kwargs) -> Meeting:
    starts = timezone.now() - dt.timedelta(days=days_ago)
    return MeetingFactory(group=group, starts_at=starts, **kwargs)


def enrol(group, **kwargs) -> Enrolment:
    """An enrolment made well before the group's first meeting."""
    enrolment = EnrolmentFactory(group=group, **kwargs)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=LONG_AGO)
    enrolment.refresh_from_db()
    return enrolment


def test_portal_needs_a_login(client):
    response = client.get("/facilitate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_someone_who_is_not_a_facilitator_is_turned_away(client):
    client.force_login(UserFactory())
    assert client.get("/facilitate/").status_code == 403


def test_named_facilitator_without_the_role_gets_in(client):
    group = GroupFactory(status=Group.Status.OPEN)
    client.force_login(group.facilitator_2)
    assert client.get("/facilitate/").status_code == 200


def test_my_groups_lists_upcoming_and_running_next_meeting_first(client, facilitator):
    later = GroupFactory(facilitator_1=facilitator, name="Later group", status=Group.Status.OPEN)
    MeetingFactory(group=later, starts_at=timezone.now() + dt.timedelta(days=20))
    sooner = GroupFactory(
        facilitator_2=facilitator, name="Sooner group", status=Group.Status.RUNNING
    )
    MeetingFactory(group=sooner, starts_at=timezone.now() + dt.timedelta(days=2))
    GroupFactory(facilitator_1=facilitator, name="Ended group", status=Group.Status.COMPLETED)
    GroupFactory(name="Someone else's group", status=Group.Status.RUNNING)
    client.force_login(facilitator)

    page = client.get("/facilitate/").content.decode()

    assert page.index("Sooner group") < page.index("Later group")
    next_register = reverse("portal:register", args=[sooner.meetings.get().pk])
    assert page.index(next_register) < page.index("Later group")
    assert "Ended group" not in page
    assert "Someone else" not in page


def test_roster_shows_names_and_needs_but_not_contacts_by_default(client, facilitator, group):
    EnrolmentFactory(
        group=group,
        display_name="Maija",
        email="maija@example.invalid",
        phone="0401234567",
        interpreter_language="viittomakieli",
        accessibility_needs="Pyörätuoli",
    )
    EnrolmentFactory(group=group, display_name="Jonossa", status="waitlisted")
    client.force_login(facilitator)

    page = client.get(reverse("portal:group", args=[group.pk])).content.decode()

    assert "Maija" in page
    assert "viittomakieli" in page
    assert "Pyörätuoli" in page
    assert "maija@example.invalid" not in page
    assert "0401234567" not in page
    assert "Jonossa" not in page


def test_roster_shows_contacts_where_the_organisation_allows(client, facilitator, group, settings):
    settings.FACILITATORS_SEE_CONTACTS = True
    EnrolmentFactory(group=group, display_name="Maija", email="maija@example.invalid")
    client.force_login(facilitator)

    page = client.get(reverse("portal:group", args=[group.pk])).content.decode()

    assert "maija@example.invalid" in page


def test_another_facilitators_group_meeting_and_register_are_404(client, facilitator):
    other = GroupFactory(status=Group.Status.RUNNING)
    meeting = MeetingFactory(group=other)
    enrolment = EnrolmentFactory(group=other)
    client.force_login(facilitator)

    assert client.get(reverse("portal:group", args=[other.pk])).status_code == 404
    assert client.get(reverse("portal:register", args=[meeting.pk])).status_code == 404
    response = client.post(
        reverse("portal:register", args=[meeting.pk]), {f"status-{enrolment.pk}": "present"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()
    url = reverse("portal:contacted", args=[other.pk, enrolment.pk, meeting.pk])
    assert client.post(url).status_code == 404


def test_register_saves_everyone_in_one_post_without_javascript(client, facilitator, group):
    meeting = past_meeting(group, 1)
    anna = enrol(group, display_name="Anna")
    ben = enrol(group, display_name="Ben")
    client.force_login(facilitator)
    url = reverse("portal:register", args=[meeting.pk])

    response = client.post(url, {f"status-{anna.pk}": "present", f"status-{ben.pk}": "excused"})

    assert response.status_code == 302
    assert dict(meeting.attendances.values_list("enrolment__display_name", "status")) == {
        "Anna": "present",
        "Ben": "excused",
    }
    page = client.get(url).content.decode()
    assert "Läsnäolot tallennettu." in page
    assert f'name="status-{anna.pk}" value="present" required' not in page
    assert f'value="present" id="id_status-{anna.pk}_0" checked' in page.replace("\n", "")


def test_register_answers_json_to_the_script(client, facilitator, group):
    meeting = past_meeting(group, 1)
    anna = enrol(group)
    client.force_login(facilitator)

    response = client.post(
        reverse("portal:register", args=[meeting.pk]),
        {f"status-{anna.pk}": "remote"},
        headers={"Accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.json()["message"] == "Läsnäolot tallennettu."
    assert meeting.attendances.get().status == "remote"


def test_both_facilitators_edit_the_last_change_wins_and_is_logged(client, group):
    from wagtail.models import ModelLogEntry

    meeting = past_meeting(group, 1)
    anna = enrol(group)
    url = reverse("portal:register", args=[meeting.pk])
    client.force_login(group.facilitator_1)
    client.post(url, {f"status-{anna.pk}": "absent"})
    client.force_login(group.facilitator_2)
    client.post(url, {f"status-{anna.pk}": "present"})

    row = meeting.attendances.get()
    assert row.status == "present"
    assert row.recorded_by == group.facilitator_2
    entries = ModelLogEntry.objects.filter(action="groups.attendance.recorded").order_by("pk")
    assert [entry.user_id for entry in entries] == [
        group.facilitator_1.pk,
        group.facilitator_2.pk,
    ]
    assert all(entry.timestamp for entry in entries)


def test_late_joiner_is_not_on_earlier_registers(client, facilitator, group):
    early = past_meeting(group, 14)
    enrol(group, display_name="Alusta asti")
    late = EnrolmentFactory(group=group, display_name="Myöhemmin tullut")
    late.created_at = timezone.now() - dt.timedelta(days=10)
    late.save(update_fields=["created_at"])
    later = past_meeting(group, 7)
    client.force_login(facilitator)

    early_page = client.get(reverse("portal:register", args=[early.pk])).content.decode()
    later_page = client.get(reverse("portal:register", args=[later.pk])).content.decode()

    assert "Alusta asti" in early_page
    assert "Myöhemmin tullut" not in early_page
    assert "Myöhemmin tullut" in later_page
    response = client.post(
        reverse("portal:register", args=[early.pk]), {f"status-{late.pk}": "absent"}
    )
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_cancelled_meeting_has_no_register(client, facilitator, group):
    meeting = past_meeting(group, 1, status=Meeting.Status.CANCELLED)
    anna = enrol(group)
    client.force_login(facilitator)
    url = reverse("portal:register", args=[meeting.pk])

    assert "Tämä tapaaminen on peruttu" in client.get(url).content.decode()
    client.post(url, {f"status-{anna.pk}": "present"})
    assert not Attendance.objects.exists()


def test_two_absences_in_a_row_put_someone_on_the_reach_out_list_once_per_gap(
    client, facilitator, group
):
    meetings = [past_meeting(group, days) for days in (35, 28, 21, 14, 7)]
    cancelled = past_meeting(group, 24, status=Meeting.Status.CANCELLED)
    anna = enrol(group, display_name="Anna")
    ben = enrol(group, display_name="Ben")
    # Anna: absent, absent, (cancelled: ignored), absent, present, absent -> one gap of three.
    for meeting, status in zip(
        meetings, ["absent", "absent", "absent", "present", "absent"], strict=True
    ):
        AttendanceFactory(meeting=meeting, enrolment=anna, status=status)
    AttendanceFactory(meeting=cancelled, enrolment=anna, status="present")
    # Ben: absent, excused, absent -> never two absences in a row.
    for meeting, status in zip(
        meetings, ["absent", "excused", "absent", "present", "present"], strict=True
    ):
        AttendanceFactory(meeting=meeting, enrolment=ben, status=status)
    client.force_login(facilitator)
    url = reverse("portal:group", args=[group.pk])

    page = client.get(url).content.decode()
    reach_out = page.split('id="reach-out-heading"')[1].split("</section>")[0]
    assert reach_out.count("Anna") == 1
    assert "3 poissaoloa peräkkäin" in reach_out
    assert "Ben" not in reach_out

    client.post(reverse("portal:contacted", args=[group.pk, anna.pk, meetings[0].pk]))

    assert FollowUp.objects.get().contacted_by == facilitator
    assert 'id="reach-out-heading"' not in client.get(url).content.decode()
    entry = ModelLogEntry.objects.get(action="groups.follow_up.contacted")
    assert entry.label == f"#{anna.pk}"  # the audit log never holds a display name


def test_a_new_gap_after_contact_shows_up_again(client, facilitator, group):
    meetings = [past_meeting(group, days) for days in (35, 28, 21, 14, 7)]
    anna = enrol(group, display_name="Anna")
    for meeting, status in zip(
        meetings, ["absent", "absent", "present", "absent", "absent"], strict=True
    ):
        AttendanceFactory(meeting=meeting, enrolment=anna, status=status)
    FollowUp.objects.create(enrolment=anna, gap_start=meetings[0], contacted_at=timezone.now())
    client.force_login(facilitator)

    page = client.get(reverse("portal:group", args=[group.pk])).content.decode()

    assert "2 poissaoloa peräkkäin" in page


@pytest.mark.parametrize("participants", [10, 1000])
def test_register_page_queries_do_not_grow(
    client, facilitator, group, participants, django_assert_max_num_queries
):
    meeting = past_meeting(group, 1)
    template = EnrolmentFactory.build(group=group)
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                group=group,
                display_name=f"P{n}",
                email=f"p{n}@example.invalid",
                consent_text_version=template.consent_text_version,
                consented_at=template.consented_at,
                status="confirmed",
            )
            for n in range(participants)
        ]
    )
    group.enrolments.update(created_at=LONG_AGO)
    client.force_login(facilitator)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("portal:register", args=[meeting.pk]))
    assert response.content.decode().count("<fieldset") == participants
    with django_assert_max_num_queries(10):
        client.get(reverse("portal:group", args=[group.pk]))


def test_portal_follows_the_users_language(client, facilitator):
    client.force_login(facilitator)
    response = client.get("/facilitate/", headers={"Accept-Language": "sv"})
    assert '<html lang="sv">' in response.content.decode()

    client.post("/i18n/setlang/", {"language": "fi", "next": "/facilitate/"})
    response = client.get("/facilitate/", headers={"Accept-Language": "sv"})
    assert '<html lang="fi">' in response.content.decode()


def test_saving_an_empty_register_says_what_to_do(client, facilitator, group):
    meeting = past_meeting(group, 1)
    enrol(group)
    client.force_login(facilitator)

    response = client.post(reverse("portal:register", args=[meeting.pk]), {})

    assert "Merkitse ainakin yksi henkilö." in response.content.decode()
    assert 'role="alert"' in response.content.decode()
