"""The supervision log's hash chain, verified on a schedule; a broken chain alerts the
platform supervisors (in the portal and by e-mail) and the site's ADMINS.

Entries are never deleted: the model refuses updates and deletions, and no job or command
removes them, so the log keeps at least the 180 days the issue asks for (in fact all of it).
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.mail import mail_admins
from django.utils.translation import gettext as _

from clusters.choices import RoleKind
from enterprises.audit import ChainProblem, audit_verify
from sharing.notifications import notify

logger = logging.getLogger(__name__)


def platform_supervisors():
    return list(
        get_user_model()
        .objects.filter(is_active=True, role_grants__kind=RoleKind.PLATFORM_SUPERVISOR)
        .distinct()
    )


def audit_chain_check() -> ChainProblem | None:
    """Verify the chain; on a broken link, alert and return the problem."""
    problem = audit_verify()
    if problem is None:
        logger.info("audit log verified")
        return None
    logger.error("audit log BROKEN at %s", problem)

    def message():
        return (
            _("监管日志校验失败"),
            _(
                "监管日志的哈希链在 %(problem)s 处断开：有记录被修改、删除或重排。"
                "请立即核查数据库访问记录，并用 `manage.py verify_audit_log` 复核。"
            )
            % {"problem": problem},
        )

    notify(users=platform_supervisors(), kind="audit_broken", message=message, url="/admin/")
    mail_admins("audit log BROKEN", f"The supervision log's hash chain is broken at {problem}.")
    return problem
