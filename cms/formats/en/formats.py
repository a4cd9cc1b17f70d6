# British English, day before month: "Tue 14 Jan, 5:30 pm" ("a" is am/pm without dots in
# cms.formats.MeetingDateFormat) and 14 Jan 2026 rather than Django's American 01/14/2026.
# Django's own en module gives the rest (1,234.5).
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, G:i"

MEETING_DATE_FORMAT = "D j M"
MEETING_TIME_FORMAT = "g:i a"
MEETING_DATETIME_FORMAT = "D j M, g:i a"
