import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.personal_data import PersonalData
from cms.towns import town_name


def _finnish_text(instance, field: str) -> str:
    # The Finnish text is `field` itself, or `field_fi` where every language has its own field.
    finnish = getattr(instance, field, None)
    return getattr(instance, f"{field}_fi", "") if finnish is None else finnish


def text_in_language(instance, field: str, language: str | None = None) -> str:
    """`field` of `instance` in `language` (the active one by default): its `field_sv` or
    `field_en` copy, else the Finnish `field` (or `field_fi`), always written first. The one
    rule for every model with Swedish and English fields; templates use the `in_language`
    filter, which also marks a fallback lang="fi"."""
    code = (language or get_language() or "fi")[:2]
    own = getattr(instance, f"{field}_{code}", "") if code != "fi" else ""
    return own or _finnish_text(instance, field)


def text_is_fallback(instance, field: str, language: str | None = None) -> bool:
    """True when `text_in_language` gives the Finnish text on a page (or e-mail) in another
    language, which must then mark it lang="fi"."""
    code = (language or get_language() or "fi")[:2]
    return (
        code != "fi"
        and bool(_finnish_text(instance, field))
        and not getattr(instance, f"{field}_{code}", "")
    )


class HomePage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"], verbose_name=_("Intro"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 3  # one per language under the root

    class Meta:
        verbose_name = _("Home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The sections editors put in the menu (the catalogue first of all), so the home page
        # leads on without cms knowing what the sections are.
        context["sections"] = self.get_children().live().in_menu().specific()
        return context


class StandardPage(Page):
    introduction = models.TextField(blank=True, verbose_name=_("Introduction"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("Standard page")


class CrisisCentreIndexPage(Page):
    """The directory of crisis centres: every centre, how to reach it and its upcoming groups."""

    introduction = models.TextField(blank=True, verbose_name=_("Introduction"))

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Crisis-centre directory")


class CrisisCentre(index.Indexed, ClusterableModel):
    """A crisis centre of the network; groups meet there or are run from there. Its remote points
    are the smaller places it serves (`RemotePoint`)."""

    name = models.CharField(max_length=200, verbose_name=_("Name"))
    name_sv = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("Name in Swedish"),
        help_text=_("Shown on Swedish pages; empty: the Finnish name, marked as Finnish."),
    )
    name_en = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("Name in English"),
        help_text=_("Shown on English pages; empty: the Finnish name, marked as Finnish."),
    )
    city = models.CharField(max_length=100, db_index=True, verbose_name=_("City"))
    region = models.CharField(max_length=100, blank=True, verbose_name=_("Region"))
    address = models.CharField(max_length=300, blank=True, verbose_name=_("Street address"))
    postcode = models.CharField(max_length=10, blank=True, verbose_name=_("Postcode"))
    phone = models.CharField(max_length=60, blank=True, verbose_name=_("Phone"))
    email = models.EmailField(blank=True, verbose_name=_("E-mail"))
    website = models.URLField(blank=True, verbose_name=_("Website"))
    opening_hours = models.CharField(
        max_length=200, blank=True, verbose_name=_("Opening hours in Finnish")
    )
    opening_hours_sv = models.CharField(
        max_length=200, blank=True, verbose_name=_("Opening hours in Swedish")
    )
    opening_hours_en = models.CharField(
        max_length=200, blank=True, verbose_name=_("Opening hours in English")
    )
    offers_crisis_counselling = models.BooleanField(
        default=True, verbose_name=_("Crisis counselling")
    )
    offers_peer_groups = models.BooleanField(default=True, verbose_name=_("Peer-support groups"))
    interpreter_available = models.BooleanField(
        default=False, verbose_name=_("Interpreter available")
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("name_sv"), FieldPanel("name_en")],
            heading=_("Name"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("city"),
                FieldPanel("region"),
                FieldPanel("address"),
                FieldPanel("postcode"),
            ],
            heading=_("Location"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("opening_hours"),
                FieldPanel("opening_hours_sv"),
                FieldPanel("opening_hours_en"),
            ],
            heading=_("Opening hours"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("offers_crisis_counselling"),
                FieldPanel("offers_peer_groups"),
                FieldPanel("interpreter_available"),
            ],
            heading=_("Services"),
        ),
        InlinePanel("remote_points", label=_("Remote points")),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("city"),
        index.AutocompleteField("name"),
        index.FilterField("city"),
    ]

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("Crisis centre")
        verbose_name_plural = _("Crisis centres")
        constraints = [models.UniqueConstraint(fields=["name"], name="crisiscentre_unique_name")]

    def __str__(self) -> str:
        return self.name

    def city_in(self, language: str) -> str:
        return town_name(self.city, language)

    @property
    def phone_link(self) -> str:
        """The number for a `tel:` link: digits and a leading +, without any note after it."""
        number = self.phone.split("(")[0]
        return "".join(char for char in number if char.isdigit() or char == "+")

    def services(self) -> list:
        offered = [
            (self.offers_crisis_counselling, _("Crisis counselling")),
            (self.offers_peer_groups, _("Peer-support groups")),
            (self.interpreter_available, _("Interpreter available")),
        ]
        return [label for is_offered, label in offered if is_offered]


