"""Writes for campaigns and responses.

Validation happens before anything is saved; every write is one transaction.
A response is locked (SELECT … FOR UPDATE) while it is saved or submitted, so
two tabs or devices saving at once never lose an answer, and a submitted
response can never change.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facetscope.assessments import answers as answer_logic
from facetscope.assessments.anonymity import MIN_GROUP_SIZE_FLOOR
from facetscope.assessments.choices import Audience, Level, ResponseStatus
from facetscope.assessments.models import Answer, Campaign, Participation, Response
from facetscope.assessments.results import summary_of
from facetscope.audit.services import audit_record
from facetscope.instruments.models import InstrumentVersion
from facetscope.instruments.scoring import AnswerError
from facetscope.organisations.models import Membership, Unit, hash_token


def _answer_errors(exc: AnswerError) -> ValidationError:
    grouped: dict[str, list[str]] = {}
    for item, message in exc.errors:
        grouped.setdefault(item, []).append(message)
    return ValidationError(grouped)


# --- Campaigns ---------------------------------------------------------------
@transaction.atomic
def campaign_create(
    *,
    actor,
    organisation,
    instrument_version: InstrumentVersion,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    audience: str = Audience.MEMBERS,
    units: Iterable[Unit] = (),
    anonymous: bool = True,
    min_group_size: int = 5,
    languages: Iterable[str] = ("en",),
    ask_unit: bool = True,
) -> Campaign:
    units = list(units)
    languages = list(languages)
    offered = instrument_version.definition.languages
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("Give the campaign a title.")
    if closes_on < opens_on:
        errors["closes_on"] = _("The campaign cannot close before it opens.")
    if min_group_size < MIN_GROUP_SIZE_FLOOR:
        errors["min_group_size"] = _("The minimum group size cannot be below %(n)s.") % {
            "n": MIN_GROUP_SIZE_FLOOR
        }
    if audience not in Audience.values:
        errors["audience"] = _("Unknown audience %(value)s.") % {"value": repr(audience)}
    if audience == Audience.UNITS and not units:
        errors["units"] = _("Choose at least one unit.")
    if any(u.organisation_id != organisation.pk for u in units):
        errors["units"] = _("That unit belongs to another organisation.")
    if not languages:
        errors["languages"] = _("Offer at least one language.")
    elif unknown := [lang for lang in languages if lang not in offered]:
        errors["languages"] = _("The instrument is not available in: %(langs)s.") % {
            "langs": ", ".join(unknown)
        }
    if audience == Audience.LINK and not anonymous:
        errors["anonymous"] = _("Campaigns open to anyone with the link are always anonymous.")
    if instrument_version.key == "project-facets":
        errors["instrument_version"] = _("This instrument places projects; it is not a survey.")
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        organisation=organisation,
        instrument_version=instrument_version,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        audience=audience,
        anonymous=anonymous,
        min_group_size=min_group_size,
        languages=languages,
        ask_unit=ask_unit,
        created_by=actor,
    )
    if audience == Audience.UNITS:
        campaign.units.set(units)
    audit_record(
        action="assessment.campaign.created",
        actor=actor,
        organisation=organisation,
        obj=campaign,
        payload={
            "instrument": str(instrument_version),
            "anonymous": anonymous,
            "min_group_size": min_group_size,
        },
    )
    return campaign


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    if campaign.closed_at is not None:
        raise ValidationError(_("This campaign is already closed."))
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["closed_at"])
    audit_record(
        action="assessment.campaign.closed",
        actor=actor,
        organisation=campaign.organisation,
        obj=campaign,
    )
    return campaign


# --- Who may answer ------------------------------------------------------------
def _unit_and_descendants(units: Iterable[Unit]) -> set[int]:
    wanted = {u.pk for u in units}
    if not wanted:
        return set()
    organisation_id = next(iter(units)).organisation_id
    parent_of = dict(
        Unit.objects.filter(organisation_id=organisation_id).values_list("pk", "parent_id")
    )
    result = set()
    for pk in parent_of:
        node = pk
        while node is not None:
            if node in wanted:
                result.add(pk)
                break
            node = parent_of.get(node)
    return result


def check_may_answer(*, campaign: Campaign, user) -> None:
    """Raise ValidationError saying why ``user`` may not answer (None: anyone with the link)."""
    if not campaign.is_open:
        raise ValidationError(_("This campaign is not open for answers."))
    if campaign.audience == Audience.LINK:
        return
    if user is None or not user.is_authenticated:
        raise ValidationError(_("Sign in to answer this campaign."))
    membership = Membership.objects.filter(organisation=campaign.organisation, user=user).first()
    if membership is None:
        raise ValidationError(_("This campaign is for members of the organisation."))
    if campaign.audience == Audience.UNITS:
        allowed = _unit_and_descendants(campaign.units.all())
        if membership.unit_id not in allowed:
            raise ValidationError(_("This campaign is for members of other units."))


# --- Responses ---------------------------------------------------------------
def response_for_token(token: str) -> Response | None:
    if not token:
        return None
    return (
        Response.objects.select_related("campaign__instrument_version")
        .defer("campaign__instrument_version__definition_data")
        .filter(resume_token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def response_start(*, campaign: Campaign, user=None, language: str = "en") -> tuple[Response, str]:
    """Begin (or, for a named respondent, resume) a response; returns it with its resume token.

    The token is the respondent's private key to the response: only its hash
    is stored.
    """
    check_may_answer(campaign=campaign, user=user)
    if language not in campaign.languages:
        language = campaign.languages[0]
    named = not campaign.anonymous and user is not None and user.is_authenticated
    token = secrets.token_urlsafe(24)
    if named:
        existing = (
            Response.objects.select_for_update().filter(campaign=campaign, respondent=user).first()
        )
        if existing is not None:
            if existing.is_submitted:
                raise ValidationError(_("You have already answered this campaign."))
            existing.resume_token_hash = hash_token(token)
            existing.save(update_fields=["resume_token_hash"])
            return existing, token
    elif campaign.audience != Audience.LINK:
        participation, _created = Participation.objects.select_for_update().get_or_create(
            campaign=campaign, user=user
        )
        if participation.submitted:
            raise ValidationError(_("You have already answered this campaign."))
    response = Response.objects.create(
        campaign=campaign,
        respondent=user if named else None,
        resume_token_hash=hash_token(token),
        language=language,
    )
    return response, token


def _locked(response: Response) -> Response:
    """Lock the response row for this transaction; refuse if it may no longer change.

    ``response`` comes with its campaign loaded; only the status is read again,
    under the lock.
    """
    status = (
        Response.objects.select_for_update()
        .filter(pk=response.pk)
        .values_list("status", flat=True)
        .get()
    )
    if status == ResponseStatus.SUBMITTED:
        raise ValidationError(_("This response has been submitted and can no longer change."))
    if not response.campaign.is_open:
        raise ValidationError(_("This campaign is closed."))
    response.status = status
    return response


@transaction.atomic
def response_set_profile(
    *, response: Response, level: str, unit: Unit | None = None, language: str | None = None
) -> Response:
    response = _locked(response)
    campaign = response.campaign
    errors = {}
    if level not in Level.values:
        errors["level"] = _("Choose the level that describes your role.")
    if unit is not None and unit.organisation_id != campaign.organisation_id:
        errors["unit"] = _("That unit belongs to another organisation.")
    if language is not None and language not in campaign.languages:
        errors["language"] = _("This campaign is not offered in that language.")
    if errors:
        raise ValidationError(errors)
    response.level = level
    response.unit = unit if campaign.ask_unit else None
    if language:
        response.language = language
    response.save(update_fields=["level", "unit", "language"])
    return response


@transaction.atomic
def response_save(*, response: Response, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Save some answers (one page, or one autosaved field); ``None`` clears an answer.

    Returns the cleaned answers. Only the items given are touched, so saves of
    different pages from two devices merge.
    """
    response = _locked(response)
    definition = response.campaign.instrument_version.definition
    given = {k: v for k, v in answers.items() if v is not None}
    try:
        clean = answer_logic.check_partial(definition, given)
    except AnswerError as exc:
        raise _answer_errors(exc) from None
    cleared = [k for k, v in answers.items() if v is None or k not in clean]
    if cleared:
        Answer.objects.filter(response=response, item_id__in=cleared).delete()
    rows = [
        Answer(response=response, item_id=item_id, value=value)
        for item_id, value in clean.items()
        if item_id != "id"
    ]
    if rows:  # one upsert: concurrent saves of the same item keep the last one
        Answer.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["response", "item_id"],
            update_fields=["value"],
        )
    return clean


