from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_groups_log_actions(actions):
    actions.register_action(
        "groups.attendance.recorded", _("Record attendance"), _("Attendance recorded")
    )
    actions.register_action(
        "groups.follow_up.contacted", _("Mark contacted"), _("Participant contacted")
    )
