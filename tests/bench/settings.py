"""The load run's deployment (`enrolment_http.py`): the site's own settings, with the bench's
URLconf, which adds the floor's view to the site's URLs. Never used outside the benchmarks."""

from cms.settings.dev import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
