from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facetscope.assessments.anonymity import DEFAULT_MIN_GROUP_SIZE, MIN_GROUP_SIZE_FLOOR
from facetscope.assessments.choices import Audience, CampaignStatus, Level, ResponseStatus


def new_link_token() -> str:
    return secrets.token_urlsafe(16)


def new_pseudonym() -> str:
    return "R" + secrets.token_hex(5).upper()


class Campaign(models.Model):
    """One round of a questionnaire in an organisation (a *wave* when repeated)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="campaigns"
    )
    instrument_version = models.ForeignKey(
        "instruments.InstrumentVersion", on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    audience = models.CharField(
        _("who may answer"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    units = models.ManyToManyField("organisations.Unit", blank=True, verbose_name=_("units"))
    anonymous = models.BooleanField(_("anonymous"), default=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=DEFAULT_MIN_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE_FLOOR)],
    )
    languages = models.JSONField(_("languages offered"), default=list)
    ask_unit = models.BooleanField(_("ask respondents for their unit"), default=True)
    link_token = models.CharField(max_length=40, unique=True, default=new_link_token)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_group_size__gte=MIN_GROUP_SIZE_FLOOR),
                name="min_group_size_at_least_floor",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="campaign_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if self.closed_at is not None or today > self.closes_on:
            return CampaignStatus.CLOSED
        if today < self.opens_on:
            return CampaignStatus.SCHEDULED
        return CampaignStatus.OPEN

    def get_status_display(self) -> str:
        return CampaignStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN


class Response(models.Model):
    """One respondent's answers to a campaign.

    In an anonymous campaign ``respondent`` stays empty and only a hash of a
    private resume token is kept: nothing links the response to a person.
    Dates are kept to the day, so times cannot be matched to sign-ins.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment_responses",
    )
    resume_token_hash = models.CharField(max_length=64, unique=True)
    pseudonym = models.CharField(max_length=16, unique=True, default=new_pseudonym)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(
        max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS
    )
    started_on = models.DateField(default=timezone.localdate)
    submitted_on = models.DateField(null=True, blank=True, db_index=True)
    submitted_answers = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    # Flat figures for fast aggregation: {"scores": {path: number},
    # "categories": {path: text}, "rows": {"item.row": answer}}; see results.summary_of
    summary = models.JSONField(null=True, blank=True)
    imported = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["campaign", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "respondent"],
                condition=models.Q(respondent__isnull=False),
                name="one_named_response_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class Answer(models.Model):
    """One item's answer, saved page by page; rows make concurrent saves merge."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=80)
    value = models.JSONField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item_id"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return self.item_id


class Participation(models.Model):
    """That a member has answered an anonymous campaign, and nothing about how."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    submitted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="one_participation")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.user_id}"


class ResultCache(models.Model):
    """The organisation result of a campaign, kept until a response is added."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="cache")
    fingerprint = models.CharField(max_length=100)
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"result of campaign {self.campaign_id}"
