"""How the library's contents are used in class, read from practice records (decision 0012: "used in class" comes
from what teachers record, not from clicks). The champions (`shikhon.recognition`) read a week's uses here; the
content page reads the counter the record service keeps on the content (`library.services.usage`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count

from shikhon.practice.models import PracticeRecord

if TYPE_CHECKING:
    import datetime as dt

    from shikhon.library.models import Content



def content_uses_between(*, start: dt.date, end: dt.date) -> dict[int, int]:
    """Content id → how many distinct teachers recorded teaching it in class on a day in `[start, end]` (Dhaka
    dates, both included; "tried, it did not work" is practice but not a use). One grouped query, read through
    the partial index `(content, taught_on)`; contents nobody taught are absent."""
    rows = (PracticeRecord.objects.filter(content__isnull=False, outcome=PracticeRecord.Outcome.TAUGHT,
                                          taught_on__gte=start, taught_on__lte=end)
            .values("content_id").annotate(n=Count("teacher_id", distinct=True)).order_by()
            .values_list("content_id", "n"))
    return dict(rows)  # type: ignore[arg-type]


def uses_of_content(content: Content) -> int:
    """How many records teach this content in class (all time): what the counter on the content should hold
    (one query; for checks and repairs, the page reads `Content.used_in_class`)."""
    return PracticeRecord.objects.filter(content_id=content.pk, outcome=PracticeRecord.Outcome.TAUGHT).count()
