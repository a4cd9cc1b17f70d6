"""Every URL of the project x every role, with two centres' data: the status each must get,
and no other centre's marker in any page or download that is shown.

How to read a row: (URL name, how to build the URL from the test world, the statuses of
    anonymous, facilitator, editor, coordinator (whole network), coordinator of Tampere only,
    coordinator without centres, network coordinator, administrator, superuser) — the ROLES
    below, in that order. The participant holding a private link is every role on the rows
    built with `token_url` (the token is the key, whoever holds it).

Adding a URL to the project: add a row to MATRIX (or, for Wagtail's own core admin, make sure
an EXCLUDED prefix covers it). `test_every_url_is_in_the_matrix` fails naming any URL pattern
that is in neither. The statuses are what a GET gets, without following redirects:
  200 shown, 302 sent elsewhere (the login page; in the Wagtail admin also "no permission",
  which Wagtail turns into a redirect to the dashboard with a message), 403 refused, 404 not
  found (someone else's row looks like no row at all), 405 POST only.

Every 200 is also read for the markers: unique names given to the Helsinki centre's group,
participant, stay, venue, feedback comment and facilitator (and the Tampere participant). A
role that may not see a centre must not find its markers in any body (`forbidden_markers`).
"""

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cms.models import AccessibilityFeedback, SheetImport
from groups.models import (
    Attendance,
    CoordinatorProfile,
    FacilitatorProfile,
    FeedbackAnswer,
    Meeting,
    OutboxMessage,
)
from groups.services.feedback import feedback_token_hash
from groups.services.roles import (
    ADMINISTRATORS,
    COORDINATORS,
    EDITORS,
    FACILITATORS,
    NETWORK_COORDINATORS,
    roles_ensure,
)
from tests.factories import (
    CertificationFactory,
    CrisisCentreFactory,
    EnrolmentFactory,
    ExpertFactory,
    GroupFactory,
    MeetingFactory,
    StayFactory,
    SupervisionSessionFactory,
    TopicFactory,
    TrainingFactory,
    UserFactory,
    VenueFactory,
)
from tests.groups.test_residential import residential_group

ROLES = (
    "anonymous",
    "facilitator",
    "editor",
    "coordinator",
    "coordinator_tampere",
    "coordinator_no_centres",
    "network_coordinator",
    "administrator",
    "superuser",
)

FEEDBACK_TOKEN = "feedback-token-for-the-matrix"

# Unique strings on the Helsinki centre's rows (and the Tampere participant's).
HELSINKI_PUBLIC = {
    "group": "Markkeri-HKI-ryhma",
    "venue": "Markkeri-HKI-kurssikeskus",
    "facilitator": "Markkeri-HKI-ohjaaja",
    "residential": "Markkeri-HKI-internaatti",
}
HELSINKI_PRIVATE = {
    "participant": "Markkeri-HKI-osallistuja",
    "stay": "Markkeri-HKI-allergia",
    "feedback": "Markkeri-HKI-palaute",
}
TAMPERE_PRIVATE = {"participant": "Markkeri-TRE-osallistuja"}
HELSINKI = [*HELSINKI_PUBLIC.values(), *HELSINKI_PRIVATE.values()]
PRIVATE = [*HELSINKI_PRIVATE.values(), *TAMPERE_PRIVATE.values()]
STAFF_PREFIXES = (f"/{settings.ADMIN_PATH}/", "/facilitate/")


def forbidden_markers(role: str, path: str, row_kind: str) -> list[str]:
    """The markers `role` must not find in the 200 body of `path`. Group, venue and facilitator
    names are public (the catalogue shows them); the people's data is never, except to the
    participant holding their own private link (a token row)."""
    staff_page = path.startswith(STAFF_PREFIXES)
    if row_kind == "token":
        return list(TAMPERE_PRIVATE.values())  # the Helsinki participant's own link
    if role in ("coordinator", "administrator", "superuser"):
        return []
    if role == "coordinator_tampere":
        return HELSINKI if staff_page else PRIVATE
    if role == "facilitator":
        # Leads the Helsinki group: sees its roster in the portal, nothing of Tampere.
        return list(TAMPERE_PRIVATE.values())
    return [*HELSINKI, *TAMPERE_PRIVATE.values()] if staff_page else PRIVATE


# URL names (or name prefixes, ending in "_" or ":") of Wagtail's own core admin and page
# serving. Wagtail tests its own permission checks; our models' admin screens are all in
# MATRIX. Each entry says why it may stay out.
EXCLUDED = {
    "wagtailadmin": "Wagtail core admin: pages, dashboard internals, account, choosers",
    "wagtailimages": "Wagtail images: collection permissions of the Editors role",
    "wagtaildocs": "Wagtail documents: collection permissions of the Editors role",
    "wagtailusers": "Wagtail user and group management: Administrators only (add_user etc.)",
    "wagtailsites": "Wagtail sites: Administrators only",
    "wagtaillocales": "Wagtail locales: Administrators only",
    "wagtailredirects": "Wagtail redirects: Administrators only",
    "wagtailsettings": "Wagtail site settings (helplines): Administrators only",
    "wagtailsearch": "Wagtail promoted search results: Administrators only",
    "wagtailembeds": "Wagtail embed chooser: no outside finders configured",
    "wagtailforms": "Wagtail form submissions: no form pages in the project",
    "wagtail_bulk_action": "Wagtail bulk actions: check the model's permission per object",
    "simple_translation:": "Wagtail page/snippet translation: page and snippet permissions",
    "wagtailsnippets:": "Wagtail's list of snippet types: links only",
    "wagtailsnippetchoosers_": "Snippet chooser modals: the snippet's permission policy",
    "wagtailsnippets_wagtail": "Wagtail's own snippet models",
    "wagtailcore_": "Wagtail page privacy (password and login for restricted pages)",
    "admin/test404/": "Wagtail's 404 test page",
    "admin/^.*/$": "Wagtail admin catch-all 404",
    "password_reset_confirm": "Django auth: a signed one-time link, nothing without it",
}


