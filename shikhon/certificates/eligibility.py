"""What a course certificate makes its holder eligible for, asked of the app that knows.

`training` (above this app in the layers) says which face-to-face programmes ask for a course's certificate;
certificates cannot import it, so training registers a reader here from `TrainingConfig.ready`
(decision 0010). Without one, a certificate names no programme and says "the face-to-face training"."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

ProgrammesReader = Callable[[UUID], list[str]]

_readers: list[ProgrammesReader] = []


def register_programmes_reader(reader: ProgrammesReader) -> None:
    """Register `reader(course_family) -> titles of the open programmes that ask for its certificate`.
    Registering the same reader twice (ready() run again in tests) keeps one."""
    if reader not in _readers:
        _readers.append(reader)


def programmes_unlocked_by(family: UUID | None) -> list[str]:
    """Titles of the face-to-face programmes a certificate of this course family makes one eligible for."""
    if family is None:
        return []
    titles: list[str] = []
    for reader in _readers:
        titles.extend(title for title in reader(family) if title not in titles)
    return titles
