import pytest
from django.core.management import call_command

from groups.models import FollowUp, Group
from groups.selectors import reach_out_list
from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


def test_demo_gives_the_facilitator_a_group_with_someone_to_reach_out_to(client):
    CoursePageFactory()
    call_command("seed_demo")
    call_command("seed_demo")

    group = Group.objects.get(name__startswith="Demo")
    assert [item.enrolment.display_name for item in reach_out_list(group=group)] == ["Daniel"]
    assert not FollowUp.objects.exists()
    client.login(username="facilitator", password="demo-facilitator-2026")
    assert "Demo" in client.get("/facilitate/").content.decode()
