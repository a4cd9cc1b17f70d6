"""Read queries of the expert network: the keeping-up state, the directory, the coverage."""

import datetime as dt
from dataclasses import dataclass, field
from functools import reduce
from operator import and_

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cms.models import SearchDocument
from cms.towns import town_aliases
from network.models import (
    VARIANT_FIELDS,
    Certification,
    County,
    Expert,
    ExpertDirectoryPage,
    ExpertLanguage,
    KeepingUp,
    SupervisionAttendance,
    supervision_rule,
)


def _sessions_since(start: dt.date, today: dt.date) -> Coalesce:
    """Supervision sessions an expert attended in (start, today], as a correlated subquery."""
    counted = (
        SupervisionAttendance.objects.filter(
            expert=OuterRef("pk"), session__held_on__gt=start, session__held_on__lte=today
        )
        .order_by()
        .values("expert")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def experts_with_keeping_up(
    queryset: QuerySet[Expert] | None = None, *, today: dt.date | None = None
) -> QuerySet[Expert]:
    """Annotate `keeping_up` (current / due / lapsed) and `supervision_count` in SQL.

    Per variant the expert practises (rule: at least N sessions in the last M months):
    - lapsed: fewer than N sessions in the window, unless certified within the window
      (a newly certified expert is due, not lapsed);
    - due: meets the rule today, but not counting only sessions that will still be in the
      window EXPERT_SUPERVISION_DUE_DAYS from now (or is newly certified and short of it);
    - current: otherwise. The worst variant decides.
    """
    today = today or timezone.localdate()
    queryset = Expert.objects.all() if queryset is None else queryset
    due_days = settings.EXPERT_SUPERVISION_DUE_DAYS
    annotations = {}
    lapsed = Q(pk__in=[])
    short = Q(pk__in=[])
    widest = 0
    for variant, (minimum, months) in supervision_rule().items():
        start = today - relativedelta(months=months)
        widest = max(widest, months)
        now_name, later_name, new_name = (
            f"sessions_{variant}",
            f"sessions_{variant}_later",
            f"newly_certified_{variant}",
        )
        annotations[now_name] = _sessions_since(start, today)
        annotations[later_name] = _sessions_since(start + dt.timedelta(days=due_days), today)
        annotations[new_name] = Exists(
            Certification.objects.filter(expert=OuterRef("pk"), certified_on__gt=start)
        )
        practises = Q(**{VARIANT_FIELDS[variant]: True})
        lapsed |= practises & Q(**{f"{now_name}__lt": minimum}) & Q(**{new_name: False})
        short |= practises & (
            Q(**{f"{now_name}__lt": minimum}) | Q(**{f"{later_name}__lt": minimum})
        )
    annotations["supervision_count"] = _sessions_since(
        today - relativedelta(months=widest or 12), today
    )
    return queryset.annotate(**annotations).annotate(
        keeping_up=Case(
            When(lapsed, then=Value(KeepingUp.LAPSED)),
            When(short, then=Value(KeepingUp.DUE)),
            default=Value(KeepingUp.CURRENT),
            output_field=CharField(),
        )
    )


def experts_for_admin(*, today: dt.date | None = None) -> QuerySet[Expert]:
    return experts_with_keeping_up(Expert.objects.all(), today=today)


def experts_due_reminder(*, today: dt.date | None = None) -> QuerySet[Expert]:
    """Active experts who should attend supervision soon (the monthly reminder)."""
    return experts_with_keeping_up(
        Expert.objects.filter(status=Expert.Status.ACTIVE), today=today
    ).filter(keeping_up=KeepingUp.DUE)


def keeping_up_counts(*, today: dt.date | None = None) -> dict[str, int]:
    """Active experts per keeping-up state, in one query."""
    rows = (
        experts_with_keeping_up(Expert.objects.filter(status=Expert.Status.ACTIVE), today=today)
        .order_by()
        .values("keeping_up")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(KeepingUp.values, 0)
    counts.update({row["keeping_up"]: row["n"] for row in rows})
    return counts


def experts_filter(
    queryset: QuerySet[Expert],
    *,
    county: str | None = None,
    language: str | None = None,
    variant: str | None = None,
) -> QuerySet[Expert]:
    """The filters shared by the admin list, the export and the public directory."""
    if county:
        queryset = queryset.filter(county=county)
    if language:
        # Codes are stored as a JSON list; matching the quoted code works on every database.
        queryset = queryset.filter(languages__icontains=f'"{language}"')
    if variant in VARIANT_FIELDS:
        queryset = queryset.filter(**{VARIANT_FIELDS[variant]: True})
    return queryset


def experts_public_list(
    *, county: str | None = None, language: str | None = None, variant: str | None = None
) -> QuerySet[Expert]:
    """The public directory: active experts who consent to be listed, nothing more."""
    queryset = Expert.objects.filter(
        status=Expert.Status.ACTIVE, public_listing_consent=True, anonymised_at__isnull=True
    )
    queryset = experts_filter(queryset, county=county, language=language, variant=variant)
    return queryset.order_by("county", "city", "name").only(
        "name",
        "title",
        "organisation",
        "county",
        "city",
        "languages",
        "practises_assip",
        "practises_adoassip",
        "practises_home",
        "public_email_consent",
        "email",
    )


@dataclass
class CountyCoverage:
    county: str
    label: str
    total: int = 0
    by_language: dict[str, int] = field(default_factory=dict)


@dataclass
class Coverage:
    rows: list[CountyCoverage]
    languages: list[tuple[str, str]]
    uncovered: list[CountyCoverage]
    total: int
    left_anonymised: int

    @property
    def max_total(self) -> int:
        return max((row.total for row in self.rows), default=0)


def expert_coverage() -> Coverage:
    """Active experts per county and language, and the counties with none (two queries)."""
    rows = {
        code: CountyCoverage(county=code, label=str(label), by_language={})
        for code, label in County.choices
    }
    active = Expert.objects.filter(status=Expert.Status.ACTIVE).values_list("county", "languages")
    seen_languages: set[str] = set()
    for county, languages in active:
        row = rows.get(county)
        if row is None:
            continue
        row.total += 1
        for code in languages or []:
            row.by_language[code] = row.by_language.get(code, 0) + 1
            seen_languages.add(code)
    language_columns = [
        (code, str(label)) for code, label in ExpertLanguage.choices if code in seen_languages
    ]
    for row in rows.values():
        row.by_language = {code: row.by_language.get(code, 0) for code, _ in language_columns}
    ordered = list(rows.values())
    return Coverage(
        rows=ordered,
        languages=language_columns,
        uncovered=[row for row in ordered if row.total == 0],
        total=sum(row.total for row in ordered),
        left_anonymised=Expert.objects.filter(anonymised_at__isnull=False).count(),
    )


@dataclass
class ExpertSearchResult:
    """An entry of the public directory as the site search shows it (kind: see
    `cms.models.SearchDocument.Kind`)."""

    title: str
    summary: str
    url: str
    kind: int = SearchDocument.Kind.EXPERT


def experts_search(words: list[str], language: str, limit: int) -> list[ExpertSearchResult]:
    """Public directory entries whose name, title, organisation or town has every word (a town
    in either official language). Read from the directory itself, never copied into the search
    index: only what the directory shows is searched, and an import does not re-index."""
    directory = (
        ExpertDirectoryPage.objects.live().public().filter(locale__language_code=language).first()
    )
    if directory is None or not words:
        return []
    conditions = []
    for word in words:
        condition = (
            Q(name__icontains=word)
            | Q(title__icontains=word)
            | Q(organisation__icontains=word)
            | Q(city__icontains=word)
        )
        for alias in town_aliases(word):
            condition |= Q(city__iexact=alias)
        conditions.append(condition)
    experts = experts_public_list().filter(reduce(and_, conditions))[:limit]
    url = directory.get_url() or ""
    return [
        ExpertSearchResult(
            title=expert.name,
            summary=", ".join(
                part for part in [expert.title, expert.organisation, expert.city] if part
            ),
            url=url,
        )
        for expert in experts
    ]
