"""Date formats of the project's languages (settings.FORMAT_MODULE_PATH). Only what differs from Django's own
locale files: a date is typed day/month/year in Bangladesh in both languages (Django's English would read
03/12/2026 as the 12th of March)."""