@dataclasses.dataclass
class World:
    users: dict
    helsinki_group: object
    tampere_group: object
    helsinki_enrolment: object
    tampere_enrolment: object
    helsinki_meeting: object
    helsinki_next_meeting: object
    tampere_meeting: object
    helsinki_outbox: object
    tampere_outbox: object
    expert: object
    training: object
    certification: object
    session: object
    topic: object
    centre: object
    facilitator_profile: object
    tampere_facilitator_profile: object
    coordinator_profile: object
    residential_group: object
    tampere_residential_group: object
    residential_session: object
    venue: object
    tampere_venue: object
    sheet_import: object


def build_world() -> World:
    roles = roles_ensure()  # a transactional test before this one may have flushed them
    helsinki = CrisisCentreFactory(name="Helsingin kriisikeskus", city="Helsinki")
    tampere = CrisisCentreFactory(name="Tampereen kriisikeskus", city="Tampere")
    users = {}
    for key, role in [
        ("facilitator", FACILITATORS),
        ("editor", EDITORS),
        ("coordinator", COORDINATORS),
        ("coordinator_tampere", COORDINATORS),
        ("coordinator_no_centres", COORDINATORS),
        ("network_coordinator", NETWORK_COORDINATORS),
        ("administrator", ADMINISTRATORS),
    ]:
        users[key] = UserFactory(username=f"matrix-{key}")
        users[key].groups.add(roles[role])
    users["superuser"] = UserFactory(username="matrix-superuser", is_superuser=True)
    users["facilitator"].first_name = HELSINKI_PUBLIC["facilitator"]
    users["facilitator"].save(update_fields=["first_name"])
    CoordinatorProfile.objects.create(user=users["coordinator"], network_wide=True)
    coordinator_profile = CoordinatorProfile.objects.create(user=users["coordinator_tampere"])
    coordinator_profile.centres.add(tampere)
    # Its centre was deleted: the profile is left with none, and sees nothing.
    CoordinatorProfile.objects.create(user=users["coordinator_no_centres"])
    helsinki_group = GroupFactory(
        centre=helsinki,
        name=HELSINKI_PUBLIC["group"],
        facilitator_1=users["facilitator"],
        status="running",
    )
    tampere_group = GroupFactory(centre=tampere, course=helsinki_group.course, status="running")
    past = timezone.now() - timezone.timedelta(days=7)
    helsinki_meeting = MeetingFactory(group=helsinki_group, starts_at=past)
    tampere_meeting = MeetingFactory(group=tampere_group, starts_at=past)
    # The next meeting: "I can't come" is open for it until it starts.
    helsinki_next_meeting = MeetingFactory(
        group=helsinki_group, starts_at=timezone.now() + dt.timedelta(days=3)
    )
    # A risk answer waiting for a call: the dashboard's panel names the group.
    helsinki_enrolment = EnrolmentFactory(
        group=helsinki_group, display_name=HELSINKI_PRIVATE["participant"], risk_flagged=True
    )
    tampere_enrolment = EnrolmentFactory(
        group=tampere_group, display_name=TAMPERE_PRIVATE["participant"]
    )
    for meeting, enrolment in [
        (helsinki_meeting, helsinki_enrolment),
        (tampere_meeting, tampere_enrolment),
    ]:
        Attendance.objects.create(meeting=meeting, enrolment=enrolment, status="absent")
    outbox = [
        OutboxMessage.objects.create(
            recipient=enrolment.email,
            template="confirmed",
            idempotency_key=f"matrix-{enrolment.pk}",
            enrolment=enrolment,
        )
        for enrolment in (helsinki_enrolment, tampere_enrolment)
    ]
    from groups.models import FeedbackToken

    FeedbackToken.objects.create(
        group=helsinki_group, token_hash=feedback_token_hash(FEEDBACK_TOKEN)
    )
    FeedbackAnswer.objects.create(
        group=helsinki_group, helped=4, recommend="yes", comment=HELSINKI_PRIVATE["feedback"]
    )
    expert = ExpertFactory()
    training = TrainingFactory(group=tampere_group)
    residential = residential_group(centre=helsinki, name=HELSINKI_PUBLIC["residential"])
    residential.venue.name = HELSINKI_PUBLIC["venue"]
    residential.venue.centre = helsinki
    residential.venue.save(update_fields=["name", "centre"])
    StayFactory(
        enrolment=EnrolmentFactory(group=residential, status="confirmed"),
        allergies=HELSINKI_PRIVATE["stay"],
    )
    session = Meeting.objects.create(
        group=residential,
        starts_at=timezone.now() + dt.timedelta(days=30),
        ends_at=timezone.now() + dt.timedelta(days=30, hours=2),
        is_extra=True,
        title="Iltapiiri",
    )
    tampere_venue = VenueFactory(centre=tampere)
    tampere_residential = GroupFactory(
        course=residential.course, centre=tampere, venue=tampere_venue
    )
    tampere_facilitator = UserFactory(username="matrix-tampere-facilitator")
    tampere_facilitator.groups.add(roles[FACILITATORS])
    return World(
        users=users,
        helsinki_group=helsinki_group,
        tampere_group=tampere_group,
        helsinki_enrolment=helsinki_enrolment,
        tampere_enrolment=tampere_enrolment,
        helsinki_meeting=helsinki_meeting,
        helsinki_next_meeting=helsinki_next_meeting,
        tampere_meeting=tampere_meeting,
        helsinki_outbox=outbox[0],
        tampere_outbox=outbox[1],
        expert=expert,
        training=training,
        certification=CertificationFactory(expert=expert, training=training),
        session=SupervisionSessionFactory(attendees=[expert]),
        topic=TopicFactory(),
        centre=helsinki,
        facilitator_profile=FacilitatorProfile.objects.create(
            user=users["facilitator"], home_centre=helsinki
        ),
        tampere_facilitator_profile=FacilitatorProfile.objects.create(
            user=tampere_facilitator, home_centre=tampere
        ),
        coordinator_profile=coordinator_profile,
        residential_group=residential,
        tampere_residential_group=tampere_residential,
        residential_session=session,
        venue=residential.venue,
        tampere_venue=tampere_venue,
        sheet_import=SheetImport.objects.create(
            kind="groups", filename="kevät.csv", user=users["coordinator"], status="checked"
        ),
    )


