"""The site's shell: the parts of the base layout that are the same on every page, rendered once per language.

Every page's head (stylesheet, icon, manifest, the offline script with its addresses and sentences), the
header, the destinations of the navigation and the footer are the same for every person of one *audience*
(visitor, teacher, head teacher, officer, …) in a language: only the CSRF tokens, the page's own address (the
language switch returns to it), the unread count and which destination is the current one differ. Rendering
them from `templates/partials/layout/` on every request reversed a dozen URLs and translated a dozen sentences
per page; they are rendered once per (language, URL prefix, URL configuration) and kept in this process
(`templates/base.html` takes them with `{% layout_parts as layout %}`). With DEBUG they are rendered on every
page, so template edits show at once.

The navigation: at most five destinations per audience (`NAV`), each with an icon (`icon`, drawn inline from
`templates/partials/layout/icons.svg`); on a phone they form the bottom bar, on a wide screen they sit in the
header row.
Which audience a signed-in person belongs to is answered by the function the `people` app registers
(`register_audience`): core knows no roles.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import get_template, render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

PARTS = ("head", "top", "nav_end", "menu_open", "menu_switch", "menu_end", "switch_open", "switch_end", "foot")

VISITOR = "visitor"
TEACHER = "teacher"
HEAD_TEACHER = "head_teacher"
OFFICER = "officer"
NATIONAL_ADMIN = "national_admin"
MENTOR = "mentor"
COURSE_AUTHOR = "course_author"


@dataclass(frozen=True)
class Destination:
    """One place of the navigation: a URL name, an icon (a symbol of static/img/icons.svg), a short label
    (msgctxt "navigation") and the path prefixes under which it is the current destination besides its own
    address. `fallback` stands in when the URL name does not resolve (its app is not there yet)."""

    name: str
    icon: str
    label: Promise  # short: five share a 360 px bar (msgctxt "navigation" where the usual words are too long)
    sections: tuple[str, ...] = ()
    fallback: Destination | None = None
    counts_unread: bool = False


HOME = Destination("insights:home", "home", pgettext_lazy("navigation", "Home"))
# Home carrying the unread count, for the audiences whose five places leave no room for Alerts (teachers, head
# teachers): the count shows on Home, whose page heads with the unread notifications and links to all of them;
# the notification pages count as Home.
HOME_ALERTS = Destination("insights:home", "home", pgettext_lazy("navigation", "Home"), ("/notifications/",),
                          counts_unread=True)
COURSES = Destination("courses:catalogue", "book", pgettext_lazy("navigation", "Courses"),
                      ("/modules/", "/activities/", "/quizzes/", "/attempts/", "/a/"))
LEARNING = Destination("learning:home", "learn", pgettext_lazy("navigation", "My learning"),
                       ("/certificates/", "/courses/", "/modules/", "/activities/", "/quizzes/", "/attempts/", "/a/"))
# Practice in class (issue 11): a teacher's plans and records; a head teacher's school page (her teachers' course
# progress and practice, whom to encourage). The course catalogue is one tap from "My learning".
PRACTICE = Destination("practice:history", "board", pgettext_lazy("navigation", "In class"), ("/practice/",))
MY_SCHOOL = Destination("practice:school", "school", pgettext_lazy("navigation", "My school"),
                        ("/practice/", "/progress/", "/approvals/", "/places/"))
# The teachers' library (issue 12): search, model contents, contents' pages.
LIBRARY = Destination("library:home", "library", pgettext_lazy("navigation", "Library"))
ALERTS = Destination("notify:list", "bell", pgettext_lazy("navigation", "Alerts"), counts_unread=True)
PROFILE = Destination("people:profile", "user", gettext_lazy("Profile"), ("/roles/",))
SCHOOLS = Destination("places:browse", "school", gettext_lazy("Schools"), ("/clusters/",))
PROGRESS = Destination("insights:progress", "chart", pgettext_lazy("navigation", "Progress"),
                       ("/places/", "/approvals/", "/invite/"), fallback=SCHOOLS)
TRAINING = Destination("training:home", "calendar", pgettext_lazy("navigation", "Training"))
AUTHORING = Destination("author:courses", "pen", pgettext_lazy("navigation", "Write"))
VERIFY = Destination("certificates:verify_form", "check", pgettext_lazy("navigation", "Verify"))
SIGN_IN = Destination("people:sign_in", "sign-in", gettext_lazy("Sign in"))
REGISTER = Destination("people:register", "join", gettext_lazy("Register"), ("/join/",))

# At most five destinations each: the bottom bar of a 360 px phone holds five 72 px buttons.
NAV: dict[str, tuple[Destination, ...]] = {
    # Registering is one tap from the sign-in page (and the home page), so the library takes its place.
    VISITOR: (HOME, COURSES, LIBRARY, VERIFY, SIGN_IN),
    TEACHER: (HOME_ALERTS, LEARNING, LIBRARY, PRACTICE, PROFILE),
    HEAD_TEACHER: (HOME_ALERTS, MY_SCHOOL, LEARNING, LIBRARY, PROFILE),
    OFFICER: (HOME, PROGRESS, TRAINING, ALERTS, PROFILE),
    NATIONAL_ADMIN: (HOME, PROGRESS, TRAINING, ALERTS, PROFILE),
    MENTOR: (HOME, PROGRESS, LIBRARY, ALERTS, PROFILE),  # mentors review the library's contents
    COURSE_AUTHOR: (HOME, AUTHORING, COURSES, ALERTS, PROFILE),
}

ICONS = "partials/layout/icons.svg"
_SYMBOL = re.compile(r'<symbol id="([\w-]+)" viewBox="([^"]+)">(.*?)</symbol>', re.DOTALL)


@functools.cache
def icon_drawings() -> dict[str, tuple[str, str]]:
    """Each icon of templates/partials/layout/icons.svg: name → (viewBox, drawing)."""
    source = get_template(ICONS).template.source  # type: ignore[attr-defined]
    return {name: (box, drawing) for name, box, drawing in _SYMBOL.findall(source)}


def icon(name: str, label: str = "") -> SafeString:
    """An icon drawn inline (`<svg class="i">`): hidden from screen readers beside its visible label, or named
    by `label` when it stands alone. Inline, not `<use href="sprite.svg#…">`: an external sprite is a second
    SVG document whose layout costs the main thread more than the few hundred bytes its drawings weigh."""
    box, drawing = icon_drawings()[name]
    if label:
        return format_html('<svg class="i" viewBox="{}" role="img" aria-label="{}">{}</svg>', box, label,
                           SafeString(drawing))
    return format_html('<svg class="i" viewBox="{}" aria-hidden="true">{}</svg>', box, SafeString(drawing))

# --------------------------------------------------------------------------------------------- audiences

_audience_of: Callable[[Any], str] | None = None


def register_audience(function: Callable[[Any], str]) -> None:
    """The app that knows roles (people) tells the layout which audience a signed-in person belongs to:
    one of the keys of `NAV` (anything else reads as a teacher)."""
    global _audience_of
    _audience_of = function


def audience_of(user: Any) -> str:
    """`VISITOR` for someone not signed in, else the registered answer (a teacher's when none is registered)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return VISITOR
    answer = _audience_of(user) if _audience_of is not None else TEACHER
    return answer if answer in NAV else TEACHER


def may_see_style_guide(user: Any) -> bool:
    """The /style/ page is for the people who build pages: staff and national admins."""
    return bool(getattr(user, "is_staff", False)) or audience_of(user) == NATIONAL_ADMIN


# ------------------------------------------------------------------------------------------------ parts


@dataclass(frozen=True)
class NavItem:
    """A destination rendered: `open` is `<li><a …>icon label` (the unread count may follow), `close` ends it."""

    path: str
    sections: tuple[str, ...]
    open: SafeString
    open_current: SafeString
    counts_unread: bool


_rendered: dict[tuple[str, str, str], dict[str, Any]] = {}


def _resolve(destination: Destination) -> tuple[Destination, str] | None:
    while True:
        try:
            return destination, reverse(destination.name)
        except NoReverseMatch:
            if destination.fallback is None:
                return None
            destination = destination.fallback


def _items(destinations: tuple[Destination, ...]) -> list[NavItem]:
    items = []
    for wanted in destinations:
        found = _resolve(wanted)
        if found is None:
            continue
        destination, path = found
        context = {"url": path, "icon": destination.icon, "label": str(destination.label)}
        items.append(NavItem(
            path=path, sections=destination.sections, counts_unread=destination.counts_unread,
            open=SafeString(render_to_string("partials/layout/item.html", context)),
            open_current=SafeString(render_to_string("partials/layout/item.html", {**context, "current": True})),
        ))
    return items


def _render(language: str) -> dict[str, Any]:
    with translation.override(language):
        context = {
            # offline.js's summary after a sync of several answers (one answer shows its own sentence); every
            # count it fills in is 2 or more, which is one plural form in Bangla and in English.
            "sent_several": ngettext("%(count)s answer saved on this phone was sent.",
                                     "%(count)s answers saved on this phone were sent.", 2),
        }
        parts: dict[str, Any] = {
            name: SafeString(render_to_string(f"partials/layout/{name}.html", context)) for name in PARTS
        }
        parts["site"] = translation.gettext("Shikhon")
        parts["unread"] = translation.gettext("unread")
        parts["description"] = translation.gettext(
            "Shikhon: free courses, certificates and face-to-face training for the teachers of Bangladesh, "
            "made for phones and slow internet.")
        parts["navs"] = {audience: _items(destinations) for audience, destinations in NAV.items()}
    parts["lang"] = language
    return parts


def layout_parts(language: str | None = None) -> dict[str, Any]:
    """The constant parts (SafeStrings) of the layout in `language` (default: the active one), with
    `lang` (the language code), `site` (the site's name, to be escaped like any text), `description` (the
    default meta description) and `navs` (the rendered destinations of each audience)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    key = (language, get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    parts = None if settings.DEBUG else _rendered.get(key)
    if parts is None:
        parts = _render(language)
        _rendered[key] = parts
    return parts


def current_item(items: list[NavItem], path: str) -> NavItem | None:
    """The destination a page belongs to: its own address, else the longest address or section the path
    starts with (the home page "/" only by itself)."""
    best: NavItem | None = None
    best_length = 0
    for item in items:
        if path == item.path:
            return item
        for prefix in (item.path, *item.sections):
            if prefix != "/" and path.startswith(prefix) and len(prefix) > best_length:
                best, best_length = item, len(prefix)
    return best


def _same(item: NavItem, current: NavItem | None) -> bool:
    return item is current


def page_layout(*, user: Any, path: str, language: str | None = None) -> dict[str, Any]:
    """What base.html needs for one page: the constant parts, her audience's destinations (`nav`: dicts
    with `html`, the rendered start of the item, and `counts_unread`) with the current one marked, and
    `signed_in`."""
    parts = layout_parts(language)
    audience = audience_of(user)
    items = parts["navs"][audience]
    current = current_item(items, path)
    nav = [{"html": item.open_current if _same(item, current) else item.open, "counts_unread": item.counts_unread}
           for item in items]
    return {**parts, "nav": nav, "audience": audience, "signed_in": audience != VISITOR}


def forget_layout_parts() -> None:
    """Render the parts again on their next use (tests that switch catalogues or URL configurations)."""
    _rendered.clear()
    icon_drawings.cache_clear()


_AFFECTING = frozenset({"LOCALE_PATHS", "LANGUAGES", "LANGUAGE_CODE", "ROOT_URLCONF", "STATIC_URL", "STORAGES",
                        "TEMPLATES", "INSTALLED_APPS", "FORCE_SCRIPT_NAME"})


def _on_setting_changed(*, setting: str, **kwargs: object) -> None:
    """A test overrode a setting the parts depend on (the catalogue, the URLs, static files)."""
    if setting in _AFFECTING:
        forget_layout_parts()


setting_changed.connect(_on_setting_changed, dispatch_uid="shikhon-core-layout-parts")
