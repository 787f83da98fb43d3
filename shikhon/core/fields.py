"""Model and form fields for text that people type (decision 0008).

`UserCharField` (one line) and `UserTextField` (many lines) are CharField/TextField whose `to_python` runs
`core.text.clean_user_text`. Every write goes through a service that calls `full_clean()` before `save()`,
and `Model.clean_fields` stores what `to_python` returns, so a bidi override or a NUL typed anywhere — a
form, the API, an offline sync, a command — is gone before the row is written. Their form fields clean the
same way, so a form shows the cleaned text back. Paths that skip `full_clean` (bulk imports) call
`clean_user_text` themselves; `core/tests/test_fields.py` walks every model so no person-typed field is a
plain CharField/TextField.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from shikhon.core.text import clean_user_text


class UserTextFormField(forms.CharField):
    """A form's CharField that cleans what was typed: hidden control characters out, trimmed."""

    multiline = False

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if isinstance(value, str):
            value = clean_user_text(value, multiline=self.multiline)
            if not value:
                return self.empty_value
        return value


class UserMultilineTextFormField(UserTextFormField):
    multiline = True


class UserCharField(models.CharField):  # type: ignore[type-arg]
    """One line a person typed (a name, a title, a venue): cleaned by `clean_user_text`."""

    description = "One line of text a person typed, without hidden control characters"

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return clean_user_text(value) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", UserTextFormField)
        return super().formfield(**kwargs)


class UserTextField(models.TextField):  # type: ignore[type-arg]
    """Text of many lines a person typed (a summary, steps, a question): newlines and tabs stay."""

    description = "Text a person typed, without hidden control characters"

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return clean_user_text(value, multiline=True) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", UserMultilineTextFormField)
        return super().formfield(**kwargs)


# What a database can be asked to find (PostgreSQL stores no NUL and no lone surrogate, so neither is in it).
_STORED_HIDDEN = ("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
                  "\ufeff\u206a-\u206f\ufff9-\ufffb\U000e0000-\U000e007f]")


def clean_stored_rows(app_label: str, fields: dict[str, list[str]]) -> Any:
    """For a data migration (`migrations.RunPython(clean_stored_rows("people", {"user": ["name_bn"]}), noop)`):
    rows written before the cleaning fields, holding a hidden character in one of `fields`, are cleaned once.
    Only such rows are read (one regex filter per model), and written back in batches."""

    def run(apps: Any, schema_editor: Any) -> None:
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            hidden = models.Q()
            for name in names:
                hidden |= models.Q(**{f"{name}__regex": _STORED_HIDDEN})
            multiline = {name: isinstance(model._meta.get_field(name), models.TextField) for name in names}
            batch: list[Any] = []
            for row in model._default_manager.filter(hidden).only("pk", *names).iterator(chunk_size=1000):
                for name in names:
                    value = getattr(row, name)
                    if isinstance(value, str):
                        setattr(row, name, clean_user_text(value, multiline=multiline[name]))
                batch.append(row)
                if len(batch) >= 1000:
                    model._default_manager.bulk_update(batch, names)
                    batch = []
            if batch:
                model._default_manager.bulk_update(batch, names)

    return run
