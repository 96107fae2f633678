"""Facetscope: explore and steer public-sector innovation portfolios."""

__version__ = "0.1.0"
