"""Reading QR codes in tests as a phone's camera would: from the drawn picture, never from the markup.

A PDF's pages are rendered to pictures by PDFium (pypdfium2, which the upload checks use too) and the QR codes
found in them are decoded by zxing-cpp; a PNG (a browser's screenshot) is decoded the same way. Only what is
drawn counts: a QR code that is hidden, cut off, too small or too blurred to read is not found."""

from __future__ import annotations

import io
from typing import Any

# 150 dots per inch: a certificate's 32 mm QR code is then about 190 pixels wide (5 pixels a module), roughly
# what a phone held over a printed page sees. PDF pages are measured in points (72 an inch).
PDF_DPI = 150


def qr_texts_in_image(image: Any) -> list[str]:
    """The texts of the QR codes found in a PIL image, top to bottom as zxing-cpp reports them."""
    import zxingcpp

    only_qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    return [found.text for found in zxingcpp.read_barcodes(image.convert("L"), formats=only_qr) if found.valid]


def qr_texts_in_png(png: bytes) -> list[str]:
    """The texts of the QR codes in a PNG (or any picture Pillow opens), e.g. a Playwright screenshot."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return qr_texts_in_image(image)


def qr_texts_in_pdf(pdf: bytes, *, dpi: int = PDF_DPI) -> list[str]:
    """The texts of the QR codes drawn on every page of a PDF, page after page."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        texts: list[str] = []
        for page in document:
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            texts += qr_texts_in_image(bitmap.to_pil())
        return texts
    finally:
        document.close()
