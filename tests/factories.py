"""Test data made through the services, as a real user would make it."""

from __future__ import annotations

import itertools

from facetscope.accounts.models import User
from facetscope.organisations import services
from facetscope.organisations.models import Membership, Organisation

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_user(*, email: str | None = None, name: str | None = None) -> User:
    n = next(_seq)
    return User.objects.create_user(
        email=email or f"person{n}@example.org", name=name or f"Person {n}", password=PASSWORD
    )


def make_administrator(*, email: str | None = None, name: str | None = None) -> User:
    """An installation administrator (``is_staff``), as ``facetscope createuser --admin`` makes."""
    user = make_user(email=email, name=name)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def make_organisation(*, steward: User, name: str | None = None, **extra) -> Organisation:
    n = next(_seq)
    data = {
        "country": "FR",
        "government_level": "national",
        "size_band": "250-999",
        "sectors": ["digital"],
    }
    data.update(extra)
    return services.organisation_create(actor=steward, name=name or f"Organisation {n}", **data)


def add_member(*, organisation: Organisation, user: User, role: str = "member") -> Membership:
    """Invite and accept, the way people join in the app."""
    steward = organisation.memberships.filter(role="steward").first().user
    _invitation, url = services.invitation_create(
        actor=steward, organisation=organisation, email=user.email, role=role, send_email=False
    )
    return services.invitation_accept(user=user, token=token_from_url(url))


def token_from_url(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


# --- Assessments ---------------------------------------------------------------
def make_campaign(*, organisation, steward, key: str = "portfolio-exploration", **extra):
    import datetime as dt

    from django.utils import timezone

    from facetscope.assessments.services import campaign_create
    from facetscope.instruments.selectors import latest_version

    today = timezone.localdate()
    data = {
        "title": f"{key} campaign",
        "opens_on": today,
        "closes_on": today + dt.timedelta(days=14),
        "languages": ["en", "fr"],
    }
    data.update(extra)
    return campaign_create(
        actor=steward, organisation=organisation, instrument_version=latest_version(key), **data
    )


def codebook_answers() -> dict:
    """The codebook's §7 example respondent (profile, q1–q24, projects)."""
    import json
    from pathlib import Path

    path = Path(__file__).parent / "instruments" / "fixtures" / "codebook_example.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return data.get("answers", data)


def answer_campaign(
    *, campaign, user=None, level="individual", unit=None, answers=None, language="en", submit=True
):
    """Start, answer and (by default) submit a response as a respondent would."""
    from facetscope.assessments import services
    from facetscope.instruments.scoring import normalize_answers

    definition = campaign.instrument_version.definition
    response, token = services.response_start(campaign=campaign, user=user, language=language)
    services.response_set_profile(response=response, level=level, unit=unit)
    nested = codebook_answers() if answers is None else answers
    flat = normalize_answers(definition, nested)
    flat.pop("id", None)
    services.response_save(response=response, answers=flat)
    if submit:
        response = services.response_submit(response=response, user=user)
    return response, token


# --- Portfolio -----------------------------------------------------------------
def make_project(*, organisation, actor, title=None, **fields):
    from facetscope.portfolio.services import project_create

    n = next(_seq)
    return project_create(
        actor=actor, organisation=organisation, title=title or f"Project {n}", **fields
    )
