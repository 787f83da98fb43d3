"""Thin task wrapper around the packs service: building a pack's zip (queued by `services.packs.pack_request`).
Idempotent and safe to retry: a second run builds the pack again and its new file replaces the old one."""

from __future__ import annotations

from django_tasks import task


@task()
def pack_build_task(*, pack_id: int) -> str:
    """Build the offline pack `pack_id`; its status afterwards ("" when the pack is gone)."""
    from shikhon.library.services.packs import pack_build

    pack = pack_build(pack_id)
    return pack.status if pack is not None else ""
