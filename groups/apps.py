from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cms.services.search import search_rebuilder_register
        from courses.models import CoursePage, Topic
        from groups import search_documents as documents
        from groups.models import Group

        post_save.connect(documents.course_page_saved, sender=CoursePage)
        post_delete.connect(documents.course_page_deleted, sender=CoursePage)
        post_save.connect(documents.group_changed, sender=Group)
        post_delete.connect(documents.group_changed, sender=Group)
        post_save.connect(documents.topic_saved, sender=Topic)
        search_rebuilder_register(documents.course_documents_rebuild)
