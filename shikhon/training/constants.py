"""Fixed figures of face-to-face training and its costs."""

from __future__ import annotations

from decimal import Decimal

# Reference figures shown beside our own costs, for comparison. Source: the project brief's figures
# for Muktopaath (a2i, Bangladesh): about BDT 37 per teacher trained online, against about BDT 8,013
# per teacher trained face to face. They are seed figures, not computed from Shikhon's data.
REFERENCE_ONLINE_COST_PER_TEACHER = Decimal("37")
REFERENCE_FACE_TO_FACE_COST_PER_TEACHER = Decimal("8013")

# A batch lasts at most this many days (first to last day, both counted).
MAX_BATCH_DAYS = 14
# Largest number of teachers one invitation form may send at once, and the most one batch may hold.
MAX_INVITES_AT_ONCE = 200
MAX_CAPACITY = 500
# Costs are typed in BDT; anything larger is a typing mistake.
MAX_COST = Decimal("9999999999")
