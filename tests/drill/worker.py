"""`manage.py <args>` with a test-only pause: the drill's worker stops after a certificate's PDF is
rendered (before its row is written) while the file $SHIKHON_DRILL_DIR/pause-certificate exists, so the
test knows it is mid-task when it kills it; with SHIKHON_DRILL_QUICK_PDF=1 it skips rendering PDFs (the
race test issues hundreds). Production code carries no hook for this."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from shikhon.certificates import services  # noqa: E402

_render = services.certificate_pdf_render
_drill = Path(os.environ["SHIKHON_DRILL_DIR"])


def _paused_render(certificate):  # type: ignore[no-untyped-def]
    pdf = _render(certificate)
    try:
        (_drill / "pause-certificate").unlink()  # one worker pauses, once
    except FileNotFoundError:
        return pdf
    (_drill / "paused-certificate").touch()
    time.sleep(600)
    return pdf


def _quick_render(certificate):  # type: ignore[no-untyped-def]
    return b"%PDF-1.4 drill"


services.certificate_pdf_render = _quick_render if os.environ.get("SHIKHON_DRILL_QUICK_PDF") else _paused_render

from django.core.management import execute_from_command_line  # noqa: E402

execute_from_command_line(["manage.py", *sys.argv[1:]])
