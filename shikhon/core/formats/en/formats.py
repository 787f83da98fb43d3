"""English (Bangladesh): dates typed day/month/year, as `core.forms.DateField` reads them."""

from shikhon.core.forms_dates import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
