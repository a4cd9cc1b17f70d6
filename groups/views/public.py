"""What participants and visitors reach without an account: enrolment and its done page, the
private manage link, the calendar feeds, the anonymous feedback form and a training's
certificate. Each view parses input, calls one service or selector, renders or redirects."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from courses.models import CoursePage
from groups.calendars import enrolment_calendar, meeting_location, meetings_calendar
from groups.contacts import message_channel_kept
from groups.exceptions import AttendanceError, EnrolmentError, FeedbackError
from groups.forms import (
    ChannelForm,
    EnrolmentForm,
    FeedbackForm,
    NeedsForm,
    PhoneForm,
    StayForm,
)
from groups.models import Enrolment, Group, Meeting, Stay
from groups.selectors.availability import ENROLLING, GroupState, public_course_q
from groups.selectors.catalogue import (
    calendar_meetings,
    course_public_groups,
    public_group,
    with_facts,
)
from groups.selectors.enrolment import (
    certificate_valid_until,
    course_in_language,
    done_link_expired,
    enrolment_for_certificate_token,
    enrolment_for_done_token,
    enrolment_for_token,
    group_enrolment_state,
    group_for_enrolment,
    manage_link_expired,
    queue_position,
)
from groups.selectors.interest import hold_for_token
from groups.selectors.meetings import apologised_meeting_ids, apology_for, video_link_shown
from groups.selectors.reports import enrolment_certificate
from groups.selectors.residential import programme_days
from groups.services import enrolment as services
from groups.services import residential
from groups.services.attendance import apology_send, apology_withdraw
from groups.services.feedback import feedback_submit, feedback_token_group
from groups.services.residential import group_is_residential

# Set by the enrolment POST after a risk answer, taken by the done page's first view.
RISK_NOTICE_SESSION_KEY = "groups:risk_notice"

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _enrol_page(group_id: int, *, facts: bool = True) -> tuple[Group, GroupState]:
    """The group of an enrolment form and its state; 404 for a hidden one. With `facts`, all a
    visitor reads on the form (a sent form needs only the state and the course's questions)."""
    group = group_for_enrolment(group_id, facts=facts)
    if group is None:
        raise Http404
    state = group_enrolment_state(group)
    if state == GroupState.HIDDEN:
        raise Http404
    group.availability = state
    if facts:
        with_facts([group])
    return group, state


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, group_id: int) -> HttpResponse:
    group, state = _enrol_page(group_id, facts=request.method != "POST")
    # A place kept for the person's interest (docs/interest.md): theirs, full or not.
    hold_token = request.GET.get("hold", "")
    hold = hold_for_token(hold_token) if hold_token else None
    if hold is not None and hold.group_id != group.pk:
        hold = None
    if hold is not None and state == GroupState.WAITLIST:
        state = group.availability = GroupState.PLACES
    closed_error = None if state in ENROLLING else state.label
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    course = course_in_language(group=group, language=language)
    initial = {"language": language}
    if hold is not None:
        interest = hold.interest
        initial.update(
            display_name=interest.display_name,
            email=interest.email,
            phone=interest.phone,
            language=interest.language,
        )
    form = EnrolmentForm(
        request.POST or None,
        questions=course.questions,
        questions_language=course.fallback_language,
        initial=initial,
    )
    stay_form = (
        StayForm(request.POST or None, prefix="stay", group=group)
        if group_is_residential(group)
        else None
    )
    status = 200
    if request.method == "POST" and closed_error is None:
        # Bursts from one address are answered 429 before this view (cms.middleware).
        if form.is_bot:
            # Look like success to the bot; nothing is saved.
            return render(request, "groups/enrol_done.html", {"group": group, "bot": True})
        elif form.is_valid() & (stay_form is None or stay_form.is_valid()):
            try:
                enrolment = services.enrolment_create(
                    group_id=group.pk,
                    display_name=form.cleaned_data["display_name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    message_channel=form.cleaned_data["message_channel"],
                    language=form.cleaned_data["language"],
                    interpreter_language=form.cleaned_data["interpreter_language"],
                    accessibility_needs=form.cleaned_data["accessibility_needs"],
                    intake_answers=form.intake_answers(),
                    consent_text_version=settings.ENROLMENT_CONSENT_VERSION,
                    risk_flagged=form.risk_flagged(),
                    stay=stay_form.stay_values() if stay_form else None,
                    hold_token=hold.token if hold is not None else "",
                )
            except EnrolmentError as error:
                form.add_error(None, error.message)
            else:
                if enrolment.risk_flagged:
                    # The crisis notice shows once, on the page this browser is sent to now.
                    request.session[RISK_NOTICE_SESSION_KEY] = enrolment.pk
                return redirect("groups:enrol_done", token=enrolment.done_token)
        if form.errors or (stay_form is not None and stay_form.errors):
            status = 400
    if request.method == "POST":
        # The form goes back to the visitor: now with the group's facts, in the state the
        # form was judged in.
        group, _state = _enrol_page(group_id)
        group.availability = state
    return render(
        request,
        "groups/enrol.html",
        {
            "group": group,
            "course": course,
            "form": form,
            "stay_form": stay_form,
            "closed_error": closed_error,
        },
        status=status,
    )


def _enrolment_or_404(token: str) -> Enrolment:
    enrolment = enrolment_for_token(token)
    if enrolment is None:
        raise Http404
    return enrolment


def _expired_page(request: HttpRequest, *, done_page: bool = False) -> HttpResponse:
    return render(request, "groups/manage_expired.html", {"done_page": done_page}, status=410)


def manage_link(view):
    """The manage-link views take the enrolment behind the token: 404 for an unknown token,
    410 with a kind page once the link has expired."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
        enrolment = _enrolment_or_404(token)
        if manage_link_expired(enrolment):
            return _expired_page(request)
        return view(request, enrolment, token, **kwargs)

    return wrapper


@never_cache
@require_GET
def enrol_done(request: HttpRequest, token: str) -> HttpResponse:
    """The page right after enrolling (its own key, DONE_LINK_HOURS). The crisis notice after a
    risk answer shows on the first view in the browser that enrolled, never again: a later
    view, or anyone else holding the address, learns nothing of the answer."""
    enrolment = enrolment_for_done_token(token)
    if enrolment is None:
        raise Http404
    if done_link_expired(enrolment):
        return _expired_page(request, done_page=True)
    show_risk_notice = request.session.pop(RISK_NOTICE_SESSION_KEY, None) == enrolment.pk
    return render(
        request,
        "groups/enrol_done.html",
        {
            "enrolment": enrolment,
            "group": enrolment.group,
            "show_risk_notice": show_risk_notice,
            "messages_by": message_channel_kept(
                email=enrolment.email, phone=enrolment.phone, preference=enrolment.message_channel
            ),
        },
    )


def _manage_context(enrolment: Enrolment) -> dict:
    group = enrolment.group
    meetings = [m for m in group.meetings.all() if m.status != Meeting.Status.CANCELLED]
    now = timezone.now()
    is_confirmed = enrolment.status == Enrolment.Status.CONFIRMED
    apologised = apologised_meeting_ids(enrolment=enrolment) if is_confirmed else set()
    for meeting in meetings:
        # "I can't come" (or "I can come after all") until the meeting starts.
        meeting.can_send_apologies = is_confirmed and meeting.starts_at > now
        meeting.apologised = meeting.pk in apologised
    video = video_link_shown(enrolment=enrolment, meetings=meetings, now=now)
    residential = {}
    if group_is_residential(group):
        stay = Stay.objects.select_related("room").filter(enrolment=enrolment).first()
        residential = {
            "programme_days": programme_days(meetings),
            "stay": stay,
            "arrival_instructions": group.venue.arrival_instructions_in(enrolment.language)
            if group.venue
            else "",
            "stay_form": StayForm(instance=stay, prefix="stay") if stay else None,
        }
    return {
        **residential,
        "enrolment": enrolment,
        "group": group,
        "meetings": meetings,
        "is_active": enrolment.status in Enrolment.ACTIVE,
        "is_offered": enrolment.status == Enrolment.Status.OFFERED,
        "video_meeting": video[0] if video else None,
        "video_link": video[1] if video else "",
        "needs_form": NeedsForm(instance=enrolment),
        "phone_form": PhoneForm() if not enrolment.phone else None,
        "messages_by": message_channel_kept(
            email=enrolment.email, phone=enrolment.phone, preference=enrolment.message_channel
        ),
        # The choice of channel only when there is a choice: both contacts given.
        "channel_form": ChannelForm(enrolment=enrolment)
        if enrolment.email and enrolment.phone
        else None,
        "queue_position": queue_position(enrolment),
        "place": meeting_location(group),
        # A calendar is a promise of the dates: not while only queued or awaiting approval.
        "offers_calendar": enrolment.status
        in (Enrolment.Status.CONFIRMED, Enrolment.Status.OFFERED, Enrolment.Status.CANCELLED),
    }


@never_cache
@require_http_methods(["GET"])
@manage_link
def manage(request: HttpRequest, enrolment: Enrolment, token: str) -> HttpResponse:
    return render(request, "groups/manage.html", _manage_context(enrolment))


@never_cache
@require_http_methods(["POST"])
@manage_link
def manage_needs(request: HttpRequest, enrolment: Enrolment, token: str) -> HttpResponse:
    form = NeedsForm(request.POST, instance=enrolment)
    if form.is_valid():
        try:
            services.enrolment_needs_update(
                enrolment_id=enrolment.pk,
                interpreter_language=form.cleaned_data["interpreter_language"],
                accessibility_needs=form.cleaned_data["accessibility_needs"],
            )
        except EnrolmentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your needs have been saved."))
            return redirect("groups:manage", token=token)
    enrolment.refresh_from_db()
    context = {**_manage_context(enrolment), "needs_form": form}
    return render(request, "groups/manage.html", context, status=400)


@never_cache
@require_http_methods(["POST"])
@manage_link
def manage_phone(request: HttpRequest, enrolment: Enrolment, token: str) -> HttpResponse:
    form = PhoneForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_phone_add(
                enrolment_id=enrolment.pk, phone=form.cleaned_data["phone"]
            )
        except EnrolmentError as error:
            form.add_error("phone", error.message)
        else:
            # A risk answer's promise is repeated once here, as a message (the notice itself
            # shows only once on the done page), now that there is a number to call.
            messages.success(
                request,
                _(
                    "Thank you for telling us. Your enrolment is saved, and a coordinator will "
                    "call you at the number you gave."
                )
                if enrolment.risk_flagged
                else _("Your phone number has been saved. A coordinator will call you."),
            )
            return redirect("groups:manage", token=token)
    context = {**_manage_context(enrolment), "phone_form": form}
    return render(request, "groups/manage.html", context, status=400)


@never_cache
@require_http_methods(["POST"])
@manage_link
def manage_channel(request: HttpRequest, enrolment: Enrolment, token: str) -> HttpResponse:
    form = ChannelForm(request.POST, enrolment=enrolment)
    if form.is_valid():
        try:
            services.enrolment_channel_update(
                enrolment_id=enrolment.pk, message_channel=form.cleaned_data["message_channel"]
            )
        except EnrolmentError as error:
            form.add_error("message_channel", error.message)
        else:
            messages.success(request, _("Your choice has been saved."))
            return redirect("groups:manage", token=token)
    context = {**_manage_context(enrolment), "channel_form": form}
    return render(request, "groups/manage.html", context, status=400)


@never_cache
@require_http_methods(["POST"])
@manage_link
def manage_stay(request: HttpRequest, enrolment: Enrolment, token: str) -> HttpResponse:
    stay = Stay.objects.filter(enrolment=enrolment).first()
    if stay is None:
        raise Http404
    form = StayForm(request.POST, instance=stay, prefix="stay")
    if form.is_valid():
        try:
            residential.stay_update(enrolment_id=enrolment.pk, **form.stay_values())
        except EnrolmentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your travel and stay details have been saved."))
            return redirect("groups:manage", token=token)
    context = {**_manage_context(enrolment), "stay_form": form}
    return render(request, "groups/manage.html", context, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
@manage_link
def manage_cancel(request: HttpRequest, enrolment: Enrolment, token: str) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            services.enrolment_cancel(enrolment_id=enrolment.pk)
        except EnrolmentError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your enrolment has been cancelled."))
            return redirect("groups:manage", token=token)
    return render(
        request,
        "groups/manage_cancel.html",
        {"enrolment": enrolment, "group": enrolment.group, "error": error},
        status=400 if error else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@manage_link
def manage_offer(request: HttpRequest, enrolment: Enrolment, token: str) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "accept":
                services.offer_accept(enrolment_id=enrolment.pk)
                messages.success(request, _("Welcome! Your place is confirmed."))
            elif request.POST.get("answer") == "decline":
                services.offer_decline(enrolment_id=enrolment.pk)
                messages.success(request, _("Thank you for letting us know."))
            else:
                raise EnrolmentError(_("Choose whether you accept the place."))
        except EnrolmentError as exc:
            error = exc.message
        else:
            return redirect("groups:manage", token=token)
    return render(
        request,
        "groups/manage_offer.html",
        {
            "enrolment": enrolment,
            "group": enrolment.group,
            "error": error,
            "is_offered": enrolment.status == Enrolment.Status.OFFERED,
        },
        status=400 if error else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@manage_link
def manage_apology(
    request: HttpRequest, enrolment: Enrolment, token: str, meeting_id: int
) -> HttpResponse:
    """The meeting's page from the reminder: "I can't come this time". A GET only shows the
    page with its one button (mail scanners open links); the POST sends the apologies, or takes
    them back ("I can come after all"). Until the meeting starts; then the page says so (410).
    The text reminder leads here only, so the page also shows the meeting's video link while
    the manage page would (then it answers 200 after the start too)."""
    if enrolment.status != Enrolment.Status.CONFIRMED:
        raise Http404
    meeting = get_object_or_404(
        enrolment.group.meetings.exclude(status=Meeting.Status.CANCELLED), pk=meeting_id
    )
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "cannot_come":
                apology_send(enrolment_id=enrolment.pk, meeting_id=meeting.pk)
                messages.success(
                    request, _("Thank you for letting us know. The facilitators have been told.")
                )
            elif request.POST.get("answer") == "can_come":
                apology_withdraw(enrolment_id=enrolment.pk, meeting_id=meeting.pk)
                messages.success(request, _("Good to hear you can come after all. Welcome!"))
            else:
                raise AttendanceError(_("Choose whether you can come."))
        except AttendanceError as exc:
            error = exc.message
        else:
            return redirect("groups:apology", token=token, meeting_id=meeting.pk)
    now = timezone.now()
    has_started = meeting.starts_at <= now
    video = video_link_shown(enrolment=enrolment, meetings=[meeting], now=now)
    if error and not has_started:
        status = 400
    elif has_started and video is None:
        status = 410
    else:
        status = 200
    return render(
        request,
        "groups/manage_apology.html",
        {
            "enrolment": enrolment,
            "group": enrolment.group,
            "meeting": meeting,
            "apology": apology_for(enrolment=enrolment, meeting=meeting),
            "has_started": has_started,
            "video_link": video[1] if video else "",
            "error": error,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
@manage_link
def manage_calendar(request: HttpRequest, enrolment: Enrolment, token: str) -> HttpResponse:
    if enrolment.status not in (
        Enrolment.Status.CONFIRMED,
        Enrolment.Status.OFFERED,
        Enrolment.Status.CANCELLED,
    ):
        raise Http404
    response = HttpResponse(enrolment_calendar(enrolment=enrolment), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="vertaistuki.ics"'
    return response


# --- Calendar feeds of a group and of a course (public, cacheable) ---


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@cache_control(public=True, max_age=900)
def group_calendar(request, group_id: int):
    group = public_group(group_id=group_id)
    if group is None:
        raise Http404
    meetings = calendar_meetings(groups=[group])
    return _calendar_response(
        meetings_calendar(meetings=meetings, name=group.course.localized.title),
        f"group-{group.pk}.ics",
    )


@require_GET
@cache_control(public=True, max_age=900)
def course_calendar(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.filter(public_course_q(prefix="")), pk=course_id)
    groups = course_public_groups(translation_key=course.translation_key)
    meetings = calendar_meetings(groups=groups)
    return _calendar_response(
        meetings_calendar(meetings=meetings, name=course.title), f"course-{course.pk}.ics"
    )


# --- The anonymous end-of-group survey ---


@never_cache
def answer(request, token: str):
    group = feedback_token_group(token=token)
    if group is None:
        return render(request, "groups/feedback/used.html", status=404)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_submit(token=token, **form.cleaned_data)
        except FeedbackError:
            return render(request, "groups/feedback/used.html", status=404)
        return render(request, "groups/feedback/thanks.html")
    return render(request, "groups/feedback/form.html", {"form": form, "group": group})


# --- A training's certificate ---


@never_cache
@require_GET
def certificate(request, token: str):
    """Reached with the enrolment's certificate key (never the manage link's): the address a
    trainee gives an employer opens this page only, until the validity it states."""
    enrolment = enrolment_for_certificate_token(token)
    if enrolment is None:
        raise Http404
    valid_until = certificate_valid_until(enrolment)
    if timezone.localdate() > valid_until:
        return _expired_page(request)
    context = enrolment_certificate(enrolment=enrolment)
    if context is None:
        raise Http404
    return render(request, "groups/certificate.html", {**context, "valid_until": valid_until})
