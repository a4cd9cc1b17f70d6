"""How a course runs: groups, their meetings, enrolments and attendance.

Every write goes through `groups.services`; these classes hold fields, constraints and small
derived properties only.
"""

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from recurrence.fields import RecurrenceField
from wagtail.models import Orderable

from cms.models import CrisisCentre, text_in_language, text_is_fallback
from cms.personal_data import PersonalData
from courses.models import CoursePage


def new_manage_token() -> str:
    return secrets.token_urlsafe(32)


# A meeting's video link: an https address only (Teams, Zoom, Jitsi and the like all are).
video_link_validator = URLValidator(
    schemes=["https"], message=_("Enter an https:// address of the video meeting.")
)


class Venue(ClusterableModel):
    """A course centre or other place where a group meets (residential courses stay here).

    Arrival instructions go to participants in their own language, so they are kept per
    language like the helplines; the catering notes are for staff and stay in one language.
    """

    name = models.CharField(max_length=200, verbose_name=_("Name"))
    address = models.CharField(max_length=300, blank=True, verbose_name=_("Street address"))
    city = models.CharField(max_length=100, verbose_name=_("City"))
    region = models.CharField(max_length=100, blank=True, verbose_name=_("Region"))
    contact = models.CharField(max_length=300, blank=True, verbose_name=_("Contact"))
    accessibility = models.TextField(blank=True, verbose_name=_("Accessibility"))
    arrival_instructions_fi = models.TextField(
        blank=True, verbose_name=_("Arrival instructions in Finnish")
    )
    arrival_instructions_sv = models.TextField(
        blank=True, verbose_name=_("Arrival instructions in Swedish")
    )
    arrival_instructions_en = models.TextField(
        blank=True, verbose_name=_("Arrival instructions in English")
    )
    catering_notes = models.TextField(blank=True, verbose_name=_("Catering notes"))
    # Whose venue it is: coordinators see and choose only their centres' venues
    # (`groups.scope`). Without a centre only coordinators of the whole network see it.
    centre = models.ForeignKey(
        CrisisCentre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Crisis centre"),
        help_text=_("The crisis centre whose coordinators book this venue."),
    )

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("Venue")
        verbose_name_plural = _("Venues")

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    def arrival_instructions_in(self, language: str) -> str:
        """The instructions in `language`, else in Finnish (always written first)."""
        return text_in_language(self, "arrival_instructions", language)


