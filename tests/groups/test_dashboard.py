"""Dashboard panels: what needs attention, each to the roles that can act, of their centres,
in a constant number of queries."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group as Role
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import CoordinatorProfile, Enrolment, OutboxMessage
from groups.services.roles import (
    ADMINISTRATORS,
    COORDINATORS,
    EDITORS,
    NETWORK_COORDINATORS,
)
from tests.factories import (
    CertificationFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    ExpertFactory,
    GroupFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


PANELS = [
    "go_no_go",
    "risk_calls",
    "missing_facilitator",
    "offers_expiring",
    "outbox_failing",
    "experts_due",
]
GROUP_PANELS = PANELS[:5]


def seed(centre, label: str) -> dict:
    """One situation for every panel in `centre`, named with `label`."""
    today = timezone.localdate()
    under = GroupFactory(
        centre=centre,
        name=f"{label} alle minimin",
        go_no_go_date=today,
        under_minimum_since=timezone.now(),
    )
    lonely = GroupFactory(centre=centre, name=f"{label} ilman paria", facilitator_2=None)
    risk = EnrolmentFactory(group=under, status=Enrolment.Status.PENDING, risk_flagged=True)
    offer = EnrolmentFactory(
        group=lonely,
        status=Enrolment.Status.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(hours=3),
    )
    failed = OutboxMessage.objects.create(
        recipient=offer.email,
        template="offered",
        idempotency_key=f"failed-{offer.pk}",
        enrolment=offer,
        status=OutboxMessage.Status.FAILED,
        attempts=6,
    )
    expert = ExpertFactory(name=f"{label} asiantuntija")
    CertificationFactory(expert=expert, certified_on=today - dt.timedelta(days=30))
    return {"under": under, "lonely": lonely, "risk": risk, "offer": offer, "failed": failed}


def user_with(role_name: str, centres=()):
    user = UserFactory()
    user.groups.add(Role.objects.get(name=role_name))
    # Without centres: a coordinator of the whole network (the boundary fails closed).
    profile = CoordinatorProfile.objects.create(user=user, network_wide=not centres)
    profile.centres.add(*centres)
    return user


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def shown(page: str) -> list[str]:
    """The panels on the page, by their headings' ids (the go/no-go panel came first)."""
    ids = {name: name.replace("go_no_go", "go-no-go") for name in PANELS}
    return [name for name in PANELS if f'id="{ids[name]}-heading"' in page]


@pytest.fixture
def centres(site_tree):
    return (
        CrisisCentreFactory(name="Helsingin kriisikeskus", city="Helsinki"),
        CrisisCentreFactory(name="Tampereen kriisikeskus", city="Tampere"),
    )


def test_each_panel_shows_its_situation_to_the_roles_that_can_act(client, centres):
    rows = seed(centres[0], "Helsinki")

    page = dashboard(client, user_with(COORDINATORS))
    assert shown(page) == GROUP_PANELS
    assert "Helsinki alle minimin" in page
    assert "Helsinki ilman paria" in page
    assert f"#{rows['risk'].pk} " in page
    assert f"#{rows['offer'].pk} " in page
    assert f"offered #{rows['failed'].pk}" in page
    assert "Helsinki asiantuntija" not in page

    page = dashboard(client, user_with(NETWORK_COORDINATORS))
    assert shown(page) == ["experts_due"]
    assert "Helsinki asiantuntija" in page

    assert shown(dashboard(client, user_with(EDITORS))) == []
    assert shown(dashboard(client, user_with(ADMINISTRATORS))) == PANELS


def test_panels_show_a_coordinator_only_their_centres(client, centres):
    helsinki, tampere = centres
    seed(helsinki, "Helsinki")
    seed(tampere, "Tampere")

    page = dashboard(client, user_with(COORDINATORS, [tampere]))

    assert shown(page) == GROUP_PANELS
    assert "Tampere alle minimin" in page and "Tampere ilman paria" in page
    assert "Helsinki" not in page.replace("Helsinki</", "")  # no Helsinki rows at all


def test_nothing_to_do_shows_no_panels(client, centres):
    GroupFactory(centre=centres[0])
    assert shown(dashboard(client, user_with(ADMINISTRATORS))) == []


def test_erased_peoples_withheld_e_mails_are_not_failures(client, centres):
    rows = seed(centres[0], "Helsinki")
    OutboxMessage.objects.filter(pk=rows["failed"].pk).update(last_error="erased")
    page = dashboard(client, user_with(COORDINATORS))
    assert "outbox_failing" not in shown(page)


def test_the_dashboard_costs_the_same_queries_however_much_needs_attention(
    client, centres, django_assert_max_num_queries
):
    user = user_with(ADMINISTRATORS)
    client.force_login(user)
    seed(centres[0], "Yksi")
    client.get(reverse("wagtailadmin_home"))  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("wagtailadmin_home"))
    for n in range(12):
        seed(centres[n % 2], f"Monta {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert shown(page) == PANELS
