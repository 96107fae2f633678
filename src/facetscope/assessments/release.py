"""Row-level release of responses with k-anonymous attributes (pure Python).

An exported row carries three quasi-identifiers: unit, level and language.
Rows whose combination is shared by fewer than ``k`` rows are generalised —
unit to its parent unit (up to none), then level to staff/senior, then to
none, then language to none — until every combination that still says
anything is shared by at least ``k`` rows. Rows left with nothing to say are
released without attributes, and without free text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

STAFF = {"individual": "staff", "team_lead": "staff", "senior_manager": "senior_manager"}


@dataclass
class Released:
    unit_id: int | None
    level: str | None
    language: str | None
    free_text: bool


def _chains(unit_id, level, language, parents: Mapping[int, int | None]):
    unit_chain = []
    node = unit_id
    while node is not None:
        unit_chain.append(node)
        node = parents.get(node)
    unit_chain.append(None)
    level_chain = [level, STAFF.get(level), None] if level else [None]
    return unit_chain, level_chain, [language, None]


def release_attributes(
    rows: Sequence[tuple[int | None, str | None, str | None]],
    parents: Mapping[int, int | None],
    k: int,
) -> list[Released]:
    chains = [_chains(u, lvl, lang, parents) for u, lvl, lang in rows]
    pos = [[0, 0, 0] for _ in rows]

    def key(i):
        return tuple(chains[i][a][pos[i][a]] for a in range(3))

    while True:
        classes = Counter(key(i) for i in range(len(rows)))
        advanced = False
        for i in range(len(rows)):
            if classes[key(i)] >= k or key(i) == (None, None, None):
                continue
            for attr in range(3):
                if pos[i][attr] < len(chains[i][attr]) - 1:
                    pos[i][attr] += 1
                    advanced = True
                    break
        if not advanced:
            break
    classes = Counter(key(i) for i in range(len(rows)))
    out = []
    for i in range(len(rows)):
        unit, level, language = key(i)
        out.append(Released(unit, level, language, free_text=classes[key(i)] >= k))
    return out
