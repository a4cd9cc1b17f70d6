"""factory_boy factories shared by every test package."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale

from cms.models import CrisisCentre, HomePage
from courses.models import CourseFormat, CourseIndexPage, CoursePage, Topic
from groups.models import Attendance, Enrolment, Group, Meeting, Room, Stay, Venue
from network.models import Certification, Expert, SupervisionSession, Training


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    password = factory.django.Password("test-password-123")


class CrisisCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrisisCentre
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Kriisikeskus {n}")
    city = "Helsinki"
    region = "Uusimaa"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug", "locale"]

    name = "Itsemurhan kautta läheisensä menettäneet"
    slug = "bereaved-by-suicide"
    # get_or_create: a transactional test before this one may have flushed the locales.
    locale = factory.LazyFunction(lambda: Locale.objects.get_or_create(language_code="fi")[0])


def catalogue_page(language: str = "fi") -> CourseIndexPage:
    """The catalogue of one language, created under that language's home page if missing."""
    from cms.services.site import site_tree_ensure

    homes = site_tree_ensure()
    home: HomePage = homes[language]
    existing = CourseIndexPage.objects.child_of(home).first()
    if existing:
        return existing
    index = home.add_child(
        instance=CourseIndexPage(title="Kurssit", slug=f"kurssit-{language}", locale=home.locale)
    )
    index.save_revision().publish()
    return index


class CoursePageFactory(factory.Factory):
    """Builds and publishes a CoursePage under the catalogue (pages need the tree API)."""

    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Vertaistukiryhmä {n}")
    slug = factory.Sequence(lambda n: f"ryhma-{n}")
    topic = factory.SubFactory(TopicFactory)
    format = CourseFormat.WEEKLY
    summary = "Ryhmä läheisensä menettäneille."
    languages = factory.LazyFunction(lambda: ["fi"])

    @classmethod
    def _create(cls, model_class, *args, language: str = "fi", **kwargs):
        parent = catalogue_page(language)
        page = model_class(*args, locale=parent.locale, **kwargs)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Kurssikeskus {n}")
    city = "Tampere"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    course = factory.SubFactory(CoursePageFactory)
    centre = factory.SubFactory(CrisisCentreFactory)
    mode = Group.Mode.IN_PERSON
    language = "fi"
    capacity = 10
    min_size = 5
    status = Group.Status.OPEN
    facilitator_1 = factory.SubFactory(UserFactory)
    facilitator_2 = factory.SubFactory(UserFactory)
    start_time = dt.time(17, 30)
    duration_minutes = 90
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + dt.timedelta(minutes=90))
    planned_on = factory.LazyAttribute(lambda meeting: timezone.localdate(meeting.starts_at))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    group = factory.SubFactory(GroupFactory)
    display_name = factory.Sequence(lambda n: f"Osallistuja {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.invalid")
    language = "fi"
    consent_text_version = "2026-1"
    consented_at = factory.LazyFunction(timezone.now)
    status = Enrolment.Status.CONFIRMED


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    enrolment = factory.SubFactory(EnrolmentFactory)
    status = Attendance.Status.PRESENT


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    name = factory.Sequence(lambda n: f"Asiantuntija {n}")
    title = "Psykologi"
    organisation = "Hyvinvointialue"
    county = "pirkanmaa"
    city = "Tampere"
    email = factory.Sequence(lambda n: f"expert{n}@example.invalid")
    languages = factory.LazyFunction(lambda: ["fi"])
    practises_assip = True
    status = Expert.Status.ACTIVE
    public_listing_consent = True
    public_listing_consented_at = factory.LazyFunction(timezone.now)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    name = factory.Sequence(lambda n: f"ASSIP-koulutus {n}")
    starts_on = dt.date(2024, 9, 1)
    ends_on = dt.date(2024, 11, 30)
    trainers = "Anja Gysin-Maillart"
    place = "Helsinki"


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    expert = factory.SubFactory(ExpertFactory)
    training = factory.SubFactory(TrainingFactory)
    certified_on = dt.date(2024, 12, 1)
    certifier = "Suomen mielenterveys ry"


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSession
        skip_postgeneration_save = True

    held_on = factory.LazyFunction(timezone.localdate)
    supervisor = "Työnohjaaja"
    format = SupervisionSession.Format.REMOTE

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        if create and extracted:
            self.attendees.add(*extracted)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Huone {n}")
    beds = 2


class StayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stay

    enrolment = factory.SubFactory(EnrolmentFactory)
    arrives_on = factory.LazyAttribute(lambda stay: stay.enrolment.group.starts_on)
    departs_on = factory.LazyAttribute(
        lambda stay: stay.enrolment.group.ends_on or stay.enrolment.group.starts_on
    )


def course_translate(course: CoursePage, language: str, **fields) -> CoursePage:
    """The course's published translation into one language (its catalogue translated first
    if missing)."""
    locale = Locale.objects.get(language_code=language)
    catalogue = course.get_parent().specific
    if catalogue.get_translation_or_none(locale) is None:
        catalogue.copy_for_translation(locale).save_revision().publish()
    translation = course.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return CoursePage.objects.get(pk=translation.pk)


def enrol(group: Group, n: int = 0, **kwargs) -> Enrolment:
    """Person number `n` enrols in the group through the service, as the public form does."""
    from groups.services.enrolment import enrolment_create

    data = {
        "group_id": group.pk,
        "display_name": f"Pseudonyymi {n}",
        "email": f"p{n}@example.invalid",
        "consent_text_version": "2026-1",
    }
    data.update(kwargs)
    return enrolment_create(**data)
