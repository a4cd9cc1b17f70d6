"""Demo data for `make run`: never used in production, never holding real people's data."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from wagtail.models import Locale

from cms.models import CrisisCentreIndexPage
from cms.services.site import crisis_centres_ensure, site_tree_ensure

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


def demo_users_ensure() -> None:
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


DIRECTORY = {
    "fi": ("Kriisikeskukset", "kriisikeskukset", "Kriisikeskukset ympäri Suomen ja niiden ryhmät."),
    "sv": ("Kriscenter", "kriscenter", "Kriscentren runt om i Finland och deras grupper."),
    "en": (
        "Crisis centres",
        "crisis-centres",
        "Crisis centres around Finland and their groups.",
    ),
}


def demo_centre_directory_ensure(homes) -> None:
    directory = CrisisCentreIndexPage.objects.child_of(homes["fi"]).first()
    if directory is None:
        title, slug, intro = DIRECTORY["fi"]
        directory = homes["fi"].add_child(
            instance=CrisisCentreIndexPage(
                title=title, slug=slug, introduction=intro, show_in_menus=True
            )
        )
        directory.save_revision().publish()
    for code, (title, slug, intro) in DIRECTORY.items():
        locale = Locale.objects.get(language_code=code)
        if code == "fi" or directory.get_translation_or_none(locale) is not None:
            continue
        translation = directory.copy_for_translation(locale)
        translation.title, translation.slug, translation.introduction = title, slug, intro
        translation.show_in_menus = True
        translation.save_revision().publish()


def demo_data_ensure() -> None:
    homes = site_tree_ensure()
    crisis_centres_ensure()
    demo_users_ensure()
    demo_centre_directory_ensure(homes)