def response_answers(*, response: Response) -> dict[str, Any]:
    return dict(Answer.objects.filter(response=response).values_list("item_id", "value"))


@transaction.atomic
def response_submit(*, response: Response, user=None) -> Response:
    """Check the whole questionnaire, score it, and freeze the response."""
    response = _locked(response)
    campaign = response.campaign
    definition = campaign.instrument_version.definition
    if not response.level:
        raise ValidationError({"level": _("Say which level describes your role.")})
    flat = response_answers(response=response)
    try:
        clean = answer_logic.check_complete(definition, flat, response.level)
    except AnswerError as exc:
        raise _answer_errors(exc) from None
    response.result = answer_logic.score(definition, clean)
    response.submitted_answers = clean
    response.summary = summary_of(response.result, clean, definition)
    response.status = ResponseStatus.SUBMITTED
    response.submitted_on = timezone.localdate()
    response.save(
        update_fields=["result", "submitted_answers", "summary", "status", "submitted_on"]
    )
    if campaign.anonymous:
        # No audit event: even its time could point at a person.
        if user is not None and user.is_authenticated:
            Participation.objects.filter(campaign=campaign, user=user).update(submitted=True)
    else:
        audit_record(
            action="assessment.response.submitted",
            actor=user,
            organisation=campaign.organisation,
            obj=campaign,
            payload={"response": response.pseudonym},
        )
    return response


