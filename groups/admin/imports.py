"""Importing groups from a spreadsheet in the admin: the pipeline's upload page for the
"groups" kind (`groups.resources.GROUP_IMPORT`). The preview, progress and confirm are the
pipeline's own pages (`cms.import_views`)."""

from django.contrib.auth.decorators import permission_required
from django.utils.translation import gettext as _

from cms.import_views import sheet_import_upload


@permission_required("groups.add_group")
def group_import_view(request):
    return sheet_import_upload(
        request,
        kind_name="groups",
        title=_("Import groups"),
        help_text=_(
            "Columns: course (its title in any language), name, centre, mode, language, "
            "capacity, min_size, go_no_go_date, facilitator_1, facilitator_2 (username or full "
            "name), schedule, schedule_from, start_time, duration_minutes, status. Download "
            "the template for the allowed values."
        ),
    )
