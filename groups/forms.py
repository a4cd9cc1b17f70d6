"""Public forms: they parse and validate input; the services decide what happens."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cms.public_forms import DescribedFieldsMixin
from courses.models import IntakeQuestion
from groups.contacts import InvalidPhoneNumber, normalise_phone
from groups.models import Attendance, Enrolment, FeedbackAnswer, MessageChannel, Stay
from groups.services.residential import STAY_PARTICIPANT_FIELDS

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
INTAKE_PREFIX = "intake_"
# GOV.UK's pattern: what to do, with an example (the services say the same).
INVALID_PHONE = _("Enter a phone number, like 040 123 4567 or +358 40 123 4567")


def phone_field_clean(form: forms.Form, name: str = "phone") -> None:
    """Refuse a number that is not a phone number (groups.contacts), with the same words
    everywhere; a valid one is kept in E.164."""
    phone = form.cleaned_data.get(name, "")
    try:
        form.cleaned_data[name] = normalise_phone(phone)
    except InvalidPhoneNumber:
        form.add_error(name, INVALID_PHONE)


# The contact fields of the public forms (enrolment and interest): the same words on both.
def display_name_field() -> forms.CharField:
    return forms.CharField(
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        label=_("Name or pseudonym"),
        help_text=_(
            "A first name or a pseudonym is enough; you do not need to give your real name."
        ),
    )


def phone_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        label=_("Phone"),
        help_text=_(
            "Give an e-mail address, a phone number or both. If you give only a phone number, "
            "we send you text messages."
        ),
    )


def channel_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=MessageChannel.choices,
        widget=forms.RadioSelect,
        label=_("How should we send you messages?"),
        help_text=_(
            "If you give both an e-mail address and a phone number, choose where your "
            "confirmation, reminders and any offer of a place are sent. Text messages say only "
            "the crisis centre's name and a link, never what the group is about."
        ),
    )


def channel_field_clean(form: forms.Form) -> None:
    """A channel only with its contact: text messages need a phone number, e-mail an address.
    With both contacts a choice is needed; with one, nothing chosen means that one (the
    service resolves it: groups.contacts.message_channel_kept)."""
    if form.has_error("email") or form.has_error("phone"):
        return
    cleaned = form.cleaned_data
    email, phone = cleaned.get("email"), cleaned.get("phone")
    channel = cleaned.get("message_channel")
    if not channel:
        if email and phone:
            form.add_error("message_channel", _("Choose how we send the messages."))
        cleaned["message_channel"] = MessageChannel.EMAIL
    elif channel in (MessageChannel.SMS, MessageChannel.BOTH) and not phone:
        form.add_error("message_channel", _("Give a phone number for text messages."))
    elif channel in (MessageChannel.EMAIL, MessageChannel.BOTH) and not email:
        form.add_error("message_channel", _("Give an e-mail address for e-mail."))


def intake_answers_readable(answers: dict) -> list[tuple[str, str]]:
    """Intake answers as staff read them: a yes/no answer is kept as `yes`/`no` (the risk
    rule compares those) and shown in the reader's language."""
    labels = dict(YES_NO)
    return [(question, str(labels.get(answer, answer))) for question, answer in answers.items()]


