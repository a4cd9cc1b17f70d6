"""The dotted log actions of groups with their labels in the admin history: (label, message).
Every state change a service logs (`wagtail.log_actions.log`) is named here;
`groups/wagtail_hooks.py` registers them."""

from django.utils.translation import gettext_lazy as _

GROUP_LOG_ACTIONS = {
    "groups.group.scheduled": (_("Schedule: meetings updated"), _("Meetings updated")),
    "groups.group.cancelled": (_("Group cancelled"), _("Group cancelled")),
    "groups.meeting.cancelled": (_("Meeting cancelled"), _("Meeting cancelled")),
    "groups.meeting.moved": (_("Meeting moved"), _("Meeting moved")),
    "groups.meeting.added": (_("Extra meeting added"), _("Extra meeting added")),
    "groups.group.under_minimum": (_("Under the minimum size"), _("Under the minimum size")),
    "groups.group.enrolment_extended": (_("Enrolment extended"), _("Enrolment extended")),
    "groups.group.merged": (_("Merged into another group"), _("Merged into another group")),
    "groups.group.merged_into": (
        _("Another group merged into this one"),
        _("Another group merged into this one"),
    ),
    "groups.group.feedback_links_sent": (_("Feedback links sent"), _("Feedback links sent")),
    "groups.group.video_link_changed": (_("Video link changed"), _("Video link changed")),
    "groups.meeting.video_link_changed": (
        _("Meeting's video link changed"),
        _("Meeting's video link changed"),
    ),
}

ENROLMENT_LOG_ACTIONS = {
    "groups.enrolment.created": (_("Enrolment received"), _("Enrolment received")),
    "groups.enrolment.risk_flagged": (_("Risk answer: call needed"), _("Risk answer given")),
    "groups.enrolment.risk_called": (_("Risk call made"), _("Called after the risk answer")),
    "groups.enrolment.approved": (_("Enrolment approved"), _("Enrolment approved")),
    "groups.enrolment.confirmed": (_("Place confirmed"), _("Place confirmed")),
    "groups.enrolment.waitlisted": (_("Moved to the waiting list"), _("Moved to waiting list")),
    "groups.enrolment.declined": (_("Enrolment declined"), _("Enrolment declined")),
    "groups.enrolment.cancelled": (_("Enrolment cancelled"), _("Enrolment cancelled")),
    "groups.enrolment.completed": (_("Enrolment completed"), _("Enrolment completed")),
    "groups.enrolment.needs_updated": (_("Needs updated"), _("Needs updated")),
    "groups.enrolment.phone_added": (_("Phone number added"), _("Phone number added")),
    "groups.enrolment.channel_changed": (
        _("Way of sending messages changed"),
        _("Way of sending messages changed"),
    ),
    "groups.enrolment.offered": (_("Place offered"), _("Place offered")),
    "groups.enrolment.offer_accepted": (_("Offer accepted"), _("Offer accepted")),
    "groups.enrolment.offer_declined": (_("Offer declined"), _("Offer declined")),
    "groups.enrolment.offer_expired": (_("Offer expired"), _("Offer expired")),
    "groups.enrolment.moved": (_("Moved to another group"), _("Moved to another group")),
}

ATTENDANCE_LOG_ACTIONS = {
    "groups.attendance.recorded": (_("Record attendance"), _("Attendance recorded")),
    "groups.follow_up.contacted": (_("Mark contacted"), _("Participant contacted")),
    "groups.apology.sent": (_("Sent apologies"), _("Sent apologies for a meeting")),
    "groups.apology.withdrawn": (_("Apologies withdrawn"), _("Can come after all")),
}

RESIDENTIAL_LOG_ACTIONS = {
    "groups.stay.updated": (_("Stay details updated"), _("Stay details updated")),
    "groups.group.rooms_allocated": (_("Rooms allocated"), _("Rooms allocated")),
}

PRIVACY_LOG_ACTIONS = {
    "groups.group.contacts_exported": (
        _("Contact details exported"),
        _("Contact details exported"),
    ),
    "groups.group.contacts_viewed": (
        _("Contact details viewed on the roster"),
        _("Contact details viewed on the roster"),
    ),
    "groups.group.personal_data_erased": (
        _("Personal data erased after the retention period"),
        _("Personal data erased after the retention period"),
    ),
    "groups.enrolment.data_exported": (
        _("Person's data exported on request"),
        _("Person's data exported on request"),
    ),
    "groups.enrolment.erased": (
        _("Person's data erased on request"),
        _("Person's data erased on request"),
    ),
}

INTEREST_LOG_ACTIONS = {
    "groups.interest.created": (_("Interest left"), _("Interest left")),
    "groups.interest.changed": (_("Interest changed"), _("Interest changed")),
    "groups.interest.extended": (_("Interest kept longer"), _("Interest kept longer")),
    "groups.interest.withdrawn": (_("Interest withdrawn"), _("Interest withdrawn")),
    "groups.interest.ended": (_("Interest ended"), _("Interest ended")),
    "groups.interest.erased": (_("Interest erased on request"), _("Interest erased on request")),
    "groups.interest.place_taken": (_("Interest ended: place taken"), _("Place taken")),
    "groups.hold.given": (_("Place kept for an interest"), _("Place kept")),
    "groups.hold.taken": (_("Kept place taken"), _("Kept place taken")),
    "groups.hold.released": (_("Kept place refused"), _("Kept place refused")),
    "groups.hold.expired": (_("Kept place expired"), _("Kept place expired")),
    "groups.hold.group_gone": (
        _("Kept place released: the group does not run"),
        _("Group does not run"),
    ),
}

LOG_ACTIONS = {
    **GROUP_LOG_ACTIONS,
    **INTEREST_LOG_ACTIONS,
    **ENROLMENT_LOG_ACTIONS,
    **ATTENDANCE_LOG_ACTIONS,
    **RESIDENTIAL_LOG_ACTIONS,
    **PRIVACY_LOG_ACTIONS,
}


def log_actions_register(actions) -> None:
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
