from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual contributor")
    TEAM_LEAD = "team_lead", _("Team lead or middle manager")
    SENIOR_MANAGER = "senior_manager", _("Senior manager")


class Audience(models.TextChoices):
    MEMBERS = "members", _("All members of the organisation")
    UNITS = "units", _("Members of selected units")
    LINK = "link", _("Anyone with the link (no account needed)")


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class CampaignStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
