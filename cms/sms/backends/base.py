from cms.sms import SmsMessage


class BaseSmsBackend:
    """A backend sends one message and returns the gateway's id for it; it raises
    `cms.sms.SmsError` when the message did not go."""

    def send(self, message: SmsMessage) -> str:
        raise NotImplementedError
