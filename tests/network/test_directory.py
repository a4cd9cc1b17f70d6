import pytest

from network.models import ExpertDirectoryPage
from network.services.experts import expert_consent_withdraw
from tests.factories import ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(site_tree):
    home = site_tree["fi"]
    page = home.add_child(
        instance=ExpertDirectoryPage(
            title="Linity/ASSIP-asiantuntijat", slug="assip", locale=home.locale
        )
    )
    page.save_revision().publish()
    return page


def test_directory_lists_only_consenting_active_experts_without_email(client, directory):
    ExpertFactory(name="Listattu Lea", email="lea@example.invalid")
    ExpertFactory(name="Julkinen Jussi", email="jussi@example.invalid", public_email_consent=True)
    ExpertFactory(name="Kieltäytynyt Kari", public_listing_consent=False)
    ExpertFactory(name="Tauolla Tiina", status="paused")

    html = client.get(directory.url).content.decode()

    assert "Listattu Lea" in html
    assert "lea@example.invalid" not in html
    assert "jussi@example.invalid" in html
    assert "Kieltäytynyt Kari" not in html
    assert "Tauolla Tiina" not in html
    assert "psykoosi" in html  # who it is not for, in Finnish
    assert "09 2525 0111" in html


@pytest.mark.django_db(transaction=True)
def test_withdrawn_consent_removes_the_expert_at_once(client, directory):
    """With real commits: the directory page is cleared from the cache after the commit."""
    expert = ExpertFactory(name="Peruva Pirjo")
    assert "Peruva Pirjo" in client.get(directory.url).content.decode()
    expert_consent_withdraw(expert=expert)
    assert "Peruva Pirjo" not in client.get(directory.url).content.decode()


def test_filters_find_a_swedish_speaking_adoassip_expert_in_ostrobothnia(client, directory):
    ExpertFactory(
        name="Sara Svensson", county="pohjanmaa", languages=["sv"], practises_adoassip=True
    )
    ExpertFactory(name="Frida Finne", county="pohjanmaa", languages=["fi"])
    html = client.get(
        directory.url, {"county": "pohjanmaa", "language": "sv", "variant": "adoassip"}
    ).content.decode()
    assert "Sara Svensson" in html
    assert "Frida Finne" not in html


def test_directory_query_count_does_not_grow(
    client, directory, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # measure a real render, not a cache hit
    ExpertFactory()
    client.get(directory.url)
    with django_assert_max_num_queries(20) as few:
        client.get(directory.url)
    for _ in range(30):
        ExpertFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(directory.url)
    assert response.content.decode().count('class="expert-card"') == 31


def test_directory_shows_fifty_practitioners_a_page_with_the_filters_kept(client, directory):
    ExpertFactory.create_batch(52, county="pirkanmaa")

    first = client.get(directory.url + "?county=pirkanmaa").content.decode()
    second = client.get(directory.url + "?county=pirkanmaa&page=2").content.decode()

    assert first.count('class="expert-card"') == 50
    assert second.count('class="expert-card"') == 2
    assert '<p role="status">52 ' in first  # the count is of all pages
    assert 'href="?county=pirkanmaa&amp;page=2"' in first
