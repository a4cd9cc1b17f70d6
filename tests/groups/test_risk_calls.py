"""Risk calls: the dashboard links to a call page with the person's name, phone, e-mail,
language and intake answers (for roles that may see contact data, of their own centres); "mark
called" with an optional note is logged and the panel counts down."""

import pytest
from django.contrib.auth.models import Group as Role
from django.urls import reverse
from wagtail.models import ModelLogEntry

from groups.models import CoordinatorProfile, Enrolment
from groups.services.roles import COORDINATORS, EDITORS
from tests.factories import CrisisCentreFactory, EnrolmentFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def helsinki():
    return CrisisCentreFactory(name="Helsinki", city="Helsinki")


@pytest.fixture
def coordinator(client, roles):
    user = UserFactory(username="soittaja")
    user.groups.add(roles[COORDINATORS])
    CoordinatorProfile.objects.create(user=user, network_wide=True)
    client.force_login(user)
    return user


def flagged(centre, name: str, **kwargs) -> Enrolment:
    kwargs.setdefault("phone", "+358401234567")
    return EnrolmentFactory(
        group=GroupFactory(centre=centre),
        display_name=name,
        email=f"{name.lower()}@example.org",
        language="sv",
        risk_flagged=True,
        status="pending",
        **{"intake_answers": {"Onko sinulla nyt itsetuhoisia ajatuksia?": "Kyllä"}, **kwargs},
    )


def test_dashboard_row_opens_the_call_page_with_contact_and_answers(client, coordinator, helsinki):
    person = flagged(helsinki, "Saga")
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    call_url = reverse("groups_risk_call", args=[person.pk])
    assert call_url in dashboard
    assert reverse("enrolments:edit", args=[person.pk]) not in dashboard

    page = client.get(call_url).content.decode()

    assert "Saga" in page
    assert "+358401234567" in page and "saga@example.org" in page
    assert "ruotsi" in page  # the language, in the coordinator's own language
    assert "Onko sinulla nyt itsetuhoisia ajatuksia?" in page and "Kyllä" in page
    assert "Merkitse soitetuksi" in page


def test_marking_called_logs_it_keeps_the_note_and_counts_the_panel_down(
    client, coordinator, helsinki
):
    first, second = flagged(helsinki, "Saga"), flagged(helsinki, "Olli")
    before = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("groups_risk_call", args=[second.pk]) in before

    response = client.post(
        reverse("groups_risk_call", args=[first.pk]), {"note": "Soitettu, sovittu tapaaminen."}
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.risk_call_done_at is not None
    assert first.risk_call_note == "Soitettu, sovittu tapaaminen."
    entry = ModelLogEntry.objects.get(action="groups.enrolment.risk_called")
    assert entry.user_id == coordinator.pk
    assert "Soitettu" not in str(entry.data) and "Saga" not in entry.label
    after = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("groups_risk_call", args=[first.pk]) not in after
    assert reverse("groups_risk_call", args=[second.pk]) in after
    # A second mark changes nothing.
    client.post(reverse("groups_risk_call", args=[first.pk]), {"note": ""})
    assert ModelLogEntry.objects.filter(action="groups.enrolment.risk_called").count() == 1


def test_the_called_time_is_no_longer_a_free_text_field(client, coordinator, helsinki):
    person = flagged(helsinki, "Saga")
    admin = UserFactory(username="paakayttaja", is_superuser=True)
    client.force_login(admin)

    form = client.get(reverse("enrolments:edit", args=[person.pk])).content.decode()

    assert 'name="risk_call_done_at"' not in form


def test_roles_without_contact_data_and_other_centres_are_kept_out(client, roles, helsinki):
    person = flagged(helsinki, "Saga")
    editor = UserFactory(username="toimittaja")
    editor.groups.add(roles[EDITORS])
    client.force_login(editor)
    assert client.get(reverse("groups_risk_call", args=[person.pk])).status_code == 302

    tampere = UserFactory(username="tampereen-koordinaattori")
    tampere.groups.add(Role.objects.get(name=COORDINATORS))
    CoordinatorProfile.objects.create(user=tampere).centres.add(CrisisCentreFactory())
    client.force_login(tampere)
    assert client.get(reverse("groups_risk_call", args=[person.pk])).status_code == 404
    assert client.post(reverse("groups_risk_call", args=[person.pk])).status_code == 404
    person.refresh_from_db()
    assert person.risk_call_done_at is None


def test_without_a_phone_the_call_page_says_what_the_person_was_promised(
    client, coordinator, helsinki
):
    person = flagged(helsinki, "Siiri", phone="")
    with_phone = flagged(helsinki, "Saara")

    page = client.get(reverse("groups_risk_call", args=[person.pk])).content.decode()
    other = client.get(reverse("groups_risk_call", args=[with_phone.pk])).content.decode()

    # The admin speaks Finnish by default.
    assert "Puhelinnumeroa ei annettu" in page and "sähköpostilla" in page
    assert "Puhelinnumeroa ei annettu" not in other


def test_a_yes_no_answer_reads_in_the_admin_language(client, coordinator, helsinki):
    person = flagged(helsinki, "Selma", intake_answers={"Onko sinulla nyt hätä?": "yes"})

    page = client.get(reverse("groups_risk_call", args=[person.pk])).content.decode()

    assert "<dd>Kyllä</dd>" in page and "<dd>yes</dd>" not in page
