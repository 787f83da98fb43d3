"""Errors a user can meet. Each carries a translatable sentence that says what to do next."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class RateLimited(ValidationError):
    """Too many attempts; the message tells the person when to try again."""
