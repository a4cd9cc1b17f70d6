"""Small Wagtail admin views that the group screens use (registered in wagtail_hooks.py)."""

import datetime as dt
import re
import uuid

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from courses.experts.models import County, Training, Variant
from courses.models import CourseFormat, CoursePage
from groups.admin_forms import SchedulePreviewForm
from groups.exceptions import FeedbackError, GroupsError, MergeError, ScheduleError
from groups.models import Group
from groups.resources import GroupResource
from groups.scope import groups_for_user
from groups.selectors.catalogue import groups_same_course_open
from groups.selectors.facilitators import facilitator_load
from groups.selectors.merge import groups_merge_targets
from groups.services.experts import (
    training_participants_certify,
    training_participants_preview,
)
from groups.services.feedback import feedback_links_send
from groups.services.go_no_go import group_enrolment_extend
from groups.services.merge import group_merge, group_merge_check, group_merge_preview
from groups.services.schedule import HELSINKI, group_cancel, schedule_preview


@require_POST
@permission_required(["groups.add_group", "groups.change_group"])
def schedule_preview_view(request):
    """The meeting dates the group form's schedule gives, as an HTML fragment; saves nothing."""
    form = SchedulePreviewForm(request.POST)
    meetings, error = [], ""
    if form.is_valid():
        data = form.cleaned_data
        course = CoursePage.objects.filter(pk=data["course"]).first() if data["course"] else None
        try:
            meetings = schedule_preview(
                schedule=data["schedule"],
                schedule_from=data["schedule_from"],
                start_time=data["start_time"],
                duration_minutes=data["duration_minutes"] or 90,
                course_format=course.format if course else CourseFormat.WEEKLY,
            )
        except ScheduleError as schedule_error:
            error = schedule_error.message
    else:
        error = " ".join(str(message) for errors in form.errors.values() for message in errors)
    return render(
        request,
        "groups/admin/schedule_preview_result.html",
        {"meetings": meetings, "error": error},
    )


@permission_required("groups.change_group")
def facilitator_load_view(request):
    """Each facilitator's groups and meetings per month for the coming six months."""
    today = timezone.localdate()
    first = today.replace(day=1)
    months = [(first + dt.timedelta(days=32 * step)).replace(day=1) for step in range(6)]
    until = (months[-1] + dt.timedelta(days=32)).replace(day=1)
    load = facilitator_load(
        since=dt.datetime.combine(first, dt.time.min, tzinfo=HELSINKI),
        until=dt.datetime.combine(until, dt.time.min, tzinfo=HELSINKI),
    )
    rows = [
        {
            "name": row["user"].get_full_name() or row["user"].get_username(),
            "centre": getattr(
                getattr(row["user"], "facilitator_profile", None), "home_centre", None
            ),
            "groups": row["groups"],
            "counts": [row["months"].get(month, 0) for month in months],
        }
        for row in load
    ]
    return TemplateResponse(
        request,
        "groups/admin/facilitator_load.html",
        {
            "rows": rows,
            "months": months,
            "page_title": _("Facilitator load"),
            "header_title": _("Facilitator load"),
            "header_icon": "group",
        },
    )


class GroupImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "Columns: course (slug), name, centre, mode, language, capacity, min_size, "
            "facilitator_1, facilitator_2 (usernames), schedule, schedule_from, "
            "start_time, duration_minutes, status."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (over %(size)s MB). Split it into smaller files.")
                % {"size": IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        extension = upload.name.rsplit(".", 1)[-1].lower()
        if extension not in ("csv", "xlsx"):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 5000
_STORED_NAME = re.compile(r"^vt-group-import-[0-9a-f]{32}\.(csv|xlsx)$")


def _dataset(content: bytes, extension: str) -> tablib.Dataset:
    if extension == "csv":
        # No person types a NUL, and PostgreSQL cannot store one.
        text = content.decode("utf-8-sig").replace("\x00", "")
        return tablib.Dataset().load(text, format="csv")
    return tablib.Dataset().load(content, format="xlsx")


def _stored_upload(name: str):
    """Where an upload waits between dry run and confirm: django-import-export's temporary
    storage named by IMPORT_EXPORT_TMP_STORAGE_CLASS (shared by every web host)."""
    return import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)(name=name, read_mode="rb")


def _stored_read(name: str) -> bytes | None:
    try:
        return _stored_upload(name).read()
    except FileNotFoundError:
        return None


