import pytest
from django.urls import reverse

from groups.models import Enrolment
from tests.factories import EnrolmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_ticks_the_workbook_and_the_facilitator_sees_it(client, site_tree):
    enrolment = EnrolmentFactory(status=Enrolment.Status.CONFIRMED, display_name="Aino")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("enrolments:edit", args=[enrolment.pk]),
        {"risk_call_done_at": "", "interpreter_language": "", "accessibility_needs": "",
         "workbook_sent": "on"},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.workbook_sent
    client.force_login(enrolment.group.facilitator_1)
    page = client.get(reverse("portal:group", args=[enrolment.group.pk])).content.decode()
    assert "Aino" in page
    assert "Workbook sent" in page or "Työkirja" in page
