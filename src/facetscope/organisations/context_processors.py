from facetscope.organisations.selectors import memberships_for_user


def current_organisation(request):
    """The organisation switcher: the user's memberships and the one in view."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    access = getattr(request, "org_access", None)
    return {
        "my_memberships": memberships_for_user(user=user),
        "org_access": access,
        "current_org": access.organisation if access else None,
    }
