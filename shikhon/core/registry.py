"""Registries of names that each app fills from its `AppConfig.ready`: notification kinds (notify), audit
actions (core.audit) and offline sync kinds (core.outbox). The app that keeps a registry knows none of the
names; the app that owns a name registers it with its label and behaviour, so adding one touches only
that app and ships no migration elsewhere (the column is a plain string, checked by `RegisteredName`).

Like Wagtail's log action registry: a name is registered once (a second registration is a programming
error, raised at start-up), and an unknown name raises `UnknownName` with the names that are known."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

NAME = re.compile(r"[a-z][a-z0-9_]{0,39}", flags=re.ASCII)  # the columns are 40 characters


class Named(Protocol):
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


class UnknownName(LookupError):
    """A name nobody registered (a typo, or an app that is not installed)."""


class Registry(Generic[T]):
    """Names → entries, filled at start-up. `what` names the kind of entry in error messages."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._entries: dict[str, T] = {}

    def add(self, entry: T) -> T:
        name = entry.name
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise ImproperlyConfigured(
                f"A {self.what} name is 1 to 40 lowercase letters, digits or underscores, starting with a "
                f"letter; {name!r} is not.")
        if name in self._entries:
            raise ImproperlyConfigured(
                f"The {self.what} {name!r} is registered twice. Each name belongs to one app and is "
                f"registered once, from that app's AppConfig.ready.")
        self._entries[name] = entry
        return entry

    def remove(self, name: str) -> None:
        """Forget a name (tests that register a throwaway one use `temporarily`)."""
        self._entries.pop(name, None)

    @contextmanager
    def temporarily(self, entry: T) -> Iterator[T]:
        """Register `entry` for the duration of a `with` block (tests)."""
        self.add(entry)
        try:
            yield entry
        finally:
            self.remove(entry.name)

    def get(self, name: str) -> T:
        try:
            return self._entries[name]
        except (KeyError, TypeError):
            known = ", ".join(sorted(self._entries)) or "none yet"
            raise UnknownName(f"Unknown {self.what} {name!r}. Known: {known}. An app registers its "
                              f"{self.what}s from its AppConfig.ready.") from None

    def find(self, name: object) -> T | None:
        """The entry, or None for a name nobody registered (e.g. an old row of a removed kind)."""
        return self._entries.get(name) if isinstance(name, str) else None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    def names(self) -> list[str]:
        return list(self._entries)


@deconstructible
class RegisteredName:
    """A field validator: the value is a name in the registry at `registry` (a dotted path, imported
    when a value is checked, so models need not import the registry's module and migrations keep only
    the path, never the list of names)."""

    message = _("This value is not one the application knows.")
    code = "unknown_name"

    def __init__(self, registry: str) -> None:
        self.registry = registry

    def __call__(self, value: Any) -> None:
        registry: Registry[Any] = import_string(self.registry)
        if value not in registry:
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RegisteredName) and other.registry == self.registry

    def __hash__(self) -> int:
        return hash(self.registry)