def url(name: str, *attributes: str, **query) -> Callable[[World], str]:
    """The URL of `name` with the primary keys of the world's objects as arguments."""

    def build(world: World) -> str:
        args = [getattr(world, attribute).pk for attribute in attributes]
        path = reverse(name, args=args)
        if query:
            path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
        return path

    return build


def token_url(name: str, attribute: str, key: str = "manage_token") -> Callable[[World], str]:
    def build(world: World) -> str:
        return reverse(name, args=[getattr(getattr(world, attribute), key)])

    build.row_kind = "token"
    return build


def apology_url(enrolment: str, meeting: str) -> Callable[[World], str]:
    """The "I can't come" page of a meeting, from the enrolment's private link."""

    def build(world: World) -> str:
        token = getattr(world, enrolment).manage_token
        return reverse("groups:apology", args=[token, getattr(world, meeting).pk])

    build.row_kind = "token"
    return build


def interest_url(name: str, *, hold: bool = False) -> Callable[[World], str]:
    """A private link of an interest left for Helsinki (made on first use): its page, or the
    page of a place kept for it in the Helsinki group."""
    from groups.models import Interest, PlaceHold
    from groups.services.interest import interest_create

    def build(world: World) -> str:
        interest = Interest.objects.order_by("pk").first() or interest_create(
            topic_key=world.helsinki_group.course.topic.translation_key,
            towns=["Helsinki"],
            online=False,
            language="fi",
            display_name=HELSINKI_PRIVATE["participant"],
            email="matrix-interest@example.invalid",
            consent_text_version="2026-1",
        )
        if not hold:
            return reverse(name, args=[interest.manage_token])
        kept = PlaceHold.objects.filter(interest=interest).first() or PlaceHold.objects.create(
            interest=interest,
            group=world.helsinki_group,
            expires_at=timezone.now() + dt.timedelta(hours=48),
        )
        return reverse(name, args=[kept.token])

    build.row_kind = "token"
    return build


def fixed(path: str) -> Callable[[World], str]:
    return lambda world: path


def short_link_to_manage(*, days: int) -> Callable[[World], str]:
    """The short link of a text message to the Helsinki enrolment's manage page, expiring in
    `days` (in the past when negative)."""

    def build(world: World) -> str:
        from cms.services.short_links import short_link_for

        enrolment = world.helsinki_enrolment
        link = short_link_for(
            target=reverse("groups:manage", args=[enrolment.manage_token]),
            expires_at=timezone.now().replace(microsecond=0, second=0, minute=0)
            + dt.timedelta(days=days),
            owner=enrolment,
        )
        return reverse("short_link", args=[link.code])

    return build


def accessibility_feedback() -> AccessibilityFeedback:
    return AccessibilityFeedback.objects.get_or_create(message="Kontrasti on liian heikko.")[0]


