"""Personal data: retention erases it and the reports still add up; a person's own requests
(find, export, erase) in the coordinator's centres; every access to contact data is audited."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group as Role
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from wagtail.models import ModelLogEntry

from groups.models import Attendance, CoordinatorProfile, Enrolment, OutboxMessage
from groups.selectors.reports import group_figures, report_by, report_groups
from groups.services.background import background_schedules_ensure
from groups.services.privacy import (
    PERSONAL_DATA_ERASERS,
    retention_erase_due,
    retention_preview,
)
from groups.services.roles import COORDINATORS
from groups.tasks import retention_erase_due as retention_task
from tests.factories import (
    CrisisCentreFactory,
    EnrolmentFactory,
    GroupFactory,
    MeetingFactory,
    StayFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


TODAY = dt.date(2026, 11, 23)
PERSONAL = {
    "email": "anna@example.invalid",
    "phone": "0401234567",
    "interpreter_language": "arabia",
    "accessibility_needs": "Pyörätuoli",
    "intake_answers": {"Miksi haluat ryhmään?": "Veljeni kuoli keväällä."},
    "decline_message": "",
}


def ended_group(days_ago: int, **kwargs):
    """A group whose last meeting was `days_ago` days before TODAY, with three meetings held,
    two people taking part (one came, one dropped out), one on the waiting list."""
    ends_on = TODAY - dt.timedelta(days=days_ago)
    group = GroupFactory(
        status="completed", starts_on=ends_on - dt.timedelta(days=14), ends_on=ends_on, **kwargs
    )
    meetings = [
        MeetingFactory(
            group=group,
            starts_at=timezone.make_aware(dt.datetime.combine(ends_on, dt.time(17)))
            - dt.timedelta(days=7 * week),
        )
        for week in (2, 1, 0)
    ]
    long_before = meetings[0].starts_at - dt.timedelta(days=30)
    came = EnrolmentFactory(group=group, display_name="Anna", status="completed", **PERSONAL)
    left = EnrolmentFactory(group=group, display_name="Bertta", status="confirmed")
    waited = EnrolmentFactory(
        group=group, display_name="Cecilia", status="waitlisted", queued_at=long_before
    )
    Enrolment.objects.filter(group=group).update(created_at=long_before)
    for meeting in meetings:
        Attendance.objects.create(meeting=meeting, enrolment=came, status="present")
    Attendance.objects.create(meeting=meetings[0], enrolment=left, status="present")
    for meeting in meetings[1:]:
        Attendance.objects.create(meeting=meeting, enrolment=left, status="absent")
    OutboxMessage.objects.create(
        recipient=came.email,
        template="confirmed",
        context={"display_name": "Anna"},
        idempotency_key=f"test-{came.pk}",
        enrolment=came,
        status=OutboxMessage.Status.SENT,
    )
    return group, [came, left, waited]


def figures():
    groups = list(report_groups())
    per_group = {pk: vars(figure) for pk, figure in group_figures(groups=groups).items()}
    by_course = [vars(row) for row in report_by(dimension="course")]
    return per_group, by_course


@override_settings(RETENTION_DAYS=180)
def test_retention_erases_personal_data_and_every_report_still_adds_up(site_tree):
    old, old_people = ended_group(200)
    recent, _recent_people = ended_group(30)
    before = figures()

    erased = retention_erase_due(today=TODAY)

    assert erased == 3
    assert figures() == before
    for person in Enrolment.objects.filter(group=old):
        assert person.display_name == ""
        assert (person.email, person.phone) == ("", "")
        assert (person.interpreter_language, person.accessibility_needs) == ("", "")
        assert person.intake_answers == {}
        assert person.anonymised_at is not None
    anna = Enrolment.objects.get(pk=old_people[0].pk)
    assert anna.manage_token != old_people[0].manage_token
    assert anna.status == "completed" and anna.attendances.count() == 3
    message = OutboxMessage.objects.get(enrolment=anna)
    assert (message.recipient, message.context) == ("", {})
    # The recent group keeps everything.
    assert set(Enrolment.objects.filter(group=recent).values_list("display_name", flat=True)) == {
        "Anna",
        "Bertta",
        "Cecilia",
    }
    # One audit entry per group, with counts and no personal data.
    entry = ModelLogEntry.objects.get(action="groups.group.personal_data_erased")
    assert entry.data == {"enrolments": 3, "retention_days": 180}
    assert "Anna" not in entry.label and "anna@" not in json.dumps(entry.data)
    # Running again erases nothing more.
    assert retention_erase_due(today=TODAY) == 0


def test_the_manage_link_of_an_erased_enrolment_stops_working(client, site_tree):
    _group, people = ended_group(400)
    retention_erase_due(today=TODAY)
    assert client.get(f"/fi/my/{people[0].manage_token}/").status_code == 404


def test_erasers_are_one_list_of_steps_each_taking_enrolment_ids():
    names = [eraser.__name__ for eraser in PERSONAL_DATA_ERASERS]
    assert names == [
        "audit_personal_data_erase",
        "outbox_personal_data_erase",
        "short_links_personal_data_erase",
        "stays_erase",
        "enrolments_personal_data_erase",
    ]


def test_retention_erases_a_residential_stay_and_keeps_its_dates(site_tree):
    _group, people = ended_group(200)
    stay = StayFactory(
        enrolment=people[0], diet="vegan", gluten_free=True, allergies="pähkinä", pickup_wanted=True
    )

    retention_erase_due(today=TODAY)

    stay.refresh_from_db()
    assert (stay.diet, stay.gluten_free, stay.allergies, stay.pickup_wanted) == (
        "",
        False,
        "",
        False,
    )
    assert stay.erased_at is not None
    assert (stay.arrives_on, stay.departs_on) == (
        people[0].group.starts_on,
        people[0].group.ends_on,
    )


def test_export_includes_a_residential_stay(client, site_tree):
    _group, people = ended_group(10)
    StayFactory(enrolment=people[0], diet="vegetarian", allergies="pähkinä")
    client.force_login(coordinator())

    [record] = json.loads(lookup(client, email=people[0].email, action="json").content)[
        "enrolments"
    ]
    assert record["stay"]["diet"] == "vegetarian" and record["stay"]["allergies"] == "pähkinä"
    assert "pähkinä" in lookup(client, email=people[0].email, action="html").content.decode()


def test_an_unsent_e_mail_to_an_erased_person_is_never_sent(site_tree):
    _group, people = ended_group(400)
    queued = OutboxMessage.objects.create(
        recipient=people[1].email,
        template="reminder",
        idempotency_key="unsent",
        enrolment=people[1],
    )
    retention_erase_due(today=TODAY)
    queued.refresh_from_db()
    assert queued.status == OutboxMessage.Status.FAILED
    assert queued.recipient == ""


def test_retention_runs_daily_as_a_background_task(site_tree):
    background_schedules_ensure()  # what the migrations run
    schedule = Schedule.objects.get(func="groups.tasks.retention_erase_due")
    assert schedule.schedule_type == "I" and schedule.minutes == 24 * 60
    _group, _people = ended_group(10_000)
    assert retention_task() == 3


def coordinator(centres=()):
    user = UserFactory()
    user.groups.add(Role.objects.get(name=COORDINATORS))
    # Without centres: a coordinator of the whole network (the boundary fails closed).
    profile = CoordinatorProfile.objects.create(user=user, network_wide=not centres)
    profile.centres.add(*centres)
    return user


@override_settings(RETENTION_DAYS=180)
def test_dry_run_report_shows_counts_per_group_and_no_names(client, site_tree):
    old, _people = ended_group(200)
    ended_group(30)
    rows = retention_preview(today=TODAY)
    assert [(row["group"].pk, row["count"]) for row in rows] == [(old.pk, 3)]

    client.force_login(coordinator())
    page = client.get(reverse("groups_retention_report")).content.decode()
    assert str(old) in page
    assert "Anna" not in page and "anna@example.invalid" not in page
    # A dry run erases nothing.
    assert Enrolment.objects.filter(display_name="Anna").count() == 2


# --- A person's own requests ---------------------------------------------------------------


@pytest.fixture
def centres():
    return (
        CrisisCentreFactory(name="Helsingin kriisikeskus", city="Helsinki"),
        CrisisCentreFactory(name="Tampereen kriisikeskus", city="Tampere"),
    )


def lookup(client, **data):
    return client.post(reverse("groups_data_request"), data)


def test_coordinator_finds_a_person_by_exact_normalised_e_mail_or_phone(client, site_tree):
    anna = EnrolmentFactory(display_name="Anna", email="anna@example.invalid")
    EnrolmentFactory(display_name="Annabel", email="anna@example.invalid.fi")
    phoned = EnrolmentFactory(display_name="Puhelin", email="", phone="+358401234567")
    client.force_login(coordinator())

    page = lookup(client, email="  ANNA@example.invalid ").content.decode()
    assert f"#{anna.pk} Anna" in page
    assert "Annabel" not in page

    page = lookup(client, phone="+358 40 123 4567").content.decode()
    assert f"#{phoned.pk} Puhelin" in page


def test_a_tampere_coordinator_does_not_find_helsinki_records(client, site_tree, centres):
    helsinki, tampere = centres
    EnrolmentFactory(
        group=GroupFactory(centre=helsinki),
        display_name="Helsinkiläinen",
        email="same@example.invalid",
    )
    EnrolmentFactory(
        group=GroupFactory(centre=tampere),
        display_name="Tamperelainen",
        email="same@example.invalid",
    )
    client.force_login(coordinator([tampere]))

    page = lookup(client, email="same@example.invalid").content.decode()
    assert "Tamperelainen" in page
    assert "Helsinkiläinen" not in page


def test_export_as_json_and_readable_html_is_logged(client, site_tree):
    _group, people = ended_group(10)
    anna = people[0]
    client.force_login(coordinator())

    response = lookup(client, email=anna.email, action="json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    [record] = data["enrolments"]
    assert record["email"] == "anna@example.invalid"
    assert record["intake_answers"] == PERSONAL["intake_answers"]
    assert len(record["attendance"]) == 3

    response = lookup(client, email=anna.email, action="html")
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "Veljeni kuoli keväällä." in html and "anna@example.invalid" in html

    entries = ModelLogEntry.objects.filter(action="groups.enrolment.data_exported")
    assert [entry.data["format"] for entry in entries.order_by("pk")] == ["json", "html"]
    assert all(entry.label == f"#{anna.pk}" for entry in entries)


def test_erasure_on_request_cancels_erases_logs_and_offers_the_place(
    client, site_tree, django_capture_on_commit_callbacks
):
    group = GroupFactory(capacity=1, min_size=1)
    person = EnrolmentFactory(group=group, status="confirmed", **PERSONAL)
    waiting = EnrolmentFactory(group=group, status="waitlisted", queued_at=timezone.now())
    client.force_login(coordinator())

    with django_capture_on_commit_callbacks(execute=True):
        response = lookup(client, phone="040 123 4567", action="erase")

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "cancelled"
    assert (person.display_name, person.email, person.phone) == ("", "", "")
    assert person.intake_answers == {} and person.anonymised_at is not None
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)
    )
    assert {"groups.enrolment.cancelled", "groups.enrolment.erased"} <= actions
    # The freed place went to the waiting list (q2 runs synchronously in tests).
    waiting.refresh_from_db()
    assert waiting.status == "offered"


def test_people_without_the_permission_cannot_make_requests(client, site_tree):
    client.force_login(UserFactory())
    assert client.get(reverse("groups_data_request")).status_code == 302
    assert lookup(client, email="anna@example.invalid", action="json").status_code == 302


# --- Audit of contact data ---------------------------------------------------------------


def test_roster_export_is_logged_per_group_with_counts_only(client, site_tree):
    group = GroupFactory()
    EnrolmentFactory.create_batch(2, group=group)
    client.force_login(coordinator())

    client.get(reverse("groups_roster_export"), {"group": group.pk})

    entry = ModelLogEntry.objects.get(action="groups.group.contacts_exported")
    assert entry.object_id == str(group.pk)
    assert entry.data == {"rows": 2, "how": "roster"}
    assert "@" not in entry.label


def test_administrators_see_our_actions_with_labels_in_the_site_history(client, site_tree):
    _group, _people = ended_group(400)
    retention_erase_due(today=TODAY)
    admin = UserFactory()
    admin.groups.add(Role.objects.get(name="Administrators"))
    client.force_login(admin)

    page = client.get(
        reverse("wagtailadmin_reports:site_history"),
        {"action": "groups.group.personal_data_erased"},
    ).content.decode()

    assert "Personal data erased after the retention period" in page or (
        "Henkilötiedot poistettu säilytysajan jälkeen" in page
    )


@pytest.mark.parametrize("sees_contacts", [True, False])
def test_a_facilitator_seeing_contacts_on_the_roster_is_logged(
    client, site_tree, settings, sees_contacts
):
    settings.FACILITATORS_SEE_CONTACTS = sees_contacts
    facilitator = UserFactory()
    facilitator.groups.add(Role.objects.get(name="Facilitators"))
    group = GroupFactory(facilitator_1=facilitator, status="running")
    EnrolmentFactory(group=group, email="nähtävä@example.invalid")
    client.force_login(facilitator)

    client.get(reverse("portal:group", args=[group.pk]))

    entries = ModelLogEntry.objects.filter(action="groups.group.contacts_viewed")
    assert entries.count() == (1 if sees_contacts else 0)
    assert all(entry.user_id == facilitator.pk for entry in entries)


def test_a_persons_request_finds_exports_and_erases_their_interests_too(client, site_tree, centres):
    from groups.models import Interest
    from groups.services.interest import interest_create

    helsinki, tampere = centres
    group = GroupFactory(centre=helsinki)
    interest = interest_create(
        topic_key=group.course.topic.translation_key,
        towns=[tampere.city],
        online=False,
        language="fi",
        display_name="Odottaja",
        phone="040 555 1234",
        consent_text_version="2026-1",
    )
    client.force_login(coordinator([tampere]))

    assert "Odottaja" in lookup(client, phone="0405551234").content.decode()
    data = json.loads(lookup(client, phone="0405551234", action="json").content)
    assert [record["interest"] for record in data["interests"]] == [interest.pk]
    assert data["interests"][0]["towns"] == [tampere.city]

    client.force_login(coordinator([helsinki]))  # another centre's interest is not found
    assert "Odottaja" not in lookup(client, phone="0405551234").content.decode()

    client.force_login(coordinator([tampere]))
    assert lookup(client, phone="0405551234", action="erase").status_code == 302
    assert not Interest.objects.exists()
