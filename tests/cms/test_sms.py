"""Text-message backends (cms/sms): GSM-7 lengths, the development backends, and the GatewayAPI
backend against a local fake gateway this test starts, with its failure answers."""

import contextlib
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cms.sms import (
    SmsError,
    SmsMessage,
    gsm7_length,
    sms_backend,
    sms_fits_one,
    sms_plain,
    sms_send,
)
from cms.sms.backends import console, filebased, gatewayapi


def test_finnish_and_swedish_letters_are_gsm7_and_an_emoji_is_not():
    assert gsm7_length("Hätänumero ÅÄÖ åäö é") == 20
    assert gsm7_length("€ [ ]") == 8  # the extension table takes two septets each
    assert gsm7_length("hei 🙂") is None
    assert sms_fits_one("a" * 160)
    assert not sms_fits_one("a" * 161)
    assert not sms_fits_one("🙂" + "a" * 70)


def test_typographic_quotes_and_dashes_become_their_gsm7_twins():
    text = sms_plain("  \u201cRyhmä\u201d \u2013 ti\u00a017.30\u2026\n")
    assert text == '"Ryhmä" - ti 17.30...'
    assert gsm7_length(text) is not None


def test_console_backend_prints_the_message():
    stream = io.StringIO()
    console.SmsBackend(stream=stream).send(SmsMessage(to="+358401234567", body="Hei"))
    assert "+358401234567" in stream.getvalue()
    assert "Hei" in stream.getvalue()


def test_file_backend_writes_one_file_per_message(tmp_path, settings):
    settings.SMS_BACKEND = "cms.sms.backends.filebased.SmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")

    sms_send(to="+358401234567", body="Ensimmäinen", reference="vt-1")
    sms_send(to="+358401234567", body="Toinen", reference="vt-2")

    messages = filebased.messages_in(tmp_path / "sms")
    assert [m["body"] for m in messages] == ["Ensimmäinen", "Toinen"]
    assert messages[0] == {"to": "+358401234567", "body": "Ensimmäinen", "reference": "vt-1"}


def test_locmem_backend_keeps_messages_for_the_test(smsoutbox):
    sms_send(to="+358401234567", body="Hei")
    assert smsoutbox == [SmsMessage(to="+358401234567", body="Hei")]


# --- GatewayAPI against a fake gateway ---------------------------------------------------------


class FakeGateway:
    """A local HTTP server that answers as GatewayAPI does: the next queued answers in order
    (status, body), then 200 with an id. Records every request."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict | str]] = []
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                gateway.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers["Authorization"],
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                if gateway.delay:
                    time.sleep(gateway.delay)
                status, body = (
                    gateway.answers.pop(0)
                    if gateway.answers
                    else (200, {"ids": [1000 + len(gateway.requests)], "usage": {}})
                )
                payload = body if isinstance(body, str) else json.dumps(body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError):
                    self.wfile.write(payload.encode())

            def log_message(self, *args):  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/rest/mtsms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    fake = FakeGateway()
    settings.SMS_BACKEND = "cms.sms.backends.gatewayapi.SmsBackend"
    settings.SMS_GATEWAYAPI_URL = fake.url
    settings.SMS_GATEWAYAPI_TOKEN = "test-token"
    settings.SMS_SENDER = "Vertaistuki"
    settings.SMS_TIMEOUT = 1
    yield fake
    fake.close()


def test_gatewayapi_sends_the_number_as_msisdn_with_token_sender_and_reference(gateway):
    gateway_id = sms_send(to="+358401234567", body="Hei Åsa", reference="vt-7-abc")

    assert gateway_id == "1001"
    request = gateway.requests[0]
    assert request["authorization"] == "Token test-token"
    assert request["json"]["recipients"] == [{"msisdn": 358401234567}]
    assert request["json"]["message"] == "Hei Åsa"
    assert request["json"]["sender"] == "Vertaistuki"
    assert request["json"]["userref"] == "vt-7-abc"
    assert "encoding" not in request["json"]  # GSM-7: the gateway's default


def test_gatewayapi_asks_for_ucs2_when_the_text_needs_it(gateway):
    sms_send(to="+358401234567", body="Hei 🙂")
    assert gateway.requests[0]["json"]["encoding"] == "UCS2"


@pytest.mark.parametrize(
    ("status", "permanent"),
    [(400, True), (422, True), (401, False), (429, False), (500, False), (503, False)],
)
def test_gatewayapi_failures_say_whether_a_retry_can_help_and_never_quote_the_number(
    gateway, status, permanent
):
    gateway.answers.append(
        (status, {"code": "0x0216", "message": "Bad msisdn 358401234567", "incident_uuid": "x"})
    )

    with pytest.raises(SmsError) as raised:
        sms_send(to="+358401234567", body="Hei")

    assert raised.value.permanent is permanent
    assert str(status) in str(raised.value)
    assert "0x0216" in str(raised.value)
    assert "358401234567" not in str(raised.value)


def test_gatewayapi_timeout_and_garbage_are_retried(gateway):
    gateway.delay = 1.5
    with pytest.raises(SmsError) as raised:
        sms_send(to="+358401234567", body="Hei")
    assert raised.value.permanent is False

    gateway.delay = 0
    gateway.answers.append((200, "<html>proxy error</html>"))
    with pytest.raises(SmsError) as raised:
        sms_send(to="+358401234567", body="Hei")
    assert raised.value.permanent is False


def test_gatewayapi_needs_its_token(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SMS_GATEWAYAPI_TOKEN = ""
    with pytest.raises(ImproperlyConfigured):
        sms_backend("cms.sms.backends.gatewayapi.SmsBackend")


def test_an_unreachable_gateway_is_retried(settings):
    settings.SMS_GATEWAYAPI_TOKEN = "test-token"
    settings.SMS_GATEWAYAPI_URL = "http://127.0.0.1:9/rest/mtsms"  # discard port: refused
    settings.SMS_TIMEOUT = 1
    with pytest.raises(SmsError) as raised:
        gatewayapi.SmsBackend().send(SmsMessage(to="+358401234567", body="Hei"))
    assert raised.value.permanent is False
