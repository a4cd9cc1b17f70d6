import pytest

pytestmark = pytest.mark.django_db


def test_unprefixed_page_paths_still_get_the_language_prefix(client, site_tree):
    response = client.get("/some-page/")
    assert response.status_code == 302
    assert response["Location"] == "/fi/some-page/"


def test_a_404_from_a_view_outside_the_prefix_stays_a_404(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("fasi", password="x")
    user.groups.add(Group.objects.get_or_create(name="Facilitators")[0])
    client.force_login(user)
    response = client.get("/facilitate/groups/999/")
    assert response.status_code == 404
    assert response["Content-Language"] == "fi"
