"""How a contact is written down: the one normalising of e-mail addresses and phone numbers,
used when an enrolment is saved (`groups.services.enrolment`), when a form checks a number
(`groups.forms`) and when a coordinator looks a person up (`groups.selectors.privacy`), so all
of them find the same person. Phone numbers are stored in E.164 (+358401234567): the form a
text-message gateway takes, and one spelling per number whatever the person typed."""

import phonenumbers

# A number written without a country code is read as a Finnish one.
DEFAULT_PHONE_REGION = "FI"


class InvalidPhoneNumber(ValueError):
    """Not a phone number anywhere: the caller says so to the person in their language."""


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def normalise_phone(value: str, *, region: str = DEFAULT_PHONE_REGION) -> str:
    """The number in E.164 ('040 123 4567' and '+358 40 1234567' are one person): empty for
    empty input, `InvalidPhoneNumber` for something that is not a valid number."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(value) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_lookup_forms(value: str) -> list[str]:
    """The spellings a number may be stored in, for finding a person: E.164, and its digits
    as rows saved before numbers were checked held them (the migration converts those, but a
    number that was not valid then stays as typed)."""
    value = (value or "").strip()
    digits = "".join(char for char in value if char.isdigit())
    legacy = f"+{digits}" if value.startswith("+") else digits
    try:
        e164 = normalise_phone(value)
    except InvalidPhoneNumber:
        return [legacy] if legacy else []
    return list(dict.fromkeys(form for form in (e164, legacy) if form))


def message_channels(*, email: str, phone: str, preference: str) -> list[str]:
    """Where a person's messages go ("email", "sms"): as they chose when they gave both
    contacts, else to the one contact they gave (a phone-only person gets text messages)."""
    wanted = {"email": ["email"], "sms": ["sms"], "both": ["email", "sms"]}.get(
        preference, ["email"]
    )
    given = [channel for channel, contact in (("email", email), ("sms", phone)) if contact]
    chosen = [channel for channel in wanted if channel in given]
    return chosen or given


def message_channel_kept(*, email: str, phone: str, preference: str) -> str:
    """The preference as stored: what `message_channels` resolves it to ("email", "sms" or
    "both"), so a choice the contacts cannot carry is never kept (nor shown back)."""
    channels = message_channels(email=email, phone=phone, preference=preference)
    return "both" if len(channels) == 2 else (channels[0] if channels else "email")


def phone_masked(value: str) -> str:
    """A number as a list may show it: the country code and the last two digits
    ("+358 ••• 67"), enough to tell two rows apart, not to call."""
    value = value or ""
    if len(value) < 6:
        return "•" * len(value)
    try:
        code = f"+{phonenumbers.parse(value, DEFAULT_PHONE_REGION).country_code}"
    except phonenumbers.NumberParseException:
        code = ""
    return f"{code} ••• {value[-2:]}".strip()
