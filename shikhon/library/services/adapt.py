"""Adapting a model content (decision 0012): any teacher or head teacher with a current school role may make her
own copy of a published model content to edit for her class. The copy is a new `Content` authored by her and placed
at her school and area, `adapted_from` the model content (lineage both ways, selectors.lineage), with a version 1
draft copied from the published version: its fields, its sanitised body and its files (rows copied, not bytes).

`adaptations_count` on the model content counts the distinct teachers who adapted it: a second "adapt" by the same
teacher answers her existing adaptation instead of making another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shikhon.core import ratelimit
from shikhon.library import permissions
from shikhon.library.models import Content, ContentVersion, State
from shikhon.library.services.copying import copy_version_onto
from shikhon.library.services.files import files_copy_to
from shikhon.people.scope import user_scope
from shikhon.people.selectors import placement_of

if TYPE_CHECKING:
    from shikhon.people.models import User

ADAPTATIONS_PER_HOUR = 10
VERSION_FIELDS = ("title", "summary", "body", "body_html", "grade", "subject", "topic", "kind", "language")


def can_adapt(user: User | None, content: Content) -> bool:
    """A teacher or head teacher with a current school role, on a published model content that is not hers."""
    scope = user_scope(user)
    return (scope.user_id is not None and bool(scope.school_ids) and content.is_model and content.is_published
            and content.author_id != scope.user_id)


def _ensure_can_adapt(actor: User, content: Content) -> None:
    if not permissions.can_take_part(actor) or not user_scope(actor).school_ids:
        raise PermissionDenied(_("Only teachers and head teachers with a confirmed school role can adapt a model "
                                 "content. If you asked for a role, please wait until it is approved."))
    if not (content.is_model and content.is_published):
        raise ValidationError(_("Only published model contents can be adapted."), code="not_model")
    if content.author_id == actor.pk:
        raise ValidationError(_("This is your own content: edit it instead of adapting it."), code="own_content")


def _recount_adaptations(content: Content) -> None:
    count = Content.objects.filter(adapted_from_id=content.pk).values("author_id").distinct().count()
    Content.objects.filter(pk=content.pk).update(adaptations_count=count)
    content.adaptations_count = count


def content_adapt(*, actor: User, content: Content) -> Content:
    """Her adaptation of a published model content: a new draft content of hers copied from its published version
    (fields, body, files through the files part's `files_copy_to`), linked to it. Her second "adapt" answers the
    adaptation she already has."""
    _ensure_can_adapt(actor, content)
    existing = Content.objects.filter(adapted_from_id=content.pk, author_id=actor.pk).order_by("pk").first()
    if existing is not None:
        return existing
    if not ratelimit.hit(key=f"library-adapt:{actor.pk}", limit=ADAPTATIONS_PER_HOUR, window_seconds=3600):
        raise ValidationError(_("You have adapted many contents just now. Please wait an hour before adapting "
                                "another."), code="rate_limited")
    with transaction.atomic():
        # The model content's row lock: two adaptations of it at once are made one after the other, so the same
        # teacher's second one finds her first and the distinct count stays exact.
        list(Content.objects.select_for_update().filter(pk=content.pk).values_list("pk", flat=True))
        existing = Content.objects.filter(adapted_from_id=content.pk, author_id=actor.pk).order_by("pk").first()
        if existing is not None:
            return existing
        source = ContentVersion.objects.select_related("subject", "topic").get(
            pk=content.published_version_id or 0)
        copy = Content(author=actor, adapted_from=content, state=State.DRAFT,
                       **{name: getattr(source, name) for name in VERSION_FIELDS if name not in ("body", "body_html")})
        copy.place_at(placement_of(actor))
        version = ContentVersion(content=copy, number=1, state=State.DRAFT, made_by=actor,
                                 **{name: getattr(source, name) for name in VERSION_FIELDS})
        copy_version_onto(copy, version)
        copy.full_clean(exclude=["latest_version", "published_version"])
        copy.save()
        version.content = copy
        version.full_clean()
        version.save()
        copy.latest_version = version
        copy.save(update_fields=["latest_version", "updated_at"])
        files_copy_to(source=source, target=version)
        _recount_adaptations(content)
    return copy
