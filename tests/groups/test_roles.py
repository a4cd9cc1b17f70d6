"""Roles from the migration, the demo logins' roles, and coordinators scoped to their centres."""

import pytest
from django.contrib.auth.models import Group as Role
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from cms.services.site import crisis_centres_ensure
from demo.people import seed_logins, seed_roles
from groups.models import CoordinatorProfile
from groups.services.roles import (
    ADMINISTRATORS,
    COORDINATORS,
    EDITORS,
    FACILITATORS,
    NETWORK_COORDINATORS,
    roles_ensure,
)
from tests.factories import CrisisCentreFactory, EnrolmentFactory, GroupFactory, UserFactory
from tests.spreadsheets import finnish_excel_dicts

pytestmark = pytest.mark.django_db


def perms(role_name: str) -> set[str]:
    role = Role.objects.get(name=role_name)
    return {
        f"{app}.{codename}"
        for app, codename in role.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_migration_created_every_role_with_its_permissions():
    assert {"groups.view_enrolment_contact", "groups.manage_personal_data"} <= perms(COORDINATORS)
    assert "groups.delete_enrolment" not in perms(COORDINATORS)
    assert "network.change_expert" not in perms(COORDINATORS)
    assert "network.change_expert" in perms(NETWORK_COORDINATORS)
    assert "groups.view_enrolment" not in perms(NETWORK_COORDINATORS)
    assert perms(FACILITATORS) == set()
    assert {"cms.change_crisiscentre", "wagtailadmin.access_admin"} <= perms(EDITORS)
    assert "groups.view_enrolment" not in perms(EDITORS)
    assert {"auth.change_user", "groups.delete_enrolment"} <= perms(ADMINISTRATORS)
    editors = Role.objects.get(name=EDITORS)
    assert GroupPagePermission.objects.filter(
        group=editors, permission__codename="publish_page", page__depth=1
    ).exists()
    assert GroupCollectionPermission.objects.filter(
        group=editors, permission__codename="add_image"
    ).exists()


def test_roles_ensure_is_idempotent():
    roles_ensure()  # Administrators also get permissions created after the migration ran
    before = {name: perms(name) for name in (COORDINATORS, EDITORS, ADMINISTRATORS)}
    roles_ensure()
    roles_ensure()
    assert {name: perms(name) for name in before} == before
    assert Role.objects.filter(name=COORDINATORS).count() == 1


def test_demo_logins_get_their_roles_and_the_tampere_coordinator_only_tampere(site_tree):
    crisis_centres_ensure()
    seed_logins()
    seed_roles()
    seed_roles()

    def roles_of(username):
        return set(Role.objects.filter(user__username=username).values_list("name", flat=True))

    assert ADMINISTRATORS in roles_of("admin")
    assert roles_of("coordinator") == {COORDINATORS}
    assert roles_of("facilitator") == {FACILITATORS}
    assert roles_of("editor") == {EDITORS}
    assert roles_of("network-coordinator") == {NETWORK_COORDINATORS}
    assert roles_of("coordinator-tampere") == {COORDINATORS}
    profile = CoordinatorProfile.objects.get(user__username="coordinator-tampere")
    assert [centre.city for centre in profile.centres.all()] == ["Tampere"]


@pytest.fixture
def two_centres(site_tree):
    roles_ensure()
    helsinki = CrisisCentreFactory(name="Helsingin kriisikeskus", city="Helsinki")
    tampere = CrisisCentreFactory(name="Tampereen kriisikeskus", city="Tampere")
    helsinki_group = GroupFactory(centre=helsinki, name="Helsingin ryhmä")
    tampere_group = GroupFactory(centre=tampere, name="Tampereen ryhmä")
    EnrolmentFactory(group=helsinki_group, display_name="Helsinkiläinen")
    EnrolmentFactory(group=tampere_group, display_name="Tamperelainen")
    user = UserFactory(username="tre")
    user.groups.add(Role.objects.get(name=COORDINATORS))
    CoordinatorProfile.objects.create(user=user).centres.add(tampere)
    return user, helsinki_group, tampere_group


def test_tampere_coordinator_sees_no_helsinki_enrolments_or_groups(client, two_centres):
    user, _helsinki_group, _tampere_group = two_centres
    client.force_login(user)

    enrolments = client.get(reverse("enrolments:index")).content.decode()
    assert "Tamperelainen" in enrolments
    assert "Helsinkiläinen" not in enrolments
    groups = client.get(reverse("groups_group:index")).content.decode()
    assert "Tampereen ryhmä" in groups
    assert "Helsingin ryhmä" not in groups
    response = client.get(reverse("groups_group:index"), {"export": "csv"})
    export = b"".join(response.streaming_content).decode()
    assert "Tampereen ryhmä" in export and "Helsingin ryhmä" not in export


def test_tampere_coordinator_exports_and_reports_only_tampere(client, two_centres):
    user, _helsinki_group, _tampere_group = two_centres
    client.force_login(user)

    rows = finnish_excel_dicts(
        client.get(reverse("groups_roster_export"), {"format": "csv"}).content
    )
    assert [row["display_name"] for row in rows] == ["Tamperelainen"]
    report = client.get(reverse("groups_attendance_report"), {"by": "group"}).content.decode()
    assert "Tampereen ryhmä" in report and "Helsingin ryhmä" not in report


def test_a_coordinator_marked_for_the_whole_network_sees_every_centre(client, two_centres):
    user = UserFactory()
    user.groups.add(Role.objects.get(name=COORDINATORS))
    CoordinatorProfile.objects.create(user=user, network_wide=True)
    client.force_login(user)
    page = client.get(reverse("enrolments:index")).content.decode()
    assert "Tamperelainen" in page and "Helsinkiläinen" in page


def test_a_coordinator_without_centres_sees_nothing(client, two_centres):
    user = UserFactory()
    user.groups.add(Role.objects.get(name=COORDINATORS))
    CoordinatorProfile.objects.create(user=user)
    client.force_login(user)
    page = client.get(reverse("enrolments:index")).content.decode()
    assert "Tamperelainen" not in page and "Helsinkiläinen" not in page


def test_a_facilitator_cannot_reach_another_groups_roster_by_editing_the_url(client, site_tree):
    roles_ensure()
    facilitator = UserFactory()
    facilitator.groups.add(Role.objects.get(name=FACILITATORS))
    own = GroupFactory(facilitator_1=facilitator, status="running")
    other = GroupFactory(status="running")
    EnrolmentFactory(group=other, display_name="Toisen ryhmän jäsen")
    client.force_login(facilitator)

    assert client.get(reverse("portal:group", args=[own.pk])).status_code == 200
    response = client.get(reverse("portal:group", args=[other.pk]))
    assert response.status_code == 404
    assert "Toisen ryhmän jäsen" not in response.content.decode()
    # Nor through the admin.
    assert client.get(reverse("enrolments:index")).status_code == 302


def test_the_risk_count_above_the_listing_counts_only_the_coordinators_centres(client, two_centres):
    user, helsinki_group, _tampere_group = two_centres
    EnrolmentFactory(group=helsinki_group, status="pending", risk_flagged=True)
    client.force_login(user)
    page = client.get(reverse("enrolments:index")).content.decode()
    assert 'class="help-block help-info" id="risk-count"' in page


def test_tampere_coordinator_can_only_put_a_group_in_tampere(client, two_centres):
    user, _helsinki_group, _tampere_group = two_centres
    client.force_login(user)
    form = client.get(reverse("groups_group:add")).context["form"]
    assert [centre.city for centre in form.fields["centre"].queryset] == ["Tampere"]
    assert form.fields["centre"].required
