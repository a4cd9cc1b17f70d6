"""The Wagtail admin works under its Content-Security-Policy: the pages an editor and a
coordinator use most load in Chromium with no policy violation and no console error."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import CoursePageFactory, GroupFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fi-FI", "timezone_id": "Europe/Helsinki"}


def watch_for_errors(page: Page) -> list[str]:
    """Console errors (Chromium reports every blocked script, style or frame as one), uncaught
    exceptions, and the policy violations the page itself sees."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return errors


def test_admin_pages_load_with_no_policy_violation(live_server, page: Page, site_tree):
    course = CoursePageFactory(title="Surevien vertaistukiryhmä")
    group = GroupFactory(course=course)
    MeetingFactory(group=group)
    UserFactory(username="koordinaattori", is_superuser=True, is_staff=True)
    errors = watch_for_errors(page)

    page.goto(f"{live_server.url}/admin/login/")
    policy = page.context.request.get(f"{live_server.url}/admin/login/").headers[
        "content-security-policy"
    ]
    assert "object-src 'none'" in policy
    page.locator("#id_username").fill("koordinaattori")
    page.locator("#id_password").fill("test-password-123")
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/admin/")

    # The group form: date pickers (Wagtail's inline initialisers, and the jQuery they plug
    # into, which django-recurrence's widget used to replace) and the schedule widget.
    page.goto(f"{live_server.url}/admin/groups_group/edit/{group.pk}/")
    date_field = page.locator("#id_go_no_go_date")
    date_field.click()
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator(".recurrence-widget").first).to_be_visible()

    # The page editor, with its side panels and live preview.
    page.goto(f"{live_server.url}/admin/pages/{course.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(course.title)
    page.locator("[data-side-panel-toggle=preview]").click()
    expect(page.locator("iframe#w-preview-iframe")).to_be_visible()
    page.wait_for_load_state("networkidle")

    for path in ("/admin/", "/admin/pages/", "/admin/images/", "/admin/groups_group/new/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")

    assert errors == []
