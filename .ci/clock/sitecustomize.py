"""Loaded by every Python process of CI's clock run (.ci/run puts this folder on PYTHONPATH).

The clock run moves the wall clock with libfaketime and keeps the monotonic clock real
(`faketime --exclude-monotonic`): with a faked monotonic clock, Python's lock timeouts (sem_clockwait, which
libfaketime 0.9.10 does not intercept) wait for years. But libfaketime 0.9.10 then translates
`clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, …)` — what `time.sleep` uses — as if it were a faked wall-clock
time, and the kernel answers EINVAL. So `time.sleep` waits with select() here instead; nothing else changes.
"""

from __future__ import annotations

import os
import select
import time

_real_sleep = time.sleep


def _sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        select.select([], [], [], left)


if os.environ.get("FAKETIME"):
    time.sleep = _sleep
