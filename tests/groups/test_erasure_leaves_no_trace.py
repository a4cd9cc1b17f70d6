"""After an erasure, nothing in the database names the person: every text column of every
table is searched for their name, e-mail and phone. Audit entries name rows by number,
whoever writes them (the admin's own edit views included)."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from groups.models import Enrolment
from groups.services.enrolment import enrolment_create
from groups.services.privacy import person_data_erase, retention_erase_due
from network.models import Certification, Expert, SupervisionAttendance
from network.services.experts import expert_anonymise, expert_mark_left
from tests.factories import (
    AttendanceFactory,
    ExpertFactory,
    GroupFactory,
    MeetingFactory,
    StayFactory,
    SupervisionSessionFactory,
    TrainingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NAME = "Zebulon Quillfeather"
EMAIL = "zebulon.quillfeather@example.invalid"
PHONE = "+358401112233"


def columns_holding(*needles: str) -> list[str]:
    """Every text column (char, text, JSON) of every table that holds one of the needles."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            rows = model._base_manager.all()
            if isinstance(field, models.JSONField):
                rows, column = (
                    rows.annotate(as_text=Cast(field.name, models.TextField())),
                    "as_text",
                )
            elif isinstance(field, (models.CharField, models.TextField)):
                column = field.name
            else:
                continue
            query = models.Q()
            for needle in needles:
                query |= models.Q(**{f"{column}__icontains": needle})
            if rows.filter(query).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


@pytest.fixture
def coordinator(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def enrolled(group) -> Enrolment:
    return enrolment_create(
        group_id=group.pk,
        display_name=NAME,
        email=EMAIL,
        phone=PHONE,
        message_channel="both",  # e-mails and text messages, with a short link each
        interpreter_language="arabia",
        accessibility_needs=f"{NAME} tarvitsee pyörätuolin",
        intake_answers={"Miksi?": f"Olen {NAME}"},
        consent_text_version="2026-1",
    )


def admin_edit(client, enrolment: Enrolment) -> None:
    """A coordinator notes needs in the admin: Wagtail's own edit view writes the entry."""
    response = client.post(
        reverse("enrolments:edit", args=[enrolment.pk]),
        {"risk_call_done_at": "", "interpreter_language": "somali", "accessibility_needs": ""},
    )
    assert response.status_code == 302


def test_an_admin_edit_of_an_enrolment_is_logged_by_number(coordinator):
    enrolment = enrolled(GroupFactory())

    admin_edit(coordinator, enrolment)

    entry = ModelLogEntry.objects.get(action="wagtail.edit", object_id=str(enrolment.pk))
    assert entry.label == f"#{enrolment.pk}"


def test_nothing_names_a_person_after_erasure_on_request(coordinator):
    group = GroupFactory()
    enrolment = enrolled(group)
    admin_edit(coordinator, enrolment)
    stay = StayFactory(enrolment=enrolment, allergies="pähkinä", roommate_wish="sisko")
    attendance = AttendanceFactory(meeting=MeetingFactory(group=group), enrolment=enrolment)
    for row in (stay, attendance):
        log(row, "wagtail.edit")  # any writer without a title: Wagtail labels it str(row)
    assert columns_holding(NAME, EMAIL, PHONE)  # the search does find the person before

    person_data_erase(enrolments=[enrolment], user=None)

    assert columns_holding(NAME, EMAIL, PHONE) == []


@override_settings(RETENTION_DAYS=30)
def test_nothing_names_a_person_after_the_retention_purge(coordinator):
    group = GroupFactory()
    enrolment = enrolled(group)
    admin_edit(coordinator, enrolment)
    ended = timezone.localdate() - dt.timedelta(days=60)
    type(group).objects.filter(pk=group.pk).update(
        status="completed", starts_on=ended - dt.timedelta(days=30), ends_on=ended
    )

    assert retention_erase_due() == 1

    assert columns_holding(NAME, EMAIL, PHONE) == []


def test_nothing_names_an_anonymised_expert(coordinator):
    expert = ExpertFactory(name=NAME, email=EMAIL, phone=PHONE)
    training = TrainingFactory()
    response = coordinator.post(
        reverse("wagtailsnippets_network_certification:add"),
        {
            "expert": expert.pk,
            "training": training.pk,
            "certified_on": "2026-01-15",
            "certifier": "Suomen mielenterveys ry",
        },
    )
    assert response.status_code == 302
    certification = Certification.objects.get(expert=expert)
    session = SupervisionSessionFactory()
    attendance = SupervisionAttendance.objects.create(session=session, expert=expert)
    log(attendance, "wagtail.create")
    entry = ModelLogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Certification),
        object_id=str(certification.pk),
    )
    assert entry.label == f"#{certification.pk}"
    # An entry written before labels were numbers still carries the name.
    log(expert, "wagtail.edit")
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Expert), object_id=str(expert.pk)
    ).update(label=NAME)

    expert_mark_left(expert=expert, now=timezone.now() - dt.timedelta(days=400))
    expert_anonymise(expert=expert)

    assert columns_holding(NAME, EMAIL, PHONE) == []


