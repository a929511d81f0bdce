"""The daily e-mail: new matches and saved-search hits, for those who opted in."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from sharing.alerts import matching_listings
from sharing.choices import AlertFrequency
from sharing.models import Match, SavedSearch


def digest_for(user, since) -> dict:
    """What one user's digest holds since ``since``; empty lists when nothing is new."""
    matches = []
    enterprise_id = getattr(getattr(user, "membership", None), "enterprise_id", None)
    if enterprise_id and user.recommendations_enabled:
        matches = list(
            Match.objects.filter(
                Q(offer__enterprise_id=enterprise_id) | Q(request__enterprise_id=enterprise_id),
                created_at__gte=since,
                offer__status="published",
                request__status="published",
            )
            .select_related("offer", "request")
            .order_by("-score")[:10]
        )
    searches = []
    for saved in SavedSearch.objects.filter(user=user, frequency=AlertFrequency.DAILY):
        hits = list(matching_listings(saved).filter(published_at__gte=since)[:5])
        if hits:
            searches.append((saved, hits))
    return {"matches": matches, "searches": searches, "enterprise_id": enterprise_id}


def send_daily_digests(now=None) -> int:
    """Send each opted-in user their digest for the last day; returns e-mails sent."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    sent = 0
    users = (
        get_user_model()
        .objects.filter(is_active=True, digest_opt_in=True)
        .select_related("membership")
    )
    for user in users.iterator(chunk_size=200):
        content = digest_for(user, since)
        if not content["matches"] and not content["searches"]:
            continue
        with override(user.language or settings.LANGUAGE_CODE):
            context = {"user": user, "site_url": settings.SITE_URL.rstrip("/"), **content}
            subject = render_to_string("sharing/email/digest_subject.txt", context).strip()
            body = render_to_string("sharing/email/digest.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)
        sent += 1
    return sent
