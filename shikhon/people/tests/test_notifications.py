"""People's events tell the person through notify: approvals, rejections, invitations."""

from django.urls import reverse

from shikhon.core import sms
from shikhon.notify import selectors


def test_approval_notifies_the_teacher(client, people, django_capture_on_commit_callbacks):
    from shikhon.people.models import Role

    role = Role.objects.get(user=people["teacher_pending_zahid"])
    client.force_login(people["head_teacher_masuma"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:approvals"), {"role": role.pk, "decision": "approve"})
    zahid = people["teacher_pending_zahid"]
    assert selectors.notifications_of(zahid).get().kind == "membership_approved"
    assert [m.to for m in sms.outbox] == [zahid.phone]


def test_rejection_and_invitation_notify_too(client, people, places, django_capture_on_commit_callbacks):
    from shikhon.people import roles
    from shikhon.people.models import Role

    role = Role.objects.get(user=people["teacher_pending_zahid"])
    with django_capture_on_commit_callbacks(execute=True):
        roles.membership_decide(actor=people["officer_hatia"], role=role, approve=False)
        invited = roles.teacher_invite(actor=people["head_teacher_masuma"], phone="01799000777", name_bn="নতুন শিক্ষক",
                                       school=places["school_hatia"])
    assert selectors.notifications_of(people["teacher_pending_zahid"]).get().kind == "membership_rejected"
    assert selectors.notifications_of(invited.user).get().kind == "added_to_school"
    assert sorted(m.to for m in sms.outbox) == sorted([people["teacher_pending_zahid"].phone, invited.user.phone])
