"""A content's body: Markdown made safe (library.markdown). No script, no event handler, no javascript: link, no
picture from another site; links marked nofollow; headings below the page's one h1."""

from __future__ import annotations

import pytest

from shikhon.library.markdown import clean_html, is_local_picture, render


def test_ordinary_markdown():
    html = render("# কী লাগবে\n\n- কাঠি\n- পাথর\n\n**যোগ** আর *বিয়োগ*\n\n1. এক\n2. দুই")
    assert "<h2>কী লাগবে</h2>" in html and "<li>কাঠি</li>" in html and "<strong>যোগ</strong>" in html
    assert "<em>বিয়োগ</em>" in html and "<ol>" in html


def test_headings_shift_so_the_page_keeps_one_h1():
    html = render("# one\n\n## two\n\n##### five\n\n###### six")
    assert "<h1" not in html
    assert "<h2>one</h2>" in html and "<h3>two</h3>" in html and "<h6>five</h6>" in html and "<h6>six</h6>" in html


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<iframe src='https://evil.example'></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "<style>body{display:none}</style>",
    '<div onclick="alert(1)">x</div>',
])
def test_raw_html_is_text(hostile):
    html = render(f"before {hostile} after")
    assert "<script" not in html and "<iframe" not in html and "<style" not in html and "<img" not in html
    assert "&lt;" in html  # shown as the words she typed


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "vbscript:msgbox(1)",
                                  "data:text/html,<script>alert(1)</script>", " javascript:alert(1)"])
def test_dangerous_links_are_not_links(link):
    html = render(f"[click]({link})")
    assert "<a" not in html and "href" not in html  # left as the words she typed


def test_links_are_nofollow_noopener():
    html = render("[NCTB](https://nctb.gov.bd) and <https://example.org> and [mail](mailto:a@b.org)")
    assert html.count('rel="nofollow noopener"') == 3
    assert 'href="https://nctb.gov.bd"' in html


def test_pictures_only_from_the_library():
    html = render("![far](https://evil.example/track.png) ![near](/library/files/3/) ![sneaky](//evil.example/a.png)"
                  " ![up](/library/../people/sign-out/)")
    assert "evil.example" not in html and "sign-out" not in html
    assert '<img src="/library/files/3/" alt="near"' in html and 'loading="lazy"' in html
    assert "far" in html and "sneaky" in html  # their words remain


def test_stored_html_is_held_to_the_allow_list_again():
    dirty = ('<p onclick="x()">hi</p><script>alert(1)</script><a href="javascript:x()">a</a>'
             '<img src="https://evil.example/x.png"><table style="x"><tr><td class="c">1</td></tr></table>')
    html = clean_html(dirty)
    assert "onclick" not in html and "<script" not in html and "javascript:" not in html
    assert "evil.example" not in html and "style=" not in html and "class=" not in html
    assert "<td>1</td>" in html


def test_tables_and_code():
    html = render("| a | b |\n|---|--:|\n| 1 | 2 |\n\n```\n<b>code</b>\n```")
    assert "<table>" in html and "<td>2</td>" in html and 'style' not in html
    assert "<pre><code>&lt;b&gt;code&lt;/b&gt;" in html


def test_hidden_controls_removed_and_empty_is_empty():
    assert "\u202e" not in render("abc \u202eevil")
    assert render("") == "" and render("   \n ") == ""


def test_local_picture_rule():
    assert is_local_picture("/library/files/1/preview/0/")
    assert not is_local_picture("https://x/library/a.png")
    assert not is_local_picture("/library/../x")
    assert not is_local_picture("/people/")


def test_a_long_nested_body_renders_quickly():
    # Deep nesting is capped by the parser (maxNesting): no blow-up on a hostile 20,000 characters.
    render(">" * 5000 + " x\n" + "[" * 5000 + "*" * 5000)
