"""Django's own form messages that Django's Bangla catalogue leaves untranslated (an empty msgstr there).

Their Bangla is in the project's catalogue, which Django reads before its own. Nothing imports this module: it
names the msgids, exactly as Django writes them (django/core/validators.py, django/forms/fields.py,
django/db/models/base.py), so that `make messages` (makemessages --no-obsolete) finds them in the project's
source and keeps their Bangla. tests/test_bangla_pages.py's sweep of bad form input meets the length ones on
every form with a limit; core/tests/test_django_messages.py checks the msgids are still Django's.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext_lazy

SINGULAR_PLURAL = (
    ngettext_lazy("Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
                  "limit_value"),
    ngettext_lazy("Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                  "limit_value"),
    ngettext_lazy("Ensure that there are no more than %(max)s digit in total.",
                  "Ensure that there are no more than %(max)s digits in total.", "max"),
    ngettext_lazy("Ensure that there are no more than %(max)s decimal place.",
                  "Ensure that there are no more than %(max)s decimal places.", "max"),
    ngettext_lazy("Ensure that there are no more than %(max)s digit before the decimal point.",
                  "Ensure that there are no more than %(max)s digits before the decimal point.", "max"),
    ngettext_lazy("Ensure this filename has at most %(max)d character (it has %(length)d).",
                  "Ensure this filename has at most %(max)d characters (it has %(length)d).", "max"),
)
SINGLE = (
    gettext_lazy("Enter a valid integer."),
    gettext_lazy("Null characters are not allowed."),
    gettext_lazy("File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."),
    gettext_lazy("Enter a complete value."),
    gettext_lazy("%(model_name)s with this %(field_labels)s already exists."),
)
