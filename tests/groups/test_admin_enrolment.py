import datetime as dt

import pytest
from django.contrib.auth.models import Group as Role
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from groups.models import CoordinatorProfile, Enrolment
from tests.factories import EnrolmentFactory, GroupFactory, UserFactory
from tests.spreadsheets import finnish_excel_dicts

pytestmark = pytest.mark.django_db


def coordinator(*codenames: str):
    user = UserFactory()
    role, _ = Role.objects.get_or_create(name=f"role-{'-'.join(codenames)}")
    role.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        role.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(role)
    CoordinatorProfile.objects.create(user=user, network_wide=True)
    return user


@pytest.fixture
def admin_client(client, site_tree):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_listing_filters_by_status_counts_risk_and_hides_contact(
    admin_client, django_assert_max_num_queries
):
    group = GroupFactory()
    for n in range(5):
        EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED, display_name=f"Mukana {n}")
    EnrolmentFactory(group=group, status=Enrolment.Status.WAITLISTED, display_name="Odottaja")
    EnrolmentFactory(group=group, status=Enrolment.Status.PENDING, risk_flagged=True)

    with django_assert_max_num_queries(40):
        response = admin_client.get(reverse("enrolments:index"), {"status": "waitlisted"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Odottaja" in content
    assert "Mukana" not in content
    assert "@example.invalid" not in content
    # The admin speaks the site's default language, Finnish.
    assert "1 henkilö antoi riskivastauksen" in content


def test_listing_says_in_words_whose_risk_answer_still_needs_a_call(admin_client):
    group = GroupFactory()
    EnrolmentFactory(group=group, display_name="Aino")
    EnrolmentFactory(group=group, display_name="Beata", risk_flagged=True)
    EnrolmentFactory(
        group=group, display_name="Cecilia", risk_flagged=True, risk_call_done_at=timezone.now()
    )

    content = admin_client.get(reverse("enrolments:index")).content.decode()  # admin in Finnish

    assert "False" not in content and "True" not in content
    assert content.count("Soitto tarvitaan") == 1
    assert "Soitettu" in content


def test_coordinator_approves_from_the_admin(admin_client):
    enrolment = EnrolmentFactory(status=Enrolment.Status.PENDING)
    url = reverse("groups_enrolment_action", args=[enrolment.pk, "approve"])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url)
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED


def test_decline_needs_a_kind_message(admin_client):
    enrolment = EnrolmentFactory(status=Enrolment.Status.PENDING)
    url = reverse("groups_enrolment_action", args=[enrolment.pk, "decline"])
    assert admin_client.post(url, {"message": ""}).status_code == 400
    admin_client.post(url, {"message": "Tervetuloa yksilötapaamiseen."})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.DECLINED


def test_offer_by_hand_refused_when_full(admin_client):
    group = GroupFactory(capacity=1, min_size=1)
    EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    waiting = EnrolmentFactory(group=group, status=Enrolment.Status.WAITLISTED)
    response = admin_client.post(reverse("groups_enrolment_action", args=[waiting.pk, "offer"]))
    assert response.status_code == 400
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.WAITLISTED


def test_actions_need_the_change_permission(client, site_tree):
    enrolment = EnrolmentFactory(status=Enrolment.Status.PENDING)
    client.force_login(coordinator("view_enrolment"))
    url = reverse("groups_enrolment_action", args=[enrolment.pk, "approve"])
    # Wagtail turns a refused permission into a redirect to the dashboard.
    assert client.post(url).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PENDING


def test_roster_export_only_for_people_allowed_to_see_contact_data(client, site_tree):
    group = GroupFactory()
    EnrolmentFactory(group=group, email="näkyvä@example.invalid", phone="0401112222")
    EnrolmentFactory(status=Enrolment.Status.CANCELLED)
    url = reverse("groups_roster_export")

    client.force_login(coordinator("view_enrolment", "change_enrolment"))
    refused = client.get(url)
    assert refused.status_code == 302
    assert b"example.invalid" not in refused.content

    client.force_login(coordinator("view_enrolment", "view_enrolment_contact"))
    response = client.get(url, {"format": "csv", "group": group.pk})
    rows = finnish_excel_dicts(response.content)
    assert [row["email"] for row in rows] == ["näkyvä@example.invalid"]
    assert rows[0]["phone"] == "0401112222"

    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"


def test_outgoing_mail_listing_shows_status_but_no_addresses(admin_client):
    from groups.models import OutboxMessage

    OutboxMessage.objects.create(
        recipient="salainen@example.invalid",
        template="offer",
        idempotency_key="k1",
        status=OutboxMessage.Status.FAILED,
    )
    response = admin_client.get(reverse("outbox:index"))
    assert response.status_code == 200
    assert "salainen" not in response.content.decode()
    # The kind of message shows by its subject line in the admin's language.
    assert "Sinulle on vapautunut paikka" in response.content.decode()


QUEUE_ORDER_FIELDS = ("status", "queued_at", "placed_at", "offer_expires_at")


def test_the_admin_edit_form_has_no_field_that_changes_the_queue_order(admin_client):
    enrolment = EnrolmentFactory(status=Enrolment.Status.WAITLISTED)
    response = admin_client.get(reverse("enrolments:edit", args=[enrolment.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert not set(QUEUE_ORDER_FIELDS) & set(form.fields)
    for name in QUEUE_ORDER_FIELDS:
        assert f'name="{name}"' not in response.content.decode()


def test_posting_the_queue_time_to_the_admin_edit_form_does_not_move_anyone(admin_client):
    queued = timezone.now() - dt.timedelta(days=3)
    enrolment = EnrolmentFactory(
        status=Enrolment.Status.WAITLISTED, queued_at=queued, accessibility_needs=""
    )
    response = admin_client.post(
        reverse("enrolments:edit", args=[enrolment.pk]),
        {
            "queued_at": "2000-01-01 00:00",
            "placed_at": "2000-01-01 00:00",
            "offer_expires_at": "2000-01-01 00:00",
            "status": Enrolment.Status.CONFIRMED,
            "risk_call_done_at": "",
            "interpreter_language": "",
            "accessibility_needs": "Pyörätuoli",
        },
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.accessibility_needs == "Pyörätuoli"  # the form itself was saved
    assert enrolment.queued_at == queued
    assert enrolment.placed_at is None
    assert enrolment.offer_expires_at is None
    assert enrolment.status == Enrolment.Status.WAITLISTED


def test_the_inspect_view_shows_the_queue_times_read_only(admin_client):
    enrolment = EnrolmentFactory(status=Enrolment.Status.WAITLISTED)
    response = admin_client.get(reverse("enrolments:inspect", args=[enrolment.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("queued_at", "placed_at"):
        assert str(Enrolment._meta.get_field(name).verbose_name) in content
        assert f'name="{name}"' not in content


# Daily work (issue 24): enrolments taken by phone, approvals in one go ------------------------


def test_an_enrolment_taken_by_phone_records_oral_consent_and_who_took_it(admin_client):
    from wagtail.models import ModelLogEntry

    group = GroupFactory(capacity=5)
    user = admin_client.session["_auth_user_id"]
    response = admin_client.post(
        reverse("groups_enrolment_phone"),
        {
            "group": group.pk,
            "display_name": "Soittaja",
            "phone": "040 123 4567",
            "language": "fi",
            "consent_oral": "on",
        },
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.phone == "+358401234567"
    assert str(enrolment.consent_taken_by_id) == user and enrolment.consented_at
    entry = ModelLogEntry.objects.get(action="groups.enrolment.created")
    assert entry.data == {"status": "confirmed", "consent": "oral"}
    assert str(entry.user_id) == user


def test_a_phone_enrolment_needs_consent_and_a_contact_and_respects_capacity(admin_client):
    group = GroupFactory(capacity=5)
    for _ in range(5):
        EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    url = reverse("groups_enrolment_phone")
    base = {"group": group.pk, "display_name": "Soittaja", "language": "fi"}

    refused = admin_client.post(url, {**base, "phone": "0401234567"})
    assert "consent_oral" in refused.context["form"].errors
    no_contact = admin_client.post(url, {**base, "consent_oral": "on"})
    assert "Anna sähköpostiosoite tai puhelinnumero." in no_contact.content.decode()
    assert Enrolment.objects.filter(display_name="Soittaja").count() == 0

    admin_client.post(url, {**base, "phone": "0401234567", "consent_oral": "on"})
    # The group is full: the caller joins the waiting list, as on the site.
    assert Enrolment.objects.get(display_name="Soittaja").status == Enrolment.Status.WAITLISTED
    again = admin_client.post(url, {**base, "phone": "040 1234567", "consent_oral": "on"})
    assert again.status_code == 400  # the same phone twice in one group
    assert Enrolment.objects.filter(display_name="Soittaja").count() == 1


def test_a_phone_enrolment_is_offered_only_the_coordinators_centres(client, site_tree):
    from cms.models import CrisisCentre

    tampere = CrisisCentre.objects.create(name="Tampere", city="Tampere")
    own = GroupFactory(centre=tampere, name="Oma")
    other = GroupFactory(name="Muiden")
    user = coordinator("change_enrolment", "view_enrolment")
    profile = user.coordinator_profile
    profile.network_wide = False
    profile.save()
    profile.centres.add(tampere)
    client.force_login(user)
    form = client.get(reverse("groups_enrolment_phone")).context["form"]
    assert list(form.fields["group"].queryset) == [own]
    response = client.post(
        reverse("groups_enrolment_phone"),
        {
            "group": other.pk,
            "display_name": "X",
            "phone": "0401",
            "language": "fi",
            "consent_oral": "on",
        },
    )
    assert "group" in response.context["form"].errors
    assert not Enrolment.objects.exists()


def test_bulk_approve_goes_through_the_service_one_by_one(
    admin_client, django_assert_max_num_queries
):
    from wagtail.models import ModelLogEntry

    group = GroupFactory(capacity=5, course__requires_approval=True)
    for _ in range(3):
        EnrolmentFactory(group=group, status=Enrolment.Status.CONFIRMED)
    pending = [
        EnrolmentFactory(group=group, status=Enrolment.Status.PENDING, display_name=f"Odottaa {n}")
        for n in range(4)
    ]
    other = EnrolmentFactory(status=Enrolment.Status.PENDING, display_name="Muu ryhmä")
    url = reverse("groups_enrolments_approve")

    with django_assert_max_num_queries(30):
        page = admin_client.get(url, {"group": group.pk})
    html = page.content.decode()
    assert all(f"Odottaa {n}" in html for n in range(4)) and "Muu ryhmä" not in html

    response = admin_client.post(
        f"{url}?group={group.pk}", {"enrolment": [e.pk for e in pending]}, follow=True
    )
    statuses = sorted(
        Enrolment.objects.filter(pk__in=[e.pk for e in pending]).values_list("status", flat=True)
    )
    # Two places were left: two get them, the next two queue. Nobody overbooks.
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert ModelLogEntry.objects.filter(action="groups.enrolment.approved").count() == 4
    assert "4 ilmoittautumista hyväksytty." in response.content.decode()
    other.refresh_from_db()
    assert other.status == Enrolment.Status.PENDING


def test_bulk_approve_page_queries_stay_constant(admin_client, django_assert_max_num_queries):
    group = GroupFactory(course__requires_approval=True)
    for _ in range(30):
        EnrolmentFactory(group=GroupFactory(), status=Enrolment.Status.PENDING)
    EnrolmentFactory(group=group, status=Enrolment.Status.PENDING)
    with django_assert_max_num_queries(25):
        assert admin_client.get(reverse("groups_enrolments_approve")).status_code == 200


def test_bulk_approve_skips_enrolments_outside_the_coordinators_centres(client, site_tree):
    from cms.models import CrisisCentre

    tampere = CrisisCentre.objects.create(name="Tampere", city="Tampere")
    own = EnrolmentFactory(group=GroupFactory(centre=tampere), status=Enrolment.Status.PENDING)
    other = EnrolmentFactory(status=Enrolment.Status.PENDING)
    user = coordinator("change_enrolment", "view_enrolment")
    profile = user.coordinator_profile
    profile.network_wide = False
    profile.save()
    profile.centres.add(tampere)
    client.force_login(user)
    client.post(reverse("groups_enrolments_approve"), {"enrolment": [own.pk, other.pk]})
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.status == Enrolment.Status.CONFIRMED
    assert other.status == Enrolment.Status.PENDING


def test_a_phone_enrolment_sends_messages_where_the_caller_chooses(admin_client):
    group = GroupFactory(capacity=5)
    url = reverse("groups_enrolment_phone")
    base = {
        "group": group.pk,
        "display_name": "Soittaja",
        "language": "fi",
        "consent_oral": "on",
        "email": "soittaja@example.org",
        "phone": "040 123 4567",
    }

    # Both contacts and no choice: the coordinator is asked, not defaulted to e-mail.
    unasked = admin_client.post(url, base)
    assert unasked.status_code == 400
    assert "Valitse, miten viestit lähetetään." in unasked.content.decode()
    # A channel only with its contact.
    no_phone = admin_client.post(url, {**base, "phone": "", "message_channel": "sms"})
    assert "Anna puhelinnumero tekstiviestejä varten." in no_phone.content.decode()
    no_email = admin_client.post(url, {**base, "email": "", "message_channel": "both"})
    assert "Anna sähköpostiosoite sähköpostia varten." in no_email.content.decode()
    invalid = admin_client.post(url, {**base, "phone": "12", "message_channel": "sms"})
    assert "phone" in invalid.context["form"].errors
    assert not Enrolment.objects.exists()

    assert admin_client.post(url, {**base, "message_channel": "sms"}).status_code == 302
    enrolment = Enrolment.objects.get()
    assert (enrolment.message_channel, enrolment.phone) == ("sms", "+358401234567")


def test_a_phone_only_enrolment_by_phone_gets_text_messages(admin_client):
    group = GroupFactory(capacity=5)
    admin_client.post(
        reverse("groups_enrolment_phone"),
        {
            "group": group.pk,
            "display_name": "Soittaja",
            "language": "fi",
            "consent_oral": "on",
            "phone": "+358 40 123 4567",
        },
    )
    assert Enrolment.objects.get().message_channel == "sms"
