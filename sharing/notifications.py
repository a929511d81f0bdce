"""In-app notifications, with an e-mail copy after commit, each in the recipient's language."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import override

from sharing.bulk import copy_into
from sharing.models import Notification

# A function returning (title, body); called once per recipient with their language active,
# so the same event reads in Chinese for one user and in English for another.
Message = Callable[[], tuple[str, str]]


def notify(
    *, users, kind: str, message: Message, url: str = "", email: bool = True
) -> list[Notification]:
    """Create one notification per active user; e-mail them after the transaction commits."""
    rendered = _render(users, message)
    notes = Notification.objects.bulk_create(
        [Notification(user=u, kind=kind, title=t, body=b, url=url) for u, t, b in rendered]
    )
    if email and rendered:
        mails = [(u.email, t, b) for u, t, b in rendered]
        ids = [n.pk for n in notes if n.pk]
        link = f"{settings.SITE_URL.rstrip('/')}{url}" if url else ""

        def send():
            for address, title, body in mails:
                send_mail(
                    title,
                    f"{body}\n\n{link}".strip(),
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                    fail_silently=True,
                )
            if ids:
                Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())

        transaction.on_commit(send)
    return notes


def _render(users, message: Message) -> list[tuple]:
    rendered = []
    for user in users:
        if user is None or not user.is_active:
            continue
        with override(user.language or settings.LANGUAGE_CODE):
            title, body = message()
        rendered.append((user, str(title)[:200], str(body)))
    return rendered


def notify_in_app(*, kind: str, items) -> int:
    """Many in-app notifications (no e-mail) in one COPY; ``items`` are
    ``(users, message, url)``, each rendered like :func:`notify` does. Returns how many."""
    # Each message is rendered once per language, with each language activated once (a batch
    # of matches notifies a thousand listings' members, most of them in the same language).
    wanted: dict[str, set[int]] = defaultdict(set)
    for n, (users, _message, _url) in enumerate(items):
        for user in users:
            if user is not None and user.is_active:
                wanted[user.language or settings.LANGUAGE_CODE].add(n)
    rendered: dict[tuple[str, int], tuple[str, str]] = {}
    for language, numbers in wanted.items():
        with override(language):
            for n in numbers:
                title, body = items[n][1]()
                rendered[(language, n)] = (str(title)[:200], str(body))
    rows = []
    for n, (users, _message, url) in enumerate(items):
        for user in users:
            if user is None or not user.is_active:
                continue
            language = user.language or settings.LANGUAGE_CODE
            rows.append((user.pk, kind, *rendered[(language, n)], url))
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        now = timezone.now()
        copy_into(
            "sharing_notification",
            ("user_id", "kind", "title", "body", "url", "created_at"),
            [(*row, now) for row in rows],
        )
    else:
        Notification.objects.bulk_create(
            [
                Notification(user_id=user_id, kind=kind, title=title, body=body, url=url)
                for user_id, kind, title, body, url in rows
            ],
            batch_size=500,
        )
    return len(rows)


def members_of(enterprise_id: int) -> list:
    from enterprises.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(enterprise_id=enterprise_id).select_related("user")
    ]


class Recipient(NamedTuple):
    """What :func:`notify_in_app` needs of a user: who, whether active, in which language."""

    pk: int
    is_active: bool
    language: str
    recommendations_enabled: bool


def recipients_of_many(enterprise_ids) -> dict[int, list[Recipient]]:
    """The active members of several enterprises in one query: enterprise id → recipients
    (four columns each, not whole users: a re-match batch tells a thousand enterprises)."""
    from enterprises.models import Membership

    members: dict[int, list[Recipient]] = {}
    # Each enterprise's members in Membership's order (role, then who joined first), by the
    # enterprise's id: its default order goes by the enterprise's name, which joined the
    # whole enterprise table to a batch's thousands of members (half the query's time).
    rows = (
        Membership.objects.filter(enterprise_id__in=enterprise_ids, user__is_active=True)
        .order_by("enterprise_id", "-role", "joined_at")
        .values_list(
            "enterprise_id",
            "user_id",
            "user__is_active",
            "user__language",
            "user__recommendations_enabled",
        )
    )
    for enterprise_id, *user in rows:
        members.setdefault(enterprise_id, []).append(Recipient(*user))
    return members


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, actor, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
