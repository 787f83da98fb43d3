"""The header's unread count stays live on every page although the rest of the header is rendered once per
language (core.layout): it is counted per person (notify.context_processors), never kept in the layout."""

from __future__ import annotations

import re

import pytest

from shikhon.notify.registry import notification_kinds
from shikhon.notify.services import notification_send

pytestmark = pytest.mark.django_db


def test_the_unread_count_stays_live(client, people):
    rubi = people["teacher_rubi"]
    client.force_login(rubi)
    assert 'class="count"' not in client.get("/places/").content.decode()
    kind = next(iter(notification_kinds)).name
    notification_send(recipient=rubi, kind=kind, event_key="layout-test-1", params={}, url="/")
    html = client.get("/places/").content.decode()
    assert re.search(r'<span class="count">১<span class="sr-only"> unread</span></span>', html)
