from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    EXPLORATION = "exploration", _("Exploration")
    PROTOTYPE = "prototype", _("Prototype or pilot")
    IMPLEMENTATION = "implementation", _("Implementation")
    SCALING = "scaling", _("Scaling or diffusion")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class DecisionKind(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    PIVOT = "pivot", _("Pivot")
    SCALE = "scale", _("Scale")
    STOP = "stop", _("Stop")


ZONES = {
    "enhancement": _("Enhancement"),
    "mission": _("Mission-oriented"),
    "adaptive": _("Adaptive"),
    "anticipatory": _("Anticipatory"),
    "sustaining": _("Sustaining (enhancement and mission)"),
    "transformative": _("Transformative (mission and anticipatory)"),
    "disruptive": _("Disruptive (anticipatory and adaptive)"),
    "optimising": _("Optimising (adaptive and enhancement)"),
    "mixed": _("Mixed or unclear"),
    "unplaced": _("Not placed yet"),
}
