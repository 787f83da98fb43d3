"""The library's upload use (`library_file`, issue 12): good PDFs, PowerPoint and Word files, pictures, sounds and
videos are taken, typed from their bytes; the hostile corpus, macro-enabled and old Office files, non-Office zips
and oversized files of each kind are refused with one sentence. Small real files are made here in code."""

from __future__ import annotations

import functools
import io
import subprocess  # noqa: S404 - ffmpeg with an argument list and a timeout
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shikhon.core import uploads
from shikhon.core.tests import hostile as corpus

USE = "library_file"

_TYPES = {
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
             "/ppt/presentation.xml"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
             "/word/document.xml"),
    "pptm": ("application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", "/ppt/presentation.xml"),
    "docm": ("application/vnd.ms-word.document.macroEnabled.main+xml", "/word/document.xml"),
}
_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         b'officeDocument" Target="%s"/></Relationships>')


def _content_types(kind: str, extra: str = "") -> bytes:
    main_type, part = _TYPES[kind]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{part}" ContentType="{main_type}"/>{extra}</Types>').encode()


DOCX_BODY = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
             '<w:p><w:r><w:t>যোগের খেলা: কাঠি দিয়ে যোগ</w:t></w:r></w:p></w:body></w:document>').encode()

_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def docx(**extra_members: bytes) -> bytes:
    """A minimal real Word file (LibreOffice opens it)."""
    return corpus.zip_of({"[Content_Types].xml": _content_types("docx"), "_rels/.rels": _RELS % b"word/document.xml",
                          "word/document.xml": DOCX_BODY, **extra_members})


def pptx(text: str = "যোগের খেলা", **extra_members: bytes) -> bytes:
    """A minimal real one-slide PowerPoint file (LibreOffice opens and converts it)."""
    types = _content_types("pptx", (
        '<Override PartName="/ppt/slides/slide1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>'
        '<Override PartName="/ppt/slideLayouts/slideLayout1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"/>'
        '<Override PartName="/ppt/slideMasters/slideMaster1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml"/>'
        '<Override PartName="/ppt/theme/theme1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'))
    tree = ('<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
            '<p:grpSpPr/>%s</p:spTree></p:cSld>')
    shape = ('<p:sp><p:nvSpPr><p:cNvPr id="2" name="Title"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>'
             '<a:off x="457200" y="457200"/><a:ext cx="8229600" cy="1143000"/></a:xfrm><a:prstGeom prst="rect">'
             f'<a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:p><a:r><a:rPr lang="bn-BD" sz="4000"/>'
             f'<a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp>')
    ns = f'xmlns:p="{_P}" xmlns:a="{_A}" xmlns:r="{_R}"'
    theme = (f'<a:theme xmlns:a="{_A}" name="T"><a:themeElements><a:clrScheme name="C">'
             + "".join(f'<a:{n}><a:srgbClr val="000000"/></a:{n}>' for n in (
                 "dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
                 "hlink", "folHlink"))
             + '</a:clrScheme><a:fontScheme name="F"><a:majorFont><a:latin typeface="Arial"/><a:ea typeface=""/>'
             '<a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Arial"/><a:ea typeface=""/>'
             '<a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="S"><a:fillStyleLst>'
             + '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>' * 3 + '</a:fillStyleLst><a:lnStyleLst>'
             + '<a:ln><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>' * 3
             + '</a:lnStyleLst><a:effectStyleLst>' + '<a:effectStyle><a:effectLst/></a:effectStyle>' * 3
             + '</a:effectStyleLst><a:bgFillStyleLst>'
             + '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>' * 3
             + '</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>')

    def rels(*targets: tuple[str, str]) -> bytes:
        body = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/{kind}" Target="{target}"/>'
                       for i, (kind, target) in enumerate(targets, start=1))
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'
                ).encode()

    members = {
        "[Content_Types].xml": types,
        "_rels/.rels": _RELS % b"ppt/presentation.xml",
        "ppt/presentation.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:presentation {ns}>'
            '<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>'
            '<p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst>'
            '<p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>').encode(),
        "ppt/_rels/presentation.xml.rels": rels(("slideMaster", "slideMasters/slideMaster1.xml"),
                                                ("slide", "slides/slide1.xml"), ("theme", "theme/theme1.xml")),
        "ppt/slides/slide1.xml": f'<p:sld {ns}>{tree % shape}</p:sld>'.encode(),
        "ppt/slides/_rels/slide1.xml.rels": rels(("slideLayout", "../slideLayouts/slideLayout1.xml")),
        "ppt/slideLayouts/slideLayout1.xml": f'<p:sldLayout {ns}>{tree % ""}</p:sldLayout>'.encode(),
        "ppt/slideLayouts/_rels/slideLayout1.xml.rels": rels(("slideMaster", "../slideMasters/slideMaster1.xml")),
        "ppt/slideMasters/slideMaster1.xml": (
            f'<p:sldMaster {ns}>{tree % ""}<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" '
            'accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" '
            'hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/>'
            '</p:sldLayoutIdLst></p:sldMaster>').encode(),
        "ppt/slideMasters/_rels/slideMaster1.xml.rels": rels(("slideLayout", "../slideLayouts/slideLayout1.xml"),
                                                             ("theme", "../theme/theme1.xml")),
        "ppt/theme/theme1.xml": theme.encode(),
    }
    members.update(extra_members)
    return corpus.zip_of(members)


