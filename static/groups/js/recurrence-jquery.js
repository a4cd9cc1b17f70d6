// django-recurrence's widget looks for jQuery at `django.jQuery` and would load Django admin's
// own copy to put it there; a second jQuery replaced Wagtail's mid-page and broke Wagtail's date
// pickers ("initDateChooser is not defined"). The widget gets Wagtail's jQuery instead.
window.django = window.django || {};
window.django.jQuery = window.django.jQuery || window.jQuery;
