from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from facetscope.portfolio.choices import DecisionKind, Priority, Stage


class Project(models.Model):
    """An innovation project of an organisation, placed on the innovation facets.

    The placement fields (zone, x, y, mix, confidence, spread) combine every
    placement people made of the project; they are recomputed when one changes.
    Stopped projects stay as knowledge: they are never deleted by default.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="projects"
    )
    key = models.CharField(_("external identifier"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("unit"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_projects",
        verbose_name=_("owner"),
    )
    team = models.CharField(_("team"), max_length=500, blank=True)
    partners = models.JSONField(_("partners"), default=list, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fte = models.DecimalField(
        _("people (FTE)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    policy_goals = models.JSONField(_("policy goals"), default=list, blank=True)
    sdgs = models.JSONField(_("Sustainable Development Goals"), default=list, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    public_value = models.JSONField(_("public value"), default=dict, blank=True)
    # Combined placement (see services.project_place)
    zone = models.CharField(max_length=20, default="unplaced")
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    mix = models.JSONField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    spread = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                condition=~models.Q(key=""),
                name="project_key_unique_in_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "stage"])]

    def __str__(self) -> str:
        return self.title


class Placement(models.Model):
    """One person's answers to the project-facets questions for a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="placements")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    instrument_version = models.ForeignKey(
        "instruments.InstrumentVersion", on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField()
    result = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "placed_by"], name="one_placement_per_person_and_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.result.get('zone')}"


class Decision(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    reason = models.TextField(_("reason"))
    lessons = models.TextField(_("lessons learned"), blank=True)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.kind}"


class StrategicIntent(models.Model):
    """The mix of effort an organisation means to put into each facet, and why."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="intents"
    )
    mix = models.JSONField()  # {facet: percent}, summing to 100
    rationale = models.TextField(_("why this mix"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} intent {self.set_at:%Y-%m-%d}"


class PortfolioReview(models.Model):
    """A moment when the stewards look at the whole portfolio and record what they see."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="portfolio_reviews"
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    snapshot = models.JSONField()
    patterns = models.TextField(_("patterns noticed"), blank=True)
    gaps = models.TextField(_("gaps"), blank=True)
    decisions = models.TextField(_("decisions taken"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class SynergyReview(models.Model):
    """A steward's verdict on a suggested pair of projects: a real synergy, or not."""

    CONFIRMED, DISMISSED = "confirmed", "dismissed"
    STATUSES = [(CONFIRMED, _("Confirmed")), (DISMISSED, _("Dismissed"))]

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    project_a = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    project_b = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=STATUSES)
    note = models.CharField(_("note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project_a", "project_b"], name="one_review_per_pair"),
            models.CheckConstraint(
                condition=models.Q(project_a__lt=models.F("project_b")), name="pair_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_a} + {self.project_b}: {self.status}"


class ProjectImport(models.Model):
    """An uploaded project file, kept between its preview and its confirmation."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename
