# Finnish as Kielitoimisto recommends: "ti 14.1. klo 17.30". Django's own fi module gives the
# rest (14.1.2026, 17.30, 1 234,5).
MEETING_DATE_FORMAT = "D j.n."
MEETING_TIME_FORMAT = "G.i"
MEETING_DATETIME_FORMAT = r"D j.n. \k\l\o G.i"
