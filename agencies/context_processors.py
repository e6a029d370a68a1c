from agencies import policy


def roles(request):
    """Expose the user's role to templates (for the header and the home page)."""
    user = getattr(request, "user", None)
    return {
        "user_role": policy.primary_role(user),
        "is_auditor": policy.is_auditor(user),
        "is_secretariat": policy.is_secretariat(user),
        "is_liaison": policy.is_liaison(user),
    }