def macro_docx() -> bytes:
    """A .docm: the macro-enabled content type and a vbaProject.bin."""
    return corpus.zip_of({"[Content_Types].xml": _content_types("docm"), "_rels/.rels": _RELS % b"word/document.xml",
                          "word/document.xml": DOCX_BODY, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60})


def macro_pptx_hidden() -> bytes:
    """A .pptx content type, but a vbaProject.bin inside (renamed .pptm)."""
    return pptx(**{"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60})


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # an old .doc/.ppt (Compound File) header


@functools.cache
def sound(fmt: str, seconds: int = 1) -> bytes:
    from shikhon.core.ffmpeg import ffmpeg_path

    codec = {"m4a": ["-c:a", "aac"], "ogg": ["-c:a", "libvorbis"], "mp3": [], "wav": []}[fmt]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"s.{fmt}"
        subprocess.run([ffmpeg_path(), "-v", "error", "-y", "-f", "lavfi", "-i",  # noqa: S603
                        f"sine=frequency=440:duration={seconds}", *codec, str(path)], check=True, timeout=60)
        return path.read_bytes()


def _check(name: str, data: bytes) -> uploads.CheckedUpload:
    return uploads.check_upload(use=USE, file=SimpleUploadedFile(name, data))


# ---------------------------------------------------------------- good files


@pytest.mark.parametrize(("name", "make", "kind"), [
    ("lesson.pdf", lambda: corpus.pdf(3), "pdf"),
    ("slides.pptx", pptx, "pptx"),
    ("worksheet.docx", docx, "docx"),
    ("board.jpg", lambda: corpus.picture("JPEG"), "jpeg"),
    ("board.png", lambda: corpus.picture("PNG"), "png"),
    ("board.webp", lambda: corpus.picture("WEBP"), "webp"),
    ("song.mp3", lambda: sound("mp3"), "mp3"),
    ("song.m4a", lambda: sound("m4a"), "m4a"),
    ("song.ogg", lambda: sound("ogg"), "ogg"),
    ("song.wav", lambda: sound("wav"), "wav"),
    ("lesson.mp4", corpus.video, "mp4"),
])
def test_good_files_of_each_kind_are_taken_typed_from_their_bytes(name, make, kind):
    checked = _check(name, make())
    assert checked.kind == kind
    assert checked.filename("x") == f"x.{uploads.KINDS[kind][1]}"


def test_the_name_does_not_decide_the_kind():
    assert _check("slides.pdf", pptx()).kind == "pptx"
    assert _check("notes.pptx", docx()).kind == "docx"
    assert _check("song.mp4", sound("m4a")).kind == "m4a"


@pytest.mark.parametrize("case", sorted(corpus.polyglots()))
def test_polyglots_are_refused_or_kept_only_as_what_we_re_encode(case):
    name, data = corpus.polyglots()[case]
    try:
        checked = _check(name, data)
    except uploads.UploadRefused as refused:
        assert len(refused.messages) == 1
        return
    cleaned = checked.file.read()
    assert b"<script" not in cleaned and b"evil.html" not in cleaned


def test_a_picture_comes_back_re_encoded_without_its_metadata():
    from PIL import Image

    exif = Image.Exif()
    exif[0x010E] = "secret"
    data = corpus.picture("JPEG", size=(3000, 100), exif=exif.tobytes())
    checked = _check("board.jpg", data)
    assert b"secret" not in checked.file.read()
    assert checked.width == 2000


# ---------------------------------------------------------------- refusals


def _refused(name: str, data: bytes) -> uploads.UploadRefused:
    with pytest.raises(uploads.UploadRefused) as refused:
        _check(name, data)
    assert len(refused.value.messages) == 1
    sentence = refused.value.messages[0]
    assert sentence.endswith(".") and "%(" not in sentence
    return refused.value


@pytest.mark.parametrize("case", sorted(corpus.hostile("any")))
def test_the_hostile_corpus_is_refused(case):
    name, data = corpus.hostile("any")[case]
    assert _refused(name, data).code


@pytest.mark.parametrize(("name", "make", "code"), [
    ("lesson.docm", macro_docx, "office_macro"),
    ("slides.pptx", macro_pptx_hidden, "office_macro"),
    ("lesson.doc", lambda: OLE, "old_excel"),
    ("slides.ppt", lambda: OLE, "old_excel"),
    ("slides.pptx", lambda: corpus.zip_of({"a.txt": b"hello"}), "wrong_type"),
    ("book.xlsx", lambda: corpus.zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
     "wrong_type"),
    ("both.pptx", lambda: pptx(**{"word/document.xml": DOCX_BODY}), "wrong_type"),
    ("no-types.docx", lambda: corpus.zip_of({"word/document.xml": DOCX_BODY}), "wrong_type"),
    ("slides.pptx", lambda: pptx()[:200], "archive_damaged"),
    ("bomb.docx", lambda: docx(**{"word/media/bomb.bin": b"\x00" * (30 * 1024 * 1024)}), "ratio"),
    ("evil.docx", lambda: docx(**{"../../evil.txt": b"x"}), "unsafe_name"),
    ("drawing.png", lambda: corpus.SVG_SCRIPT, "markup"),
    ("song.mp3", lambda: sound("mp3")[:40], "not_audio"),
    ("song.wav", lambda: b"RIFF\x24\x00\x00\x00WAVEfmt ", "not_audio"),
    ("app.pdf", lambda: corpus.EXE, "wrong_type"),
])
def test_library_refusals(name, make, code):
    assert _refused(name, make()).code == code


def test_the_pdf_with_a_script_is_refused():
    assert _refused("lesson.pdf", corpus.pdf_with_script()).code == "pdf_script"


@pytest.mark.parametrize(("name", "head", "limit_mb"), [
    ("board.png", corpus.picture("PNG"), 5),
    ("lesson.pdf", b"%PDF-1.7\n", 20),
    ("song.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00", 30),
])
def test_each_kind_has_its_own_limit(name, head, limit_mb):
    refused = _refused(name, corpus.oversized(limit_mb * uploads.MB, head))
    assert refused.code == "too_big"
    assert refused.params["limit"] == limit_mb


def test_an_office_file_over_twenty_megabytes_is_refused():
    # Incompressible random bytes in a real .docx, just over the limit.
    import os

    big = docx(**{"word/media/photo.bin": os.urandom(20 * uploads.MB)})
    assert _refused("big.docx", big).code == "too_big"


def test_everything_over_two_hundred_megabytes_is_refused_before_reading():
    from django.core.files import File

    file = File(io.BytesIO(b"\x00" * 16), name="film.mp4")
    file.size = 200 * uploads.MB + 1
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(use=USE, file=file)
    assert refused.value.code == "too_big"


def test_the_office_builders_make_ooxml():
    for data in (docx(), pptx()):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert "[Content_Types].xml" in archive.namelist()