def _interest_with_a_kept_place(django_capture_on_commit_callbacks, *, email: str = EMAIL):
    """An interest told of a kept place (by e-mail, or by text message with a short link when
    only a phone number is given)."""
    from groups.services.interest import holds_give, interest_create
    from tests.factories import CrisisCentreFactory

    group = GroupFactory(centre=CrisisCentreFactory(name="Joensuu", city="Joensuu"))
    with django_capture_on_commit_callbacks(execute=True):
        interest = interest_create(
            topic_key=group.course.topic.translation_key,
            towns=["Joensuu"],
            online=False,
            language="fi",
            display_name=NAME,
            email=email,
            phone=PHONE,
            consent_text_version="2026-1",
        )
        holds_give(group_id=group.pk)
    return interest


def test_nothing_names_a_person_after_withdrawing_an_interest(
    coordinator, django_capture_on_commit_callbacks
):
    from cms.models import ShortLink
    from groups.models import PlaceHold
    from groups.services.interest import interest_erase

    interest = _interest_with_a_kept_place(django_capture_on_commit_callbacks, email="")
    assert PlaceHold.objects.filter(interest=interest).exists()
    assert ShortLink.objects.exists()  # the text messages' links
    assert columns_holding(NAME, EMAIL, PHONE)

    interest_erase(interest_id=interest.pk)

    assert columns_holding(NAME, EMAIL, PHONE) == []
    assert not ShortLink.objects.exists()


def test_nothing_names_a_person_after_an_interest_ends_by_the_retention_task(
    coordinator, django_capture_on_commit_callbacks
):
    from groups.models import Interest

    interest = _interest_with_a_kept_place(django_capture_on_commit_callbacks)
    Interest.objects.filter(pk=interest.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    retention_erase_due()

    assert columns_holding(NAME, EMAIL, PHONE) == []


def test_an_expert_imported_from_a_spreadsheet_is_logged_by_number():
    """The import writes its audit entries in bulk (past the labelling signal): they are
    labelled by number like every other entry about an expert."""
    from cms.imports import sheet_import, sheet_read
    from network.resources import ExpertResource

    user = UserFactory()
    sheet = sheet_read(
        f"name,county,email,languages,assip\n{NAME},Pirkanmaa,tuonti@example.invalid,fi,x\n".encode(),
        filename="experts.csv",
    )
    report = sheet_import(ExpertResource(user=user), sheet, dry_run=False, user=user)
    assert report.valid, report.problems

    expert = Expert.objects.get(email="tuonti@example.invalid")
    entry = ModelLogEntry.objects.get(action="network.expert.imported")
    assert entry.label == f"#{expert.pk}"
    assert NAME not in entry.label


def test_accessibility_feedback_is_logged_by_number():
    """Feedback often starts with who is writing: its audit entries never quote it."""
    from cms.services.accessibility import accessibility_feedback_create

    feedback = accessibility_feedback_create(
        message=f"Hei, olen {NAME}. Lomakkeen painike ei näy.",
        page_address="/fi/",
        name=NAME,
        email=EMAIL,
        language="fi",
    )

    entry = ModelLogEntry.objects.get(action="cms.accessibility_feedback.received")
    assert entry.label == f"#{feedback.pk}"
