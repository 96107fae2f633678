import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facetscope.assessments.anonymity import Partition, Population, disclosable_groups


def population(root_children: dict[str, int], **nested: dict[str, int]) -> Population:
    counts = {"all": sum(root_children.values()), **root_children}
    partitions = [Partition("all", list(root_children))]
    for parent, children in nested.items():
        counts.update(children)
        partitions.append(Partition(parent, list(children)))
    return Population(counts=counts, partitions=partitions)


def test_groups_below_the_minimum_are_hidden():
    shown = disclosable_groups(population({"a": 7, "b": 6, "c": 2, "d": 3}), 5)
    # c and d are hidden; together they hold 5, so a and b stay visible.
    assert shown == {"all", "a", "b"}


def test_one_small_group_cannot_be_recovered_by_subtraction():
    shown = disclosable_groups(population({"a": 10, "b": 9, "c": 2}), 5)
    # all − a − b would give c: the smallest visible sibling is hidden too.
    assert shown == {"all", "a"}


def test_everything_is_hidden_below_the_minimum():
    assert disclosable_groups(population({"a": 2, "b": 2}), 5) == set()


def test_nested_units_are_decided_under_their_parent():
    pop = population({"u1": 12, "u2": 8}, u1={"u1:direct": 6, "u1a": 4, "u1b": 3})
    pop.counts["u1"] = 13
    pop.counts["all"] = 21
    shown = disclosable_groups(pop, 5)
    assert {"u1", "u2", "u1:direct"} <= shown  # u1a + u1b hidden together hold 7
    pop = population({"u1": 12, "u2": 8}, u1={"u1:direct": 6, "u1a": 4, "u1b": 2})
    shown = disclosable_groups(pop, 5)
    assert "u1" in shown
    assert "u1:direct" in shown  # the hidden u1a + u1b hold 6: neither is recoverable
    pop = population({"u1": 12, "u2": 8}, u1={"u1:direct": 9, "u1a": 3})
    assert "u1:direct" not in disclosable_groups(pop, 5)  # else u1 − direct = u1a


def test_children_of_a_hidden_parent_are_hidden():
    pop = population({"u1": 4, "u2": 20}, u1={"u1a": 4})
    # u1 (4) is hidden, so u2 would reveal it by subtraction: only the total shows.
    assert disclosable_groups(pop, 5) == {"all"}
    assert disclosable_groups(pop, 3) == {"all", "u1", "u2", "u1a"}


def test_partitions_must_add_up():
    pop = Population(counts={"all": 10, "a": 3}, partitions=[Partition("all", ["a"])])
    with pytest.raises(ValueError, match="does not add up"):
        disclosable_groups(pop, 5)


def test_the_minimum_can_never_be_below_three():
    with pytest.raises(ValueError, match="floor"):
        disclosable_groups(population({"a": 10}), 2)


@st.composite
def trees(draw):
    """A random population: a root split by two partitions, one with nested units."""
    units = draw(st.lists(st.integers(0, 12), min_size=1, max_size=6))
    levels = draw(st.lists(st.integers(0, 12), min_size=1, max_size=4))
    # make the level partition add up to the same total as the units
    total = sum(units)
    if sum(levels) != total:
        levels[-1] += total - sum(levels)
        if levels[-1] < 0:
            levels = [total]
    counts = {"all": total}
    partitions = [
        Partition("all", [f"u{i}" for i in range(len(units))]),
        Partition("all", [f"l{i}" for i in range(len(levels))]),
    ]
    counts.update({f"u{i}": n for i, n in enumerate(units)})
    counts.update({f"l{i}": n for i, n in enumerate(levels)})
    # split the first unit into sub-units
    subs = draw(st.lists(st.integers(0, 6), min_size=1, max_size=4))
    if sum(subs) <= units[0]:
        subs.append(units[0] - sum(subs))
        counts.update({f"u0.{j}": n for j, n in enumerate(subs)})
        partitions.append(Partition("u0", [f"u0.{j}" for j in range(len(subs))]))
    return Population(counts=counts, partitions=partitions)


@settings(max_examples=300, deadline=None)
@given(trees(), st.integers(3, 8))
def test_no_hidden_group_can_be_recovered_from_shown_ones(pop, k):
    shown = disclosable_groups(pop, k)
    for group in shown:
        assert pop.counts[group] >= k
    for partition in pop.partitions:
        if partition.parent not in shown:
            assert not shown & set(partition.children)
            continue
        hidden = [c for c in partition.children if c not in shown]
        hidden_total = sum(pop.counts[c] for c in hidden)
        assert hidden_total == 0 or hidden_total >= k
