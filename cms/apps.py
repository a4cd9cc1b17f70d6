from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.signals import page_published, page_unpublished

        from cms.page_cache import content_deleted, content_saved, page_cache_clear_on_commit
        from cms.services.site import site_address_sync

        page_published.connect(page_cache_clear_on_commit, dispatch_uid="page-cache-published")
        page_unpublished.connect(page_cache_clear_on_commit, dispatch_uid="page-cache-unpublished")
        post_save.connect(content_saved, dispatch_uid="page-cache-saved")
        post_delete.connect(content_deleted, dispatch_uid="page-cache-deleted")
        post_migrate.connect(site_address_sync, sender=self, dispatch_uid="site-address-sync")
