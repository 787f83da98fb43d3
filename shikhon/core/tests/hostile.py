"""A corpus of hostile (and a few good) files, made in code: every upload place and package import runs
them through its own path (decision 0007). Nothing binary is committed.

`hostile(kind)` answers {case: (client file name, bytes)} for the corpus kinds of the issue: wrong
extension, polyglot, truncated, header-only, SVG with script, empty, zip bomb and traversal names
("oversized" depends on the place's limit: `oversized(limit)`)."""

from __future__ import annotations

import functools
import io
import stat
import subprocess  # noqa: S404 - ffmpeg with an argument list and a timeout
import tempfile
import zipfile
from pathlib import Path

from PIL import Image

SVG_SCRIPT = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
              b'<script>alert(document.cookie)</script></svg>')
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def picture(fmt: str = "PNG", size: tuple[int, int] = (40, 30), color: str = "orange", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt, **save)
    return out.getvalue()


def pdf(pages: int = 1) -> bytes:
    out = io.BytesIO()
    frames = [Image.new("RGB", (200, 280), color) for color in ("white", "orange", "green")[:pages]]
    frames[0].save(out, format="PDF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def pdf_with_script() -> bytes:
    """A one-page PDF whose document-level JavaScript runs when it is opened."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript << /Names [(run) 4 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /S /JavaScript /JS (app.alert\\('hi'\\)) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def zip_of(entries: dict[str, bytes], *, links: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, content)
    return out.getvalue()


@functools.cache
def zip_bomb() -> bytes:
    """30 MB of zeros that pack into about 30 KB."""
    return zip_of({"xl/workbook.xml": b"<workbook/>", "bomb.bin": b"\x00" * (30 * 1024 * 1024)})


def traversal_zips() -> dict[str, bytes]:
    return {
        "traversal_dotdot": zip_of({"manifest.json": b"{}", "../../etc/cron.d/evil": b"* * * * * root sh"}),
        "traversal_absolute": zip_of({"/etc/passwd": b"root:x:0:0"}),
        "traversal_backslash": zip_of({"..\\..\\evil.txt": b"x"}),
        "traversal_link": zip_of({"media/link": b"/etc/passwd"}, links=("media/link",)),
    }


@functools.cache
def video(seconds: int = 1, size: str = "160x120") -> bytes:
    from shikhon.core.ffmpeg import ffmpeg_path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "v.mp4"
        subprocess.run([ffmpeg_path(), "-v", "error", "-y", "-f", "lavfi", "-i",  # noqa: S603
                        f"testsrc=size={size}:rate=10", "-t", str(seconds), "-c:v", "libx264",
                        "-pix_fmt", "yuv420p", str(path)], check=True, timeout=60)
        return path.read_bytes()


def hostile(kind: str = "any") -> dict[str, tuple[str, bytes]]:
    """The corpus for a place that takes `kind` ("picture", "sheet", "video", "captions", "archive",
    "school_list" or "any"): each case named, with the file name a client might send."""
    png, jpeg, sheet = picture("PNG"), picture("JPEG"), pdf()
    mp4 = video() if kind == "video" else b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    suffix = {"picture": "png", "sheet": "pdf", "video": "mp4", "captions": "vtt", "archive": "zip",
              "school_list": "csv"}.get(kind, "png")
    cases: dict[str, tuple[str, bytes]] = {
        "empty": (f"empty.{suffix}", b""),
        "svg_script": (f"drawing.{suffix}", SVG_SCRIPT),
        "svg_named_svg": ("drawing.svg", SVG_SCRIPT),
        "html_wrong_extension": (f"page.{suffix}", HTML),
        "exe_wrong_extension": (f"setup.{suffix}", EXE),
        "pdf_header_only": ("sheet.pdf", b"%PDF-1.7\n"),
        "png_header_only": ("picture.png", b"\x89PNG\r\n\x1a\n"),
        "jpeg_header_only": ("picture.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
        "png_truncated": ("picture.png", png[: len(png) // 2]),
        "jpeg_truncated": ("picture.jpg", jpeg[: len(jpeg) // 2]),
        "pdf_truncated": ("sheet.pdf", sheet[: len(sheet) // 2]),
        "pdf_with_markup_only": ("sheet.pdf", b"%PDF-1.4\n" + HTML),
        "pdf_with_script": ("sheet.pdf", pdf_with_script()),
        "video_header_only": ("lesson.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"),
        "video_truncated": ("lesson.mp4", mp4[: len(mp4) // 3]),
    }
    if kind != "archive":
        cases["zip_wrong_extension"] = (f"picture.{suffix}", zip_of({"a.txt": b"hello"}))
    if kind in ("archive", "school_list", "any"):
        cases["zip_bomb"] = (f"bomb.{'xlsx' if kind == 'school_list' else 'zip'}", zip_bomb())
        for case, data in traversal_zips().items():
            cases[case] = (f"{case}.{'xlsx' if kind == 'school_list' else 'zip'}", data)
    return cases


def polyglots() -> dict[str, tuple[str, bytes]]:
    """Files that are two things at once. Pictures and PDFs among them may be *accepted* — but only as
    what we re-encode, with the second thing gone (tests assert it)."""
    return {
        "png_plus_html": ("picture.png", picture("PNG") + HTML),
        "jpeg_plus_zip": ("picture.jpg", picture("JPEG") + zip_of({"evil.html": HTML})),
        "pdf_plus_html": ("sheet.pdf", pdf() + b"\n" + HTML),
    }


def oversized(limit: int, head: bytes = b"") -> bytes:
    return head + b"\x00" * (limit + 1 - len(head))


def stored_files(root: Path) -> list[Path]:
    """Every file below `root`, sorted: what an upload left behind (nothing, when it was refused)."""
    return sorted(p for p in root.rglob("*") if p.is_file())
