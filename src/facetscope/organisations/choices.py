"""Fixed vocabularies for organisations.

The 13 sectors are the public-sector sectors OPSI's Portfolio Exploration Tool
uses; ``PET_SECTOR_IDS`` maps our keys to the IDs PET stores, so imports of
PET data keep their meaning.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GovernmentLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")
    SUPRANATIONAL = "supranational", _("Supranational")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    ECONOMIC_AFFAIRS = "economic_affairs", _("Economic affairs")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    ENVIRONMENT = "environment", _("Environment, climate and agriculture")
    EXTERNAL_RELATIONS = "external_relations", _("External relations")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    DIGITAL = "digital", _("Digital and ICT")
    PUBLIC_ADMIN_REFORM = "public_admin_reform", _("Public administration reform")
    PUBLIC_ORDER_JUSTICE = "public_order_justice", _("Public order and justice")
    CULTURE = "culture", _("Culture")
    SCIENCE_RESEARCH = "science_research", _("Science and research")
    TRANSPORT = "transport", _("Transport")


PET_SECTOR_IDS = {
    Sector.ECONOMIC_AFFAIRS: "economic",
    Sector.EDUCATION: "education",
    Sector.EMPLOYMENT: "employment",
    Sector.ENVIRONMENT: "environmental",
    Sector.EXTERNAL_RELATIONS: "external",
    Sector.HEALTH: "health",
    Sector.HOUSING: "housing",
    Sector.DIGITAL: "information",
    Sector.PUBLIC_ADMIN_REFORM: "public_admin",
    Sector.PUBLIC_ORDER_JUSTICE: "public_order",
    Sector.CULTURE: "recreation",
    Sector.SCIENCE_RESEARCH: "science",
    Sector.TRANSPORT: "transport",
}


class SizeBand(models.TextChoices):
    XS = "1-49", _("Fewer than 50 people")
    S = "50-249", _("50 to 249 people")
    M = "250-999", _("250 to 999 people")
    L = "1000-4999", _("1,000 to 4,999 people")
    XL = "5000+", _("5,000 people or more")


class Role(models.TextChoices):
    STEWARD = "steward", _("Steward")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")
