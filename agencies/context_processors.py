from agencies import access


def roles(request):
    """Expose the user's role to templates (for the header and the home page)."""
    user = getattr(request, "user", None)
    return {
        "user_role": access.primary_role(user),
        "is_auditor": access.is_auditor(user),
        "is_secretariat": access.is_secretariat(user),
        "is_liaison": access.is_liaison(user),
    }
