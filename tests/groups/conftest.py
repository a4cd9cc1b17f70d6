"""Fixtures shared by the tests of groups."""

import pytest
from django.contrib.auth.models import Group as AuthGroup

from groups.services.roles import roles_ensure
from tests.factories import UserFactory


@pytest.fixture
def facilitator():
    """A user with the facilitator role (and an e-mail address, for the password reset)."""
    user = UserFactory(username="fasilitaattori", email="fasi@example.invalid")
    user.groups.add(AuthGroup.objects.get_or_create(name="Facilitators")[0])
    return user


@pytest.fixture
def roles(db):
    """The roles by name. They come from a migration; a transactional test run before (e2e)
    may have flushed them, so they are made again."""
    return roles_ensure()