@permission_required("groups.add_group")
def group_import_view(request):
    """Upload -> dry run showing every bad row -> confirm. Nothing is saved before confirming."""
    context = {
        "page_title": _("Import groups"),
        "header_title": _("Import groups"),
        "header_icon": "upload",
    }
    form = GroupImportForm()
    if request.method == "POST" and "confirm" in request.POST:
        name = request.POST.get("stored", "")
        content = _stored_read(name) if _STORED_NAME.match(name) else None
        if content is None:
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect("groups_group_import")
        try:
            result = GroupResource().import_data(
                _dataset(content, name.rsplit(".", 1)[-1]),
                dry_run=False,
                rollback_on_validation_errors=True,
                user=request.user,
            )
        finally:
            _stored_upload(name).remove()  # one confirm per upload, whatever the outcome
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, _("The file could not be imported; nothing was saved."))
            return redirect("groups_group_import")
        messages.success(
            request,
            _("%(count)d groups imported.")
            % {"count": result.totals.get("new", 0) + result.totals.get("update", 0)},
        )
        return redirect("groups_group:index")
    if request.method == "POST":
        form = GroupImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            extension = upload.name.rsplit(".", 1)[-1].lower()
            content = upload.read()
            try:
                dataset = _dataset(content, extension)
            except Exception:
                form.add_error("file", _("The file could not be read."))
            else:
                if len(dataset) > IMPORT_MAX_ROWS:
                    form.add_error(
                        "file",
                        _(
                            "The file has too many rows (over %(rows)d). Split it into smaller "
                            "files."
                        )
                        % {"rows": IMPORT_MAX_ROWS},
                    )
                else:
                    context.update(_dry_run(dataset, request.user))
                    if context["valid"]:
                        name = f"vt-group-import-{uuid.uuid4().hex}.{extension}"
                        _stored_upload(name).save(content)
                        context["stored"] = name
    context["form"] = form
    return TemplateResponse(request, "groups/admin/group_import.html", context)


def _dry_run(dataset, user) -> dict:
    result = GroupResource().import_data(
        dataset, dry_run=True, rollback_on_validation_errors=True, user=user
    )
    problems = []
    for row in result.invalid_rows:
        for field, messages_ in row.field_specific_errors.items():
            problems.append({"row": row.number, "field": field, "reason": " ".join(messages_)})
        for message in row.non_field_specific_errors:
            problems.append({"row": row.number, "field": "", "reason": message})
    for number, row in result.row_errors():
        for error in row:
            problems.append({"row": number, "field": "", "reason": str(error.error)})
    rows = [
        {"number": number, "action": row.import_type, "text": row.object_repr}
        for number, row in enumerate(result.rows, start=1)
        if row.import_type in ("new", "update")
    ]
    return {"problems": problems, "rows": rows, "valid": not problems and bool(rows)}


class GroupExtendForm(forms.Form):
    go_no_go_date = forms.DateField(label=_("New go/no-go date"), widget=AdminDateInput)
    enrolment_closes = forms.DateTimeField(
        label=_("Enrolment closes"), required=False, widget=AdminDateTimeInput
    )


@permission_required("groups.change_group")
def group_extend_view(request, pk: int):
    group = get_object_or_404(groups_for_user(user=request.user), pk=pk)
    form = GroupExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group_enrolment_extend(
                group=group,
                go_no_go_date=form.cleaned_data["go_no_go_date"],
                enrolment_closes=form.cleaned_data["enrolment_closes"],
                user=request.user,
            )
        except ScheduleError as error:
            form.add_error("go_no_go_date", error.message)
        else:
            messages.success(request, _("Enrolment extended."))
            return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "groups/admin/group_decision.html",
        {
            "form": form,
            "page_title": _("Extend enrolment"),
            "header_title": _("Extend enrolment: %(group)s") % {"group": group},
            "explanation": _("The group will be checked again at the new go/no-go date."),
            "submit_label": _("Extend enrolment"),
        },
    )


@permission_required("groups.change_group")
def group_cancel_view(request, pk: int):
    group = get_object_or_404(groups_for_user(user=request.user), pk=pk)
    if request.method == "POST":
        try:
            group_cancel(group=group, user=request.user)
        except ScheduleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The group is cancelled; everyone enrolled is told."))
        return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "groups/admin/group_decision.html",
        {
            "form": forms.Form(),
            "page_title": _("Cancel the group"),
            "header_title": _("Cancel the group: %(group)s") % {"group": group},
            "explanation": _(
                "Everyone enrolled is told by e-mail, and the coming meetings are cancelled."
            ),
            "alternatives": groups_same_course_open(group=group),
            "submit_label": _("Cancel the group"),
            "danger": True,
        },
    )


@permission_required("groups.change_group")
def group_feedback_send_view(request, pk: int):
    """Confirm, then mail the group's anonymous feedback links now (the daily task would)."""
    group = get_object_or_404(
        groups_for_user(user=request.user, queryset=Group.objects.select_related("course")), pk=pk
    )
    if request.method == "POST":
        try:
            sending = feedback_links_send(group_id=group.pk, user=request.user)
        except FeedbackError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Feedback links sent: %(sent)d. Failed: %(failed)d. Without an e-mail "
                    "address: %(without_email)d."
                )
                % {
                    "sent": sending.sent,
                    "failed": sending.failed,
                    "without_email": sending.without_email,
                },
            )
        return redirect("groups_group:index")
    return TemplateResponse(
        request,
        "groups/admin/group_decision.html",
        {
            "form": forms.Form(),
            "page_title": _("Send feedback links"),
            "header_title": _("Send feedback links: %(group)s") % {"group": group},
            "explanation": _(
                "Each participant with an e-mail address gets one anonymous link to the "
                "end-of-group survey, once. Nobody, not even the system, can see whose answer "
                "is whose. The links are also sent automatically the day after the last meeting."
            ),
            "submit_label": _("Send feedback links"),
        },
    )


class MergeTargetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Every choice is of the same course: name the group, not the course again.
        label = obj.name or (
            date_format(obj.starts_on, "SHORT_DATE_FORMAT") if obj.starts_on else str(obj)
        )
        details = [str(obj.centre or obj.venue or ""), obj.get_language_display()]
        details.append(_("%(count)d places left") % {"count": obj.places_left})
        return f"{label} ({', '.join(detail for detail in details if detail)})"


class GroupMergeForm(forms.Form):
    target = MergeTargetChoiceField(
        queryset=Group.objects.none(),
        label=_("Merge into"),
        help_text=_("Groups of the same course that have not started."),
    )
    allow_other_language = forms.BooleanField(
        required=False,
        label=_("The participants can take part in the chosen group's language"),
    )

    def __init__(self, *args, group: Group, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A coordinator tied to centres merges only into their own centres' groups.
        self.fields["target"].queryset = groups_for_user(
            user=user, queryset=groups_merge_targets(group=group)
        )


@permission_required("groups.change_group")
def group_merge_view(request, pk: int):
    """Pick a group to merge into (GET), see what would happen (GET with a target), confirm
    (POST). The preview shows numbers only, no names."""
    group = get_object_or_404(
        groups_for_user(user=request.user, queryset=Group.objects.select_related("course")), pk=pk
    )
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = GroupMergeForm(data, group=group, user=request.user)
    plan, refusal = None, ""
    if data is not None and form.is_valid():
        target = form.cleaned_data["target"]
        allow_other_language = form.cleaned_data["allow_other_language"]
        if request.method == "POST":
            try:
                group_merge(
                    source=group,
                    target=target,
                    user=request.user,
                    allow_other_language=allow_other_language,
                )
            except MergeError as error:
                messages.error(request, error.message)
                return redirect(f"{request.path}?target={target.pk}")
            messages.success(
                request,
                _("%(source)s is merged into %(target)s; everyone moved is told by e-mail.")
                % {"source": group, "target": target},
            )
            return redirect("wagtailadmin_home")
        try:
            group_merge_check(source=group, target=target, allow_other_language=True)
        except MergeError as error:
            refusal = error.message
        else:
            plan = group_merge_preview(source=group, target=target)
    title = _("Merge with another group")
    return TemplateResponse(
        request,
        "groups/admin/group_merge.html",
        {
            "form": form,
            "group": group,
            "target": form.cleaned_data["target"] if plan else None,
            "plan": plan,
            "refusal": refusal,
            "page_title": title,
            "header_title": _("%(title)s: %(group)s") % {"title": title, "group": group},
            "header_icon": "group",
        },
    )


class TrainingCertifyForm(forms.Form):
    county = forms.ChoiceField(
        choices=[("", "---------"), *County.choices],
        label=_("Wellbeing services county of new experts"),
        help_text=_("Enrolments do not tell the county; correct it afterwards where needed."),
    )
    variant = forms.ChoiceField(
        choices=Variant.choices,
        initial=Variant.ASSIP,
        label=_("Form of therapy of new experts"),
    )


@permission_required("courses.change_expert")
def training_certify_view(request, pk: int):
    """GET lists who would be certified and how; POST certifies them (safe to repeat)."""
    training = get_object_or_404(Training.objects.select_related("group"), pk=pk)
    form = TrainingCertifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = training_participants_certify(
                training_id=training.pk,
                county=form.cleaned_data["county"],
                variant=form.cleaned_data["variant"],
                user=request.user,
            )
        except GroupsError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Certified: %(created)d new experts, %(updated)d existing experts. "
                    "%(unchanged)d were already certified, %(skipped)d skipped without an "
                    "e-mail address."
                )
                % {
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                    "skipped": counts.skipped_without_email,
                },
            )
            return redirect("wagtailsnippets_courses_certification:list")
    rows = training_participants_preview(training=training)
    title = _("Certify the group's participants")
    return TemplateResponse(
        request,
        "groups/admin/training_certify.html",
        {
            "form": form,
            "training": training,
            "rows": rows,
            "can_certify": any(row["outcome"] != "no_email" for row in rows),
            "page_title": title,
            "header_title": _("%(title)s: %(training)s") % {"title": title, "training": training},
            "header_icon": "tick-inverse",
        },
    )
