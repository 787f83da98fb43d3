"""Every text field people type is a cleaning field (core.fields), and cleaning happens on full_clean."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from shikhon.core.fields import UserCharField, UserMultilineTextFormField, UserTextField, UserTextFormField

RLO = "\u202e"

# Text fields that people do not type: codes, keys, hashes, phone numbers, machine names. Fields with `choices`
# are left out on their own (only a listed value can be stored). Add a field here only if no person's words
# ever reach it.
MACHINE_FIELDS = {
    "library.subject.code",  # the curriculum tree: seeded by library migration 0002 from our own data file
    "library.subject.name_bn",
    "library.subject.name_en",
    "library.topic.name_bn",
    "library.topic.name_en",
    "library.content.search_text",  # core.search.normalise of the (already cleaned) title, summary and body
    "library.contentversion.body_html",  # made from the cleaned body by library.markdown (markdown-it + nh3)
    "library.contentfile.sha256",  # computed from the stored bytes
    "library.contentfile.content_type",  # read from the bytes by core.uploads
    "library.offlinepack.sha256",  # computed from the zip we wrote
    "library.offlinepack.build_token",  # secrets.token_hex of the build holding the pack (services.packs._claim)
    "library.offlinepack.error",  # our own sentence when a build fails
    "certificates.certificate.code",  # generated verification code
    "certificates.certificate.issue_key",  # our idempotency key ("training-invitation:<id>")
    "certificates.certificate.pdf_public_url",  # SHIKHON_PUBLIC_URL when its PDF was drawn (settings)
    "core.auditevent.action",  # a registered audit action (core.registry.RegisteredName)
    "core.auditevent.target_type",  # a model label
    "core.auditevent.target_id",  # a primary key
    "core.workerheartbeat.worker_id",
    "core.workerheartbeat.hostname",
    "core.taskreap.task_path",  # a dotted Python path
    "core.taskreap.worker_id",
    "core.smssent.key",  # built by the code that sends
    "core.smssent.to",  # a phone number
    "core.scheduledjob.name",  # a registered periodic job (core.schedule)
    "core.scheduledjob.last_worker",  # a worker id
    "core.scheduledjob.last_task_id",  # a task backend's id
    "courses.course.slug",  # SlugField: letters, digits, hyphens only
    "courses.activity.short_code",  # generated
    "practice.instrument.code",  # SlugField, set by a data migration
    "practice.learnercheck.code",  # SlugField, set by a data migration
    "practice.checkresult.learner_code",  # cleaned to capitals and digits by practice.checks.learner_code
    "practice.checkresult.item",  # an item code of the check's definition (validated against it)
    "practice.nudge.key",  # built by the code that nudges
    "media.video.failure_code",  # a code from media.services.FAILURES
    "notify.notification.kind",  # a registered notification kind
    "notify.notification.event_key",  # built by the code that reports the event
    "notify.notification.url",  # a path reversed by our code
    "notify.smspreference.kind",  # a registered notification kind
    "offline.syncreceipt.kind",  # a registered sync kind
    "people.user.phone",  # E.164, cleaned by people.phone.normalize_phone
    "people.user.password",  # a hash
    "people.logincode.phone",
    "people.logincode.code_hash",
    "people.logincode.salt",
    "people.accesstoken.prefix",
    "people.accesstoken.token_hash",
    "places.school.eiin",  # six digits, validated
}


def _text_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("shikhon."):
            continue
        for field in model._meta.get_fields():
            if (field.concrete and not field.is_relation and field.model is model
                    and isinstance(field, (models.CharField, models.TextField))):
                yield f"{model._meta.label_lower}.{field.name}", field


def test_every_person_typed_text_field_cleans():
    plain = [name for name, field in _text_fields()
             if not isinstance(field, (UserCharField, UserTextField)) and not field.choices
             and name not in MACHINE_FIELDS]
    assert not plain, ("These text fields are plain CharField/TextField: make them core.fields.UserCharField / "
                       f"UserTextField, or list them in MACHINE_FIELDS with the reason: {plain}")


def test_the_allow_list_names_only_fields_that_exist():
    names = {name for name, _field in _text_fields()}
    assert not MACHINE_FIELDS - names


def test_model_fields_clean_on_to_python_and_formfield():
    one_line, many = UserCharField(max_length=20), UserTextField()
    assert one_line.to_python(f"Rubi{RLO}\n x") == "Rubi  x"
    assert many.to_python(f"a{RLO}\r\nb\x00") == "a\nb"
    assert isinstance(one_line.formfield(), UserTextFormField)
    assert isinstance(many.formfield(), UserMultilineTextFormField)
    assert one_line.deconstruct()[1] == "shikhon.core.fields.UserCharField"


def test_form_fields_clean_and_a_hidden_only_value_is_empty():
    field = UserTextFormField(required=False)
    assert field.clean(f" {RLO}রুবি\x00 ") == "রুবি"
    assert field.clean(RLO) == ""
    required = UserTextFormField()
    with pytest.raises(ValidationError) as refused:
        required.clean(f"{RLO}\u200e")
    assert refused.value.code == "required"
    assert UserMultilineTextFormField().clean("a\r\n\u202eb") == "a\nb"
