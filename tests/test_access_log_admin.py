"""The log of reading personal data is shown to the system administrator in the admin, and
nobody can add, change or delete an entry of it."""

from __future__ import annotations

import pytest

from canbo.access.models import FileAccess

pytestmark = pytest.mark.django_db


def test_the_log_is_listed_and_read_only(world, client):
    admin = world.users["admin"]
    person = world.people["dongdang"]
    entry = FileAccess.objects.create(
        user=admin, username="admin", action="view", person=person, what="hồ sơ"
    )
    client.force_login(admin)
    listing = client.get("/admin/access/fileaccess/")
    assert listing.status_code == 200
    assert person.full_name in listing.content.decode()
    assert client.get("/admin/access/fileaccess/add/").status_code == 403
    before = FileAccess.objects.get(pk=entry.pk).what
    client.post(f"/admin/access/fileaccess/{entry.pk}/change/", {"what": "sửa"})
    assert FileAccess.objects.get(pk=entry.pk).what == before
    assert client.post(f"/admin/access/fileaccess/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert FileAccess.objects.filter(pk=entry.pk).exists()
