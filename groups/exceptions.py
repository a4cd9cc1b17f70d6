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


class StayError(EnrolmentError):
    """A stay that cannot be: dates outside the course, departure before arrival."""


class AllocationError(GroupsError):
    """A room allocation broke a rule; nothing was saved. `errors` maps enrolment ids (or None
    for the whole form) to the coordinator-facing reasons."""

    def __init__(self, message: str = "", *, errors: dict | None = None, code: str = ""):
        super().__init__(message, code=code)
        self.errors = errors or {}


class InterestError(EnrolmentError):
    pass