# fmt: off
# Columns:                                   anon fac edit coord tre none netw admin super
MATRIX: list[tuple[str, Callable[[World], str], str]] = [
    # --- public site ---------------------------------------------------------------------
    ("healthz", fixed("/healthz"),                         "200 200 200 200 200 200 200 200 200"),
    ("sitemap", fixed("/sitemap.xml"),                     "200 200 200 200 200 200 200 200 200"),
    ("wagtail_serve", fixed("/fi/"),                       "200 200 200 200 200 200 200 200 200"),
    ("search", url("search"),                              "200 200 200 200 200 200 200 200 200"),
    ("search_suggest", url("search_suggest"),              "200 200 200 200 200 200 200 200 200"),
    ("staying_safe", url("staying_safe"),                  "200 200 200 200 200 200 200 200 200"),
    ("accessibility_statement", url("accessibility_statement"),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("privacy_notice", url("privacy_notice"),              "200 200 200 200 200 200 200 200 200"),
    ("set_language", url("set_language"),                  "302 302 302 302 302 302 302 302 302"),
    ("groups:group_calendar", url("groups:group_calendar", "helsinki_group"),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("groups:course_calendar", lambda w: reverse("groups:course_calendar",
                                                 args=[w.helsinki_group.course_id]),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("groups:enrol", url("groups:enrol", "helsinki_group"), "200 200 200 200 200 200 200 200 200"),
    ("interest:new", url("interest:new"),                "200 200 200 200 200 200 200 200 200"),
    ("interest:done", url("interest:done"),              "200 200 200 200 200 200 200 200 200"),
    # --- a participant's private links (the token is the key; no login) ------------------
    ("interest:manage", interest_url("interest:manage"), "200 200 200 200 200 200 200 200 200"),
    ("interest:keep", interest_url("interest:keep"),     "405 405 405 405 405 405 405 405 405"),
    ("interest:withdraw", interest_url("interest:withdraw"),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("interest:hold", interest_url("interest:hold", hold=True),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("interest:hold", fixed("/fi/interest/place/not-a-real-token/"),
                                                           "410 410 410 410 410 410 410 410 410"),
    ("groups:enrol_done", token_url("groups:enrol_done", "helsinki_enrolment", "done_token"),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("groups:enrol_done", token_url("groups:enrol_done", "helsinki_enrolment"),
                                                           "404 404 404 404 404 404 404 404 404"),
    ("groups:manage", token_url("groups:manage", "helsinki_enrolment"),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("groups:manage_calendar", token_url("groups:manage_calendar", "helsinki_enrolment"),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("groups:manage_needs", token_url("groups:manage_needs", "helsinki_enrolment"),
                                                           "405 405 405 405 405 405 405 405 405"),
    ("groups:manage_cancel", token_url("groups:manage_cancel", "helsinki_enrolment"),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("groups:offer", token_url("groups:offer", "helsinki_enrolment"),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("groups:manage_phone", token_url("groups:manage_phone", "helsinki_enrolment"),
                                                           "405 405 405 405 405 405 405 405 405"),
    ("groups:manage_stay", token_url("groups:manage_stay", "helsinki_enrolment"),
                                                           "405 405 405 405 405 405 405 405 405"),
    # "I can't come": until the meeting starts (then 410); another group's meeting is 404.
    ("groups:apology", apology_url("helsinki_enrolment", "helsinki_next_meeting"),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("groups:apology", apology_url("helsinki_enrolment", "helsinki_meeting"),
                                                           "410 410 410 410 410 410 410 410 410"),
    ("groups:apology", apology_url("helsinki_enrolment", "tampere_meeting"),
                                                           "404 404 404 404 404 404 404 404 404"),
    ("groups:manage_channel", token_url("groups:manage_channel", "helsinki_enrolment"),
                                                           "405 405 405 405 405 405 405 405 405"),
    ("groups:manage", fixed("/fi/my/not-a-real-token/"),   "404 404 404 404 404 404 404 404 404"),
    # A text message's short link: on to the page for anyone holding it, else 404 / 410.
    ("short_link", short_link_to_manage(days=30),          "302 302 302 302 302 302 302 302 302"),
    ("short_link", short_link_to_manage(days=-1),          "410 410 410 410 410 410 410 410 410"),
    ("short_link", fixed("/s/notarealcode"),               "404 404 404 404 404 404 404 404 404"),
    ("certificates:certificate", token_url("certificates:certificate", "helsinki_enrolment",
                                           "certificate_token"),
                                                           "404 404 404 404 404 404 404 404 404"),
    ("certificates:certificate", token_url("certificates:certificate", "helsinki_enrolment"),
                                                           "404 404 404 404 404 404 404 404 404"),
    ("feedback:answer", fixed(f"/fi/feedback/{FEEDBACK_TOKEN}/"),
                                                           "200 200 200 200 200 200 200 200 200"),
    ("feedback:answer", fixed("/fi/feedback/not-a-real-token/"),
                                                           "404 404 404 404 404 404 404 404 404"),
    # --- log in and out ------------------------------------------------------------------
    ("login", url("login"),                                "200 200 200 200 200 200 200 200 200"),
    ("logout", url("logout"),                              "405 405 405 405 405 405 405 405 405"),
    ("password_change", url("password_change"),            "302 200 200 200 200 200 200 200 200"),
    ("password_change_done", url("password_change_done"),  "302 200 200 200 200 200 200 200 200"),
    ("password_reset", url("password_reset"),              "200 200 200 200 200 200 200 200 200"),
    ("password_reset_done", url("password_reset_done"),    "200 200 200 200 200 200 200 200 200"),
    ("password_reset_complete", url("password_reset_complete"),
                                                           "200 200 200 200 200 200 200 200 200"),
    # --- facilitator portal: own groups only ---------------------------------------------
    ("portal:home", url("portal:home"),                    "302 200 403 403 403 403 403 403 403"),
    ("portal:group", url("portal:group", "helsinki_group"), "302 200 403 403 403 403 403 403 403"),
    ("portal:group", url("portal:group", "tampere_group"), "302 404 403 403 403 403 403 403 403"),
    ("portal:register", url("portal:register", "helsinki_meeting"),
                                                           "302 200 403 403 403 403 403 403 403"),
    ("portal:register", url("portal:register", "tampere_meeting"),
                                                           "302 404 403 403 403 403 403 403 403"),
    ("portal:contacted", lambda w: reverse("portal:contacted", args=[
        w.helsinki_group.pk, w.helsinki_enrolment.pk, w.helsinki_meeting.pk]),
                                                           "405 405 405 405 405 405 405 405 405"),
    # --- Wagtail admin: the pages every admin user sees ----------------------------------
    ("wagtailadmin_home", url("wagtailadmin_home"),        "302 302 200 200 200 200 200 200 200"),
    # Site history names every model's rows: only for who sees the whole network (the
    # groups_site_history views stand in front of Wagtail's at the same paths).
    *[
        (name, url(name),                                  "302 302 302 200 302 302 302 200 200")
        for name in [
            "wagtailadmin_reports:site_history",
            "wagtailadmin_reports:site_history_results",
            "groups_site_history",
            "groups_site_history_results",
        ]
    ],
    # --- groups --------------------------------------------------------------------------
    ("groups_group:index", url("groups_group:index"),      "302 302 302 200 200 200 302 200 200"),
    ("groups_group:index_results", url("groups_group:index_results"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_group:index", url("groups_group:index", export="csv"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_group:add", url("groups_group:add"),          "302 302 302 200 200 200 302 200 200"),
    # From a row of the interest report: another centre's id is ignored, never shown.
    ("groups_group:add", lambda w: reverse("groups_group:add")
                                   + f"?centre={w.centre.pk}&language=sv&mode=remote",
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_group:edit", url("groups_group:edit", "helsinki_group"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_group:edit", url("groups_group:edit", "tampere_group"),
                                                           "302 302 302 200 200 404 302 200 200"),
    ("groups_group:inspect", url("groups_group:inspect", "helsinki_group"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("groups_group:inspect", url("groups_group:inspect", "tampere_group"),
                                                           "302 302 404 200 200 404 404 200 200"),
    ("groups_group:delete", url("groups_group:delete", "helsinki_group"),
                                                           "302 302 404 302 404 404 404 200 200"),
    ("groups_group:history", url("groups_group:history", "helsinki_group"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("groups_group:history_results", url("groups_group:history_results", "helsinki_group"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("groups_group:usage", url("groups_group:usage", "helsinki_group"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("groups_group:copy", url("groups_group:copy", "helsinki_group"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_schedule_preview", url("groups_schedule_preview"),
                                                           "302 302 405 405 405 405 405 405 405"),
    ("groups_facilitator_load", url("groups_facilitator_load"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_group_import", url("groups_group_import"),    "302 302 302 200 200 200 302 200 200"),
    # Spreadsheet imports: only the uploader's own (administrators see all).
    ("cms_sheet_imports", url("cms_sheet_imports"),        "302 302 302 200 200 200 200 200 200"),
    ("cms_sheet_import", url("cms_sheet_import", "sheet_import"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("cms_sheet_import_progress", url("cms_sheet_import_progress", "sheet_import"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("cms_sheet_import_confirm", url("cms_sheet_import_confirm", "sheet_import"),
                                                           "302 302 405 405 405 405 405 405 405"),
    ("groups_group_extend", url("groups_group_extend", "helsinki_group"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_group_cancel", url("groups_group_cancel", "helsinki_group"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_group_cancel", url("groups_group_cancel", "tampere_group"),
                                                           "302 302 302 200 200 404 302 200 200"),
    ("groups_group_merge", url("groups_group_merge", "helsinki_group"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_group_merge", url("groups_group_merge", "tampere_group"),
                                                           "302 302 302 200 200 404 302 200 200"),
    ("groups_meeting_cancel", url("groups_meeting_cancel", "helsinki_meeting"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_meeting_cancel", url("groups_meeting_cancel", "tampere_meeting"),
                                                           "302 302 302 200 200 404 302 200 200"),
    ("groups_meeting_move", url("groups_meeting_move", "helsinki_meeting"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_meeting_move", url("groups_meeting_move", "tampere_meeting"),
                                                           "302 302 302 200 200 404 302 200 200"),
    ("groups_meeting_video_link", url("groups_meeting_video_link", "helsinki_meeting"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_meeting_video_link", url("groups_meeting_video_link", "tampere_meeting"),
                                                           "302 302 302 200 200 404 302 200 200"),
    ("groups_meeting_add", url("groups_meeting_add", "helsinki_group"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_meeting_add", url("groups_meeting_add", "tampere_group"),
                                                           "302 302 302 200 200 404 302 200 200"),
    ("groups_group_feedback_send", url("groups_group_feedback_send", "helsinki_group"),
                                                           "302 302 302 200 404 404 302 200 200"),
    # --- residential courses: scoped by the centre organising them ------------------------
    ("groups_residential_index", url("groups_residential_index"),
                                                           "302 302 302 200 200 200 302 200 200"),
    *[
        row
        for name in [
            "groups_residential_programme",
            "groups_residential_rooms",
            "groups_residential_rooming",
            "groups_residential_meals",
            "groups_residential_arrivals",
        ]
        for row in [
            (name, url(name, "residential_group"),         "302 302 302 200 404 404 302 200 200"),
            (name, url(name, "tampere_residential_group"), "302 302 302 200 200 404 302 200 200"),
        ]
    ],
    *[
        (name, url(name, "residential_group", format="csv"),
                                                           "302 302 302 200 404 404 302 200 200")
        for name in [
            "groups_residential_rooming",
            "groups_residential_meals",
            "groups_residential_arrivals",
        ]
    ],
    ("groups_residential_programme", url("groups_residential_programme", "residential_group",
                                         move="residential_session"),
                                                           "302 302 302 200 404 404 302 200 200"),
    # --- venues: each belongs to a crisis centre -----------------------------------------
    *[
        (f"groups_venue:{view}", url(f"groups_venue:{view}"), "302 302 302 200 200 200 302 200 200")
        for view in ["index", "index_results", "add"]
    ],
    # Without permission, Wagtail's edit and copy views refuse first (302); inspect, delete,
    # history and usage look the row up first, and the boundary makes it a 404.
    *[
        row
        for view, other in [("edit", "302"), ("history", "404"), ("history_results", "404"),
                            ("usage", "404"), ("copy", "302")]
        for row in [
            (f"groups_venue:{view}", url(f"groups_venue:{view}", "venue"),
             f"302 302 {other} 200 404 404 {other} 200 200"),
            (f"groups_venue:{view}", url(f"groups_venue:{view}", "tampere_venue"),
             f"302 302 {other} 200 200 404 {other} 200 200"),
        ]
    ],
    ("groups_venue:delete", url("groups_venue:delete", "venue"),
                                                           "302 302 404 302 404 404 404 200 200"),
    # --- facilitator and coordinator profiles --------------------------------------------
    ("groups_facilitator:index", url("groups_facilitator:index"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_facilitator:index_results", url("groups_facilitator:index_results"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_facilitator:add", url("groups_facilitator:add"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_facilitator:edit", url("groups_facilitator:edit", "facilitator_profile"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_facilitator:delete", url("groups_facilitator:delete", "facilitator_profile"),
                                                           "302 302 404 302 404 404 404 200 200"),
    ("groups_facilitator:history", url("groups_facilitator:history", "facilitator_profile"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("groups_facilitator:history_results",
     url("groups_facilitator:history_results", "facilitator_profile"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("groups_facilitator:usage", url("groups_facilitator:usage", "facilitator_profile"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("groups_facilitator:copy", url("groups_facilitator:copy", "facilitator_profile"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_facilitator:edit", url("groups_facilitator:edit", "tampere_facilitator_profile"),
                                                           "302 302 302 200 200 404 302 200 200"),
    ("groups_coordinator:index", url("groups_coordinator:index"),
                                                           "302 302 302 302 302 302 302 200 200"),
    ("groups_coordinator:index_results", url("groups_coordinator:index_results"),
                                                           "302 302 302 302 302 302 302 200 200"),
    ("groups_coordinator:add", url("groups_coordinator:add"),
                                                           "302 302 302 302 302 302 302 200 200"),
    ("groups_coordinator:edit", url("groups_coordinator:edit", "coordinator_profile"),
                                                           "302 302 302 302 302 302 302 200 200"),
    ("groups_coordinator:delete", url("groups_coordinator:delete", "coordinator_profile"),
                                                           "302 302 302 302 302 302 302 200 200"),
    ("groups_coordinator:history", url("groups_coordinator:history", "coordinator_profile"),
                                                           "302 302 302 302 302 302 302 200 200"),
    ("groups_coordinator:history_results",
     url("groups_coordinator:history_results", "coordinator_profile"),
                                                           "302 302 302 302 302 302 302 200 200"),
    ("groups_coordinator:usage", url("groups_coordinator:usage", "coordinator_profile"),
                                                           "302 302 302 302 302 302 302 200 200"),
    ("groups_coordinator:copy", url("groups_coordinator:copy", "coordinator_profile"),
                                                           "302 302 302 302 302 302 302 200 200"),
    # --- enrolments: a coordinator of Tampere never reaches a Helsinki enrolment ---------
    ("enrolments:index", url("enrolments:index"),          "302 302 302 200 200 200 302 200 200"),
    ("enrolments:index_results", url("enrolments:index_results"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("enrolments:add", url("enrolments:add"),              "302 302 302 302 302 302 302 200 200"),
    ("enrolments:edit", url("enrolments:edit", "helsinki_enrolment"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("enrolments:edit", url("enrolments:edit", "tampere_enrolment"),
                                                           "302 302 302 200 200 404 302 200 200"),
    ("enrolments:inspect", url("enrolments:inspect", "helsinki_enrolment"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("enrolments:inspect", url("enrolments:inspect", "tampere_enrolment"),
                                                           "302 302 404 200 200 404 404 200 200"),
    ("enrolments:delete", url("enrolments:delete", "helsinki_enrolment"),
                                                           "302 302 404 302 404 404 404 200 200"),
    ("enrolments:history", url("enrolments:history", "helsinki_enrolment"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("enrolments:history_results", url("enrolments:history_results", "helsinki_enrolment"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("enrolments:usage", url("enrolments:usage", "helsinki_enrolment"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("enrolments:copy", url("enrolments:copy", "helsinki_enrolment"),
                                                           "302 302 302 302 302 302 302 200 200"),
    ("groups_enrolment_action", lambda w: reverse(
        "groups_enrolment_action", args=[w.helsinki_enrolment.pk, "cancel"]),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_enrolment_action", lambda w: reverse(
        "groups_enrolment_action", args=[w.tampere_enrolment.pk, "cancel"]),
                                                           "302 302 302 200 200 404 302 200 200"),
    ("groups_roster_export", url("groups_roster_export"),  "302 302 302 200 200 200 302 200 200"),
    ("groups_enrolment_phone", url("groups_enrolment_phone"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_enrolments_approve", url("groups_enrolments_approve"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_risk_call", url("groups_risk_call", "helsinki_enrolment"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_risk_call", url("groups_risk_call", "tampere_enrolment"),
                                                           "302 302 302 200 200 404 302 200 200"),
    # --- outbox --------------------------------------------------------------------------
    ("outbox:index", url("outbox:index"),                  "302 302 302 200 200 200 302 200 200"),
    ("outbox:index_results", url("outbox:index_results"),  "302 302 302 200 200 200 302 200 200"),
    ("outbox:add", url("outbox:add"),                      "302 302 302 302 302 302 302 200 200"),
    ("outbox:edit", url("outbox:edit", "helsinki_outbox"), "302 302 302 200 404 404 302 200 200"),
    ("outbox:edit", url("outbox:edit", "tampere_outbox"),  "302 302 302 200 200 404 302 200 200"),
    ("outbox:delete", url("outbox:delete", "helsinki_outbox"),
                                                           "302 302 404 302 404 404 404 200 200"),
    ("outbox:history", url("outbox:history", "helsinki_outbox"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("outbox:history_results", url("outbox:history_results", "helsinki_outbox"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("outbox:usage", url("outbox:usage", "helsinki_outbox"),
                                                           "302 302 404 200 404 404 404 200 200"),
    ("outbox:copy", url("outbox:copy", "helsinki_outbox"), "302 302 302 302 302 302 302 200 200"),
    # --- reports and exports -------------------------------------------------------------
    ("groups_attendance_report", url("groups_attendance_report"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_attendance_report", url("groups_attendance_report", by="group", format="csv"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_interest_report", url("groups_interest_report"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_interest_report", url("groups_interest_report", format="csv"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_feedback_results", url("groups_feedback_results"),
                                                           "302 302 302 200 200 200 302 200 200"),
    ("groups_certificates", url("groups_certificates", "helsinki_group"),
                                                           "302 302 302 200 404 404 302 200 200"),
    ("groups_certificates", url("groups_certificates", "tampere_group"),
                                                           "302 302 302 200 200 404 302 200 200"),
    # --- personal data: a person's requests, retention -----------------------------------
    ("groups_data_request", url("groups_data_request"),    "302 302 302 200 200 200 302 200 200"),
    ("groups_retention_report", url("groups_retention_report"),
                                                           "302 302 302 200 200 200 302 200 200"),
    # --- editors' snippets ---------------------------------------------------------------
    # Coordinators may look up crisis centres (view permission), not edit them.
    *[
        (f"wagtailsnippets_{model}:{view}", url(f"wagtailsnippets_{model}:{view}"), statuses)
        for model, viewer in [("cms_crisiscentre", "200"), ("courses_topic", "302")]
        for view, statuses in [
            ("list",            f"302 302 200 {viewer} {viewer} {viewer} 302 200 200"),
            ("list_results",    f"302 302 200 {viewer} {viewer} {viewer} 302 200 200"),
            ("add",             "302 302 200 302 302 302 302 200 200"),
        ]
    ],
    *[
        (f"wagtailsnippets_{model}:{view}", url(f"wagtailsnippets_{model}:{view}", attribute),
         statuses)
        for model, attribute in [("cms_crisiscentre", "centre"), ("courses_topic", "topic")]
        for view, statuses in [
            ("edit",            "302 302 200 302 302 302 302 200 200"),
            ("delete",          "302 302 302 302 302 302 302 200 200"),
            ("usage",           "302 302 200 302 302 302 302 200 200"),
            ("history",         "302 302 200 302 302 302 302 200 200"),
            ("history_results", "302 302 200 302 302 302 302 200 200"),
            ("copy",            "302 302 200 302 302 302 302 200 200"),
        ]
    ],
    # --- accessibility feedback: every coordinator reads and answers it ------------------
    *[
        (f"wagtailsnippets_cms_accessibilityfeedback:{view}", url(
            f"wagtailsnippets_cms_accessibilityfeedback:{view}"), statuses)
        for view, statuses in [
            ("list",            "302 302 302 200 200 200 302 200 200"),
            ("list_results",    "302 302 302 200 200 200 302 200 200"),
            ("add",             "302 302 302 302 302 302 302 200 200"),
        ]
    ],
    *[
        (f"wagtailsnippets_cms_accessibilityfeedback:{view}",
         lambda w, view=view: reverse(f"wagtailsnippets_cms_accessibilityfeedback:{view}",
                                      args=[accessibility_feedback().pk]),
         statuses)
        for view, statuses in [
            ("edit",            "302 302 302 200 200 200 302 200 200"),
            ("delete",          "302 302 302 200 200 200 302 200 200"),
            ("inspect",         "302 302 302 200 200 200 302 200 200"),
            ("usage",           "302 302 302 200 200 200 302 200 200"),
            ("history",         "302 302 302 200 200 200 302 200 200"),
            ("history_results", "302 302 302 200 200 200 302 200 200"),
            ("copy",            "302 302 302 302 302 302 302 200 200"),
        ]
    ],
    # --- Linity/ASSIP expert network: network coordinators ------------------------------
    *[
        (f"wagtailsnippets_network_{model}:{view}",
         url(f"wagtailsnippets_network_{model}:{view}", *((attribute,) if pk else ())),
         "302 302 302 302 302 302 200 200 200")
        for model, attribute in [
            ("expert", "expert"),
            ("training", "training"),
            ("certification", "certification"),
            ("supervisionsession", "session"),
        ]
        for view, pk in [
            ("list", False), ("list_results", False), ("add", False), ("edit", True),
            ("delete", True), ("usage", True), ("history", True), ("history_results", True),
            ("copy", True),
        ]
    ],
    ("wagtailsnippets_network_expert:inspect", url(
        "wagtailsnippets_network_expert:inspect", "expert"),
                                                           "302 302 302 302 302 302 200 200 200"),
    ("expert_network:coverage", url("expert_network:coverage"),
                                                           "302 302 302 302 302 302 200 200 200"),
    ("expert_network:import", url("expert_network:import"),
                                                           "302 302 302 302 302 302 200 200 200"),
    ("expert_network:export", url("expert_network:export"),
                                                           "302 302 302 302 302 302 200 200 200"),
    ("network_training_certify", url("network_training_certify", "training"),
                                                           "302 302 302 302 302 302 404 200 200"),
]
# fmt: on


def _excluded(key: str) -> bool:
    return any(key == prefix or key.startswith(prefix) for prefix in EXCLUDED)


def url_patterns(resolver=None, prefix: str = "", namespace: str | None = None):
    """(name or route, route) of every URL pattern of the project."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            route = prefix + str(pattern.pattern)
            yield (name or route), route


def test_every_url_is_in_the_matrix():
    covered = {name for name, _build, _statuses in MATRIX}
    missing = sorted(
        f"{key} ({route})"
        for key, route in url_patterns()
        if key not in covered and not _excluded(key)
    )
    assert not missing, "URL patterns missing from the permission matrix:\n" + "\n".join(missing)


def test_matrix_rows_name_real_urls_and_every_role():
    known = {key for key, _route in url_patterns()}
    for name, _build, statuses in MATRIX:
        assert name in known, f"{name} is in the matrix but not a URL of the project"
        assert len(statuses.split()) == len(ROLES), name


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, site_tree, role):
    world = build_world()
    if role != "anonymous":
        client.force_login(world.users[role])
    column = ROLES.index(role)
    wrong = []
    for name, build, statuses in MATRIX:
        path = build(world)
        expected = int(statuses.split()[column])
        response = client.get(path)
        if response.status_code != expected:
            wrong.append(f"{name} {path}: expected {expected}, got {response.status_code}")
            continue
        if response.status_code != 200:
            continue
        content = body(response)
        row_kind = getattr(build, "row_kind", "")
        seen = [m for m in forbidden_markers(role, path, row_kind) if m in content]
        if seen:
            wrong.append(f"{name} {path}: shows another centre's {', '.join(seen)}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_the_marker_check_sees_a_leak():
    """The check above would catch a Tampere coordinator's page naming a Helsinki person."""
    path = reverse("enrolments:index")
    assert HELSINKI_PRIVATE["participant"] in forbidden_markers("coordinator_tampere", path, "")
    assert HELSINKI_PUBLIC["venue"] in forbidden_markers("coordinator_tampere", path, "")
    assert HELSINKI_PUBLIC["group"] in forbidden_markers("coordinator_no_centres", path, "")
    assert forbidden_markers("coordinator", path, "") == []


def posts_to_helsinki(world: World) -> list[tuple[str, dict]]:
    """State-changing requests on the Helsinki centre's rows, each with data that would
    succeed for a coordinator of Helsinki."""
    future = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    session_day = timezone.localtime(world.residential_session.starts_at).date().isoformat()
    return [
        (reverse("groups_group:edit", args=[world.helsinki_group.pk]), {"name": "Muutettu"}),
        (reverse("groups_group:delete", args=[world.helsinki_group.pk]), {}),
        (reverse("groups_group_extend", args=[world.helsinki_group.pk]), {"go_no_go_date": future}),
        (reverse("groups_group_cancel", args=[world.helsinki_group.pk]), {}),
        (reverse("groups_group_merge", args=[world.helsinki_group.pk]),
         {"target": world.tampere_group.pk}),
        (reverse("groups_group_feedback_send", args=[world.helsinki_group.pk]), {}),
        (reverse("groups_enrolment_action", args=[world.helsinki_enrolment.pk, "cancel"]), {}),
        (reverse("groups_meeting_cancel", args=[world.helsinki_meeting.pk]), {"reason": "x"}),
        (reverse("groups_meeting_video_link", args=[world.helsinki_next_meeting.pk]),
         {"video_link": "https://meet.example/changed"}),
        (reverse("groups_meeting_add", args=[world.helsinki_group.pk]),
         {"day": future, "start_time": "17:30", "duration_minutes": "90", "reason": "x"}),
        (reverse("groups_risk_call", args=[world.helsinki_enrolment.pk]), {"note": "x"}),
        (reverse("enrolments:edit", args=[world.helsinki_enrolment.pk]),
         {"interpreter_language": "ru", "accessibility_needs": "Muutettu"}),
        (reverse("outbox:edit", args=[world.helsinki_outbox.pk]),
         {"next_attempt_at": "2030-01-01 10:00"}),
        (reverse("groups_residential_programme", args=[world.residential_group.pk]),
         {"action": "add", "day": session_day, "starts": "09:00", "ends": "10:00",
          "title": "Muutettu"}),
        (reverse("groups_residential_programme", args=[world.residential_group.pk]),
         {"action": "cancel", "meeting": world.residential_session.pk}),
        (reverse("groups_residential_rooms", args=[world.residential_group.pk]), {}),
        (reverse("groups_venue:edit", args=[world.venue.pk]),
         {"name": "Muutettu", "city": "Muutettu", "rooms-TOTAL_FORMS": "0",
          "rooms-INITIAL_FORMS": "0", "rooms-MIN_NUM_FORMS": "0", "rooms-MAX_NUM_FORMS": "1000"}),
        (reverse("groups_venue:delete", args=[world.venue.pk]), {}),
        (reverse("groups_facilitator:edit", args=[world.facilitator_profile.pk]),
         {"user": world.users["facilitator"].pk, "profession": "Muutettu"}),
        (reverse("groups_facilitator:delete", args=[world.facilitator_profile.pk]), {}),
        (reverse("groups_data_request"),
         {"email": world.helsinki_enrolment.email, "action": "erase"}),
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator_tampere", "coordinator_no_centres"])
def test_posts_to_another_centres_rows_change_nothing(client, site_tree, role):
    world = build_world()
    client.force_login(world.users[role])
    outbox_before = OutboxMessage.objects.count()
    wrong = []
    for path, data in posts_to_helsinki(world):
        status = client.post(path, data).status_code
        # 200 only for the data request, which finds nobody outside the user's centres.
        allowed = {200} if path == reverse("groups_data_request") else {302, 403, 404}
        if status not in allowed:
            wrong.append(f"POST {path}: {status}")
    assert not wrong, "\n".join(wrong)

    group = type(world.helsinki_group).objects.get(pk=world.helsinki_group.pk)
    assert (group.name, group.status) == (HELSINKI_PUBLIC["group"], "running")
    assert group.go_no_go_date == world.helsinki_group.go_no_go_date
    enrolment = type(world.helsinki_enrolment).objects.get(pk=world.helsinki_enrolment.pk)
    assert enrolment.display_name == HELSINKI_PRIVATE["participant"]
    assert enrolment.status == world.helsinki_enrolment.status
    assert enrolment.accessibility_needs == world.helsinki_enrolment.accessibility_needs
    assert world.residential_group.meetings.count() == 1
    assert world.helsinki_group.meetings.filter(status="cancelled").count() == 0
    assert world.helsinki_group.meetings.filter(is_extra=True).count() == 0
    assert (
        not type(world.helsinki_enrolment).objects.filter(risk_call_done_at__isnull=False).exists()
    )
    world.residential_session.refresh_from_db()
    assert world.residential_session.status != "cancelled"
    world.venue.refresh_from_db()
    assert world.venue.name == HELSINKI_PUBLIC["venue"]
    assert FacilitatorProfile.objects.filter(
        pk=world.facilitator_profile.pk, profession=""
    ).exists()
    world.helsinki_outbox.refresh_from_db()
    assert world.helsinki_outbox.next_attempt_at != dt.datetime(2030, 1, 1, 10, tzinfo=dt.UTC)
    assert OutboxMessage.objects.count() == outbox_before
