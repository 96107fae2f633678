"""The anonymity rule: which groups' results may leave the server.

Every aggregate, chart, export and API response of group results goes through
``disclosable_groups``; nothing else decides which groups may be shown.

The population is described as a tree of *partitions*: a group (the whole
organisation, a unit's subtree) split into child groups that together hold
exactly its members (units and the parent's own direct members; levels plus
"not stated"; languages). A group is shown only when

1. it has at least ``k`` respondents (primary suppression), and its parent is
   shown; and
2. its hidden siblings cannot be recovered by subtraction: within every
   partition of a shown parent, the hidden children together hold either
   nobody or at least ``k`` respondents. Where they hold fewer, the smallest
   shown siblings are hidden too until they do (complementary suppression).

Pure Python: no Django imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MIN_GROUP_SIZE_FLOOR = 3
DEFAULT_MIN_GROUP_SIZE = 5


@dataclass(frozen=True)
class Partition:
    """``parent`` split into ``children``; the children's counts add up to the parent's."""

    parent: str
    children: Sequence[str]


@dataclass
class Population:
    counts: dict[str, int] = field(default_factory=dict)
    partitions: list[Partition] = field(default_factory=list)
    root: str = "all"

    def check(self) -> None:
        for partition in self.partitions:
            total = sum(self.counts.get(child, 0) for child in partition.children)
            if total != self.counts.get(partition.parent, 0):
                raise ValueError(
                    f"partition of {partition.parent!r} does not add up: "
                    f"{total} != {self.counts.get(partition.parent, 0)}"
                )


def disclosable_groups(population: Population, k: int) -> set[str]:
    """The group keys whose results may be shown, given a minimum group size ``k``."""
    if k < MIN_GROUP_SIZE_FLOOR:
        raise ValueError(f"minimum group size {k} is below the floor {MIN_GROUP_SIZE_FLOOR}")
    population.check()
    counts = population.counts
    shown: set[str] = set()
    if counts.get(population.root, 0) >= k:
        shown.add(population.root)
    by_parent: dict[str, list[Partition]] = {}
    for partition in population.partitions:
        by_parent.setdefault(partition.parent, []).append(partition)

    # Walk top-down so a child is decided only after its parent.
    queue = [population.root]
    seen = set()
    while queue:
        parent = queue.pop(0)
        if parent in seen:
            continue
        seen.add(parent)
        for partition in by_parent.get(parent, []):
            visible = _visible_children(partition, counts, k) if parent in shown else set()
            shown |= visible
            queue.extend(partition.children)
    return shown


def _visible_children(partition: Partition, counts: Mapping[str, int], k: int) -> set[str]:
    children = list(partition.children)
    visible = {c for c in children if counts.get(c, 0) >= k}
    hidden_total = sum(counts.get(c, 0) for c in children if c not in visible)
    # Complementary suppression: hide the smallest visible siblings until the
    # hidden ones together are empty or at least k (never recoverable alone).
    while 0 < hidden_total < k and visible:
        smallest = min(visible, key=lambda c: (counts.get(c, 0), c))
        visible.discard(smallest)
        hidden_total += counts.get(smallest, 0)
    return visible
