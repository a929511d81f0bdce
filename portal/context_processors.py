from clusters import access
from sharing.notifications import unread_count


def principal(request):
    """Who the user is for the policy, so the navigation shows only what they may use, and
    the unread count for the notification bell."""
    user = getattr(request, "user", None)
    return {
        "principal": access.principal(user),
        "unread_notifications": unread_count(user) if user is not None else 0,
    }
