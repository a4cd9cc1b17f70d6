from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_schedule_log_actions(actions):
    actions.register_action(
        "groups.group.scheduled", _("Schedule: meetings updated"), _("Meetings updated")
    )
    actions.register_action("groups.group.cancelled", _("Group cancelled"), _("Group cancelled"))
    actions.register_action(
        "groups.meeting.cancelled", _("Meeting cancelled"), _("Meeting cancelled")
    )
    actions.register_action("groups.meeting.moved", _("Meeting moved"), _("Meeting moved"))
    actions.register_action(
        "groups.meeting.added", _("Extra meeting added"), _("Extra meeting added")
    )
