"""Just enough PDF reading for tests: fonts and pages from the inflated streams; text through PDFium
(pypdfium2, which the upload checks use too)."""

from __future__ import annotations

import re
import zlib

_OBJ = re.compile(rb"\d+ 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def streams(pdf: bytes) -> list[bytes]:
    out = []
    for match in _OBJ.finditer(pdf):
        body = match.group(1)
        stream = _STREAM.search(body)
        if not stream:
            continue
        data = stream.group(1)
        if b"FlateDecode" in body[:stream.start()]:
            try:
                data = zlib.decompress(data)
            except zlib.error:
                continue
        out.append(data)
    return out


# PDFium stands a Latin Extended letter or a combining mark in for a glyph whose ToUnicode entry is empty
# (a Bangla vowel sign drawn before its consonant, whose text HarfBuzz gave to the cluster's first glyph).
_PLACEHOLDERS = re.compile("[\u0100-\u024f\u0300-\u036f]")


def text_runs(pdf: bytes) -> list[str]:
    """The lines of text, as PDFium reads them through each font's own ToUnicode map. (One map merged over
    all the fonts garbled text whenever two font subsets numbered a glyph differently, which depends on the
    random certificate code: the test failed now and then.)"""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return _PLACEHOLDERS.sub("", text).replace("\r\n", "\n").split("\n")


def font_names(pdf: bytes) -> list[str]:
    return [name.decode() for data in [pdf, *streams(pdf)]
            for name in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", data)]


def embedded_font_count(pdf: bytes) -> int:
    return sum(data.count(b"/FontFile2") for data in [pdf, *streams(pdf)])


def page_count(pdf: bytes) -> int:
    return sum(len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) for data in [pdf, *streams(pdf)])
