from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The Linity/ASSIP expert network: registry, trainings, certification, supervision and the
    public directory. It builds on `groups` (training groups, the outbox); nothing below it
    imports it."""

    name = "network"
    label = "network"
    verbose_name = _("Linity/ASSIP network")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from network.services.mail import mail_kinds_register

        mail_kinds_register()
