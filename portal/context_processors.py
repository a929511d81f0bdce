from clusters import access


def principal(request):
    """Who the user is for the policy, so the navigation shows only what they may use."""
    return {"principal": access.principal(getattr(request, "user", None))}
