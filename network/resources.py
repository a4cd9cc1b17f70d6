"""The coordinator's spreadsheet, in and out, read through the one pipeline (`cms.imports`).
Rows match on e-mail."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from cms.exports import formula_escape
from cms.imports import BooleanWidget, ChoiceListWidget, ChoiceWidget, ImportKind, SheetResource
from cms.services.audit import audit_log_many
from groups.contacts import normalise_email
from network.models import County, Expert, ExpertLanguage


class EmailWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return normalise_email(str(value or ""))


class ExpertResource(SheetResource):
    email = fields.Field(attribute="email", column_name="email", widget=EmailWidget())
    county = fields.Field(
        attribute="county", column_name="county", widget=ChoiceWidget(County.choices)
    )
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(Expert.Status.choices),
        saves_null_values=False,
    )
    languages = fields.Field(
        attribute="languages",
        column_name="languages",
        widget=ChoiceListWidget(ExpertLanguage.choices),
    )
    assip = fields.Field(attribute="practises_assip", column_name="assip", widget=BooleanWidget())
    adoassip = fields.Field(
        attribute="practises_adoassip", column_name="adoassip", widget=BooleanWidget()
    )
    home = fields.Field(attribute="practises_home", column_name="home", widget=BooleanWidget())
    public_listing_consent = fields.Field(
        attribute="public_listing_consent",
        column_name="public_listing_consent",
        # An empty cell keeps what the registry says; consent is withdrawn with "ei" / "no".
        widget=BooleanWidget(empty=None),
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
        self.existing: dict[str, Expert] = {}
        self.saved: list[Expert] = []

    # Rows naming the same e-mail are reported by the pipeline, each with the other rows.
    duplicate_columns = ("email",)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        emails = {normalise_email(str(row.get("email") or "")) for row in dataset.dict if row}
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
        return self.existing.get(normalise_email(str(row.get("email") or "")))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            # New rows: a status or consent not given in the sheet keeps the model default.
            # Uniqueness of e-mail: rows match on it and duplicates in the sheet are caught
            # by the pipeline; the database constraint still guards it.
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
        audit_log_many(
            [
                (expert, "network.expert.imported", None)
                for expert in self.saved
                if expert.pk is not None
            ],
            user=self.user,
            batch_size=1000,
        )

    def export_field(self, field, instance, **kwargs):
        return formula_escape(super().export_field(field, instance, **kwargs))


def _expert_resource(user) -> ExpertResource:
    return ExpertResource(user=user)


EXPERT_IMPORT = ImportKind(
    name="experts",
    title=gettext_lazy("Experts"),
    resource=_expert_resource,
    permission="network.add_expert",
    required_columns=("name", "email", "county"),
    done_url="wagtailsnippets_network_expert:list",
    upload_url="expert_network:import",
    template_filename="experts-template.xlsx",
)
