"""PDFs in Bangla: WeasyPrint with the Hind Siliguri font (Pango/HarfBuzz shape the conjuncts), and
QR codes from segno as inline SVG. Used by activity sheets and certificates."""

from __future__ import annotations

from typing import Any

import fontpkg_hind_siliguri
import segno
from django.template.loader import render_to_string

FONT_DIR = fontpkg_hind_siliguri.ROOT / "files"
FONT_FAMILY = fontpkg_hind_siliguri.FAMILY


def font_face_css() -> str:
    """@font-face rules for Hind Siliguri (regular and bold) read from the installed package."""
    faces = [("Regular", 400), ("SemiBold", 600), ("Bold", 700)]
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'src: url("{(FONT_DIR / f"HindSiliguri-{name}.ttf").as_uri()}"); }}'
        for name, weight in faces
    )


def qr_svg(data: str, *, scale: int = 4) -> str:
    """A QR code (error correction M) as an SVG data URI, for <img src> in HTML and PDF."""
    return str(segno.make(data, error="m", micro=False).svg_data_uri(scale=scale, border=2))


def render_pdf(template_name: str, context: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """Render a Django template to an A4 PDF. The template gets `font_css` and `font_family`."""
    from weasyprint import HTML  # imported late: loading Pango costs ~0.3 s, pages that never print skip it

    html = render_to_string(template_name, {**context, "font_css": font_face_css(), "font_family": FONT_FAMILY})
    return bytes(HTML(string=html, base_url=base_url or str(FONT_DIR)).write_pdf())
