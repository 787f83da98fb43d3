"""A content's body: the safe Markdown a teacher writes in the site, made into HTML a page may show.

Two locks, so that neither alone has to be perfect:

1. **markdown-it-py** (CommonMark, plus tables and strikethrough) with raw HTML switched off: `<script>` typed in
   the text stays text, and its link check already refuses `javascript:`, `vbscript:` and `data:` addresses.
   Headings move one level down (`#` becomes `<h2>`), so the content's page keeps its one `<h1>` (the title).
   A picture is kept only when it is one of the library's own files (a path under the library's pages); a picture
   from anywhere else would tell another site who reads what, and costs data on 2G, so only its words remain.
2. **nh3** with a small allow-list of tags and attributes: whatever the first step let through, nothing else
   survives — no event handler, no style, no class, no frame, no form. Every link gets `rel="nofollow noopener"`;
   addresses may be http, https, mailto or the site's own.

`render(body)` is used when a version is saved (its `body_html`); `clean_html(html)` again when a page shows
stored HTML, so a row written by another path (an import, the demo) is held to the same rules."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from shikhon.core.text import clean_user_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "img",
})
ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
# The library's own pages: a picture may come from here (its files and their previews), nowhere else.
LOCAL_PICTURE_PREFIX = "/library/"
_LOCAL_PATH = re.compile(r"/library/[A-Za-z0-9/_.\-]*")
HEADING_SHIFT = 1  # `#` → h2: the page's h1 is the content's title


def is_local_picture(src: str) -> bool:
    """Whether `src` is a path on this site under the library's pages (no host, no scheme, no `..`)."""
    return bool(_LOCAL_PATH.fullmatch(src)) and ".." not in src and "//" not in src


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_local_picture(value):
        return None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS), attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_attribute_filter, url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True,
        clean_content_tags={"script", "style"},
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
    )


def _heading(renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
             env: EnvType) -> str:
    token = tokens[idx]
    level = min(int(token.tag[1:]) + HEADING_SHIFT, 6)
    token.tag = f"h{level}"
    return renderer.renderToken(tokens, idx, options, env)


def _image(renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """A local picture as usual; any other as its words (its alt text), never fetched."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    if is_local_picture(src):
        return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}">'
    return escapeHtml(alt)


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.add_render_rule("heading_open", _heading)
    parser.add_render_rule("heading_close", _heading)
    parser.add_render_rule("image", _image)
    return parser


def clean_html(html: str) -> str:
    """HTML held to the library's allow-list (nh3): what a page may show of a content's body."""
    return _cleaner().clean(html) if html else ""


def render(body: str) -> str:
    """The safe HTML of a body written in Markdown (hidden control characters removed first, like the stored
    text: `core.text.clean_user_text`)."""
    text = clean_user_text(body or "", multiline=True)
    if not text:
        return ""
    return clean_html(_parser().render(text)).strip()
