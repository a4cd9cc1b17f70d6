"""The coordinator's spreadsheet, in and out (django-import-export). Rows match on e-mail."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from wagtail.log_actions import log

from courses.experts.models import County, Expert, ExpertLanguage

TRUE_WORDS = {"1", "x", "true", "yes", "kyllä", "k", "ja", "y"}
FALSE_WORDS = {"", "0", "false", "no", "ei", "e", "nej", "n", "-"}
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_escape(value):
    """Make a cell inert: a leading apostrophe stops spreadsheets evaluating it (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _names_in_every_language(choices) -> dict[str, str]:
    """{lower-case code or label in fi/sv/en: code}, so a sheet may say 'Pohjanmaa' or code."""
    names = {}
    for language in ("en", "fi", "sv"):
        with translation.override(language):
            for code, label in choices:
                names[str(label).strip().lower()] = code
    for code, _label in choices:
        names[code] = code
    return names


class ChoiceNameWidget(widgets.Widget):
    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if not text:
            return None
        code = _names_in_every_language(self.choices).get(text)
        if code is None:
            raise ValueError(_("Unknown value: %(value)s") % {"value": value})
        return code

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value)


class LanguageListWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        names = _names_in_every_language(ExpertLanguage.choices)
        codes = []
        for part in str(value or "").replace(";", ",").split(","):
            part = part.strip().lower()
            if not part:
                continue
            if part not in names:
                raise ValueError(_("Unknown language: %(value)s") % {"value": part})
            codes.append(names[part])
        return codes

    def render(self, value, obj=None, **kwargs):
        return ", ".join(value or [])


class LenientBooleanWidget(widgets.Widget):
    def __init__(self, *, empty=False, **kwargs):
        super().__init__(**kwargs)
        self.empty = empty

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if not text:
            return self.empty
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(_("Write x or leave empty, not %(value)s") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "x" if value else ""


class EmailWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip().lower()


class ExpertResource(resources.ModelResource):
    email = fields.Field(attribute="email", column_name="email", widget=EmailWidget())
    county = fields.Field(
        attribute="county", column_name="county", widget=ChoiceNameWidget(County.choices)
    )
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceNameWidget(Expert.Status.choices),
        saves_null_values=False,
    )
    languages = fields.Field(
        attribute="languages", column_name="languages", widget=LanguageListWidget()
    )
    assip = fields.Field(
        attribute="practises_assip", column_name="assip", widget=LenientBooleanWidget()
    )
    adoassip = fields.Field(
        attribute="practises_adoassip", column_name="adoassip", widget=LenientBooleanWidget()
    )
    home = fields.Field(
        attribute="practises_home", column_name="home", widget=LenientBooleanWidget()
    )
    public_listing_consent = fields.Field(
        attribute="public_listing_consent",
        column_name="public_listing_consent",
        # An empty cell keeps what the registry says; consent is withdrawn with "ei" / "no".
        widget=LenientBooleanWidget(empty=None),
        saves_null_values=False,
    )

    class Meta:
        model = Expert
        import_id_fields = ["email"]
        fields = [
            "name",
            "title",
            "organisation",
            "county",
            "city",
            "email",
            "phone",
            "languages",
            "assip",
            "adoassip",
            "home",
            "status",
            "public_listing_consent",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.duplicate_emails: set[str] = set()

    def before_import(self, dataset, **kwargs):
        emails = Counter(str(row.get("email") or "").strip().lower() for row in dataset.dict if row)
        self.duplicate_emails = {email for email, n in emails.items() if email and n > 1}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.email in self.duplicate_emails:
            errors.setdefault("email", []).append(
                _("The same e-mail is on more than one row: %(email)s") % {"email": instance.email}
            )
        try:
            # New rows: a status or consent not given in the sheet keeps the model default.
            instance.full_clean(exclude=list(errors.keys()), validate_unique=validate_unique)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.public_listing_consent and instance.public_listing_consented_at is None:
            from django.utils import timezone

            instance.public_listing_consented_at = timezone.now()
        if not instance.public_listing_consent:
            instance.public_listing_consented_at = None
            instance.public_email_consent = False

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run"):
            log(instance, "courses.expert.imported", user=self.user)

    def export_field(self, field, instance, **kwargs):
        return formula_escape(super().export_field(field, instance, **kwargs))
