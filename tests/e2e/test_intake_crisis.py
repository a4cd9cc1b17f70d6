"""A Swedish speaker on a phone enrols with only an e-mail address and answers the risk question
"yes": the questions are in Swedish, the notice promises no call she did not ask for, lists the
Swedish line with its hours beside the Finnish 24/7 line and 112, and lets her add a number."""

import pytest
from playwright.sync_api import Page, expect

from cms.services.site import site_tree_ensure
from courses.models import IntakeQuestion
from groups.models import Enrolment
from tests.factories import CoursePageFactory, GroupFactory, MeetingFactory, course_translate

pytestmark = pytest.mark.django_db(transaction=True)

RISK_SV = "Har du under de senaste veckorna haft tankar på att ta ditt liv?"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.ENROLMENT_RATE_LIMIT = 0


def test_enrol_in_swedish_with_a_risk_answer_and_only_an_email(live_server, page: Page):
    site_tree_ensure()
    course = CoursePageFactory(title="Surutyön ryhmä", languages=["fi", "sv"])
    IntakeQuestion.objects.create(
        course=course,
        text="Onko sinulla viime viikkoina ollut ajatuksia oman elämäsi päättämisestä?",
        kind="yes_no",
        is_risk_question=True,
        risk_answers="yes",
    )
    swedish = course_translate(course, "sv", title="Sorgegrupp")
    IntakeQuestion.objects.filter(course=swedish).update(text=RISK_SV)
    question = IntakeQuestion.objects.get(course=swedish)
    group = GroupFactory(course=course)
    MeetingFactory(group=group)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/sv/enrol/{group.pk}/")
    expect(page.locator("main")).to_contain_text(RISK_SV)
    expect(page.locator("main")).not_to_contain_text("elämäsi")
    page.locator("#id_display_name").fill("Fågel")
    page.locator("#id_email").fill("fagel@example.invalid")
    page.locator(f"#id_intake_{question.pk}_0").check()
    page.locator("#id_consent").check()
    page.locator("main button[type=submit]").click()

    notice = page.locator(".crisis-notice")
    expect(notice).to_contain_text("kontaktar dig per e-post")
    expect(notice).not_to_contain_text("ringer dig på numret")
    expect(notice).to_contain_text("09 2525 0112")
    expect(notice).to_contain_text("mån och ons kl. 16–20")  # noqa: RUF001
    expect(notice).to_contain_text("09 2525 0111")
    expect(notice).to_contain_text("112")
    enrolment = Enrolment.objects.get()
    assert enrolment.risk_flagged and not enrolment.phone

    notice.get_by_role("link", name="Lägg till ett telefonnummer").click()
    page.locator("#add-phone input[type=tel]").fill("040 765 4321")
    page.locator("#add-phone button[type=submit]").click()

    # The crisis notice shows once (on the confirmation only); the page for managing the
    # place confirms the number and that a coordinator will call, helplines still beside it.
    expect(page.locator("main [role=status]")).to_contain_text(
        "en koordinator ringer dig på numret du angav"
    )
    expect(page.locator(".crisis-notice")).to_have_count(0)
    expect(page.locator("footer")).to_contain_text("09 2525 0112")
    enrolment.refresh_from_db()
    assert enrolment.phone
