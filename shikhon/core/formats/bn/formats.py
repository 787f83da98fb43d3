"""Bangla: dates typed day/month/year (what `core.forms.DateField` accepts; stock DateFields follow this too)."""

from shikhon.core.forms_dates import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
