import re
from pathlib import Path

import pytest

from facetscope.organisations.permissions import MATRIX, permissions_for_role, role_can

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_the_documented_matrix_is_the_enforced_one():
    documented = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `([a-z_.]+)` \| .* \| (yes|no) \| (yes|no) \| (yes|no) \|$", line)
        if match:
            code, *flags = match.groups()
            documented[code] = {
                role
                for role, flag in zip(("steward", "member", "viewer"), flags, strict=True)
                if flag == "yes"
            }
    enforced = {code: set(roles) for code, (roles, _desc) in MATRIX.items()}
    assert documented == enforced


def test_stewards_hold_every_permission():
    assert permissions_for_role("steward") == set(MATRIX)


def test_viewers_only_read():
    assert permissions_for_role("viewer") == {"organisation.view", "results.view"}


def test_no_role_means_no_permission():
    assert not role_can(None, "organisation.view")


def test_an_unknown_permission_is_a_programming_error():
    with pytest.raises(KeyError, match="Unknown permission"):
        role_can("steward", "organisation.destroy")
