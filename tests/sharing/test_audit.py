"""The supervision log behind listings: every state change appends an entry chained by hash,
``verify_audit_log`` names the first entry altered, removed or moved, and nobody changes or
deletes an entry through the models, the admin or the API.

Tampering is done the way an intruder with database access would: raw SQL, below the
model's guards.
"""

from __future__ import annotations

import json
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from enterprises.audit import audit_verify
from enterprises.models import AuditEntry
from sharing.choices import ListingStatus as S
from sharing.moderation import listing_transition
from tests.sharing.helpers import login

TABLE = AuditEntry._meta.db_table
CONTENT = [
    "created_at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "from_state",
    "to_state",
    "reason",
    "data",
    "prev_hash",
    "hash",
]


@pytest.fixture
def history(cast, listings):
    """A listing of firm A submitted, rejected with a reason, resubmitted and approved;
    returns its entries in order."""
    listing = listings.in_status(S.PENDING)
    listing_transition(
        actor=cast.park_admin_a,
        listing=listing,
        action="reject",
        reason="incomplete",
        note="缺少设备照片。",
    )
    listing_transition(actor=cast.member_a, listing=listing, action="submit")
    listing_transition(actor=cast.park_admin_a, listing=listing, action="approve")
    return list(AuditEntry.objects.filter(object_type="sharing.listing", object_id=str(listing.pk)))


def verify() -> str:
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    with pytest.raises(CommandError) as broken:
        verify()
    return str(broken.value)


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_every_state_change_is_in_the_log_and_the_chain_holds(history):
    assert [(e.action, e.from_state, e.to_state) for e in history] == [
        ("listing.create", "", S.DRAFT),
        ("listing.submit", S.DRAFT, S.PENDING),
        ("listing.reject", S.PENDING, S.REJECTED),
        ("listing.submit", S.REJECTED, S.PENDING),
        ("listing.approve", S.PENDING, S.PUBLISHED),
    ]
    assert history[2].reason == "incomplete 缺少设备照片。"
    assert [e.seq for e in history] == list(range(history[0].seq, history[0].seq + 5))
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(history))
    assert audit_verify() is None
    assert f"audit log OK ({AuditEntry.objects.count()} entries)" in verify()


def test_an_altered_reason_is_detected_at_that_entry(history):
    rejected = history[2]
    sql(f"UPDATE {TABLE} SET reason = %s WHERE seq = %s", ["信息完整", rejected.seq])

    message = verify_fails()

    assert f"entry #{rejected.seq}: content altered" in message
    assert audit_verify().seq == rejected.seq


def test_altered_details_are_detected(history):
    approved = history[4]
    sql(f"UPDATE {TABLE} SET data = %s WHERE seq = %s", [json.dumps({"x": 1}), approved.seq])
    assert f"entry #{approved.seq}: content altered" in verify_fails()


def test_a_deleted_entry_is_detected(history):
    removed = history[2]
    sql(f"DELETE FROM {TABLE} WHERE seq = %s", [removed.seq])

    message = verify_fails()

    assert f"entry #{removed.seq}: missing" in message


def test_a_deleted_entry_renumbered_over_is_detected(history):
    """Removing an entry and shifting the later ones down keeps the numbering gapless; the
    chain of hashes still breaks where the entry was."""
    removed = history[2]
    sql(f"DELETE FROM {TABLE} WHERE seq = %s", [removed.seq])
    for entry in history[3:]:
        sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [entry.seq - 1, entry.seq])

    assert f"entry #{removed.seq}: does not follow" in verify_fails()


@pytest.mark.parametrize(("first", "second"), [(1, 2), (0, 4)], ids=["adjacent", "apart"])
def test_two_swapped_entries_are_detected(history, first, second):
    a, b = history[first], history[second]
    rows = {e.seq: AuditEntry.objects.filter(seq=e.seq).values(*CONTENT).get() for e in (a, b)}
    assignments = ", ".join(f"{name} = %s" for name in CONTENT)

    def put(seq: int, row: dict) -> None:
        values = [json.dumps(row[n]) if n == "data" else row[n] for n in CONTENT]
        sql(f"UPDATE {TABLE} SET {assignments} WHERE seq = %s", [*values, seq])

    sql(f"UPDATE {TABLE} SET hash = %s WHERE seq = %s", ["0" * 63 + "x", b.seq])  # hash is unique
    put(a.seq, rows[b.seq])
    put(b.seq, rows[a.seq])
    assert AuditEntry.objects.get(seq=a.seq).to_state == b.to_state  # really swapped

    assert f"entry #{a.seq}:" in verify_fails()
    assert audit_verify().seq == a.seq


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(history):
    entry = history[2]
    entry.reason = "信息完整"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="信息完整")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "incomplete 缺少设备照片。"


@pytest.fixture
def site_staff(db):
    return get_user_model().objects.create_superuser(email="staff@example.com", name="运维")


def test_site_staff_can_read_but_not_change_an_entry_in_the_admin(client, site_staff, history):
    entry = history[2]
    login(client, site_staff)
    url = f"/admin/enterprises/auditentry/{entry.pk}/change/"

    assert client.get(url).status_code == 200  # readable
    response = client.post(
        url,
        {"seq": entry.seq, "action": entry.action, "reason": "信息完整", "to_state": S.PUBLISHED},
    )

    assert response.status_code == 403
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.reason, stored.to_state) == ("incomplete 缺少设备照片。", S.REJECTED)
    assert audit_verify() is None


def test_site_staff_cannot_delete_an_entry_in_the_admin(client, site_staff, history):
    entry = history[2]
    count = AuditEntry.objects.count()
    login(client, site_staff)

    response = client.post(f"/admin/enterprises/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    # Nor by the change list's bulk action.
    client.post(
        "/admin/enterprises/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert client.get("/admin/enterprises/auditentry/add/").status_code == 403

    assert AuditEntry.objects.count() == count
    assert audit_verify() is None


def test_the_api_offers_the_log_to_read_only(client, cast, history):
    login(client, cast.supervisor)
    listed = client.get("/api/v1/audit/")
    assert listed.status_code == 200
    entry = history[2]
    assert client.post("/api/v1/audit/", {}, content_type="application/json").status_code == 405
    for method in (client.put, client.patch, client.delete):
        response = method(f"/api/v1/audit/{entry.pk}/", {}, content_type="application/json")
        assert response.status_code in (404, 405)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "incomplete 缺少设备照片。"
    assert audit_verify() is None
