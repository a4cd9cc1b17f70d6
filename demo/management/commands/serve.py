import os
import signal
import subprocess
import sys
import time
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.people import DEMO_LOGINS


def server_environment(environ, addr: str) -> dict[str, str]:
    """What the demo runs with: DEBUG off unless asked for (DEBUG=1), so a visitor sees the
    site's own 404 and 500 pages with the helplines, not Django's debug pages listing every
    URL; BASE_URL (the links in e-mails and the sitemap) the address it serves, unless set."""
    return {"DEBUG": "0", "BASE_URL": f"http://{addr}", **environ}


class Command(BaseCommand):
    help = (
        "Run the web server and a django-q2 task worker side by side (what `make run` starts); "
        "Ctrl-C stops both."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr: str, **options):
        python = sys.executable
        environment = server_environment(os.environ, addr)
        worker = subprocess.Popen([python, "manage.py", "qcluster"], env=environment)  # noqa: S603
        web = subprocess.Popen(  # noqa: S603
            [python, "manage.py", "runserver", "--noreload", addr], env=environment
        )
        children = [worker, web]
        try:
            if self.wait_until_up(f"http://{addr}/healthz", web):
                self.print_banner(addr)
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        self.stdout.write("Stopped the web server and the task worker.")

    def wait_until_up(self, url: str, web: subprocess.Popen) -> bool:
        for _ in range(240):
            if web.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own loopback URL)
                    return True
            except OSError:
                time.sleep(0.5)
        return False

    def print_banner(self, addr: str) -> None:
        lines = [
            "",
            f"  Vertaistuki is running at http://{addr}/",
            f"  Wagtail admin:            http://{addr}/admin/",
            "  Demo logins (username / password):",
            *(
                f"    {role:<26} {username} / {password}"
                for role, username, password in DEMO_LOGINS
            ),
            *self.sms_lines(),
            "  Ctrl-C stops the web server and the task worker.",
            "",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

    def sms_lines(self) -> list[str]:
        """Where the text messages go: the file backend writes each one to a folder."""
        if settings.SMS_BACKEND == "cms.sms.backends.filebased.SmsBackend":
            return [f"  Text messages (one file each): {settings.SMS_FILE_PATH}"]
        return [f"  Text messages through: {settings.SMS_BACKEND}"]
