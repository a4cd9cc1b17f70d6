"""How a contact is written down: the one normalising of e-mail addresses and phone numbers,
used when an enrolment is saved (`groups.services.enrolment`) and when a coordinator looks a
person up (`groups.selectors.privacy`), so both find the same person."""


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def normalise_phone(value: str) -> str:
    """Digits and a leading plus only, so '040 123 4567' and '040-1234567' are one person."""
    value = (value or "").strip()
    digits = "".join(char for char in value if char.isdigit())
    return f"+{digits}" if value.startswith("+") else digits
