"""The Linity/ASSIP expert network: practitioners, their trainings, certifications,
supervision, and the public directory page.

Until the app of its own, these were models of `courses`; network/migrations/0001 takes them
over with their rows (see there)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.blocks import BodyBlock
from cms.personal_data import PersonalData
from groups.contacts import normalise_email


class County(models.TextChoices):
    """The 21 wellbeing services counties, plus Helsinki and Åland which organise their own."""

    HELSINKI = "helsinki", _("City of Helsinki")
    ITA_UUSIMAA = "ita-uusimaa", _("Eastern Uusimaa")
    KESKI_UUSIMAA = "keski-uusimaa", _("Central Uusimaa")
    LANSI_UUSIMAA = "lansi-uusimaa", _("Western Uusimaa")
    VANTAA_KERAVA = "vantaa-kerava", _("Vantaa and Kerava")
    VARSINAIS_SUOMI = "varsinais-suomi", _("Southwest Finland")
    SATAKUNTA = "satakunta", _("Satakunta")
    KANTA_HAME = "kanta-hame", _("Kanta-Häme")
    PIRKANMAA = "pirkanmaa", _("Pirkanmaa")
    PAIJAT_HAME = "paijat-hame", _("Päijät-Häme")
    KYMENLAAKSO = "kymenlaakso", _("Kymenlaakso")
    ETELA_KARJALA = "etela-karjala", _("South Karelia")
    ETELA_SAVO = "etela-savo", _("South Savo")
    POHJOIS_SAVO = "pohjois-savo", _("North Savo")
    POHJOIS_KARJALA = "pohjois-karjala", _("North Karelia")
    KESKI_SUOMI = "keski-suomi", _("Central Finland")
    ETELA_POHJANMAA = "etela-pohjanmaa", _("South Ostrobothnia")
    POHJANMAA = "pohjanmaa", _("Ostrobothnia")
    KESKI_POHJANMAA = "keski-pohjanmaa", _("Central Ostrobothnia")
    POHJOIS_POHJANMAA = "pohjois-pohjanmaa", _("North Ostrobothnia")
    KAINUU = "kainuu", _("Kainuu")
    LAPPI = "lappi", _("Lapland")
    AHVENANMAA = "ahvenanmaa", _("Åland")


class ExpertLanguage(models.TextChoices):
    """Languages a practitioner works in (stored as codes in Expert.languages)."""

    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    SAMI = "se", _("Sámi")
    RUSSIAN = "ru", _("Russian")
    ESTONIAN = "et", _("Estonian")
    ARABIC = "ar", _("Arabic")
    SOMALI = "so", _("Somali")
    UKRAINIAN = "uk", _("Ukrainian")
    SIGN = "fse", _("Finnish Sign Language")


class Variant(models.TextChoices):
    """The forms of the therapy; each has its own supervision rule (EXPERT_SUPERVISION_RULE)."""

    ASSIP = "assip", _("ASSIP for adults")
    ADOASSIP = "adoassip", _("AdoASSIP for adolescents")
    HOME = "home", _("Home-based ASSIP")


# The boolean field that says an expert practises a variant.
VARIANT_FIELDS = {
    Variant.ASSIP: "practises_assip",
    Variant.ADOASSIP: "practises_adoassip",
    Variant.HOME: "practises_home",
}


class KeepingUp(models.TextChoices):
    CURRENT = "current", _("Current")
    DUE = "due", _("Due")
    LAPSED = "lapsed", _("Lapsed")


class Expert(models.Model):
    """A trained Linity/ASSIP practitioner of the network.

    Not in the search index on purpose: the admin searches it with plain SQL, so personal data
    is not copied into the index and a 10,000-row import does not re-index row by row."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        LEFT = "left", _("Left the network")

    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True

    name = models.CharField(max_length=200, verbose_name=_("Name"))
    title = models.CharField(max_length=200, blank=True, verbose_name=_("Professional title"))
    organisation = models.CharField(max_length=200, blank=True, verbose_name=_("Organisation"))
    county = models.CharField(
        max_length=30,
        choices=County.choices,
        db_index=True,
        verbose_name=_("Wellbeing services county"),
    )
    city = models.CharField(max_length=100, blank=True, verbose_name=_("City"))
    email = models.EmailField(verbose_name=_("Work e-mail"))
    phone = models.CharField(max_length=40, blank=True, verbose_name=_("Work phone"))
    languages = models.JSONField(
        default=list,
        blank=True,
        verbose_name=_("Languages"),
        help_text=_("Language codes, e.g. fi, sv, en."),
    )
    practises_assip = models.BooleanField(default=False, verbose_name=_("ASSIP for adults"))
    practises_adoassip = models.BooleanField(
        default=False, verbose_name=_("AdoASSIP for adolescents")
    )
    practises_home = models.BooleanField(default=False, verbose_name=_("Home-based ASSIP"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        db_index=True,
        verbose_name=_("Status"),
    )
    public_listing_consent = models.BooleanField(
        default=False,
        verbose_name=_("Consents to the public directory"),
        help_text=_("Name, title, organisation, county, city, languages and variants are shown."),
    )
    public_listing_consented_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("Consent given at")
    )
    public_email_consent = models.BooleanField(
        default=False, verbose_name=_("Consents to showing the work e-mail publicly")
    )
    left_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Left the network at"))
    anonymised_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Anonymised at"))
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("title"),
                FieldPanel("organisation"),
                FieldPanel("county"),
                FieldPanel("city"),
            ],
            heading=_("Practitioner"),
        ),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("languages")],
            heading=_("Contact and languages"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("practises_assip"),
                FieldPanel("practises_adoassip"),
                FieldPanel("practises_home"),
            ],
            heading=_("Variants"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("public_listing_consent"),
                FieldPanel("public_email_consent"),
            ],
            heading=_("Status and consent"),
        ),
    ]

    personal_data = PersonalData(
        purpose=_(
            "The register of the Linity/ASSIP expert network: trainings, certification and "
            "supervision. The public directory shows only experts who agreed to it."
        ),
        retention=_("Until {EXPERT_RETENTION_DAYS} days after the expert leaves the network."),
        erasure=_(
            "Anonymised automatically after the retention time; counts of trainings are kept."
        ),
        technical=("status", "left_at", "anonymised_at", "created_at"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Linity/ASSIP expert")
        verbose_name_plural = _("Linity/ASSIP experts")
        constraints = [
            models.UniqueConstraint(fields=["email"], name="expert_unique_email"),
        ]
        indexes = [models.Index(fields=["status", "public_listing_consent", "county"])]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)
        known = set(ExpertLanguage.values)
        unknown = [code for code in self.languages or [] if code not in known]
        if unknown:
            raise ValidationError(
                {
                    "languages": _("Unknown language codes: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )

    @property
    def keeping_up_label(self) -> str:
        """Label of the `keeping_up` annotation (see selectors.experts_with_keeping_up)."""
        state = getattr(self, "keeping_up", None)
        return str(KeepingUp(state).label) if state else ""

    @property
    def variants(self) -> list[str]:
        return [variant for variant, field in VARIANT_FIELDS.items() if getattr(self, field)]

    @property
    def variant_labels(self) -> list[str]:
        return [Variant(variant).label for variant in self.variants]

    @property
    def language_labels(self) -> list[str]:
        labels = dict(ExpertLanguage.choices)
        return [str(labels.get(code, code)) for code in self.languages or []]


class Training(models.Model):
    """One practitioner training cohort."""

    name = models.CharField(max_length=200, verbose_name=_("Cohort name"))
    starts_on = models.DateField(verbose_name=_("Starts on"))
    ends_on = models.DateField(verbose_name=_("Ends on"))
    trainers = models.CharField(max_length=300, blank=True, verbose_name=_("Trainers"))
    place = models.CharField(max_length=200, blank=True, verbose_name=_("Place"))
    group = models.ForeignKey(
        "groups.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_trainings",
        verbose_name=_("Training group"),
        help_text=_("The training group that ran this cohort, if it was run as a group."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        FieldPanel("trainers"),
        FieldPanel("place"),
        FieldPanel("group"),
    ]

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("Expert training")
        verbose_name_plural = _("Expert trainings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Certification(models.Model):
    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("Expert")
    )
    training = models.ForeignKey(
        Training,
        on_delete=models.PROTECT,
        related_name="certifications",
        verbose_name=_("Training"),
    )
    certified_on = models.DateField(verbose_name=_("Certified on"))
    certifier = models.CharField(max_length=200, blank=True, verbose_name=_("Certified by"))

    panels = [
        FieldPanel("expert"),
        FieldPanel("training"),
        FieldPanel("certified_on"),
        FieldPanel("certifier"),
    ]

    class Meta:
        ordering = ["-certified_on"]
        verbose_name = _("Certification")
        verbose_name_plural = _("Certifications")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "training"], name="certification_unique_expert_training"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert}: {self.training}"


class SupervisionSession(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")
        HYBRID = "hybrid", _("Hybrid")

    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True

    held_on = models.DateField(db_index=True, verbose_name=_("Date"))
    supervisor = models.CharField(max_length=200, verbose_name=_("Supervisor"))
    format = models.CharField(
        max_length=10,
        choices=Format.choices,
        default=Format.REMOTE,
        verbose_name=_("Format"),
    )
    attendees = models.ManyToManyField(
        Expert,
        through="SupervisionAttendance",
        related_name="supervision_sessions",
        blank=True,
        verbose_name=_("Attendees"),
    )

    panels = [
        FieldPanel("held_on"),
        FieldPanel("supervisor"),
        FieldPanel("format"),
        FieldPanel("attendees"),
    ]

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("Supervision session")
        verbose_name_plural = _("Supervision sessions")

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.supervisor}"


class SupervisionAttendance(models.Model):
    # Rows about a person: audit entries name them by number (cms/services/audit.py).
    audit_label_by_number = True

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="attendances"
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="supervision_attendances"
    )

    class Meta:
        verbose_name = _("Supervision attendance")
        verbose_name_plural = _("Supervision attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "expert"], name="supervision_attendance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.expert}"


def supervision_rule() -> dict[str, tuple[int, int]]:
    """{variant: (minimum sessions, window in months)} from the EXPERT_SUPERVISION_RULE setting."""
    return getattr(settings, "EXPERT_SUPERVISION_RULE", {})


class ExpertDirectoryPage(Page):
    """The public directory of consenting, active practitioners, one per language."""

    introduction = models.TextField(blank=True, verbose_name=_("Introduction"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "network/expert_directory_page.html"

    class Meta:
        verbose_name = _("Linity/ASSIP expert directory")