@transaction.atomic
def responses_import(
    *,
    actor,
    campaign: Campaign,
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    level: str = "individual",
    unit: Unit | None = None,
    source: str = "import",
) -> int:
    """Add already-collected answers (e.g. an export of OPSI's tool) as submitted responses.

    ``rows`` are (row number in the file, answers). Everything is checked
    first; one bad row refuses the whole file, naming the row and the item.
    """
    definition = campaign.instrument_version.definition
    if level not in Level.values:
        raise ValidationError({"level": _("Unknown level %(value)s.") % {"value": repr(level)}})
    if unit is not None and unit.organisation_id != campaign.organisation_id:
        raise ValidationError({"unit": _("That unit belongs to another organisation.")})
    prepared, problems = [], []
    for row_number, answers in rows:
        try:
            clean = answer_logic.clean_nested(definition, answers)
        except AnswerError as exc:
            problems.extend(f"row {row_number}: {item}: {message}" for item, message in exc.errors)
            continue
        clean.pop("id", None)
        prepared.append(clean)
    if problems:
        raise ValidationError(problems[:50])
    if not prepared:
        raise ValidationError(_("The file holds no responses."))
    today = timezone.localdate()
    objects = []
    for clean in prepared:
        result = answer_logic.score(definition, clean)
        objects.append(
            Response(
                campaign=campaign,
                resume_token_hash=hash_token(secrets.token_urlsafe(24)),
                level=level,
                unit=unit,
                language=campaign.languages[0],
                status=ResponseStatus.SUBMITTED,
                submitted_on=today,
                submitted_answers=clean,
                result=result,
                summary=summary_of(result, clean, definition),
                imported=True,
            )
        )
    Response.objects.bulk_create(objects, batch_size=500)
    audit_record(
        action="assessment.responses.imported",
        actor=actor,
        organisation=campaign.organisation,
        obj=campaign,
        payload={"count": len(objects), "source": source, "level": level},
    )
    return len(objects)


def responses_import_pet_csv(
    *, actor, campaign: Campaign, data: bytes, level: str = "individual", unit: Unit | None = None
) -> int:
    """Import a CSV export of OPSI's Portfolio Exploration Tool; all rows or none."""
    from facetscope.instruments.pet_csv import PetCsvError, parse_pet_csv

    if campaign.instrument_version.key != "portfolio-exploration":
        raise ValidationError(_("Only portfolio-exploration campaigns take OPSI's CSV exports."))
    try:
        rows = parse_pet_csv(data, campaign.instrument_version.definition)
    except PetCsvError as exc:
        raise ValidationError([str(issue) for issue in exc.errors][:50]) from None
    return responses_import(
        actor=actor,
        campaign=campaign,
        rows=[(r.row, r.answers) for r in rows],
        level=level,
        unit=unit,
        source="pet-csv",
    )
