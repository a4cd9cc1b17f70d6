from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
        from wagtail.models import ModelLogEntry
        from wagtail.signals import page_published, page_unpublished

        from cms.page_cache import content_deleted, content_saved, page_cache_clear_on_commit
        from cms.services.audit import log_entry_label_by_number
        from cms.services.site import site_address_sync
        from cms.sms import checks  # noqa: F401 (registers the deploy check)

        page_published.connect(page_cache_clear_on_commit, dispatch_uid="page-cache-published")
        page_unpublished.connect(page_cache_clear_on_commit, dispatch_uid="page-cache-unpublished")
        post_save.connect(content_saved, dispatch_uid="page-cache-saved")
        post_delete.connect(content_deleted, dispatch_uid="page-cache-deleted")
        post_migrate.connect(site_address_sync, sender=self, dispatch_uid="site-address-sync")
        # Audit entries about a person's row name it by number, never by the person's name.
        pre_save.connect(
            log_entry_label_by_number, sender=ModelLogEntry, dispatch_uid="audit-label-by-number"
        )
        self._connect_search()

    def _connect_search(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction

        from cms import search_documents as documents
        from cms.models import CrisisCentre, CrisisCentreIndexPage, RemotePoint, StandardPage
        from cms.services.search import search_rebuilder_register

        post_save.connect(documents.standard_page_saved, sender=StandardPage)
        post_delete.connect(documents.standard_page_deleted, sender=StandardPage)
        post_save.connect(documents.centre_saved, sender=CrisisCentre)
        post_delete.connect(documents.centre_deleted, sender=CrisisCentre)
        # An editor's save writes the centre before its remote points.
        post_save.connect(documents.remote_point_changed, sender=RemotePoint)
        post_delete.connect(documents.remote_point_changed, sender=RemotePoint)
        post_save.connect(documents.directory_saved, sender=CrisisCentreIndexPage)
        # A page made private (or public again) takes its subtree with it: rare, so everything
        # is written again rather than working out which documents lie under the page.
        post_save.connect(documents.view_restriction_changed, sender=PageViewRestriction)
        post_delete.connect(documents.view_restriction_changed, sender=PageViewRestriction)
        search_rebuilder_register(documents.cms_documents_rebuild)
