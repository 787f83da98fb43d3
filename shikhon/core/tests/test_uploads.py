"""The shared upload checks (core.uploads): the hostile corpus is refused for every use with one sentence;
good files come back cleaned, typed from their bytes, under our extension."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from shikhon.core import uploads
from shikhon.core.tests import hostile as corpus

# use → the corpus kind it is tested with
USES = {"sheet": "sheet", "question_picture": "picture", "poster": "picture", "video": "video",
        "video_variant": "video", "captions": "captions", "course_package": "archive", "school_list": "school_list"}


def _cases() -> list[tuple[str, str]]:
    return [(use, case) for use, kind in USES.items() for case in corpus.hostile(kind)]


@pytest.mark.parametrize(("use", "case"), _cases())
def test_every_use_refuses_the_hostile_corpus_with_one_sentence(use, case):
    name, data = corpus.hostile(USES[use])[case]
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(use=use, file=SimpleUploadedFile(name, data))
    assert len(refused.value.messages) == 1
    sentence = refused.value.messages[0]
    assert sentence.endswith(".") and "%(" not in sentence
    assert refused.value.code


@pytest.mark.parametrize("use", sorted(USES))
def test_every_use_refuses_an_oversized_file(settings, use):
    settings.SHIKHON_SHEET_MAX_BYTES = settings.SHIKHON_PICTURE_MAX_BYTES = 1024
    settings.SHIKHON_VIDEO_MAX_BYTES = settings.SHIKHON_COURSE_IMPORT_MAX_BYTES = 1024
    settings.SHIKHON_IMPORT_MAX_BYTES = 1024
    limit = uploads.USES[use].max_bytes()
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(use=use, file=corpus.oversized(limit, corpus.picture("PNG")))
    assert refused.value.code == "too_big"


def test_refusals_read_in_bangla_and_english():
    with translation.override("en"):
        english = uploads.refusal(use="sheet", code="too_big", limit=10).messages[0]
    assert english == "The sheet is larger than 10 MB. Please upload a smaller file."
    with translation.override("bn"):
        bangla = uploads.refusal(use="sheet", code="too_big", limit=10).messages[0]
    assert "১০" in bangla  # the number in Bangla digits, whatever the catalogue holds


def test_the_type_comes_from_the_bytes_and_the_extension_is_ours():
    checked = uploads.check_upload(use="sheet", file=SimpleUploadedFile("sheet.pdf", corpus.picture("PNG")))
    assert (checked.kind, checked.extension, checked.content_type) == ("png", "png", "image/png")
    assert checked.filename("abc") == "abc.png"
    pdf = uploads.check_upload(use="sheet", file=SimpleUploadedFile("photo.jpg.exe", corpus.pdf()))
    assert pdf.filename("abc") == "abc.pdf"


@pytest.mark.parametrize("case", sorted(corpus.polyglots()))
def test_polyglots_lose_their_second_life(case):
    name, data = corpus.polyglots()[case]
    try:
        checked = uploads.check_upload(use="sheet", file=SimpleUploadedFile(name, data))
    except uploads.UploadRefused:
        return  # refused outright is as good
    stored = checked.file.read()
    assert b"<html" not in stored and b"<script" not in stored and b"PK\x03\x04" not in stored


def test_pictures_are_re_encoded_without_metadata_and_bounded():
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    exif[0x8825] = {2: (23.0, 46.0, 0.0)}  # GPS latitude
    photo = io.BytesIO()
    Image.new("RGB", (3000, 1000), "green").save(photo, format="JPEG", exif=exif.tobytes(),
                                                 comment=b"secret comment")
    checked = uploads.check_upload(use="question_picture", file=photo.getvalue())
    out = Image.open(checked.file)
    assert out.format == "JPEG" and max(out.size) == 1600
    assert not out.getexif() and "comment" not in out.info and b"secret" not in checked.file.read()


def test_exif_orientation_is_applied_before_it_is_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    photo = io.BytesIO()
    Image.new("RGB", (40, 20), "green").save(photo, format="JPEG", exif=exif.tobytes())
    checked = uploads.check_upload(use="question_picture", file=photo.getvalue())
    assert (checked.width, checked.height) == (20, 40)


def test_a_decompression_bomb_is_refused_before_decoding(settings):
    settings.SHIKHON_UPLOAD_MAX_PIXELS = 1_000_000
    bomb = io.BytesIO()
    Image.new("1", (5000, 5000)).save(bomb, format="PNG")  # a few KB that decode to 25 megapixels
    assert len(bomb.getvalue()) < 10_000
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(use="question_picture", file=bomb.getvalue())
    assert refused.value.code == "picture_too_many_pixels"


def test_poster_pngs_become_jpegs_and_transparency_is_flattened():
    png = io.BytesIO()
    Image.new("RGBA", (30, 30), (255, 0, 0, 0)).save(png, format="PNG")
    checked = uploads.check_upload(use="poster", file=png.getvalue())
    assert checked.kind == "jpeg" and Image.open(checked.file).mode == "RGB"


def test_pdfs_are_rendered_and_rewritten():
    checked = uploads.check_upload(use="sheet", file=corpus.pdf(pages=2) + b"\n<html><script>x</script>")
    stored = checked.file.read()
    assert stored.startswith(b"%PDF-") and b"<script" not in stored


def test_pdf_with_a_script_is_refused():
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(use="sheet", file=corpus.pdf_with_script())
    assert refused.value.code == "pdf_script"


def test_videos_are_probed_and_decoded():
    checked = uploads.check_upload(use="video", file=SimpleUploadedFile("x.bin", corpus.video()))
    assert checked.kind == "mp4" and checked.probe is not None and checked.probe.is_playable_video


def test_captions_are_utf8_webvtt_with_plain_newlines():
    checked = uploads.check_upload(use="captions", file="WEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\nক\r\n".encode())
    assert checked.file.read() == "WEBVTT\n\n00:00.000 --> 00:01.000\nক\n".encode()
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(use="captions", file="WEBVTT\n\nক".encode("utf-16"))
    assert refused.value.code == "not_utf8"


def test_school_lists_are_csv_text_or_real_xlsx():
    import openpyxl

    assert uploads.check_upload(use="school_list", file="eiin,নাম\n1,ক\n".encode()).kind == "csv"
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    assert uploads.check_upload(use="school_list", file=book.getvalue()).kind == "xlsx"
    docx = corpus.zip_of({"word/document.xml": b"<w:document/>"})
    with pytest.raises(uploads.UploadRefused):
        uploads.check_upload(use="school_list", file=docx)
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(use="school_list", file=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert refused.value.code == "old_excel"


def test_archive_members_are_inspected():
    archive, members = uploads.open_archive(use="course_package", file=corpus.zip_of({"manifest.json": b"{}"}))
    with archive:
        assert list(members) == ["manifest.json"]
    bomb = zipfile.ZipFile(io.BytesIO(corpus.zip_bomb()))
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.inspect_archive(bomb, use="course_package", packed_size=len(corpus.zip_bomb()))
    assert refused.value.code == "ratio"


@pytest.mark.parametrize("name", ["../x", "/x", "a/../../x", "C:/x", "a\\b", "a/./b", "a//b", "x\x00"])
def test_unsafe_member_names(name):
    assert uploads.unsafe_member_name(name)


def test_a_new_use_can_be_registered():
    use = uploads.register_use(uploads.UploadUse(
        name="test_avatar", kinds=frozenset({"png"}), max_bytes=lambda: 10_000,
        wrong_type=uploads.USES["question_picture"].wrong_type, types_text=uploads.USES["poster"].types_text,
        picture_max_side=64))
    try:
        checked = uploads.check_upload(use=use.name, file=corpus.picture("PNG", size=(300, 100)))
        assert (checked.width, checked.height) == (64, 21)
    finally:
        uploads.USES.pop(use.name)


def test_truncated_pictures_are_refused_even_after_weasyprint_is_imported(monkeypatch):
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES to True for the whole process on import; a truncated
    picture must still be refused, and WeasyPrint's setting is left as it was."""
    import weasyprint  # noqa: F401 - its import flips the flag
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    for case in ("png_truncated", "jpeg_truncated"):
        name, data = corpus.hostile("picture")[case]
        with pytest.raises(uploads.UploadRefused):
            uploads.check_upload(use="question_picture", file=SimpleUploadedFile(name, data))
    assert uploads.check_upload(use="question_picture", file=corpus.picture("JPEG")).kind == "jpeg"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_a_picture_past_pillows_own_bomb_guard_gets_the_same_sentence():
    """At 100 megapixels Pillow's guard fires inside Image.open, before our size check: still 'too many
    pixels', not 'damaged'."""
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, format="PNG")
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(use="question_picture", file=bomb.getvalue())
    assert refused.value.code == "picture_too_many_pixels"
