"""The search documents cms owns: standard pages and the crisis centres (one document per
centre and language, pointing at the centre on that language's directory page)."""

from django.conf import settings
from django.utils import translation
from wagtail.models import Page

from cms.models import (
    CrisisCentre,
    CrisisCentreIndexPage,
    SearchDocument,
    StandardPage,
    text_in_language,
)
from cms.services.search import (
    places_text,
    plain_text,
    search_document_put,
    search_documents_remove,
    search_index_rebuild,
    source_of,
)

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def standard_page_document_sync(page_id: int) -> None:
    page = StandardPage.objects.live().public().select_related("locale").filter(pk=page_id).first()
    source = f"cms.standardpage:{page_id}"
    if page is None:
        search_documents_remove(source=source)
        return
    search_document_put(
        source=source,
        language=page.locale.language_code,
        kind=SearchDocument.Kind.PAGE,
        title=page.title,
        url=page.get_url() or "",
        summary=page.search_description or page.introduction,
        body=" ".join([page.introduction, plain_text(page.body)]),
    )


def _directories() -> dict[str, Page]:
    pages = CrisisCentreIndexPage.objects.live().public().select_related("locale")
    return {page.locale.language_code: page for page in pages}


def centre_documents_sync(centre_id: int, directories: dict[str, Page] | None = None) -> None:
    centre = CrisisCentre.objects.prefetch_related("remote_points").filter(pk=centre_id).first()
    source = f"cms.crisiscentre:{centre_id}"
    if centre is None:
        search_documents_remove(source=source)
        return
    directories = _directories() if directories is None else directories
    search_documents_remove(source=source, languages=set(LANGUAGES) - set(directories))
    points = list(centre.remote_points.all())
    for language, directory in directories.items():
        with translation.override(language):
            services = ", ".join(str(label) for label in centre.services())
        hours = text_in_language(centre, "opening_hours", language)
        search_document_put(
            source=source,
            language=language,
            kind=SearchDocument.Kind.CENTRE,
            title=text_in_language(centre, "name", language),
            url=f"{directory.get_url() or ''}#centre-{centre.pk}",
            # The street address is Finnish text: searched, but not shown unmarked in a result.
            summary=centre.city_in(language),
            body=" ".join([centre.address, services, hours, centre.region]),
            places=places_text(
                [centre.city, *(point.town for point in points)],
                [centre.name, centre.name_sv, centre.name_en],
            ),
        )


def cms_documents_rebuild() -> None:
    for page_id in StandardPage.objects.live().values_list("pk", flat=True):
        standard_page_document_sync(page_id)
    directories = _directories()
    for centre_id in CrisisCentre.objects.values_list("pk", flat=True):
        centre_documents_sync(centre_id, directories)


# --- Signal receivers (connected in cms.apps) ----------------------------------------------


def _is_content_save(kwargs) -> bool:
    """A save that may change what is live: a full save, or one naming `live`. Saving a draft
    revision names only its bookkeeping fields, and the live row is what is indexed."""
    update_fields = kwargs.get("update_fields")
    return update_fields is None or "live" in update_fields


def standard_page_saved(sender, instance, **kwargs) -> None:
    if _is_content_save(kwargs):
        standard_page_document_sync(instance.pk)


def standard_page_deleted(sender, instance, **kwargs) -> None:
    search_documents_remove(source=source_of(instance))


def centre_saved(sender, instance, **kwargs) -> None:
    centre_documents_sync(instance.pk)


def centre_deleted(sender, instance, **kwargs) -> None:
    search_documents_remove(source=source_of(instance))


def remote_point_changed(sender, instance, **kwargs) -> None:
    centre_documents_sync(instance.centre_id)


def directory_saved(sender, instance, **kwargs) -> None:
    if _is_content_save(kwargs):
        directories = _directories()
        for centre_id in CrisisCentre.objects.values_list("pk", flat=True):
            centre_documents_sync(centre_id, directories)


def view_restriction_changed(sender, instance, **kwargs) -> None:
    search_index_rebuild()
