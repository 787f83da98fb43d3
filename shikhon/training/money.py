"""The one rounding rule of training's money: whole taka, halves up (1234.50 → 1235).

Costs are stored in whole taka (rounded here when they are saved), so every total is the exact sum of the
parts a page shows; a cost per teacher is a division, rounded here too. Pages never round on their own."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WHOLE = Decimal("1")


def whole_taka(value: Decimal | int | str) -> Decimal:
    """An amount in whole taka, halves rounded up (away from zero)."""
    return Decimal(value).quantize(WHOLE, rounding=ROUND_HALF_UP)


def per_teacher(total: Decimal | int, count: int) -> Decimal | None:
    """`total` shared by `count` teachers, in whole taka (None when nobody counts)."""
    if not count:
        return None
    return whole_taka(Decimal(total) / count)
