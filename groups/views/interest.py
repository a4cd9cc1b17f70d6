"""The interest list's public pages (docs/interest.md): leave an interest without an account,
see, change or withdraw it from its private link, and take or refuse a place kept for it.
Each view parses input, calls one service or selector, renders or redirects."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms.towns import town_name
from groups.exceptions import InterestError
from groups.forms import InterestForm, InterestWhereWhenForm
from groups.selectors.catalogue import with_facts
from groups.selectors.interest import (
    course_for_interest,
    hold_for_token,
    interest_for_token,
    interest_initial,
    interest_summary,
    interest_topics,
    interest_towns,
    open_hold_of,
)
from groups.services import interest as services


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _town_choices(language: str) -> list[tuple[str, str]]:
    return [(town, town_name(town, language)) for town in interest_towns()]


@never_cache
@require_http_methods(["GET", "POST"])
def interest_new(request: HttpRequest) -> HttpResponse:
    """Leave an interest: from a course page (the course is given), a full group or the
    catalogue (a topic is chosen)."""
    language = _language()
    course = course_for_interest(request.GET.get("course") or request.POST.get("course"))
    topics = interest_topics(language=language)
    form = InterestForm(
        request.POST or None,
        course=course,
        topics=topics,
        towns=_town_choices(language),
        # What the catalogue's filters asked for, when the person came from there.
        initial=interest_initial(request.GET, language=language),
    )
    status = 200
    if request.method == "POST":
        if form.is_bot:
            return redirect("interest:done")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.interest_create(
                    course_key=course.translation_key if course else None,
                    topic_key=course.topic.translation_key if course else data["topic"],
                    towns=data["towns"],
                    online=data["online"],
                    language=data["language"],
                    earliest_start=data["earliest_start"],
                    latest_start=data["latest_start"],
                    display_name=data["display_name"],
                    email=data["email"],
                    phone=data["phone"],
                    consent_text_version=settings.INTEREST_CONSENT_VERSION,
                )
            except InterestError as error:
                form.add_error(None, error.message)
            else:
                return redirect("interest:done")
        status = 400
    return render(
        request, "groups/interest/new.html", {"form": form, "course": course}, status=status
    )


@require_GET
def interest_done(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/interest/done.html")


def _interest_or_gone(token: str):
    interest = interest_for_token(token)
    if interest is None:
        raise Http404
    return interest


def _manage_context(interest, form=None) -> dict:
    language = _language()
    form = form or InterestWhereWhenForm(
        towns=_town_choices(language),
        initial={
            "towns": [town.town for town in interest.towns.all()],
            "online": interest.online,
            "language": interest.language,
            "earliest_start": interest.earliest_start,
            "latest_start": interest.latest_start,
        },
    )
    return {
        "interest": interest,
        "summary": interest_summary(interest, language=language),
        "hold": open_hold_of(interest),
        "form": form,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def interest_manage(request: HttpRequest, token: str) -> HttpResponse:
    """See and change an interest from its private link."""
    interest = _interest_or_gone(token)
    if request.method == "GET":
        return render(request, "groups/interest/manage.html", _manage_context(interest))
    form = InterestWhereWhenForm(request.POST, towns=_town_choices(_language()))
    if form.is_valid():
        try:
            services.interest_update(interest_id=interest.pk, **form.cleaned_data)
        except InterestError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your interest has been saved."))
            return redirect("interest:manage", token=token)
    context = _manage_context(interest, form)
    return render(request, "groups/interest/manage.html", context, status=400)


@never_cache
@require_POST
def interest_keep(request: HttpRequest, token: str) -> HttpResponse:
    interest = _interest_or_gone(token)
    services.interest_extend(interest_id=interest.pk)
    messages.success(request, _("Your interest is kept for another six months."))
    return redirect("interest:manage", token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def interest_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """Ask once, then erase the interest at once."""
    interest = _interest_or_gone(token)
    if request.method == "POST":
        services.interest_erase(interest_id=interest.pk)
        return render(request, "groups/interest/withdrawn.html")
    return render(request, "groups/interest/withdraw.html", {"interest": interest})


@never_cache
@require_http_methods(["GET", "POST"])
def hold_page(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the message: the group a place is kept in, to take it or let it go."""
    hold = hold_for_token(token)
    if hold is None:
        return render(request, "groups/interest/hold_gone.html", status=410)
    if request.method == "POST":
        services.hold_release(hold_id=hold.pk)
        messages.success(request, _("Thank you. The place goes to someone else."))
        return redirect("interest:manage", token=hold.interest.manage_token)
    with_facts([hold.group])
    enrol_url = f"{reverse('groups:enrol', args=[hold.group_id])}?hold={token}"
    return render(request, "groups/interest/hold.html", {"hold": hold, "enrol_url": enrol_url})
