"""Wagtail's Site history report, behind the centre boundary.

The report lists the log entries of every model the user has any permission on, with each
row's label: a coordinator of one centre would read the names of other centres' groups and
participants there. Wagtail cannot narrow it to rows, so only users who see the whole network
(`groups.scope.user_sees_whole_network`) get it; others use each row's own history view, which
the centre-scoped viewsets check. `groups/urls.py` lists these views and `cms/urls.py` mounts
them in front of Wagtail's.
"""

from django.urls import path
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from groups.scope import user_sees_whole_network


def _whole_network_only(view):
    def guarded(request, *args, **kwargs):
        if not user_sees_whole_network(request.user):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return require_admin_access(guarded)


site_history = _whole_network_only(LogEntriesView.as_view())
site_history_results = _whole_network_only(LogEntriesView.as_view(results_only=True))

# Mounted at `<admin>/reports/`, before Wagtail's own URLs (the same paths, so every link
# Wagtail makes to the report lands here).
urlpatterns = [
    path("site-history/", site_history, name="groups_site_history"),
    path("site-history/results/", site_history_results, name="groups_site_history_results"),
]


def site_history_menu_hide(request, menu_items) -> None:
    """The `construct_reports_menu` hook: no Site history link for who may not open it."""
    if not user_sees_whole_network(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
