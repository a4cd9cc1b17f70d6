// django-recurrence's widget looks for jQuery at django.jQuery; in the Wagtail admin that is
// Wagtail's own copy (see groups/admin/forms.py, ScheduleWidget).
window.django = window.django || {};
window.django.jQuery = window.django.jQuery || window.jQuery;
