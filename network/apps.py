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
        from cms.selectors import search_source_register
        from network.selectors import experts_search
        from network.services.mail import mail_kinds_register

        mail_kinds_register()
        search_source_register(experts_search)
