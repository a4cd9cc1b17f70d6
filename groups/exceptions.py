"""Domain errors raised by services; views turn them into messages in the user's language."""


class GroupsError(Exception):
    """Base class: `message` is a translatable, user-facing explanation."""

    def __init__(self, message: str = "", *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


class EnrolmentError(GroupsError):
    pass


class CapacityError(EnrolmentError):
    pass


class ScheduleError(GroupsError):
    pass


class AttendanceError(GroupsError):
    pass


class FeedbackError(GroupsError):
    pass


class MergeError(GroupsError):
    pass
