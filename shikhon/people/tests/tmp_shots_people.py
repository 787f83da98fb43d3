import pytest
from django.urls import reverse

CSS = "file:///work/main/static/css/site.css"


def dump(client, url, name):
    html = client.get(url).content.decode().replace("/static/css/site.css", CSS)
    open(f"/tmp/shots/{name}.html", "w").write(html)


@pytest.mark.django_db
def test_dump(client, people, places):
    client.force_login(people["officer_hatia"])
    dump(client, reverse("people:roles"), "roles")
    client.force_login(people["head_teacher_masuma"])
    dump(client, reverse("people:approvals"), "approvals")
    client.logout()
    client.post(reverse("people:sign_in"), {"phone": "01711000007"})
    dump(client, reverse("people:sign_in_code"), "code")
