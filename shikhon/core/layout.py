"""The parts of the base layout that are the same on every page, rendered once per language per process.

Every page's head (stylesheet, icon, manifest, the offline script with its addresses and sentences), the
header's links and the footer are the same for every person in a language: only the CSRF tokens, the page's
own address (the language switch returns to it), the unread count and whether she is signed in differ.
Rendering them from `templates/partials/layout/` on every request reversed a dozen URLs and translated a
dozen sentences per page; they are rendered once per (language, URL prefix, URL configuration) and kept
in this process (`templates/base.html` takes them with `{% layout_parts as layout %}`). With DEBUG they are
rendered on every page, so template edits show at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import SafeString

PARTS = ("head", "top", "nav_in", "nav_in_end", "sign_out", "nav_out", "switch_open", "switch", "foot")

_rendered: dict[tuple[str, str, str], dict[str, str]] = {}


def layout_parts(language: str | None = None) -> dict[str, str]:
    """The constant parts (SafeStrings) of the layout in `language` (default: the active one), with
    `lang` (the language code) and `site` (the site's name, to be escaped like any text)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    key = (language, get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    parts = None if settings.DEBUG else _rendered.get(key)
    if parts is None:
        with translation.override(language):
            parts = {name: SafeString(render_to_string(f"partials/layout/{name}.html")) for name in PARTS}
            parts["site"] = translation.gettext("Shikhon")
            parts["unread"] = translation.gettext("unread")
        parts["lang"] = language
        _rendered[key] = parts
    return parts


def forget_layout_parts() -> None:
    """Render the parts again on their next use (tests that switch catalogues or URL configurations)."""
    _rendered.clear()


_AFFECTING = frozenset({"LOCALE_PATHS", "LANGUAGES", "LANGUAGE_CODE", "ROOT_URLCONF", "STATIC_URL", "STORAGES",
                        "TEMPLATES", "INSTALLED_APPS", "FORCE_SCRIPT_NAME"})


def _on_setting_changed(*, setting: str, **kwargs: object) -> None:
    """A test overrode a setting the parts depend on (the catalogue, the URLs, static files)."""
    if setting in _AFFECTING:
        forget_layout_parts()


setting_changed.connect(_on_setting_changed, dispatch_uid="shikhon-core-layout-parts")
