"""The coordinator's spreadsheet, in and out (django-import-export). Rows match on e-mail."""

from collections import Counter
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from wagtail.models import ModelLogEntry

from cms.exports import formula_escape
from network.models import County, Expert, ExpertLanguage

TRUE_WORDS = {"1", "x", "true", "yes", "kyllä", "k", "ja", "y"}
FALSE_WORDS = {"", "0", "false", "no", "ei", "e", "nej", "n", "-"}


@lru_cache(maxsize=8)
def _names_in_every_language(choices: tuple[tuple[str, str], ...]) -> dict[str, str]:
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
        self.choices = tuple(choices)

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
        names = _names_in_every_language(tuple(ExpertLanguage.choices))
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
        skip_html_diff = True
        use_bulk = True
        batch_size = 1000
        report_skipped = True
        clean_model_instances = True

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.duplicate_emails: set[str] = set()
        self.existing: dict[str, Expert] = {}
        self.saved: list[Expert] = []

    def before_import(self, dataset, **kwargs):
        emails = Counter(str(row.get("email") or "").strip().lower() for row in dataset.dict if row)
        self.duplicate_emails = {email for email, n in emails.items() if email and n > 1}
        # One query for every row's match instead of one per row.
        self.existing = {
            expert.email: expert for expert in Expert.objects.filter(email__in=list(emails))
        }

    def get_bulk_update_fields(self):
        # Columns like "assip" are named for the spreadsheet; bulk_update needs model fields.
        return [
            field.attribute
            for name, field in self.fields.items()
            if name not in self._meta.import_id_fields
        ] + ["public_listing_consented_at", "public_email_consent"]

    def get_instance(self, instance_loader, row):
        return self.existing.get(str(row.get("email") or "").strip().lower())

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.email in self.duplicate_emails:
            errors.setdefault("email", []).append(
                _("The same e-mail is on more than one row: %(email)s") % {"email": instance.email}
            )
        try:
            # New rows: a status or consent not given in the sheet keeps the model default.
            # Uniqueness of e-mail: rows match on it and duplicates in the sheet are caught
            # above; the database constraint still guards it.
            instance.full_clean(
                exclude=list(errors.keys()), validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.public_listing_consent and instance.public_listing_consented_at is None:
            instance.public_listing_consented_at = timezone.now()
        if not instance.public_listing_consent:
            instance.public_listing_consented_at = None
            instance.public_email_consent = False

    def after_save_instance(self, instance, row, **kwargs):
        self.saved.append(instance)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        # Rows are saved in bulk, so their audit entries are written in bulk too.
        content_type = ContentType.objects.get_for_model(Expert)
        now = timezone.now()
        ModelLogEntry.objects.bulk_create(
            [
                ModelLogEntry(
                    content_type=content_type,
                    label=str(expert),
                    action="network.expert.imported",
                    user=self.user,
                    object_id=str(expert.pk),
                    timestamp=now,
                )
                for expert in self.saved
                if expert.pk is not None
            ],
            batch_size=1000,
        )

    def export_field(self, field, instance, **kwargs):
        return formula_escape(super().export_field(field, instance, **kwargs))
