"""Words too common to say what a text is about, in English and French (our languages).

Full-text search leaves them out of queries and facet suggestions leave them
out of the phrases that explain a suggestion. Pure Python, no Django.
"""

from __future__ import annotations

_ENGLISH = """
a all also an and are as at be been but by can could do does for from had has have how
if in into is it its may might more most not no of on or our should so than that the their
them there these they this those to us was we were what when where which while who why will
with would you your
"""
_FRENCH = """
a au aux avec ce ces cette comme d dans de des du elle elles en est et ete il ils l la le les
leur leurs mais ne nous on ont ou par pas plus pour qu que qui sa se ses son sont sur un une
vos votre
"""
STOP_WORDS: frozenset[str] = frozenset(_ENGLISH.split()) | frozenset(_FRENCH.split())