class RemotePoint(Orderable):
    """A smaller place a crisis centre serves: staff meet people there on set days, but it is
    not a centre of its own (no groups are run from it)."""

    centre = ParentalKey(CrisisCentre, on_delete=models.CASCADE, related_name="remote_points")
    town = models.CharField(max_length=100, verbose_name=_("Town"))
    address = models.CharField(max_length=300, blank=True, verbose_name=_("Street address"))
    opening_hours = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("When staff are there"),
        help_text=_("Written so that it reads in every language, e.g. 'Tue 10–14'."),  # noqa: RUF001
    )

    panels = [FieldPanel("town"), FieldPanel("address"), FieldPanel("opening_hours")]

    class Meta(Orderable.Meta):
        verbose_name = _("Remote point")
        verbose_name_plural = _("Remote points")

    def __str__(self) -> str:
        return self.town

    def town_in(self, language: str) -> str:
        return town_name(self.town, language)


class SearchDocument(models.Model):
    """One searchable thing in one language: a page, a crisis centre or a directory entry, with
    its text analysed once when it changes (`cms.search_text`). Filled by the apps that own the
    things (`cms.services.search`), read by `cms.selectors.site_search`."""

    class Kind(models.IntegerChoices):
        # The order results are grouped in: courses first.
        COURSE = 1, _("Courses and groups")
        CENTRE = 2, _("Crisis centres")
        PAGE = 3, _("Pages")
        EXPERT = 4, _("Linity/ASSIP experts")

    page_cache_ignore = True  # written beside the rows it describes, which clear the cache

    source = models.CharField(max_length=100)  # app_label.model:pk of what it describes
    language = models.CharField(max_length=5)
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    places = models.TextField(blank=True)
    title_tokens = models.TextField(blank=True)
    tokens = models.TextField(blank=True)
    words = models.TextField(blank=True)
    translation_key = models.UUIDField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "language"], name="searchdocument_unique_source_language"
            )
        ]
        indexes = [models.Index(fields=["language", "kind"], name="searchdocument_lang_kind")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class SearchMiss(models.Model):
    """How many searches on a day found nothing, per normalised query text. No person, address
    or time of day is kept, and rows older than SEARCH_MISS_DAYS are purged daily."""

    page_cache_ignore = True

    query = models.CharField(max_length=200, verbose_name=_("Search words"))
    language = models.CharField(max_length=5, verbose_name=_("Language"))
    day = models.DateField(verbose_name=_("Day"))
    count = models.PositiveIntegerField(default=1, verbose_name=_("Searches"))

    class Meta:
        verbose_name = _("Search without results")
        verbose_name_plural = _("Searches without results")
        constraints = [
            models.UniqueConstraint(
                fields=["query", "language", "day"], name="searchmiss_unique_query_language_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.query} ({self.language}, {self.day}): {self.count}"


# The network's published opening hours of the Swedish and English lines, written in the language
# of the pages they are shown on (the Finnish line is shown on every page and is always open).
# A time range takes an en dash.
SWEDISH_LINE_HOURS = "mån och ons kl. 16–20, tis, tors och fre kl. 9–13"  # noqa: RUF001
ENGLISH_LINE_HOURS = "Mon 16–20, Tue and Fri 9–13"  # noqa: RUF001

# A line is named by the language it answers in; on Finnish pages, where it is the only one, it is
# the national crisis helpline.
NATIONAL_LINE_LABEL = _("National crisis helpline")
LINE_LABELS = {
    "fi": _("Crisis helpline in Finnish"),
    "sv": _("Crisis helpline in Swedish"),
    "en": _("Crisis helpline in English"),
}


@register_setting(icon="warning")
class HelplineSettings(BaseSiteSetting):
    """Crisis helplines shown on every public page and in every e-mail: the one source of their
    numbers and hours (`templates/includes/helplines.*` are the one place they are written)."""

    crisis_line_fi = models.CharField(
        _("Finnish crisis helpline"), max_length=40, default="09 2525 0111"
    )
    crisis_line_sv = models.CharField(
        _("Swedish crisis helpline"), max_length=40, default="09 2525 0112"
    )
    crisis_line_en = models.CharField(
        _("English crisis helpline"), max_length=40, default="09 2525 0116"
    )
    # Opening hours change; editors keep them current here rather than the code guessing.
    crisis_line_hours_fi = models.CharField(
        _("Opening hours of the Finnish line"),
        max_length=100,
        blank=True,
        default="24/7",
        help_text=_("Shown on every page beside the number, in every language."),
    )
    crisis_line_hours_sv = models.CharField(
        _("Opening hours of the Swedish line"),
        max_length=100,
        blank=True,
        default=SWEDISH_LINE_HOURS,
        help_text=_("Written in Swedish: shown on Swedish pages and in Swedish e-mails."),
    )
    crisis_line_hours_en = models.CharField(
        _("Opening hours of the English line"),
        max_length=100,
        blank=True,
        default=ENGLISH_LINE_HOURS,
        help_text=_("Written in English: shown on English pages and in English e-mails."),
    )
    emergency_number = models.CharField(_("Emergency number"), max_length=10, default="112")

    panels = [
        MultiFieldPanel(
            [FieldPanel("crisis_line_fi"), FieldPanel("crisis_line_hours_fi")],
            heading=_("Finnish"),
        ),
        MultiFieldPanel(
            [FieldPanel("crisis_line_sv"), FieldPanel("crisis_line_hours_sv")],
            heading=_("Swedish"),
        ),
        MultiFieldPanel(
            [FieldPanel("crisis_line_en"), FieldPanel("crisis_line_hours_en")],
            heading=_("English"),
        ),
        FieldPanel("emergency_number"),
    ]

    class Meta:
        verbose_name = _("Crisis helplines")

    def for_language(self, language: str | None = None) -> dict:
        """What a page or e-mail in `language` lists: the language's own line with its hours
        (sv, en), the Finnish line that is always open, and the emergency number."""
        code = (language or get_language() or "fi")[:2]
        if code not in LINE_LABELS:
            code = "fi"
        if code == "fi":
            lines = [{**self._line("fi"), "label": NATIONAL_LINE_LABEL}]
        else:
            lines = [self._line(code), self._line("fi")]
        return {
            "language": code,
            "lines": lines,
            "emergency": self.emergency_number,
        }

    def _line(self, code: str) -> dict:
        return {
            "language": code,
            "label": LINE_LABELS[code],
            "number": getattr(self, f"crisis_line_{code}"),
            "hours": getattr(self, f"crisis_line_hours_{code}"),
        }


class SheetImport(models.Model):
    """One uploaded spreadsheet on its way through the import pipeline (`cms.imports`).

    The file waits here (every web host and worker reads the same database) from the upload to
    the confirm; a large file is checked and imported by a background task while the page polls
    its progress, and the coordinator can leave and come back (the list of recent imports).
    The file is emptied once the import is done or refused; the report stays."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        CHECKED = "checked", _("Checked: waiting for your confirmation")
        INVALID = "invalid", _("The file has errors; nothing was saved")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported; nothing was saved")

    FINISHED = (Status.INVALID, Status.DONE, Status.FAILED)

    kind = models.CharField(max_length=20, verbose_name=_("What is imported"))
    filename = models.CharField(max_length=200, verbose_name=_("File"))
    content = models.BinaryField(default=b"", editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Uploaded by"),
    )
    language = models.CharField(max_length=10, default="fi")
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.CHECKING, verbose_name=_("Status")
    )
    rows_total = models.PositiveIntegerField(default=0, verbose_name=_("Rows"))
    rows_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Uploaded"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Spreadsheet import")
        verbose_name_plural = _("Spreadsheet imports")
        indexes = [models.Index(fields=["user", "-created_at"], name="sheetimport_user_recent")]

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.finished or self.status == self.Status.CHECKED:
            return 100
        return min(99, 100 * self.rows_done // self.rows_total) if self.rows_total else 0


class AccessibilityFeedback(models.Model):
    """A message sent through the accessibility statement's feedback form (Act 306/2019 §18:
    a reply is due within two weeks). Coordinators read and answer it in the admin."""

    page_cache_ignore = True  # never shown on a public page
    # Its text often names the sender: audit entries say "#<id>" (cms.services.audit).
    audit_label_by_number = True

    message = models.TextField(
        max_length=4000,
        verbose_name=_("Message"),
        help_text=_("What did not work, and on which page."),
    )
    page_address = models.CharField(max_length=500, blank=True, verbose_name=_("Page address"))
    name = models.CharField(max_length=200, blank=True, verbose_name=_("Name"))
    email = models.EmailField(
        blank=True,
        verbose_name=_("E-mail"),
        help_text=_("Needed if you want a reply. We use it only to answer you."),
    )
    language = models.CharField(max_length=5, default="fi", verbose_name=_("Language"))
    received_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Received"))
    replied_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Replied"))
    reply_note = models.TextField(
        blank=True,
        verbose_name=_("How it was answered"),
        help_text=_("For the other coordinators: what was replied or fixed."),
    )

    personal_data = PersonalData(
        purpose=_(
            "Feedback on the accessibility of this site, so that a coordinator can answer you "
            "and fix the problem. Seen only by coordinators."
        ),
        retention=_("Two years after it was received."),
        erasure=_("A coordinator deletes it on request or after the retention time."),
        technical=("language", "replied_at", "reply_note"),
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Accessibility feedback")
        verbose_name_plural = _("Accessibility feedback")

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d}: {self.message[:60]}"


def new_short_link_code() -> str:
    """Ten characters from 31 that cannot be confused when typed from a phone's screen (no 0/o,
    1/l/i): about 50 bits, and each link works only until its page would expire anyway."""
    return "".join(secrets.choice(SHORT_LINK_ALPHABET) for _ in range(SHORT_LINK_LENGTH))


SHORT_LINK_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SHORT_LINK_LENGTH = 10


class ShortLink(models.Model):
    """A short address (/s/<code>) for a text message, standing for a longer one on this site
    (a person's manage or offer page, an interest list's page). It leads there until
    `expires_at` and is erased with its owner's personal data (cms/services/short_links.py)."""

    page_cache_ignore = True  # never shown on a public page
    wagtail_reference_index_ignore = True
    audit_label_by_number = True

    code = models.CharField(max_length=16, unique=True, default=new_short_link_code)
    target = models.CharField(max_length=500, verbose_name=_("Address it leads to"))
    expires_at = models.DateTimeField(verbose_name=_("Expires"))
    # Whose link it is, so that erasing their data erases it (any model: an enrolment, an
    # interest-list entry); empty for a link to a public page.
    owner_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    personal_data = PersonalData(
        purpose=_(
            "The short links in our text messages, each leading to your own page (your place "
            "in a group or on an interest list)."
        ),
        retention=_("Until the page it leads to expires."),
        erasure=_("Erased together with the data it leads to."),
        technical=("code", "expires_at", "owner_id", "created_at"),
    )

    class Meta:
        verbose_name = _("Short link")
        verbose_name_plural = _("Short links")
        indexes = [
            models.Index(fields=["owner_type", "owner_id"], name="short_link_owner_idx"),
            models.Index(fields=["expires_at"], name="short_link_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target__startswith="/") & ~models.Q(target__startswith="//"),
                name="short_link_target_is_local",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
