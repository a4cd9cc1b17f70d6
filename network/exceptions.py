"""Domain errors of the expert network; views turn them into messages."""


class ExpertError(Exception):
    """Base class: `message` is a translatable, user-facing explanation."""

    def __init__(self, message: str = "", *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


class ExpertStateError(ExpertError):
    pass


class TrainingCertifyError(ExpertError):
    """A training cannot certify its group's participants (e.g. it has no training group)."""
