"""A training run as a group: its completed participants become certified experts at once."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from groups.models import CoordinatorProfile, Enrolment, Group
from network.models import Certification, Expert
from network.services.certification import training_participants_certify
from tests.factories import (
    EnrolmentFactory,
    ExpertFactory,
    GroupFactory,
    TrainingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def training():
    group = GroupFactory(status=Group.Status.RUNNING)
    training = TrainingFactory(name="ASSIP-koulutus syksy", group=group)
    EnrolmentFactory(
        group=group,
        display_name="Aino Uusi",
        email="Aino@Example.invalid",
        status=Enrolment.Status.COMPLETED,
        language="sv",
    )
    EnrolmentFactory(
        group=group,
        display_name="Ville Vanha",
        email="ville@example.invalid",
        status=Enrolment.Status.COMPLETED,
    )
    EnrolmentFactory(
        group=group,
        display_name="Puhelin Vain",
        email="",
        phone="0401234567",
        status=Enrolment.Status.COMPLETED,
    )
    EnrolmentFactory(group=group, display_name="Kesken Jäi", status=Enrolment.Status.CONFIRMED)
    EnrolmentFactory(group=group, display_name="Peruttu", status=Enrolment.Status.CANCELLED)
    ExpertFactory(name="Ville Vanha", email="ville@example.invalid", county="lappi")
    return training


def test_completed_participants_become_certified_experts_once(training):
    counts = training_participants_certify(training_id=training.pk, county="pohjanmaa")

    assert (counts.created, counts.updated, counts.unchanged) == (1, 1, 0)
    assert counts.skipped_without_email == 1
    aino = Expert.objects.get(email="aino@example.invalid")
    assert aino.name == "Aino Uusi"
    assert aino.county == "pohjanmaa"
    assert aino.languages == ["sv"]
    assert aino.practises_assip
    assert not aino.public_listing_consent
    assert Expert.objects.get(email="ville@example.invalid").county == "lappi"
    assert not Expert.objects.filter(name__in=["Kesken Jäi", "Peruttu"]).exists()
    assert Certification.objects.filter(training=training).count() == 2

    again = training_participants_certify(training_id=training.pk, county="pohjanmaa")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Expert.objects.count() == 2
    assert Certification.objects.filter(training=training).count() == 2
    assert (
        ModelLogEntry.objects.filter(action="network.training.participants_certified").count() == 2
    )


def test_confirmed_participants_count_once_the_group_has_ended(training):
    Group.objects.filter(pk=training.group_id).update(status=Group.Status.COMPLETED)

    counts = training_participants_certify(training_id=training.pk, county="pohjanmaa")

    assert counts.created == 2
    assert Expert.objects.filter(name="Kesken Jäi").exists()


def coordinator(client, *, can_change_experts: bool):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    if can_change_experts:
        user.user_permissions.add(Permission.objects.get(codename="change_expert"))
    # The network's trainings are national: a network coordinator sees every centre's groups.
    CoordinatorProfile.objects.create(user=user, network_wide=True)
    client.force_login(user)
    return client


def test_only_users_who_can_change_experts_may_certify(client, training):
    coordinator(client, can_change_experts=False)
    url = reverse("network_training_certify", args=[training.pk])

    assert client.get(url).status_code in (302, 403)
    client.post(url, {"county": "pohjanmaa", "variant": "assip"})

    assert not Certification.objects.exists()


def test_confirm_page_lists_who_will_be_certified_then_certifies(
    client, training, django_assert_max_num_queries
):
    coordinator(client, can_change_experts=True)
    url = reverse("network_training_certify", args=[training.pk])
    client.get(url)
    for number in range(10):
        EnrolmentFactory(
            group=training.group, email=f"more{number}@example.invalid", status="completed"
        )
    with django_assert_max_num_queries(20):
        client.get(url)

    # The admin speaks Finnish by default.
    page = client.get(url).content.decode()
    assert "Aino Uusi" in page
    assert "Uusi asiantuntija" in page
    assert "Aiempi asiantuntija (sama työsähköposti)" in page
    assert "Ohitetaan: ei sähköpostiosoitetta" in page
    assert "Kesken Jäi" not in page

    response = client.post(url, {"county": "pohjanmaa", "variant": "adoassip"}, follow=True)

    assert (
        "Sertifioitu: uusia asiantuntijoita 11, aiempia asiantuntijoita 1."
        in response.content.decode()
    )
    assert Expert.objects.get(email="aino@example.invalid").practises_adoassip
    entry = ModelLogEntry.objects.get(action="network.training.participants_certified")
    assert entry.user_id == response.wsgi_request.user.pk


def test_training_listing_offers_the_action_for_a_training_with_a_group(client, training):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    TrainingFactory(name="Ilman ryhmää")

    page = client.get(reverse("wagtailsnippets_network_training:list")).content.decode()

    assert page.count(reverse("network_training_certify", args=[training.pk])) == 1
    assert page.count("/certify/") == 1
