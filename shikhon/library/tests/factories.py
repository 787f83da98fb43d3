"""Factories for the teachers' library: contents placed where their author works (as the services place them),
with a first version; published ones have `published_version` set and their fields copied."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from shikhon.core.search import normalise
from shikhon.library.models import Content, ContentVersion, Kind, Rating, State, Subject
from shikhon.people.selectors import placement_of


def subject(code: str = "math") -> Subject:
    return Subject.objects.get(code=code)


class ContentFactory(factory.django.DjangoModelFactory):
    """`ContentFactory(author=rubi)` is a draft with version 1; `ContentFactory(author=rubi, published=True)` is
    published. Fields are copied onto the content like the services do."""

    class Meta:
        model = Content
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"যোগের খেলা {n}")
    summary = "কাঠি দিয়ে যোগ শেখার একটি খেলা।"
    grade = 1
    subject = factory.LazyFunction(subject)
    kind = Kind.LESSON_PLAN
    language = "bn"
    # Not model fields: taken out in _create (`published` publishes version 1; `body` is the version's body).
    published = False
    body = "## কী লাগবে\n\nকাঠি, পাথর।"

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        published = kwargs.pop("published", False)
        body = kwargs.pop("body", "")
        author = kwargs["author"]
        if "school_id" not in kwargs:
            kwargs.update(placement_of(author).as_fields())
        kwargs.setdefault("search_text", normalise(" ".join([kwargs["title"], kwargs.get("summary", ""), body])))
        kwargs["state"] = State.PUBLISHED if published else State.DRAFT
        content = super()._create(model_class, *args, **kwargs)
        version = ContentVersion.objects.create(
            content=content, number=1, state=content.state, title=content.title, summary=content.summary, body=body,
            body_html="", grade=content.grade, subject=content.subject, topic=content.topic, kind=content.kind,
            language=content.language, made_by=author,
        )
        content.latest_version = version
        update = ["latest_version"]
        if published:
            now = timezone.now()
            content.published_version, content.published_at = version, now
            update += ["published_version", "published_at"]
            version.submitted_at = version.decided_at = now
            version.save(update_fields=["submitted_at", "decided_at"])
        content.save(update_fields=update)
        return content


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    stars = 4

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        if "rater_school_id" not in kwargs:
            kwargs["rater_school_id"] = placement_of(kwargs["rater"]).school_id
        return super()._create(model_class, *args, **kwargs)
