"""Role writes: self-registration, approvals, invitations, grants and endings — all audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shikhon.core import sms
from shikhon.core.middleware import _current_ip
from shikhon.core.models import AuditEvent
from shikhon.people import roles
from shikhon.people.models import Role, User
from shikhon.people.scope import user_scope
from shikhon.people.tests.factories import UserFactory, grant
from shikhon.places.models import District, Division, Upazila
from shikhon.places.tests.factories import SchoolFactory

K = Role.Kind
pytestmark = pytest.mark.django_db


@pytest.fixture
def request_ip():
    """The address the middleware would have noted for the current request."""
    token = _current_ip.set("203.0.113.5")
    yield "203.0.113.5"
    _current_ip.reset(token)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def fresh(user: User) -> User:
    """The same person without a cached scope (as on their next request)."""
    return User.objects.get(pk=user.pk)


# ---------------------------------------------------------------- self-registration


def test_teacher_registers_with_a_pending_membership(places):
    role = roles.teacher_register(phone="০১৭১২৩৪৫৬৭৮", name_bn="নতুন শিক্ষক", name_en="New Teacher",
                                  school=places["school_hatia"])
    assert role.status == Role.Status.PENDING
    assert role.user.phone == "+8801712345678"
    hatia = places["school_hatia"]
    assert (role.school_id, role.upazila_id, role.district_id, role.division_id) == (
        hatia.pk, hatia.upazila_id, hatia.district_id, hatia.division_id)
    scope = user_scope(role.user)
    assert scope.pending_school_ids == {hatia.pk}
    assert not scope.school_ids and not scope.kinds


def test_registration_with_a_taken_number_stores_nothing_new(people, places):
    with pytest.raises(ValidationError) as exc:
        roles.teacher_register(phone="01711-000007", name_bn="রুবি", name_en="", school=places["school_hatia_2"])
    assert "phone" in exc.value.message_dict
    assert not Role.objects.filter(school=places["school_hatia_2"], status=Role.Status.PENDING).exists()


def test_registration_at_a_closed_school_is_refused(places):
    closed = SchoolFactory(is_active=False)
    with pytest.raises(ValidationError):
        roles.teacher_register(phone="01712345678", name_bn="ক", name_en="", school=closed)
    assert not User.objects.filter(phone="+8801712345678").exists()


@pytest.mark.parametrize("kind", ["mentor", "national_admin", "upazila_officer", "nonsense"])
def test_registration_only_as_teacher_or_head_teacher(places, kind):
    with pytest.raises(ValidationError):
        roles.teacher_register(phone="01712345678", name_bn="ক", name_en="", school=places["school_hatia"],
                               kind=kind)
    assert not User.objects.filter(phone="+8801712345678").exists()


def test_membership_request_twice_is_refused(people, places):
    rubi = people["teacher_rubi"]
    roles.membership_request(actor=rubi, school=places["school_hatia_2"])
    with pytest.raises(ValidationError) as exc:
        roles.membership_request(actor=rubi, school=places["school_hatia_2"])
    assert exc.value.code == "duplicate"
    with pytest.raises(ValidationError):  # already an active member of her own school
        roles.membership_request(actor=rubi, school=places["school_hatia"])


# ---------------------------------------------------------------- approvals


@pytest.mark.parametrize("who", ["head_teacher_masuma", "officer_hatia", "officer_noakhali", "officer_chattagram",
                                 "national_admin_nasrin"])
def test_who_may_approve_a_pending_teacher(people, who, request_ip, commit):
    zahid_role = Role.objects.get(user=people["teacher_pending_zahid"])
    with commit():
        role = roles.membership_decide(actor=people[who], role=zahid_role, approve=True)
    assert role.status == Role.Status.ACTIVE
    assert role.decided_by == people[who] and role.decided_at is not None
    assert user_scope(fresh(people["teacher_pending_zahid"])).school_ids == {zahid_role.school_id}
    event = AuditEvent.objects.get(action="membership_approved")
    assert event.actor == people[who] and event.ip_address == request_ip
    assert event.target_id == str(role.pk)
    assert [m.to for m in sms.outbox] == [people["teacher_pending_zahid"].phone]


@pytest.mark.parametrize("who", ["teacher_rubi", "mentor_hatia", "officer_other_upazila", "officer_sylhet_upazila",
                                 "head_teacher_subarnachar", "researcher_tanvir", "no_role_user",
                                 "teacher_of_other_school"])
def test_others_may_not_approve(people, who):
    zahid_role = Role.objects.get(user=people["teacher_pending_zahid"])
    with pytest.raises(PermissionDenied):
        roles.membership_decide(actor=people[who], role=zahid_role, approve=True)
    zahid_role.refresh_from_db()
    assert zahid_role.status == Role.Status.PENDING
    assert not AuditEvent.objects.exists()


def test_rejection_is_audited_and_gives_no_scope(people):
    zahid_role = Role.objects.get(user=people["teacher_pending_zahid"])
    roles.membership_decide(actor=people["officer_hatia"], role=zahid_role, approve=False)
    zahid_role.refresh_from_db()
    assert zahid_role.status == Role.Status.REJECTED
    scope = user_scope(fresh(people["teacher_pending_zahid"]))
    assert not scope.school_ids and not scope.pending_school_ids
    assert AuditEvent.objects.filter(action="membership_rejected",
                                     actor=people["officer_hatia"]).exists()
    assert sms.outbox == []


def test_double_approval_answers_already_decided(people):
    zahid_role = Role.objects.get(user=people["teacher_pending_zahid"])
    roles.membership_decide(actor=people["head_teacher_masuma"], role=zahid_role, approve=True)
    with pytest.raises(ValidationError) as exc:
        roles.membership_decide(actor=people["officer_hatia"], role=zahid_role, approve=False)
    assert exc.value.code == "decided"
    zahid_role.refresh_from_db()
    assert zahid_role.status == Role.Status.ACTIVE and zahid_role.decided_by == people["head_teacher_masuma"]
    assert AuditEvent.objects.count() == 1


def test_head_teacher_does_not_decide_head_teacher_requests(people, places):
    newcomer = UserFactory()
    request = roles.membership_request(actor=newcomer, school=places["school_hatia"], kind=K.HEAD_TEACHER)
    with pytest.raises(PermissionDenied):
        roles.membership_decide(actor=people["head_teacher_masuma"], role=request, approve=True)
    roles.membership_decide(actor=people["officer_hatia"], role=request, approve=True)


def test_nobody_approves_their_own_request(people, places):
    masuma = people["head_teacher_masuma"]
    request = roles.membership_request(actor=masuma, school=places["school_hatia"], kind=K.TEACHER)
    with pytest.raises(PermissionDenied):
        roles.membership_decide(actor=masuma, role=request, approve=True)


def test_an_ended_head_teacher_role_decides_nothing(people):
    masuma = people["head_teacher_masuma"]
    Role.objects.filter(user=masuma).update(ends_on=timezone.localdate() - timedelta(days=1),
                                            starts_on=timezone.localdate() - timedelta(days=30))
    zahid_role = Role.objects.get(user=people["teacher_pending_zahid"])
    with pytest.raises(PermissionDenied):
        roles.membership_decide(actor=fresh(masuma), role=zahid_role, approve=True)


# ---------------------------------------------------------------- grants


def test_upazila_officer_grants_a_mentor_in_own_upazila(people, places, request_ip):
    person = UserFactory()
    role = roles.role_grant(actor=people["officer_hatia"], user=person, kind=K.MENTOR, upazila=places["hatia"])
    assert role.status == Role.Status.ACTIVE and role.granted_by == people["officer_hatia"]
    assert (role.upazila_id, role.district_id, role.division_id) == (
        places["hatia"].pk, places["noakhali"].pk, places["chattagram"].pk)
    assert user_scope(person).upazila_ids == {places["hatia"].pk}
    event = AuditEvent.objects.get(action="role_granted")
    assert event.actor == people["officer_hatia"] and event.ip_address == request_ip
    assert event.details["kind"] == K.MENTOR and event.details["upazila"] == places["hatia"].pk


@pytest.mark.parametrize("who, kind, place, allowed", [
    ("officer_hatia", K.TEACHER, "school_hatia_2", True),
    ("officer_hatia", K.HEAD_TEACHER, "school_hatia_2", True),
    ("officer_hatia", K.TEACHER, "school_subarnachar", False),      # another upazila
    ("officer_hatia", K.UPAZILA_OFFICER, "hatia", False),           # not a peer
    ("officer_hatia", K.MENTOR, "subarnachar", False),
    ("officer_noakhali", K.UPAZILA_OFFICER, "subarnachar", True),
    ("officer_noakhali", K.DISTRICT_OFFICER, "noakhali", False),
    ("officer_noakhali", K.TEACHER, "school_sylhet", False),
    ("officer_chattagram", K.DISTRICT_OFFICER, "noakhali", True),
    ("officer_chattagram", K.DIVISION_OFFICER, "chattagram", False),
    ("officer_chattagram", K.NATIONAL_ADMIN, None, False),
    ("national_admin_nasrin", K.DIVISION_OFFICER, "chattagram", True),
    ("national_admin_nasrin", K.RESEARCHER, None, True),
    ("national_admin_nasrin", K.MENTOR, None, True),               # a national mentor
    ("head_teacher_masuma", K.TEACHER, "school_hatia", True),
    ("head_teacher_masuma", K.HEAD_TEACHER, "school_hatia", False),
    ("head_teacher_masuma", K.TEACHER, "school_hatia_2", False),
    ("mentor_hatia", K.TEACHER, "school_hatia", False),
    ("teacher_rubi", K.TEACHER, "school_hatia", False),
    ("researcher_tanvir", K.RESEARCHER, None, False),
])
def test_who_may_grant_what_where(people, places, who, kind, place, allowed):
    target = places[place] if place else None
    kwargs = {}
    if target is not None:
        kwargs[{"School": "school", "Upazila": "upazila", "District": "district",
                "Division": "division"}[type(target).__name__]] = target
    person = UserFactory()
    if allowed:
        role = roles.role_grant(actor=people[who], user=person, kind=kind, **kwargs)
        assert role.pk and role.kind == kind
    else:
        with pytest.raises(PermissionDenied):
            roles.role_grant(actor=people[who], user=person, kind=kind, **kwargs)
        assert not Role.objects.filter(user=person).exists()
        assert not AuditEvent.objects.exists()


def test_role_is_placed_at_the_level_of_its_kind(people, places):
    admin = people["national_admin_nasrin"]
    school = places["school_hatia"]
    officer = roles.role_grant(actor=admin, user=UserFactory(), kind=K.DISTRICT_OFFICER,
                               district=places["noakhali"], upazila=places["hatia"], school=school)
    assert officer.upazila_id is None and officer.school_id is None
    assert officer.district_id == places["noakhali"].pk
    mentor = roles.role_grant(actor=admin, user=UserFactory(), kind=K.MENTOR, school=school)
    assert mentor.school_id is None and mentor.upazila_id == school.upazila_id
    researcher = roles.role_grant(actor=admin, user=UserFactory(), kind=K.RESEARCHER, school=school)
    assert (researcher.school_id, researcher.upazila_id, researcher.district_id) == (None, None, None)


@pytest.mark.parametrize("kind, missing", [(K.TEACHER, "school"), (K.UPAZILA_OFFICER, "upazila"),
                                           (K.DISTRICT_OFFICER, "district"), (K.DIVISION_OFFICER, "division")])
def test_a_role_without_its_place_is_refused_with_a_sentence(people, kind, missing):
    with pytest.raises(ValidationError) as exc:
        roles.role_grant(actor=people["national_admin_nasrin"], user=UserFactory(), kind=kind)
    assert missing in exc.value.message_dict


def test_unknown_kind_is_refused(people):
    with pytest.raises(ValidationError):
        roles.role_grant(actor=people["national_admin_nasrin"], user=UserFactory(), kind="king")


def test_nobody_grants_themselves_a_role(people, places):
    admin = people["national_admin_nasrin"]
    with pytest.raises(ValidationError) as exc:
        roles.role_grant(actor=admin, user=admin, kind=K.MENTOR, upazila=places["hatia"])
    assert exc.value.code == "self_grant"


def test_duplicate_open_role_is_refused(people, places):
    with pytest.raises(ValidationError) as exc:
        roles.role_grant(actor=people["officer_hatia"], user=people["teacher_rubi"], kind=K.TEACHER,
                         school=places["school_hatia"])
    assert exc.value.code == "duplicate"


def test_role_with_end_date_before_start_is_refused(people, places):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        roles.role_grant(actor=people["officer_hatia"], user=UserFactory(), kind=K.MENTOR, upazila=places["hatia"],
                         starts_on=today, ends_on=today - timedelta(days=1))
    assert "ends_on" in exc.value.message_dict


def test_future_role_gives_scope_only_from_its_start(people, places):
    person = UserFactory()
    roles.role_grant(actor=people["officer_hatia"], user=person, kind=K.MENTOR, upazila=places["hatia"],
                     starts_on=timezone.localdate() + timedelta(days=3))
    assert not user_scope(person).upazila_ids


def test_grant_by_phone_makes_an_account_for_a_new_person(people, places):
    role = roles.role_grant_by_phone(actor=people["officer_hatia"], phone="০১৭১২৩৪৫৬৭৮", name_bn="নতুন",
                                     kind=K.TEACHER, school=places["school_hatia_2"])
    assert role.user.phone == "+8801712345678" and role.user.name_bn == "নতুন"


def test_grant_by_phone_needs_a_name_for_a_new_person(people, places):
    with pytest.raises(ValidationError) as exc:
        roles.role_grant_by_phone(actor=people["officer_hatia"], phone="01712345678", name_bn="",
                                  kind=K.TEACHER, school=places["school_hatia_2"])
    assert "name_bn" in exc.value.message_dict


def test_refused_grant_by_phone_makes_no_account(people, places):
    with pytest.raises(PermissionDenied):
        roles.role_grant_by_phone(actor=people["officer_hatia"], phone="01712345678", name_bn="নতুন",
                                  kind=K.TEACHER, school=places["school_sylhet"])
    assert not User.objects.filter(phone="+8801712345678").exists()


# ---------------------------------------------------------------- ending roles


def test_ending_a_role_takes_effect_at_once_and_is_audited(people, places, request_ip):
    mentor = people["mentor_hatia"]
    role = Role.objects.get(user=mentor)
    Role.objects.filter(pk=role.pk).update(starts_on=timezone.localdate() - timedelta(days=100))
    ended = roles.role_end(actor=people["officer_hatia"], role=role)
    assert ended.ends_on == timezone.localdate() - timedelta(days=1)
    assert not user_scope(fresh(mentor)).upazila_ids
    event = AuditEvent.objects.get(action="role_ended")
    assert event.actor == people["officer_hatia"] and event.ip_address == request_ip


def test_ending_a_role_granted_today_closes_it(people, places):
    person = UserFactory()
    role = roles.role_grant(actor=people["officer_hatia"], user=person, kind=K.MENTOR, upazila=places["hatia"])
    roles.role_end(actor=people["officer_hatia"], role=role)
    role.refresh_from_db()
    assert role.ends_on >= role.starts_on
    assert not role.is_current
    assert not user_scope(fresh(person)).upazila_ids


def test_ending_twice_answers_already_ended(people):
    role = Role.objects.get(user=people["mentor_hatia"])
    roles.role_end(actor=people["officer_hatia"], role=role)
    with pytest.raises(ValidationError) as exc:
        roles.role_end(actor=people["officer_hatia"], role=role)
    assert exc.value.code == "already_ended"
    assert AuditEvent.objects.filter(action="role_ended").count() == 1


def test_an_end_date_may_be_set_ahead(people):
    role = Role.objects.get(user=people["mentor_hatia"])
    later = timezone.localdate() + timedelta(days=30)
    roles.role_end(actor=people["officer_hatia"], role=role, ends_on=later)
    role.refresh_from_db()
    assert role.ends_on == later and role.is_current


@pytest.mark.parametrize("who, target", [
    ("officer_other_upazila", "mentor_hatia"),
    ("officer_hatia", "officer_hatia"),          # nobody ends their own role
    ("officer_hatia", "officer_noakhali"),
    ("head_teacher_masuma", "head_teacher_masuma"),
    ("head_teacher_subarnachar", "teacher_rubi"),
    ("teacher_rubi", "teacher_rubi"),
    ("mentor_hatia", "teacher_rubi"),
])
def test_who_may_not_end_a_role(people, who, target):
    role = Role.objects.get(user=people[target])
    with pytest.raises(PermissionDenied):
        roles.role_end(actor=people[who], role=role)
    role.refresh_from_db()
    assert role.ends_on is None


def test_pending_requests_are_rejected_not_ended(people):
    role = Role.objects.get(user=people["teacher_pending_zahid"])
    with pytest.raises(ValidationError) as exc:
        roles.role_end(actor=people["officer_hatia"], role=role)
    assert exc.value.code == "not_active"


# ---------------------------------------------------------------- invitations


def test_head_teacher_invites_a_new_teacher_by_phone(people, places, request_ip, commit):
    with commit():
        role = roles.teacher_invite(actor=people["head_teacher_masuma"], phone="+880 1712-345678",
                                    name_bn="নতুন শিক্ষক", school=places["school_hatia"])
    assert role.status == Role.Status.ACTIVE and role.user.phone == "+8801712345678"
    assert sms.outbox[-1].to == "+8801712345678"
    invited = AuditEvent.objects.get(action="invitation_sent")
    assert invited.actor == people["head_teacher_masuma"] and invited.ip_address == request_ip
    assert invited.details["new_account"] is True
    assert AuditEvent.objects.filter(action="role_granted").exists()


def test_inviting_someone_already_waiting_approves_them(people, places, commit):
    zahid = people["teacher_pending_zahid"]
    with commit():
        role = roles.teacher_invite(actor=people["officer_hatia"], phone=zahid.phone, name_bn="x",
                                    school=places["school_hatia"])
    assert role.status == Role.Status.ACTIVE and role.user == zahid
    assert Role.objects.filter(user=zahid).count() == 1
    assert AuditEvent.objects.filter(action="membership_approved").exists()
    assert AuditEvent.objects.filter(action="invitation_sent").exists()


@pytest.mark.parametrize("who, school", [("head_teacher_masuma", "school_hatia_2"),
                                         ("officer_hatia", "school_subarnachar"),
                                         ("officer_noakhali", "school_sylhet")])
def test_invitation_outside_ones_area_is_refused_and_stores_nothing(people, places, who, school):
    with pytest.raises(PermissionDenied):
        roles.teacher_invite(actor=people[who], phone="01712345678", name_bn="নতুন", school=places[school])
    assert not User.objects.filter(phone="+8801712345678").exists()
    assert sms.outbox == []
    assert not AuditEvent.objects.exists()


def test_invite_is_only_for_school_roles(people, places):
    with pytest.raises(ValidationError):
        roles.teacher_invite(actor=people["national_admin_nasrin"], phone="01712345678", name_bn="নতুন",
                             school=places["school_hatia"], kind=K.MENTOR)


def test_places_of_the_geography_are_consistent(places):
    # The named places used above really nest as the tests assume.
    hatia = Upazila.objects.get(pk=places["hatia"].pk)
    assert hatia.district_id == places["noakhali"].pk
    assert District.objects.get(pk=hatia.district_id).division_id == places["chattagram"].pk
    assert Division.objects.get(pk=places["chattagram"].pk)
    assert places["subarnachar"].district_id == places["noakhali"].pk
    assert places["sylhet_upazila"].division_id != places["chattagram"].pk


def test_grant_helper_matches_the_service(people, places):
    # factories.grant places roles the same way the service does
    by_factory = grant(UserFactory(), K.TEACHER, school=places["school_hatia"])
    by_service = roles.role_grant(actor=people["officer_hatia"], user=UserFactory(), kind=K.TEACHER,
                                  school=places["school_hatia"])
    fields = ("school_id", "upazila_id", "district_id", "division_id")
    assert [getattr(by_factory, f) for f in fields] == [getattr(by_service, f) for f in fields]
