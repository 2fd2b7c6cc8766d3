"""English dates that read the same to everyone: "3 Dec 2026", never 12/03/2026 (which a
Vietnamese reader takes for 12 March). Django's own English formats otherwise."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
