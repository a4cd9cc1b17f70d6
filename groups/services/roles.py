"""The roles of DESIGN.md §1 as Django groups with their permissions.

Created by a data migration and again by `seed_demo`; only ever adds what is missing, so it is
safe to run any number of times and never takes away a permission an administrator granted.
"""

EDITORS = "Editors"  # Wagtail's own group of that name, extended
COORDINATORS = "Coordinators"
FACILITATORS = "Facilitators"
NETWORK_COORDINATORS = "Network coordinators"
ADMINISTRATORS = "Administrators"

ROLES = [EDITORS, COORDINATORS, FACILITATORS, NETWORK_COORDINATORS, ADMINISTRATORS]


def _crud(app_label: str, model: str, actions=("add", "change", "view")) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in actions]


# "app_label.codename" per role. Facilitators work in the portal only: no admin permissions
# (the portal checks membership of the role and who leads the group).
ROLE_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: [
        "wagtailadmin.access_admin",
        *_crud("cms", "crisiscentre"),
        *_crud("courses", "topic"),
    ],
    COORDINATORS: [
        "wagtailadmin.access_admin",
        "cms.view_crisiscentre",
        *_crud("cms", "accessibilityfeedback", ("change", "delete", "view")),
        *_crud("groups", "group"),
        *_crud("groups", "meeting"),
        *_crud("groups", "facilitatorprofile"),
        *_crud("groups", "venue"),
        *_crud("groups", "room", ("add", "change", "delete", "view")),
        "groups.view_stay",
        "groups.change_stay",
        "groups.view_enrolment",
        "groups.change_enrolment",
        "groups.view_enrolment_contact",
        "groups.manage_personal_data",
        "groups.view_outboxmessage",
        "groups.change_outboxmessage",
    ],
    FACILITATORS: [],
    NETWORK_COORDINATORS: [
        "wagtailadmin.access_admin",
        *_crud("network", "expert", ("add", "change", "delete", "view")),
        *_crud("network", "training", ("add", "change", "delete", "view")),
        *_crud("network", "certification", ("add", "change", "delete", "view")),
        *_crud("network", "supervisionsession", ("add", "change", "delete", "view")),
        *_crud("network", "supervisionattendance", ("add", "change", "delete", "view")),
    ],
}
# Editors write and publish pages everywhere and manage images and documents.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]


def _permissions(permission_model, names: list[str]) -> list:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        permission = permission_model.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            found.append(permission)
    return found


def roles_ensure(apps=None) -> dict[str, object]:
    """Create the five roles and give each its permissions; returns the groups by name.

    `apps` is the migration's app registry (historical models) or None for the real ones.
    Administrators get every permission there is at the time of the call.
    """
    if apps is None:
        from django.apps import apps as apps
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    roles = {name: group_model.objects.get_or_create(name=name)[0] for name in ROLES}
    for name, permissions in ROLE_PERMISSIONS.items():
        roles[name].permissions.add(*_permissions(permission_model, permissions))
    roles[ADMINISTRATORS].permissions.add(*permission_model.objects.all())
    _editor_tree_permissions(apps, roles[EDITORS], permission_model)
    return roles


def _editor_tree_permissions(apps, editors, permission_model) -> None:
    page_model = apps.get_model("wagtailcore", "Page")
    root = page_model.objects.filter(depth=1).first()
    if root is not None:
        page_permission_model = apps.get_model("wagtailcore", "GroupPagePermission")
        for codename in EDITOR_PAGE_PERMISSIONS:
            permission = permission_model.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission is not None:
                page_permission_model.objects.get_or_create(
                    group=editors, page=root, permission=permission
                )
    collection_model = apps.get_model("wagtailcore", "Collection")
    root_collection = collection_model.objects.filter(depth=1).first()
    if root_collection is not None:
        collection_permission_model = apps.get_model("wagtailcore", "GroupCollectionPermission")
        for permission in _permissions(permission_model, EDITOR_COLLECTION_PERMISSIONS):
            collection_permission_model.objects.get_or_create(
                group=editors, collection=root_collection, permission=permission
            )
