"""Small pictures of a file a 2G phone can look at before downloading it (decision 0012): a PDF's first pages
rendered by PDFium, a PowerPoint or Word file turned into a PDF by LibreOffice headless (where it is installed)
and then rendered the same way, a picture re-encoded small. Pure functions over bytes and paths: the files part's
service stores what they make."""

from __future__ import annotations

import io
import shutil
import subprocess  # noqa: S404 - soffice is run with an argument list, a timeout and its own profile
import tempfile
from pathlib import Path

PREVIEW_WIDTH = 480       # px, wide enough for a 360 px screen at 1.3x
PREVIEW_PAGES = 5         # the first page and up to four more
PREVIEW_QUALITY = 55      # WebP quality: a slide comes out at a few KB
SOFFICE_TIMEOUT = 120     # s, for one conversion


class PreviewError(Exception):
    """No preview could be made from this file (damaged, or the converter failed or took too long)."""


def soffice_path() -> str | None:
    """LibreOffice's `soffice` on PATH, or None (then Office files get no preview, and no error)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _webp(picture: object) -> bytes:
    from PIL import Image

    assert isinstance(picture, Image.Image)
    image = picture if picture.mode in ("RGB", "L") else picture.convert("RGB")
    if image.width > PREVIEW_WIDTH:
        image = image.resize((PREVIEW_WIDTH, max(1, round(image.height * PREVIEW_WIDTH / image.width))),
                             Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=PREVIEW_QUALITY, method=4)
    return out.getvalue()


def pdf_pages(data: bytes, *, pages: int = PREVIEW_PAGES) -> list[bytes]:
    """The first `pages` pages of a PDF as small WebP pictures (≤ PREVIEW_WIDTH wide)."""
    import pypdfium2 as pdfium

    from shikhon.core.uploads import _PDFIUM  # one PDFium call at a time in the process

    made: list[bytes] = []
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise PreviewError(str(exc)) from exc
        try:
            for index in range(min(pages, len(document))):
                page = document[index]
                try:
                    width, _height = page.get_size()
                    if width <= 0:
                        raise PreviewError("page without a size")
                    bitmap = page.render(scale=PREVIEW_WIDTH / width)
                    try:
                        picture = bitmap.to_pil()
                    finally:
                        bitmap.close()
                finally:
                    page.close()
                made.append(_webp(picture))
        except (pdfium.PdfiumError, OSError, ValueError, ZeroDivisionError) as exc:
            raise PreviewError(str(exc)) from exc
        finally:
            document.close()
    if not made:
        raise PreviewError("no page")
    return made


def office_to_pdf(source: Path, *, timeout: float = SOFFICE_TIMEOUT) -> bytes | None:
    """The Office file at `source` converted to PDF by LibreOffice headless, or None when LibreOffice is not
    installed. Runs in a temporary folder with its own profile (-env:UserInstallation), so conversions never
    share or lock a profile, and is killed after `timeout` seconds."""
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="shikhon-soffice-") as tmp:
        folder = Path(tmp)
        document = folder / f"document{source.suffix}"
        shutil.copyfile(source, document)
        out = folder / "out"
        command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out), str(document)]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False, cwd=tmp,  # noqa: S603
                           env={"HOME": tmp, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        except subprocess.TimeoutExpired as exc:
            raise PreviewError("LibreOffice took too long") from exc
        except OSError as exc:
            raise PreviewError(f"LibreOffice could not start: {exc}") from exc
        pdf = out / "document.pdf"
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise PreviewError("LibreOffice made no PDF")
        return pdf.read_bytes()


def picture_preview(data: bytes) -> bytes:
    """A small WebP copy of a picture that already passed the upload checks."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", (PREVIEW_WIDTH, PREVIEW_WIDTH))
            opened.load()
            return _webp(opened.copy())
    except (OSError, ValueError, SyntaxError) as exc:
        raise PreviewError(str(exc)) from exc


def picture_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as opened:
        return opened.size
