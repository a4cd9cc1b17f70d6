# Finland-Swedish usage (Institutet för de inhemska språken): "tis 14.1 kl. 17.30", dates
# 14.1.2026 rather than Sweden's 2026-01-14. Django's own sv module gives the rest (1 234,5).
SHORT_DATE_FORMAT = "j.n.Y"
TIME_FORMAT = "G.i"
SHORT_DATETIME_FORMAT = "j.n.Y G.i"

MEETING_DATE_FORMAT = "D j.n"
MEETING_TIME_FORMAT = "G.i"
MEETING_DATETIME_FORMAT = r"D j.n \k\l. G.i"