class Room(Orderable):
    """A room of a venue: how many sleep in it and who it suits."""

    venue = ParentalKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=60, verbose_name=_("Room"))
    beds = models.PositiveSmallIntegerField(default=2, verbose_name=_("Beds"))
    accessible = models.BooleanField(default=False, verbose_name=_("Accessible"))
    single_use = models.BooleanField(
        default=True,
        verbose_name=_("Can be used as a single room"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("Room")
        verbose_name_plural = _("Rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name"],
                name="room_unique_name_per_venue",
                violation_error_message=_("The venue already has a room with this name."),
            ),
            models.CheckConstraint(
                condition=Q(beds__gte=1) & Q(beds__lte=20),
                name="room_beds_range",
                violation_error_message=_("A room has 1-20 beds."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


def group_label(course_title: str, name: str, starts_on: dt.date | None) -> str:
    """How a group is named in lists and reports: the course, then its name or start date."""
    label = name or (starts_on.isoformat() if starts_on else "")
    return f"{course_title}: {label}" if label else course_title


class Group(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for enrolment")
        FULL = "full", _("Full")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        CoursePage, on_delete=models.PROTECT, related_name="groups", verbose_name=_("Course")
    )
    name = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("Name"),
        help_text=_("Optional, e.g. 'Tuesday evenings, spring'."),
    )
    centre = models.ForeignKey(
        CrisisCentre,
        on_delete=models.PROTECT,
        related_name="groups",
        null=True,
        blank=True,
        verbose_name=_("Crisis centre"),
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        related_name="groups",
        null=True,
        blank=True,
        verbose_name=_("Venue"),
    )
    mode = models.CharField(
        max_length=10, choices=Mode.choices, default=Mode.IN_PERSON, verbose_name=_("Mode")
    )
    language = models.CharField(
        max_length=5, choices=settings.LANGUAGES, default="fi", verbose_name=_("Language")
    )
    capacity = models.PositiveSmallIntegerField(default=10, verbose_name=_("Places"))
    min_size = models.PositiveSmallIntegerField(default=5, verbose_name=_("Minimum size"))
    go_no_go_date = models.DateField(null=True, blank=True, verbose_name=_("Go/no-go date"))
    # Set when the go/no-go check found the group under its minimum size and told the
    # coordinators; extending enrolment clears it so the check runs again at the new date.
    under_minimum_since = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("Under its minimum since")
    )
    # When the anonymous feedback links were issued and mailed (once per group; the links
    # themselves are never stored).
    feedback_issued_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("Feedback links sent")
    )
    enrolment_opens = models.DateTimeField(null=True, blank=True, verbose_name=_("Enrolment opens"))
    enrolment_closes = models.DateTimeField(
        null=True, blank=True, verbose_name=_("Enrolment closes")
    )
    facilitator_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("Facilitator"),
    )
    facilitator_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("Second facilitator"),
    )
    schedule = RecurrenceField(
        blank=True,
        verbose_name=_("Schedule"),
        help_text=_("A weekly rule with a number of meetings or an end date, and dates to skip."),
    )
    schedule_from = models.DateField(
        null=True,
        blank=True,
        verbose_name=_("Schedule starts from"),
        help_text=_("The first meeting is the first date of the rule on or after this day."),
    )
    start_time = models.TimeField(
        null=True, blank=True, verbose_name=_("Start time (Helsinki time)")
    )
    duration_minutes = models.PositiveSmallIntegerField(
        default=90, verbose_name=_("Duration (minutes)")
    )
    # First and last meeting dates, kept by the schedule service so that the catalogue can
    # filter and sort without touching meetings.
    starts_on = models.DateField(
        null=True, blank=True, db_index=True, editable=False, verbose_name=_("Starts on")
    )
    ends_on = models.DateField(null=True, blank=True, editable=False, verbose_name=_("Ends on"))
    # Confidential: anyone holding it can join the meeting. Shown only on the manage page of
    # people with a confirmed place, from VIDEO_LINK_SHOWN_HOURS_BEFORE before a meeting until
    # its end, and in the reminder; never in calendars, public pages, exports or logs.
    video_link = models.URLField(
        blank=True,
        validators=[video_link_validator],
        verbose_name=_("Video meeting link"),
        help_text=_(
            "Teams, Zoom, Jitsi or any https address. Shown only to people with a confirmed "
            "place, from a day before each meeting until it ends, and in the reminder. A "
            "meeting can have its own link."
        ),
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        verbose_name=_("Status"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Last changed"))

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("Group")
        verbose_name_plural = _("Groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=200),
                name="group_capacity_range",
                violation_error_message=_("A group has 1-200 places."),
            ),
            models.CheckConstraint(
                condition=Q(min_size__lte=F("capacity")),
                name="group_min_size_within_capacity",
                violation_error_message=_(
                    "The minimum size cannot be larger than the number of places."
                ),
            ),
            models.CheckConstraint(
                condition=Q(facilitator_1__isnull=True)
                | Q(facilitator_2__isnull=True)
                | ~Q(facilitator_1=F("facilitator_2")),
                name="group_two_different_facilitators",
                violation_error_message=_("The two facilitators must be different people."),
            ),
            models.CheckConstraint(
                condition=Q(enrolment_opens__isnull=True)
                | Q(enrolment_closes__isnull=True)
                | Q(enrolment_closes__gt=F("enrolment_opens")),
                name="group_enrolment_closes_after_opens",
                violation_error_message=_("Enrolment must close after it opens."),
            ),
        ]
        indexes = [
            models.Index(fields=["course", "status", "starts_on"], name="group_catalogue_idx"),
            models.Index(fields=["language", "mode"], name="group_language_mode_idx"),
            # Upcoming groups of any course (catalogue filters), reports by month.
            models.Index(fields=["status", "starts_on"], name="group_status_start_idx"),
            models.Index(fields=["status", "go_no_go_date"], name="group_go_no_go_idx"),
        ]

    # A group in these states takes enrolments or meets: it has its two facilitators.
    NEEDS_FACILITATORS = (Status.OPEN, Status.FULL, Status.RUNNING)

    def __str__(self) -> str:
        return group_label(self.course.title, self.name, self.starts_on)

    def clean(self):
        """A draft may lack facilitators; a group open for enrolment (or running) has two."""
        super().clean()
        # Said on the status (the choice that needs them): the facilitator fields keep their own
        # errors, such as an import naming someone unknown.
        if self.status in self.NEEDS_FACILITATORS and not (
            self.facilitator_1_id and self.facilitator_2_id
        ):
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("A group open for enrolment needs two facilitators; a draft can wait."),
                        code="facilitators_missing",
                    )
                }
            )

    @property
    def localized_title(self) -> str:
        """The course title in the visitor's language (the group hangs on one language's page),
        with the group's own name or start date. One query: for single-group pages."""
        label = self.name or (
            date_format(self.starts_on, "SHORT_DATE_FORMAT") if self.starts_on else ""
        )
        title = self.course.localized.title
        return f"{title}: {label}" if label else title


