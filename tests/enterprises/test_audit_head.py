"""The chain's head catches what the chain alone cannot: its newest entries cut off."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from clusters.models import Region
from enterprises.audit import audit_record, audit_verify


@pytest.fixture
def five_entries(ref):
    region = Region.objects.get(code="420100")
    with transaction.atomic():
        for n in range(5):
            audit_record(actor=None, action="test.step", obj=region, data={"n": n})


def _raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def test_an_intact_chain_and_head_verify(five_entries):
    assert audit_verify() is None


def test_removing_the_newest_entries_is_detected(five_entries):
    _raw("DELETE FROM enterprises_auditentry WHERE seq >= 4")
    problem = audit_verify()
    assert problem is not None
    assert problem.seq == 4
    assert "head records #5" in problem.problem
    with pytest.raises(CommandError, match="#4"):
        call_command("verify_audit_log")


def test_a_head_behind_the_chain_is_detected(five_entries):
    _raw("UPDATE enterprises_audithead SET seq = 3")
    problem = audit_verify()
    assert problem is not None
    assert "head" in problem.problem
