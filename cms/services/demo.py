"""Demo data for `make run`: never used in production, never holding real people's data."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup

from cms.services.site import crisis_centres_ensure, site_tree_ensure

# (role, username, password): printed by `make run` so a newcomer can log straight in.
DEMO_LOGINS = [
    ("admin", "admin", "demo-admin-2026"),
    ("coordinator", "coordinator", "demo-coordinator-2026"),
    ("facilitator", "facilitator", "demo-facilitator-2026"),
]

ROLE_GROUPS = {"coordinator": "Coordinators", "facilitator": "Facilitators"}


def demo_users_ensure() -> None:
    user_model = get_user_model()
    for role, username, password in DEMO_LOGINS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.invalid"}
        )
        if created:
            user.set_password(password)
            user.is_staff = role in {"admin", "coordinator"}
            user.is_superuser = role == "admin"
            user.save()
        if role in ROLE_GROUPS:
            group, _ = AuthGroup.objects.get_or_create(name=ROLE_GROUPS[role])
            user.groups.add(group)


def demo_data_ensure() -> None:
    site_tree_ensure()
    crisis_centres_ensure()
    demo_users_ensure()
