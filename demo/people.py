"""The demo's people: the logins the README lists, their roles and permissions, and the
facilitators who lead the demo groups. Pseudonyms and example.invalid addresses only."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.db.models import Q

from cms.models import CrisisCentre
from groups.models import CoordinatorProfile, FacilitatorProfile
from groups.selectors.facilitators import FACILITATORS_GROUP
from groups.services.go_no_go import COORDINATORS_GROUP
from groups.services.roles import roles_ensure

# (role, username, password): printed by `make run` so a newcomer can log straight in.
DEMO_LOGINS = [
    ("admin", "admin", "demo-admin-2026"),
    ("coordinator", "coordinator", "demo-coordinator-2026"),
    ("facilitator", "facilitator", "demo-facilitator-2026"),
    ("coordinator, Tampere only", "coordinator-tampere", "demo-tampere-2026"),
    ("editor", "editor", "demo-editor-2026"),
    ("network coordinator", "network-coordinator", "demo-network-2026"),
]

# The roles of groups/services/roles.py (created by a migration) each demo login belongs to.
ROLE_GROUPS = {
    "admin": "Administrators",
    "coordinator": "Coordinators",
    "facilitator": "Facilitators",
    "coordinator, Tampere only": "Coordinators",
    "editor": "Editors",
    "network coordinator": "Network coordinators",
}

# The coordinator whose admin shows only one centre's groups.
DEMO_SCOPED_COORDINATOR = ("coordinator-tampere", "Tampere")
# Who sees every centre (the centre boundary fails closed: without this flag a coordinator sees
# nothing): the coordinator of the whole network, and the network coordinator, whose trainings
# are national.
DEMO_NETWORK_WIDE = ("coordinator", "network-coordinator")

# What the demo's coordinators may do beyond their role: plan groups, meetings, facilitators,
# stays and venues, see rosters and contact details, act on enrolments, read the outbox.
COORDINATOR_PERMISSIONS = [
    "access_admin",
    "view_enrolment",
    "change_enrolment",
    "view_enrolment_contact",
    "view_outboxmessage",
]
COORDINATOR_PLANNING_MODELS = ["group", "meeting", "facilitatorprofile"]
COORDINATOR_RESIDENTIAL_PERMISSIONS = [
    "view_stay",
    "change_stay",
    "view_venue",
    "add_venue",
    "change_venue",
]

# The people who lead the demo's catalogue groups, two to a group, never two groups at once (the
# group form refuses a facilitator's clash). The demo login "facilitator" is kept for the
# scheduled group, the residential courses and the portal's group.
DEMO_FACILITATOR_NAMES = [
    ("Aino", "Aaltonen"), ("Eero", "Heikkinen"), ("Kaisa", "Laine"), ("Mikael", "Lindqvist"),
    ("Noora", "Mattila"), ("Olli", "Niemi"), ("Pia", "Rantanen"), ("Sanna", "Salonen"),
    ("Tuomas", "Virtanen"), ("Ulla", "Koskinen"), ("Vilja", "Lehtonen"), ("Anders", "Björk"),
    ("Helmi", "Karjalainen"), ("Jussi", "Mäkelä"), ("Linnea", "Sjöberg"), ("Riikka", "Peltonen"),
]  # fmt: skip


def seed_logins() -> None:
    """The README's logins, each in its role; a password changed since is left as it is."""
    user_model = get_user_model()
    for role, username, password in DEMO_LOGINS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.invalid"}
        )
        if created:
            user.set_password(password)
            user.is_staff = role not in {"facilitator"}
            user.is_superuser = role == "admin"
            user.save()
        if role in ROLE_GROUPS:
            group, _ = AuthGroup.objects.get_or_create(name=ROLE_GROUPS[role])
            user.groups.add(group)


def seed_roles() -> None:
    """Every role with its permissions, the Tampere coordinator's centre and the whole
    network for the other coordinator."""
    roles_ensure()
    for user in get_user_model().objects.filter(username__in=DEMO_NETWORK_WIDE):
        CoordinatorProfile.objects.update_or_create(user=user, defaults={"network_wide": True})
    username, city = DEMO_SCOPED_COORDINATOR
    user = get_user_model().objects.filter(username=username).first()
    centre = CrisisCentre.objects.filter(city=city).order_by("pk").first()
    if user is None or centre is None:
        return
    profile, _ = CoordinatorProfile.objects.get_or_create(user=user)
    profile.centres.add(centre)


def seed_coordinator_permissions() -> None:
    coordinators, _ = AuthGroup.objects.get_or_create(name=COORDINATORS_GROUP)
    coordinators.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="groups", content_type__model__in=COORDINATOR_PLANNING_MODELS)
            | Q(content_type__app_label="wagtailadmin", codename="access_admin")
            | Q(codename__in=COORDINATOR_PERMISSIONS)
            | Q(content_type__app_label="groups", codename__in=COORDINATOR_RESIDENTIAL_PERMISSIONS)
        )
    )


def facilitator_pair() -> list:
    """The demo login "facilitator" and a second one, who lead the named demo groups."""
    user_model = get_user_model()
    pair = []
    for username in ("facilitator", "facilitator-2"):
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.invalid"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        pair.append(user)
    return pair


def facilitator_home_ensure(user, centre) -> None:
    """A facilitator's profile with their home centre: a coordinator picks only their own
    centres' facilitators (`groups.scope`)."""
    if centre is not None:
        FacilitatorProfile.objects.get_or_create(user=user, defaults={"home_centre": centre})


def catalogue_facilitator(number: int):
    """The `number`th of the people who lead the catalogue's groups (no login)."""
    first_name, last_name = DEMO_FACILITATOR_NAMES[number]
    user, created = get_user_model().objects.get_or_create(
        username=f"ohjaaja-{number + 1}",
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"ohjaaja-{number + 1}@example.invalid",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return user


def seed_facilitator_profiles() -> None:
    """The pair of `facilitator_pair` in the Facilitators role, with their profiles."""
    facilitators, _ = AuthGroup.objects.get_or_create(name=FACILITATORS_GROUP)
    for user in facilitator_pair():
        user.groups.add(facilitators)
    centre = CrisisCentre.objects.order_by("pk").first()
    for user in facilitators.user_set.order_by("username")[:2]:
        FacilitatorProfile.objects.get_or_create(
            user=user,
            defaults={"profession": "Sairaanhoitaja", "languages": "fi, sv", "home_centre": centre},
        )