class Meeting(models.Model):
    """One materialised occurrence of a group's schedule (or an extra one added by hand)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED = "moved", _("Moved")

    # High-volume rows nobody looks up in the admin's "usage" screens: Wagtail's reference index
    # (a query and an insert per save, inside the enrolment's locked transaction) skips them.
    wagtail_reference_index_ignore = True

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("Group")
    )
    starts_at = models.DateTimeField(verbose_name=_("Starts"))
    ends_at = models.DateTimeField(verbose_name=_("Ends"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.SCHEDULED,
        verbose_name=_("Status"),
    )
    # The date the schedule gave this meeting; a moved meeting keeps it, so re-materialising
    # the schedule recognises it and its calendar UID stays the same.
    planned_on = models.DateField(null=True, blank=True, verbose_name=_("Planned date"))
    is_extra = models.BooleanField(default=False, verbose_name=_("Extra meeting"))
    title = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("Title"),
        help_text=_("E.g. a programme session."),
    )
    title_sv = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("Title in Swedish"),
        help_text=_("Shown on Swedish pages; empty: the Finnish title, marked as Finnish."),
    )
    title_en = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("Title in English"),
        help_text=_("Shown on English pages; empty: the Finnish title, marked as Finnish."),
    )
    note = models.CharField(max_length=300, blank=True, verbose_name=_("Note"))
    video_link = models.URLField(
        blank=True,
        validators=[video_link_validator],
        verbose_name=_("Video meeting link"),
        help_text=_("Only for this meeting; empty: the group's link."),
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("Meeting")
        verbose_name_plural = _("Meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["group", "starts_at"], name="meeting_group_start_idx"),
            # Reminders for the next 24 hours and facilitator load over a period.
            models.Index(fields=["starts_at", "status"], name="meeting_start_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.starts_at:%Y-%m-%d %H:%M}"

    def title_in(self, language: str | None = None) -> str:
        """The session's title in `language` (the active one by default), else the Finnish."""
        return text_in_language(self, "title", language)

    def title_is_fallback_in(self, language: str | None = None) -> bool:
        """True when `title_in(language)` is the Finnish title in another language's text."""
        return text_is_fallback(self, "title", language)

    @property
    def localized_title(self) -> str:
        return self.title_in()

    @property
    def video_link_in_use(self) -> str:
        """The link people join this meeting with: its own, else the group's (may be empty)."""
        return self.video_link or self.group.video_link

    @property
    def title_is_fallback(self) -> bool:
        return self.title_is_fallback_in()


