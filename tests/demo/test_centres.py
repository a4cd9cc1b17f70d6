import re

import pytest

from cms.models import CrisisCentre, RemotePoint
from cms.services.site import crisis_centres_ensure
from demo.centres import seed_centres

pytestmark = pytest.mark.django_db

NETWORK_PLACES = {
    "Eura", "Imatra", "Helsinki", "Huittinen", "Hyvinkää", "Hämeenlinna", "Joensuu",
    "Jyväskylä", "Kajaani", "Kemi", "Kokkola", "Kouvola", "Kuopio", "Lahti", "Lappeenranta",
    "Mikkeli", "Oulu", "Pieksämäki", "Pietarsaari", "Rauma", "Rovaniemi", "Salo", "Sastamala",
    "Savonlinna", "Seinäjoki", "Tampere", "Turku", "Vaasa", "Vihti",
}  # fmt: skip


def test_demo_has_the_networks_twenty_centres_and_their_remote_points(site_tree):
    seed_centres()
    seed_centres()  # safe to run again

    centres = set(CrisisCentre.objects.values_list("city", flat=True))
    points = set(RemotePoint.objects.values_list("town", flat=True))
    assert len(centres) == 20
    assert len(points) == 9
    assert centres | points == NETWORK_PLACES
    assert not centres & points
    assert RemotePoint.objects.get(town="Rauma").centre.city == "Turku"


def test_centres_have_swedish_names_where_the_town_has_one(site_tree):
    crisis_centres_ensure()
    names = dict(CrisisCentre.objects.values_list("city", "name_sv"))
    assert names["Pietarsaari"] == "Kriscentret i Jakobstad"
    assert names["Vaasa"] == "Kriscentret i Vasa"
    assert names["Turku"] == "Kriscentret i Åbo"
    assert names["Helsinki"] == "Kriscentret i Helsingfors"
    assert names["Kuopio"] == "Kriscentret i Kuopio"


def test_invented_contact_details_are_marked_as_examples(site_tree):
    seed_centres()
    for centre in CrisisCentre.objects.all():
        assert "esimerkki" in centre.phone and "example" in centre.phone
        assert "esimerkki" in centre.address
        assert "example" in centre.opening_hours_en
        # Nobody could dial it: after the operator prefix only zeros.
        assert re.fullmatch(r"0500+", centre.phone_link)


def test_editors_contact_details_survive_a_new_seed(site_tree):
    seed_centres()
    oulu = CrisisCentre.objects.get(city="Oulu")
    oulu.phone, oulu.address = "08 123", "Oikea katu 1"
    oulu.save()
    seed_centres()
    oulu.refresh_from_db()
    assert (oulu.phone, oulu.address) == ("08 123", "Oikea katu 1")
