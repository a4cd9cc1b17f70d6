"""The search documents of course pages: their own text, topic and format, and the towns and
centres of their open groups (in both official languages), so "Åbo" finds a course with a group
in Turku. Lives in groups because a course's places are its groups'."""

from django.utils import timezone, translation

from cms.models import SearchDocument, text_in_language
from cms.services.search import (
    places_text,
    plain_text,
    search_document_put,
    search_documents_remove,
)
from courses.models import CourseFormat, CoursePage
from groups.models import Group
from groups.selectors.catalogue import CATALOGUE_STATUSES

TEXT_FIELDS = (
    "plain_language_summary",
    "audience",
    "who_is_it_for",
    "what_to_expect",
    "practical_information",
    "body",
)


def _open_groups(translation_key) -> list[Group]:
    return list(
        Group.objects.filter(
            course__translation_key=translation_key,
            status__in=CATALOGUE_STATUSES,
            starts_on__gte=timezone.localdate(),
        ).select_related("centre", "venue")
    )


def course_documents_sync(translation_key) -> None:
    """Every language version of one course, from its live pages and open groups."""
    pages = list(
        CoursePage.objects.filter(translation_key=translation_key)
        .select_related("locale", "topic")
        .order_by("pk")
    )
    groups = _open_groups(translation_key)
    towns = [group.venue.city if group.venue else group.centre.city for group in groups]
    visible = {page.pk for page in CoursePage.objects.live().public().filter(pk__in=pages)}
    for page in pages:
        source = f"courses.coursepage:{page.pk}"
        if page.pk not in visible:
            search_documents_remove(source=source)
            continue
        language = page.locale.language_code
        with translation.override(language):
            format_label = str(CourseFormat(page.format).label)
        centres = [
            text_in_language(group.centre, "name", language) for group in groups if group.centre
        ]
        search_document_put(
            source=source,
            language=language,
            kind=SearchDocument.Kind.COURSE,
            title=page.title,
            url=page.get_url() or "",
            summary=page.search_description or page.summary,
            body=" ".join(
                [
                    page.summary,
                    page.topic.name,
                    page.topic.description,
                    format_label,
                    *(plain_text(getattr(page, name)) for name in TEXT_FIELDS),
                ]
            ),
            places=places_text(towns, centres),
            translation_key=page.translation_key,
        )


def course_documents_rebuild() -> None:
    keys = CoursePage.objects.values_list("translation_key", flat=True).distinct()
    for key in list(keys):
        course_documents_sync(key)


# --- Signal receivers (connected in groups.apps) -------------------------------------------


def course_page_saved(sender, instance, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is None or "live" in update_fields:
        course_documents_sync(instance.translation_key)


def course_page_deleted(sender, instance, **kwargs) -> None:
    search_documents_remove(source=f"courses.coursepage:{instance.pk}")


def group_changed(sender, instance, **kwargs) -> None:
    update_fields = kwargs.get("update_fields")
    # Saves that touch only bookkeeping (reminder stamps, go/no-go marks) change no place.
    if update_fields is not None and not {"status", "starts_on", "centre", "venue"} & set(
        update_fields
    ):
        return
    key = CoursePage.objects.filter(pk=instance.course_id).values_list("translation_key", flat=True)
    for translation_key in key:
        course_documents_sync(translation_key)


def topic_saved(sender, instance, **kwargs) -> None:
    keys = CoursePage.objects.filter(topic=instance).values_list("translation_key", flat=True)
    for translation_key in set(keys):
        course_documents_sync(translation_key)
