"""Just enough PDF reading for tests (no PDF library in the project): inflate the streams, read the
ToUnicode maps of the embedded fonts, and turn the text operators back into Unicode through them."""

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


def _utf16(hexdigits: bytes) -> str:
    return bytes.fromhex(re.sub(rb"\s", b"", hexdigits).decode()).decode("utf-16-be")


def to_unicode_map(pdf: bytes) -> dict[int, str]:
    """Glyph id → text, merged over the fonts (the weights of one family share glyph ids)."""
    mapping: dict[int, str] = {}
    for data in streams(pdf):
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
                mapping[int(src, 16)] = _utf16(dst) if dst else ""
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
            for low, high, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                base = _utf16(dst)
                for i, glyph in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    mapping[glyph] = base[:-1] + chr(ord(base[-1]) + i)
    return mapping


def text_runs(pdf: bytes) -> list[str]:
    mapping = to_unicode_map(pdf)
    runs = []
    for data in streams(pdf):
        for array in re.findall(rb"\[(.*?)\]\s*TJ", data, re.S):
            text = ""
            for hexdigits in re.findall(rb"<([0-9A-Fa-f]+)>", array):
                for i in range(0, len(hexdigits), 4):
                    text += mapping.get(int(hexdigits[i:i + 4], 16), "\ufffd")
            runs.append(text)
    return runs


def font_names(pdf: bytes) -> list[str]:
    return [name.decode() for data in [pdf, *streams(pdf)]
            for name in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", data)]


def embedded_font_count(pdf: bytes) -> int:
    return sum(data.count(b"/FontFile2") for data in [pdf, *streams(pdf)])


def page_count(pdf: bytes) -> int:
    return sum(len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) for data in [pdf, *streams(pdf)])