class MessageChannel(models.TextChoices):
    """How a participant wants our messages (both contacts given)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")
    BOTH = "both", _("E-mail and text message")


class Enrolment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Offered a place")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")

    # Statuses that hold one of the group's places.
    HOLDS_PLACE = (Status.CONFIRMED, Status.OFFERED)
    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True

    # High-volume rows nobody looks up in the admin's "usage" screens: Wagtail's reference index
    # (a query and an insert per save, inside the enrolment's locked transaction) skips them.
    wagtail_reference_index_ignore = True

    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("Group")
    )
    display_name = models.CharField(
        max_length=80,
        verbose_name=_("Name or pseudonym"),
        help_text=_("You may use a pseudonym."),
    )
    email = models.EmailField(blank=True, verbose_name=_("E-mail"))
    # In E.164 (groups/contacts.py `normalise_phone`).
    phone = models.CharField(max_length=30, blank=True, verbose_name=_("Phone"))
    # How the person wants our messages when they gave both contacts; with one contact they
    # get messages there whatever this says (groups/contacts.py `message_channels`).
    message_channel = models.CharField(
        max_length=5,
        choices=MessageChannel.choices,
        default=MessageChannel.EMAIL,
        verbose_name=_("Messages by"),
    )
    language = models.CharField(
        max_length=5, choices=settings.LANGUAGES, default="fi", verbose_name=_("Language")
    )
    interpreter_language = models.CharField(
        max_length=60, blank=True, verbose_name=_("Interpreter needed, language")
    )
    accessibility_needs = models.TextField(
        max_length=1000, blank=True, verbose_name=_("Accessibility needs")
    )
    intake_answers = models.JSONField(default=dict, blank=True, verbose_name=_("Intake answers"))
    consent_text_version = models.CharField(max_length=20, verbose_name=_("Consent text version"))
    consented_at = models.DateTimeField(verbose_name=_("Consent given"))
    # Set when a coordinator took the enrolment by phone and the person agreed orally to the
    # privacy notice read to them; empty when the person gave consent on the site.
    consent_taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("Consent given orally to"),
    )
    status = models.CharField(
        max_length=12,
        choices=Status.choices,
        default=Status.PENDING,
        verbose_name=_("Status"),
    )
    # A separate random key per purpose (docs/privacy.md): the manage link (e-mailed), the page
    # shown once right after enrolling, and the certificate a trainee shows an employer. None
    # of them opens another's page, and each expires on its own terms.
    manage_token = models.CharField(
        max_length=64, unique=True, default=new_manage_token, editable=False
    )
    done_token = models.CharField(
        max_length=64, unique=True, default=new_manage_token, editable=False
    )
    certificate_token = models.CharField(
        max_length=64, unique=True, default=new_manage_token, editable=False
    )
    risk_flagged = models.BooleanField(default=False, verbose_name=_("Risk answer: call needed"))
    risk_call_done_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("Called")
    )
    # What the coordinator wants the next colleague to know after the call; personal data,
    # erased with the rest of the enrolment (services/privacy.py).
    risk_call_note = models.TextField(
        max_length=1000, blank=True, editable=False, verbose_name=_("Note on the call")
    )
    queued_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("Joined the waiting list")
    )
    offer_expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Offer expires"))
    placed_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("Got a place")
    )
    decline_message = models.TextField(blank=True, verbose_name=_("Message to the person"))
    anonymised_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("Anonymised")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Enrolled"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Last changed"))

    personal_data = PersonalData(
        purpose=_(
            "To organise the group: to reach you, keep your place, meet your needs and call you "
            "back after a worrying answer. Seen by the coordinators of the group's crisis centre; "
            "facilitators see only the name or pseudonym."
        ),
        retention=_("Until {RETENTION_DAYS} days after the group's last meeting."),
        erasure=_(
            "Erased automatically after the retention time, or at once on request to a "
            "coordinator; only anonymous counts are kept."
        ),
        technical=(
            "status",
            "manage_token",
            "queued_at",
            "offer_expires_at",
            "placed_at",
            "anonymised_at",
            "created_at",
            "updated_at",
        ),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Enrolment")
        verbose_name_plural = _("Enrolments")
        permissions = [
            ("view_enrolment_contact", _("Can see contact details and intake answers")),
            ("manage_personal_data", _("Can find, export and erase a person's data")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone="") | Q(anonymised_at__isnull=False),
                name="enrolment_has_contact",
                violation_error_message=_("Give an e-mail address or a phone number."),
            ),
            models.UniqueConstraint(
                fields=["group", "email"],
                condition=~Q(email="") & ~Q(status__in=["cancelled", "declined"]),
                name="enrolment_one_per_email_per_group",
                violation_error_message=_("This e-mail address is already enrolled in the group."),
            ),
            models.UniqueConstraint(
                fields=["group", "phone"],
                condition=~Q(phone="") & ~Q(status__in=["cancelled", "declined"]),
                name="enrolment_one_per_phone_per_group",
                violation_error_message=_("This phone number is already enrolled in the group."),
            ),
        ]
        indexes = [
            models.Index(fields=["group", "status"], name="enrolment_group_status_idx"),
            models.Index(fields=["status", "offer_expires_at"], name="enrolment_offer_expiry_idx"),
            # The admin's "risk answers waiting for a call" count: a handful of rows, always.
            models.Index(
                fields=["status"],
                condition=Q(risk_flagged=True, risk_call_done_at__isnull=True),
                name="enrolment_risk_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or f"#{self.pk}"

    def page_cache_affected(self, *, added_or_removed: bool) -> bool:
        """Public pages show an enrolment only as a place taken (cms/page_cache.py). One added
        or removed without a place (pending, waitlisted, ended) changes none of them; a
        changed one may have given up its place, and its old status is not known here."""
        return not added_or_removed or self.status in self.HOLDS_PLACE


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        REMOTE = "remote", _("Remote")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True

    # High-volume rows nobody looks up in the admin's "usage" screens: Wagtail's reference index
    # (a query and an insert per save, inside the enrolment's locked transaction) skips them.
    wagtail_reference_index_ignore = True
    # Never shown on a public page: saving one leaves the page cache alone.
    page_cache_ignore = True

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(max_length=10, choices=Status.choices, verbose_name=_("Status"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    personal_data = PersonalData(
        purpose=_(
            "To know who came to each meeting, so that a facilitator can reach out to someone "
            "who missed twice. Seen by the group's facilitators and coordinators."
        ),
        retention=_(
            "Kept as anonymous counts; the link to you goes with your enrolment's personal data."
        ),
        erasure=_("Erased together with the enrolment."),
        technical=("recorded_at",),
    )

    class Meta:
        verbose_name = _("Attendance")
        verbose_name_plural = _("Attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "enrolment"], name="attendance_one_per_meeting_enrolment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} @ {self.meeting}: {self.status}"


class Apology(models.Model):
    """Someone told the facilitators, before a meeting, that they cannot come ("I can't come
    this time" in the reminder). The register shows it as sent apologies, and an absence at that
    meeting is not counted towards the reach-out list. Withdrawn (the row deleted) by the person
    until the meeting starts; what the facilitator records on the register still decides."""

    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True
    wagtail_reference_index_ignore = True
    # Never shown on a public page: saving one leaves the page cache alone.
    page_cache_ignore = True

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="apologies")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="apologies")
    sent_at = models.DateTimeField(verbose_name=_("Sent apologies"))

    personal_data = PersonalData(
        purpose=_(
            "That you told us you cannot come to a meeting, so that the facilitators know and "
            "do not worry. Seen by the group's facilitators and coordinators."
        ),
        retention=_(
            "Kept as anonymous counts; the link to you goes with your enrolment's personal data."
        ),
        erasure=_("Erased together with the enrolment."),
        technical=("sent_at",),
    )

    class Meta:
        verbose_name = _("Apology")
        verbose_name_plural = _("Apologies")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "enrolment"], name="apology_one_per_meeting_enrolment"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.enrolment_id} @ {self.meeting_id}"


class Stay(models.Model):
    """A participant's stay at a residential course: travel, room and meals.

    Deliberately no free text about health: the reason for a single room is a short choice and
    allergies a short line. `groups.services.residential.stays_erase` blanks everything personal
    at retention time and keeps the row and its dates, so meal and bed counts stay true.
    """

    class Travel(models.TextChoices):
        TRAIN = "train", _("Train")
        BUS = "bus", _("Bus")
        CAR = "car", _("Car")
        PLANE = "plane", _("Plane")
        OTHER = "other", _("Other")

    class SingleRoom(models.TextChoices):
        SLEEP = "sleep", _("Sleep (e.g. light sleeper, snoring)")
        HEALTH = "health", _("Health reasons")
        PERSONAL = "personal", _("Other personal reasons")

    class Diet(models.TextChoices):
        ANY = "", _("No special diet")
        VEGETARIAN = "vegetarian", _("Vegetarian")
        VEGAN = "vegan", _("Vegan")

    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="stay", verbose_name=_("Enrolment")
    )
    arrives_on = models.DateField(verbose_name=_("Arrival date"))
    departs_on = models.DateField(verbose_name=_("Departure date"))
    travel_mode = models.CharField(
        max_length=10, choices=Travel.choices, blank=True, verbose_name=_("How do you travel?")
    )
    arrival_time = models.TimeField(null=True, blank=True, verbose_name=_("Expected arrival time"))
    pickup_wanted = models.BooleanField(
        default=False, verbose_name=_("I would like to be picked up from the station")
    )
    single_room = models.CharField(
        max_length=10,
        choices=SingleRoom.choices,
        blank=True,
        verbose_name=_("I need a single room because of"),
    )
    roommate_wish = models.CharField(
        max_length=100, blank=True, verbose_name=_("I would like to share a room with")
    )
    diet = models.CharField(max_length=12, choices=Diet.choices, blank=True, verbose_name=_("Diet"))
    gluten_free = models.BooleanField(default=False, verbose_name=_("Gluten-free"))
    lactose_free = models.BooleanField(default=False, verbose_name=_("Lactose-free"))
    allergies = models.CharField(max_length=200, blank=True, verbose_name=_("Food allergies"))
    accessible_room = models.BooleanField(
        default=False, verbose_name=_("I need an accessible room")
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("Room"),
    )
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    personal_data = PersonalData(
        purpose=_(
            "To arrange travel, rooms and meals of a residential course. Seen by the "
            "coordinators; the kitchen gets only meal counts and allergies."
        ),
        retention=_("Until {RETENTION_DAYS} days after the course ends."),
        erasure=_("Erased together with the enrolment."),
        technical=("erased_at",),
    )

    class Meta:
        verbose_name = _("Stay")
        verbose_name_plural = _("Stays")
        constraints = [
            models.CheckConstraint(
                condition=Q(departs_on__gte=F("arrives_on")),
                name="stay_departs_after_arrival",
                violation_error_message=_("The departure date cannot be before the arrival date."),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.enrolment_id}"


class FacilitatorProfile(models.Model):
    """What a coordinator needs to know when pairing facilitators (the user is in the
    "Facilitators" auth group)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="facilitator_profile",
        verbose_name=_("User"),
    )
    profession = models.CharField(max_length=120, blank=True, verbose_name=_("Profession"))
    languages = models.CharField(
        max_length=60,
        blank=True,
        verbose_name=_("Languages"),
        help_text=_("Language codes separated by commas, e.g. fi, sv."),
    )
    home_centre = models.ForeignKey(
        CrisisCentre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitators",
        verbose_name=_("Home centre"),
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = _("Facilitator profile")
        verbose_name_plural = _("Facilitator profiles")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class CoordinatorProfile(models.Model):
    """The crisis centres a coordinator works for, or the whole network.

    Every admin screen, report, export, chooser and dashboard panel shows a coordinator only
    their centres' rows (`groups.scope`). It fails closed: no profile, or a profile with no
    centres left (say all were deleted) and not marked for the whole network, shows nothing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_profile",
        verbose_name=_("User"),
    )
    centres = models.ManyToManyField(
        CrisisCentre,
        blank=True,
        related_name="+",
        verbose_name=_("Crisis centres"),
        help_text=_("The coordinator sees only these centres' groups, people and reports."),
    )
    network_wide = models.BooleanField(
        default=False,
        verbose_name=_("Whole network"),
        help_text=_("Sees every crisis centre's groups, people and reports."),
    )

    class Meta:
        verbose_name = _("Coordinator profile")
        verbose_name_plural = _("Coordinator profiles")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class OutboxMessage(models.Model):
    """One e-mail or text message to send. A task sends it; the row's status makes sending
    happen at most once.

    The row is marked `sending` with a lease before the mail leaves and `sent` after it; while
    `sending`, `next_attempt_at` is when the lease ends and a lost worker's message is taken
    back (groups/services/outbox.py explains why this sends every message once).
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # High-volume rows nobody looks up in the admin's "usage" screens: Wagtail's reference index
    # (a query and an insert per save, inside the enrolment's locked transaction) skips them.
    wagtail_reference_index_ignore = True
    # Never shown on a public page: saving one leaves the page cache alone.
    page_cache_ignore = True
    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True

    channel = models.CharField(
        max_length=5, choices=Channel.choices, default=Channel.EMAIL, verbose_name=_("Channel")
    )
    # An e-mail address, or a phone number in E.164 for a text message.
    recipient = models.CharField(max_length=254, verbose_name=_("Recipient"))
    language = models.CharField(
        max_length=5, choices=settings.LANGUAGES, default="fi", verbose_name=_("Language")
    )
    template = models.CharField(max_length=40, verbose_name=_("Message"))
    context = models.JSONField(default=dict, blank=True, verbose_name=_("Content"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, verbose_name=_("Status")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("Attempts"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Next attempt"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Sent"))
    last_error = models.CharField(max_length=200, blank=True, verbose_name=_("Last error"))
    idempotency_key = models.CharField(max_length=120, unique=True, verbose_name=_("Key"))
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("Enrolment"),
    )
    # A message to someone who left an interest: erased with it (groups/services/interest.py).
    interest = models.ForeignKey(
        "Interest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("Interest"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    personal_data = PersonalData(
        purpose=_(
            "The e-mails and text messages we send you (confirmation, reminders, offers), kept "
            "so that each is sent once. Seen by coordinators when a message fails."
        ),
        retention=_("Until {RETENTION_DAYS} days after the group's last meeting."),
        erasure=_("The address and content are erased together with the enrolment."),
        technical=(
            "channel",
            "language",
            "template",
            "status",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "last_error",
            "idempotency_key",
            "created_at",
        ),
        labels={
            "recipient": _("Your e-mail address or phone number"),
            "context": _("What the message says (name, group, times and place)"),
        },
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Outgoing message")
        verbose_name_plural = _("Outgoing messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.template} #{self.pk}"


class FollowUp(models.Model):
    """A facilitator got in touch after a run of absences. Deliberately no free text: what was
    said about someone's health stays out of the system."""

    page_cache_ignore = True  # never shown on a public page
    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="follow_ups")
    # The first absent meeting of the run: one follow-up per gap, however long it grows.
    gap_start = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contacted_at = models.DateTimeField(verbose_name=_("Contacted"))

    class Meta:
        verbose_name = _("Follow-up")
        verbose_name_plural = _("Follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "gap_start"], name="follow_up_one_per_gap")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} / {self.gap_start}"


class FeedbackToken(models.Model):
    """A one-time key to the end-of-group survey. Deliberately holds no enrolment, no time and
    no raw token: nothing here or in an answer leads back to a person."""

    page_cache_ignore = True  # never shown on a public page

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Feedback link")
        verbose_name_plural = _("Feedback links")

    def __str__(self) -> str:
        return f"{self.group_id}: {self.token_hash[:8]}"


class FeedbackAnswer(models.Model):
    """One anonymous answer to the end-of-group survey (no link to the token that opened it).

    A random id and no timestamp: with a growing id or a time, the order of the answers could
    be matched to the times people opened their links (a web server's access log)."""

    class Recommend(models.TextChoices):
        YES = "yes", _("Yes")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("No")

    page_cache_ignore = True  # never shown on a public page

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="feedback_answers")
    helped = models.PositiveSmallIntegerField(
        verbose_name=_("Did the group help you?"),
        help_text=_("1 = not at all, 5 = very much"),
    )
    recommend = models.CharField(
        max_length=5, choices=Recommend.choices, verbose_name=_("Would you recommend it?")
    )
    comment = models.TextField(max_length=2000, blank=True, verbose_name=_("Anything else?"))

    class Meta:
        verbose_name = _("Feedback answer")
        verbose_name_plural = _("Feedback answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(helped__gte=1) & Q(helped__lte=5), name="feedback_helped_scale"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.helped}/5"


class Interest(models.Model):
    """Someone who found no suitable group and asked to be told when one opens (docs/interest.md).

    Waiting while the row exists: withdrawing, taking a place and the end of its time erase it
    (`groups.services.interest`). The course and topic are kept by their translation keys, so
    an interest left on a Swedish page matches a group of the Finnish page of the same course.
    """

    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True
    wagtail_reference_index_ignore = True
    page_cache_ignore = True

    course_key = models.UUIDField(null=True, blank=True, verbose_name=_("Course"))
    topic_key = models.UUIDField(verbose_name=_("Topic"))
    online = models.BooleanField(default=False, verbose_name=_("Online suits me"))
    language = models.CharField(
        max_length=5, choices=settings.LANGUAGES, default="fi", verbose_name=_("Language")
    )
    earliest_start = models.DateField(null=True, blank=True, verbose_name=_("Earliest start"))
    latest_start = models.DateField(null=True, blank=True, verbose_name=_("Latest start"))
    display_name = models.CharField(
        max_length=80,
        verbose_name=_("Name or pseudonym"),
        help_text=_("You may use a pseudonym."),
    )
    email = models.EmailField(blank=True, verbose_name=_("E-mail"))
    phone = models.CharField(max_length=30, blank=True, verbose_name=_("Phone"))
    consent_text_version = models.CharField(max_length=20, verbose_name=_("Consent text version"))
    consented_at = models.DateTimeField(verbose_name=_("Consent given"))
    manage_token = models.CharField(
        max_length=64, unique=True, default=new_manage_token, editable=False
    )
    expires_at = models.DateTimeField(verbose_name=_("Ends"))
    reminded_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("Reminded")
    )
    created_at = models.DateTimeField(verbose_name=_("Left"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Last changed"))

    personal_data = PersonalData(
        purpose=_(
            "To tell you when a group that suits you opens, and to keep a place for you for a "
            "while. Seen by the coordinators of the crisis centres of the towns you chose; "
            "reports show only counts."
        ),
        retention=_("Until you withdraw it or take a place, at most {INTEREST_MONTHS} months."),
        erasure=_("Erased when you withdraw it, take a place or when its time ends."),
        technical=(
            "manage_token",
            "expires_at",
            "reminded_at",
            "created_at",
            "updated_at",
            "course_key",
            "topic_key",
        ),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Interest")
        verbose_name_plural = _("Interests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="interest_has_contact",
                violation_error_message=_("Give an e-mail address or a phone number."),
            ),
            models.CheckConstraint(
                condition=Q(earliest_start__isnull=True)
                | Q(latest_start__isnull=True)
                | Q(latest_start__gte=F("earliest_start")),
                name="interest_latest_after_earliest",
                violation_error_message=_("The latest start cannot be before the earliest."),
            ),
        ]
        indexes = [
            # Matching a group: interests of its language and topic, oldest first.
            models.Index(
                fields=["language", "topic_key", "created_at", "id"], name="interest_match_idx"
            ),
            models.Index(fields=["expires_at"], name="interest_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class InterestTown(models.Model):
    """A town where a group would suit the person; its crisis centre (if the town has one)
    is the centre whose coordinators see the interest (groups/scope.py)."""

    wagtail_reference_index_ignore = True
    page_cache_ignore = True

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="towns")
    town = models.CharField(max_length=100, verbose_name=_("Town"))
    centre = models.ForeignKey(
        CrisisCentre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interest", "town"], name="interest_town_unique")
        ]
        indexes = [models.Index(fields=["town", "interest"], name="interest_town_idx")]

    def __str__(self) -> str:
        return self.town


class PlaceHold(models.Model):
    """A place kept in a group for a person who left an interest, for INTEREST_HOLD_HOURS.

    An open hold counts as a place taken (`groups.capacity`): no place is promised twice. One
    row per interest and group, so a group is offered to a person once; one open hold per
    interest at a time."""

    class Status(models.TextChoices):
        OPEN = "open", _("Place kept")
        RELEASED = "released", _("Released")

    # A place kept for a person: audit entries name it by number (cms/services/audit.py).
    audit_label_by_number = True
    wagtail_reference_index_ignore = True
    page_cache_ignore = True

    interest = models.ForeignKey(
        Interest, on_delete=models.CASCADE, related_name="holds", verbose_name=_("Interest")
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="holds", verbose_name=_("Group")
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, verbose_name=_("Status")
    )
    token = models.CharField(max_length=64, unique=True, default=new_manage_token, editable=False)
    expires_at = models.DateTimeField(verbose_name=_("Kept until"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Created"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Place kept")
        verbose_name_plural = _("Places kept")
        constraints = [
            models.UniqueConstraint(fields=["interest", "group"], name="hold_once_per_group"),
            models.UniqueConstraint(
                fields=["interest"], condition=Q(status="open"), name="hold_one_open_per_interest"
            ),
        ]
        indexes = [
            models.Index(fields=["group"], condition=Q(status="open"), name="hold_open_group_idx"),
            models.Index(fields=["status", "expires_at"], name="hold_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
