"""What is offered: topics, the catalogue page and course pages."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from cms.blocks import BodyBlock
from courses.widgets import LanguageCheckboxes


class Topic(TranslatableMixin, models.Model):
    """What a course is about; editors add new ones as snippets."""

    name = models.CharField(max_length=120, verbose_name=_("Name"))
    slug = models.SlugField(
        max_length=80,
        verbose_name=_("Slug"),
        help_text=_("Used in catalogue links; the same in every language."),
    )
    description = models.TextField(blank=True, verbose_name=_("Description"))

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("Topic")
        verbose_name_plural = _("Topics")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="topic_unique_slug_locale")
        ]

    def __str__(self) -> str:
        return self.name


class CourseFormat(models.TextChoices):
    WEEKLY = "weekly", _("Weekly group")
    RESIDENTIAL = "residential", _("Residential intensive course")
    TRAINING = "training", _("Training")


class CourseIndexPage(Page):
    """The catalogue: every course of one language, with its upcoming groups."""

    introduction = models.TextField(blank=True, verbose_name=_("Introduction"))

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Course catalogue")


class CoursePage(Page):
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="courses", verbose_name=_("Topic")
    )
    format = models.CharField(
        max_length=20,
        choices=CourseFormat.choices,
        default=CourseFormat.WEEKLY,
        db_index=True,
        verbose_name=_("Format"),
    )
    summary = models.TextField(
        max_length=400,
        verbose_name=_("Summary"),
        help_text=_("One or two sentences shown in the catalogue."),
    )
    plain_language_summary = models.TextField(
        blank=True,
        verbose_name=_("Plain-language summary"),
        help_text=_("A short summary in easy language (selkokieli)."),
    )
    audience = models.CharField(max_length=200, blank=True, verbose_name=_("Audience"))
    age_min = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(120)], verbose_name=_("Minimum age")
    )
    age_max = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(120)], verbose_name=_("Maximum age")
    )
    languages = models.JSONField(
        default=list,
        blank=True,
        verbose_name=_("Languages offered"),
        help_text=_("Language codes: fi, sv, en."),
    )
    who_is_it_for = RichTextField(
        blank=True, features=["bold", "italic", "link", "ul"], verbose_name=_("Who this is for")
    )
    what_to_expect = RichTextField(
        blank=True, features=["bold", "italic", "link", "ul"], verbose_name=_("What to expect")
    )
    practical_information = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ul"],
        verbose_name=_("Practical information"),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))
    requires_approval = models.BooleanField(
        default=False,
        verbose_name=_("Enrolment needs coordinator approval"),
        help_text=_("A coordinator confirms every enrolment, e.g. after a phone call."),
    )
    show_facilitator_names = models.BooleanField(
        default=False, verbose_name=_("Show facilitators' names on the public page")
    )
    training_hours = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        verbose_name=_("Training hours"),
        help_text=_("Shown on attendance certificates of trainings."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("topic"),
                FieldPanel("format"),
                FieldPanel("audience"),
                FieldPanel("age_min"),
                FieldPanel("age_max"),
                FieldPanel(
                    "languages",
                    widget=LanguageCheckboxes,
                    help_text=_("The languages the course is offered in."),
                ),
            ],
            heading=_("Course"),
        ),
        FieldPanel("summary"),
        FieldPanel("plain_language_summary"),
        FieldPanel("who_is_it_for"),
        FieldPanel("what_to_expect"),
        FieldPanel("practical_information"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("requires_approval"),
                FieldPanel("show_facilitator_names"),
                FieldPanel("training_hours"),
            ],
            heading=_("Enrolment"),
        ),
        InlinePanel("intake_questions", label=_("Intake questions")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("who_is_it_for"),
        index.SearchField("what_to_expect"),
        index.SearchField("body"),
        index.FilterField("format"),
        index.FilterField("topic"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("Course")
        verbose_name_plural = _("Courses")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Facilitator intro blocks show a profession; the name only when the editor chooses.
        context["hide_facilitator_names"] = not self.show_facilitator_names
        context["topic"] = self.topic_in_page_language()
        return context

    def topic_in_page_language(self, topics: dict | None = None) -> Topic:
        """The topic in this page's language. A translated page keeps the topic chosen on the
        Finnish one, so its translation is looked up: in `topics` (the page language's topics
        by translation key) when given, else by a query; without one, the topic as chosen (the
        template marks it with its own language)."""
        if self.topic.locale_id == self.locale_id:
            return self.topic
        if topics is not None:
            return topics.get(self.topic.translation_key, self.topic)
        return self.topic.get_translation_or_none(self.locale_id) or self.topic

    def clean(self):
        super().clean()
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValidationError({"age_max": _("The maximum age must not be below the minimum.")})
        known = {code for code, _name in settings.LANGUAGES}
        unknown = [code for code in self.languages or [] if code not in known]
        if unknown:
            raise ValidationError(
                {
                    "languages": _("Unknown language codes: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )


class IntakeQuestion(Orderable):
    """A question asked on enrolment. A risk question never blocks anyone: a risk answer shows
    the helplines at once and asks a coordinator to call."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        YES_NO = "yes_no", _("Yes / no")
        CHOICE = "choice", _("One of the choices")

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="intake_questions")
    text = models.CharField(max_length=300, verbose_name=_("Question"))
    help_text = models.CharField(max_length=300, blank=True, verbose_name=_("Help text"))
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.TEXT, verbose_name=_("Kind of answer")
    )
    choices = models.TextField(
        blank=True,
        verbose_name=_("Choices"),
        help_text=_("One per line, for 'one of the choices'."),
    )
    required = models.BooleanField(default=False, verbose_name=_("Required"))
    is_risk_question = models.BooleanField(default=False, verbose_name=_("Risk question"))
    risk_answers = models.TextField(
        blank=True,
        verbose_name=_("Answers that signal risk"),
        help_text=_("One per line; 'yes' for a yes/no question."),
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("help_text"),
        FieldPanel("kind"),
        FieldPanel("choices"),
        FieldPanel("required"),
        FieldPanel("is_risk_question"),
        FieldPanel("risk_answers"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Intake question")
        verbose_name_plural = _("Intake questions")

    def __str__(self) -> str:
        return self.text

    def clean(self):
        """A risk question's risk answers are answers the form can give, in the page's own
        language (a translated page's copies must be translated with the choices)."""
        super().clean()
        if not self.is_risk_question:
            return
        if not self.risk_answer_list:
            raise ValidationError({"risk_answers": _("Name the answers that signal risk.")})
        if self.kind == self.Kind.YES_NO:
            possible = {"yes", "no"}
        elif self.kind == self.Kind.CHOICE:
            possible = {choice.lower() for choice in self.choice_list}
        else:
            possible = None
        if possible is not None and not set(self.risk_answer_list) <= possible:
            raise ValidationError(
                {
                    "risk_answers": _(
                        "Each answer that signals risk must be one of the choices "
                        "('yes' or 'no' for a yes/no question)."
                    )
                }
            )

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def risk_answer_list(self) -> list[str]:
        return [line.strip().lower() for line in self.risk_answers.splitlines() if line.strip()]


__all__ = [
    "CourseFormat",
    "CourseIndexPage",
    "CoursePage",
    "IntakeQuestion",
    "Topic",
]
