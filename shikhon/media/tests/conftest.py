"""Tiny test videos (made once per session in core's conftest), and media storage in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shikhon.core.tests.conftest import video_files  # noqa: F401 - the session's test videos
from shikhon.core.tests.hostile import stored_files  # noqa: F401 - what an upload left behind


def upload_of(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="video/mp4")


@pytest.fixture(autouse=True)
def _media_in_tmp(media_root: Path) -> None:
    """Every test of this file stores media in its own temporary folder (the root conftest's media_root)."""