class EnrolmentForm(DescribedFieldsMixin, forms.Form):
    display_name = display_name_field()
    email = forms.EmailField(
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        label=_("E-mail"),
        help_text=_("We send your confirmation and the link to manage your place here."),
    )
    phone = phone_field()
    message_channel = channel_field()
    language = forms.ChoiceField(
        choices=settings.LANGUAGES,
        label=_("Language for our messages to you"),
    )
    interpreter_language = forms.CharField(
        required=False,
        max_length=60,
        label=_("Do you need an interpreter? In which language?"),
        help_text=_("Leave empty if you do not need one."),
    )
    accessibility_needs = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Accessibility needs"),
        help_text=_("For example step-free access, hearing loop or a need for breaks."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my answers, which may concern my health, are used to organise this "
            "group. They are seen only by the coordinators and erased after the group."
        ),
    )
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(
        self,
        *args,
        questions: list[IntakeQuestion] = (),
        questions_language: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        # Set when the questions are not in the visitor's language (the page has no
        # translation): the form says so and marks them with their language.
        self.questions_language = questions_language
        for question in self.questions:
            self.fields[f"{INTAKE_PREFIX}{question.pk}"] = self._intake_field(question)
        # Order: who you are, how to reach you, needs, the course's questions, consent last.
        self.order_fields([*list(self.fields)[:7], *self._intake_names(), "consent", "website"])
        self.fields["message_channel"].required = False
        self.fields["message_channel"].initial = MessageChannel.EMAIL
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def _intake_names(self) -> list[str]:
        return [f"{INTAKE_PREFIX}{question.pk}" for question in self.questions]

    def about_you_fields(self) -> list:
        """The person's own fields, before the course's questions."""
        skip = {*self._intake_names(), "consent", "website"}
        return [self[name] for name in self.fields if name not in skip]

    def intake_fields(self) -> list:
        return [self[name] for name in self._intake_names()]

    @staticmethod
    def _intake_field(question: IntakeQuestion) -> forms.Field:
        common = {
            "label": question.text,
            "help_text": question.help_text,
            "required": question.required,
        }
        if question.kind == IntakeQuestion.Kind.YES_NO:
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        if question.kind == IntakeQuestion.Kind.CHOICE:
            choices = [(choice, choice) for choice in question.choice_list]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return forms.CharField(max_length=1000, widget=forms.Textarea({"rows": 2}), **common)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.has_error("email"):
            self.add_error(
                "phone", _("Give an e-mail address or a phone number so that we can reach you.")
            )
        if cleaned.get("phone"):
            phone_field_clean(self)
        if not cleaned.get("message_channel"):
            cleaned["message_channel"] = MessageChannel.EMAIL
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def intake_answers(self) -> dict:
        """Answers keyed by question text, so they still read right if a question changes."""
        return {
            question.text: self.cleaned_data.get(f"{INTAKE_PREFIX}{question.pk}", "")
            for question in self.questions
            if self.cleaned_data.get(f"{INTAKE_PREFIX}{question.pk}", "")
        }

    def risk_flagged(self) -> bool:
        for question in self.questions:
            if not question.is_risk_question:
                continue
            answer = str(self.cleaned_data.get(f"{INTAKE_PREFIX}{question.pk}", "")).strip()
            if answer and answer.lower() in question.risk_answer_list:
                return True
        return False


class PhoneForm(DescribedFieldsMixin, forms.Form):
    """A phone number added on the manage page, for a coordinator to call."""

    phone = forms.CharField(
        max_length=30,
        label=_("Phone"),
        help_text=_("Only the coordinators see it, and use it to call you."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("phone"):
            phone_field_clean(self)
        return cleaned


class ChannelForm(DescribedFieldsMixin, forms.Form):
    """How our messages reach the person, on the manage page: only the channels they have a
    contact for are offered."""

    message_channel = channel_field()

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["message_channel"]
        field.label = _("How we send you messages")
        field.help_text = _(
            "Text messages say only the crisis centre's name and a link, never what the group "
            "is about."
        )
        self.initial.setdefault("message_channel", enrolment.message_channel)


class NeedsForm(DescribedFieldsMixin, forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["interpreter_language", "accessibility_needs"]
        widgets = {"accessibility_needs": forms.Textarea(attrs={"rows": 3})}


class StayForm(DescribedFieldsMixin, forms.ModelForm):
    """A residential course's travel, room and meal details, on the enrolment form (prefix
    "stay") and the manage page. Dates default to the whole course."""

    class Meta:
        model = Stay
        fields = list(STAY_PARTICIPANT_FIELDS)
        widgets = {
            "arrives_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "departs_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "arrival_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "diet": forms.RadioSelect,
        }
        help_texts = {
            "arrives_on": _("If you come for the whole course, keep the first day."),
            "arrival_time": _("Roughly when you expect to arrive at the station or the venue."),
            "single_room": _("Leave empty if you can share a room."),
            "roommate_wish": _("The name or pseudonym of someone on the same course."),
            "allergies": _("For example nuts or fish. Only the kitchen needs to know."),
        }

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["single_room"].choices = [
            ("", _("I can share a room")),
            *Stay.SingleRoom.choices,
        ]
        self.fields["travel_mode"].choices = [("", _("Not decided yet")), *Stay.Travel.choices]
        self.fields["diet"].choices = Stay.Diet.choices
        if group is not None and not self.instance.pk:
            self.fields["arrives_on"].required = False
            self.fields["departs_on"].required = False
            self.initial.setdefault("arrives_on", group.starts_on)
            self.initial.setdefault("departs_on", group.ends_on)

    def clean(self):
        cleaned = super().clean()
        arrives, departs = cleaned.get("arrives_on"), cleaned.get("departs_on")
        if arrives and departs and departs < arrives:
            self.add_error(
                "departs_on", _("The departure date must not be before the arrival date.")
            )
        return cleaned

    def _post_clean(self):
        # The service checks the whole stay (dates within the course) when it saves.
        pass

    def stay_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in STAY_PARTICIPANT_FIELDS}


class RegisterForm(forms.Form):
    """One radio group per person on the register; a person left unmarked keeps what they had.

    "All present" marks everyone left unmarked (and not marked before) as present; a status
    chosen on the form, or recorded earlier, stays.
    """

    all_present = forms.BooleanField(required=False)

    def __init__(self, *args, register, **kwargs):
        super().__init__(*args, **kwargs)
        self.register = list(register)
        for enrolment in self.register:
            self.fields[self.field_name(enrolment.pk)] = forms.ChoiceField(
                label=enrolment.display_name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                required=False,
                # Someone who sent apologies starts as excused; the facilitator may still mark
                # them present if they come after all.
                initial=enrolment.attendance_status
                or (Attendance.Status.EXCUSED if enrolment.apologised else None),
            )

    @staticmethod
    def field_name(enrolment_id: int) -> str:
        return f"status-{enrolment_id}"

    def rows(self):
        """(person, their radio group) in register order, for the template."""
        return [(enrolment, self[self.field_name(enrolment.pk)]) for enrolment in self.register]

    def statuses(self) -> dict[int, str]:
        everyone_present = self.cleaned_data.get("all_present")
        statuses = {}
        for enrolment in self.register:
            status = self.cleaned_data.get(self.field_name(enrolment.pk))
            if not status and everyone_present and not enrolment.attendance_status:
                # "Everyone else present" leaves someone who sent apologies excused.
                status = (
                    Attendance.Status.EXCUSED if enrolment.apologised else Attendance.Status.PRESENT
                )
            if status:
                statuses[enrolment.pk] = status
        return statuses

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("all_present"):
            return cleaned
        if self.register and not any(cleaned.get(name) for name in self.fields):
            raise forms.ValidationError(_("Mark at least one person."), code="empty")
        return cleaned


class FeedbackForm(DescribedFieldsMixin, forms.ModelForm):
    class Meta:
        model = FeedbackAnswer
        fields = ["helped", "recommend", "comment"]
        widgets = {
            "helped": forms.RadioSelect(choices=[(n, str(n)) for n in range(1, 6)]),
            "recommend": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "comment": _("Please do not write names or other details that identify anyone."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio group starts with nothing chosen: no "---------" choice picked for the person.
        self.fields["recommend"].choices = FeedbackAnswer.Recommend.choices


class InterestWhereWhenForm(DescribedFieldsMixin, forms.Form):
    """Where, in which language and when a group would suit: the part of an interest the
    person may change later on their private page."""

    towns = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Towns that suit you"),
        help_text=_("Choose one or more towns, or online below, or both."),
    )
    online = forms.BooleanField(required=False, label=_("An online group suits me"))
    language = forms.ChoiceField(
        choices=settings.LANGUAGES,
        label=_("Language of the group and of our messages to you"),
    )
    earliest_start = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("Earliest start that suits you"),
        help_text=_("Leave empty if you could start at once."),
    )
    latest_start = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("Latest start that suits you"),
        help_text=_("Leave empty if any later start suits you too."),
    )

    def __init__(self, *args, towns: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["towns"].choices = list(towns)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("towns") and not cleaned.get("online") and not self.has_error("towns"):
            self.add_error("towns", _("Choose at least one town, or online."))
        earliest, latest = cleaned.get("earliest_start"), cleaned.get("latest_start")
        if earliest and latest and latest < earliest:
            self.add_error("latest_start", _("The latest start cannot be before the earliest."))
        return cleaned


class InterestForm(InterestWhereWhenForm):
    """Leave an interest: what would suit, and how to reach the person. No account."""

    topic = forms.ChoiceField(
        label=_("What kind of group are you looking for?"),
        widget=forms.RadioSelect,
    )
    display_name = display_name_field()
    email = forms.EmailField(
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        label=_("E-mail"),
    )
    phone = phone_field()
    consent = forms.BooleanField(
        label=_(
            "I agree that what I give here is kept to tell me when a suitable group opens. It "
            "is erased when I withdraw it, take a place, or after six months at the latest."
        ),
    )
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, topics: list[tuple[str, str]] = (), course=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        if course is not None:
            del self.fields["topic"]
        else:
            self.fields["topic"].choices = list(topics)
        self.order_fields(
            [
                "topic",
                "towns",
                "online",
                "language",
                "earliest_start",
                "latest_start",
                "display_name",
                "email",
                "phone",
                "consent",
                "website",
            ]
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.has_error("email"):
            self.add_error(
                "phone", _("Give an e-mail address or a phone number so that we can reach you.")
            )
        if cleaned.get("phone"):
            phone_field_clean(self)
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def what_fields(self) -> list:
        names = ["topic", "towns", "online", "language", "earliest_start", "latest_start"]
        return [self[name] for name in names if name in self.fields]

    def contact_fields(self) -> list:
        return [self[name] for name in ("display_name", "email", "phone")]
