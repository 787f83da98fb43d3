import pytest
from django.http import Http404

from shikhon.core.access import MAX_PK, parse_pk, row_or_404
from shikhon.core.models import AuditEvent


@pytest.mark.parametrize("raw, expected", [
    ("12", 12), (12, 12), ("১২", 12), (" 7 ", 7), (str(MAX_PK), MAX_PK),
    ("0", None), ("-1", None), ("1.5", None), ("abc", None), ("", None), (None, None),
    (str(MAX_PK + 1), None), ("1" * 40, None), ("１２", None),
])
def test_parse_pk(raw, expected):
    assert parse_pk(raw) == expected


@pytest.mark.django_db
def test_row_or_404_answers_the_row_or_the_same_404():
    event = AuditEvent.objects.create(action="signed_in", summary="x")
    other = AuditEvent.objects.create(action="signed_in", summary="y")
    visible = AuditEvent.objects.filter(pk=event.pk)
    assert row_or_404(visible, str(event.pk)) == event
    for raw in (other.pk, other.pk + 1000, "abc", None, -1, MAX_PK + 1):
        with pytest.raises(Http404):
            row_or_404(visible, raw)
