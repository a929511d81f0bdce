"""The tamper-evident supervision log: append an entry, verify the chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from enterprises.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64
# Serialises appends on PostgreSQL so two transactions never chain onto the same entry.
_ADVISORY_LOCK_KEY = 4_200_000_001


def audit_record(
    *,
    actor,
    action: str,
    obj,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Append one entry. Must run inside the transaction of the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        created_at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=data or {},
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": entry.seq, "hash": entry.hash})
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"entry #{self.seq}: {self.problem}"


def audit_verify(batch_size: int = 2000, *, using: str = "default") -> ChainProblem | None:
    """Walk the chain in order; return the first broken link, or None when it holds.
    ``using`` names the database, e.g. a restored copy."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    entries = AuditEntry.objects.using(using).order_by("seq")
    for entry in entries.iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainProblem(expected_seq, f"missing (next entry found is #{entry.seq})")
        if entry.prev_hash != prev_hash:
            return ChainProblem(
                entry.seq, "does not follow the entry before it (removed or reordered)"
            )
        if entry.compute_hash() != entry.hash:
            return ChainProblem(entry.seq, "content altered (hash does not match)")
        prev_hash = entry.hash
        expected_seq += 1
    head = AuditHead.objects.using(using).filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is not None:
        if head.seq > last_seq:
            return ChainProblem(
                last_seq + 1,
                f"missing: the chain ends at #{last_seq} but its head records #{head.seq} "
                "(the newest entries were removed)",
            )
        if head.seq < last_seq or (last_seq and head.hash != prev_hash):
            return ChainProblem(last_seq, "the chain's head does not match its last entry")
    return None
