import datetime as dt

import pytest

from network.models import Expert, KeepingUp
from network.selectors import (
    expert_coverage,
    experts_public_list,
    experts_with_keeping_up,
    keeping_up_counts,
)
from tests.factories import CertificationFactory, ExpertFactory, SupervisionSessionFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


def attend(expert, *dates):
    for held_on in dates:
        SupervisionSessionFactory(held_on=held_on, attendees=[expert])


def state_of(expert, today=TODAY):
    return experts_with_keeping_up(today=today).get(pk=expert.pk).keeping_up


@pytest.fixture(autouse=True)
def rule(settings):
    settings.EXPERT_SUPERVISION_RULE = {"assip": (4, 12), "adoassip": (4, 12), "home": (6, 12)}
    settings.EXPERT_SUPERVISION_DUE_DAYS = 60


def test_four_recent_sessions_keep_an_expert_current():
    expert = ExpertFactory()
    attend(expert, dt.date(2025, 10, 1), dt.date(2026, 1, 1), dt.date(2026, 3, 1), TODAY)
    assert state_of(expert) == KeepingUp.CURRENT


def test_an_expert_whose_oldest_session_drops_out_soon_is_due():
    expert = ExpertFactory()
    attend(expert, dt.date(2025, 7, 1), dt.date(2026, 1, 1), dt.date(2026, 3, 1), TODAY)
    assert state_of(expert) == KeepingUp.DUE


def test_three_sessions_in_twelve_months_is_lapsed_and_older_ones_do_not_count():
    expert = ExpertFactory()
    attend(expert, dt.date(2025, 5, 1), dt.date(2025, 9, 1), dt.date(2026, 1, 1), TODAY)
    row = experts_with_keeping_up(today=TODAY).get(pk=expert.pk)
    assert row.supervision_count == 3
    assert row.keeping_up == KeepingUp.LAPSED


def test_a_newly_certified_expert_without_sessions_is_due_not_lapsed():
    expert = ExpertFactory()
    CertificationFactory(expert=expert, certified_on=dt.date(2026, 2, 1))
    assert state_of(expert) == KeepingUp.DUE


def test_every_variant_rule_must_be_met():
    expert = ExpertFactory(practises_assip=True, practises_home=True)
    attend(expert, *[dt.date(2026, month, 1) for month in (2, 3, 4, 5)])
    assert state_of(expert) == KeepingUp.LAPSED  # home-based asks six sessions


def test_keeping_up_is_one_query_for_any_number_of_experts(django_assert_num_queries):
    for _ in range(5):
        attend(ExpertFactory(), TODAY)
    with django_assert_num_queries(1):
        states = [expert.keeping_up for expert in experts_with_keeping_up(today=TODAY)]
    assert states == [KeepingUp.LAPSED] * 5
    assert keeping_up_counts(today=TODAY)["lapsed"] == 5


def test_directory_lists_only_active_consenting_experts():
    listed = ExpertFactory(name="Listattu")
    ExpertFactory(name="Ei suostumusta", public_listing_consent=False)
    ExpertFactory(name="Tauolla", status=Expert.Status.PAUSED)
    ExpertFactory(name="Lähtenyt", status=Expert.Status.LEFT)
    assert list(experts_public_list()) == [listed]


def test_directory_filters_by_county_language_and_variant():
    match = ExpertFactory(county="pohjanmaa", languages=["sv", "fi"], practises_adoassip=True)
    ExpertFactory(county="pohjanmaa", languages=["fi"], practises_adoassip=True)
    ExpertFactory(county="pohjanmaa", languages=["sv"], practises_adoassip=False)
    ExpertFactory(county="lappi", languages=["sv"], practises_adoassip=True)
    found = experts_public_list(county="pohjanmaa", language="sv", variant="adoassip")
    assert list(found) == [match]


def test_coverage_counts_active_experts_per_county_and_language():
    ExpertFactory(county="pohjanmaa", languages=["sv", "fi"])
    ExpertFactory(county="pohjanmaa", languages=["sv"])
    ExpertFactory(county="lappi", languages=["fi", "se"])
    ExpertFactory(county="lappi", status=Expert.Status.LEFT)
    coverage = expert_coverage()
    rows = {row.county: row for row in coverage.rows}
    assert rows["pohjanmaa"].total == 2
    assert rows["pohjanmaa"].by_language == {"fi": 1, "sv": 2, "se": 0}
    assert rows["lappi"].total == 1
    assert coverage.total == 3
    assert len(coverage.rows) == 23
    assert "kainuu" in {row.county for row in coverage.uncovered}
    assert "pohjanmaa" not in {row.county for row in coverage.uncovered}
