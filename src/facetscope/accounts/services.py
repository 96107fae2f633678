from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from facetscope.accounts.models import User
from facetscope.audit.services import audit_record


@transaction.atomic
def user_signup(*, email: str, name: str, password: str, language: str = "") -> User:
    email = (email or "").strip().lower()
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if not name:
        errors["name"] = [_("Tell us your name.")]
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [
            _("An account with this e-mail address already exists. Sign in instead.")
        ]
    candidate = User(email=email, name=name)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        errors["password1"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(
        email=email, password=password, name=name, preferred_language=language
    )
    audit_record(action="account.signed_up", actor=user, obj=user)
    return user
