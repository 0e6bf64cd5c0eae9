"""The nine worked examples of SUPPRESSION.md (k = 5 unless stated) and edge cases."""

import pytest

from puls.core.suppression import (
    HiddenReason,
    TreeNode,
    audit_filtered,
    cell_bounds,
    suppress_filtered,
    suppress_tree,
)


def unit(unit_id, parent=None, direct=0):
    """A unit whose code is its id, so "lowest code" reads as alphabetical in the examples."""
    return TreeNode(id=unit_id, parent=parent, code=unit_id, direct=direct)


def test_example_1_tie_hides_lower_code():
    result = suppress_tree([unit("P"), unit("A", "P", 5), unit("B", "P", 5), unit("C", "P", 2)], k=5)
    assert result.shown == {"P", "B"}
    assert result.reason("A") == HiddenReason.RESIDUAL
    assert result.reason("C") == HiddenReason.BELOW_THRESHOLD
    assert result.reason("P") is None


def test_example_2_direct_staff_form_the_residual():
    result = suppress_tree([unit("P", direct=3), unit("A", "P", 6), unit("B", "P", 7)], k=5)
    assert result.shown == {"P", "B"}


def test_example_3_only_the_parent_remains():
    result = suppress_tree([unit("P"), unit("A", "P", 20), unit("B", "P", 4)], k=5)
    assert result.shown == {"P"}
    assert result.n == {"P": 24, "A": 20, "B": 4}


def test_example_4_hiding_a_unit_exposes_its_children_to_the_repair():
    nodes = [
        unit("P"),
        unit("A", "P"),
        unit("A1", "A", 5),
        unit("A2", "A", 6),
        unit("B", "P", 3),
    ]
    assert suppress_tree(nodes, k=5).shown == {"P", "A2"}


def test_example_5_zero_residual_needs_no_repair():
    result = suppress_tree([unit("P"), unit("A", "P", 5), unit("B", "P", 5)], k=5)
    assert result.shown == {"P", "A", "B"}
    assert result.hidden == {}


def test_example_6_filtered_cells_are_all_or_none():
    nodes = [unit("U", direct=7)]
    result = suppress_filtered(nodes, {("U", "60+"): 5, ("U", "under-60"): 2}, k=5)
    assert result.unfiltered.shown == {"U"}
    assert result.shown_cells == frozenset()
    assert not result.is_cell_shown("U", "60+")
    assert result.reason("U") == HiddenReason.BELOW_THRESHOLD


def test_example_7_comments_use_the_free_text_threshold():
    result = suppress_tree([unit("P"), unit("A", "P", 12), unit("B", "P", 6)], k=10)
    assert result.shown == {"P"}


EXAMPLE_8_NODES = [unit("P"), unit("A", "P", 12), unit("B", "P", 20)]
EXAMPLE_8_CELLS = {("A", "a1"): 2, ("A", "a2"): 10, ("B", "a1"): 10, ("B", "a2"): 10}


def test_example_8_filter_shows_only_the_parents_cells_and_the_audit_finds_no_leak():
    result = suppress_filtered(EXAMPLE_8_NODES, EXAMPLE_8_CELLS, k=5)

    assert result.unfiltered.shown == {"P", "A", "B"}
    assert result.shown_cells == {("P", "a1"), ("P", "a2")}
    assert result.n["P", "a1"] == 12
    assert result.n["P", "a2"] == 20
    assert result.reason("A") == HiddenReason.BELOW_THRESHOLD
    assert result.reason("B") == HiddenReason.RESIDUAL

    published = {"shown_units": {"P", "A", "B"}, "units_with_cells": {"P"}}
    bounds = cell_bounds(EXAMPLE_8_NODES, EXAMPLE_8_CELLS, **published, unit="A", value="a1")
    assert (bounds.low, bounds.high) == (0, 12)
    assert not bounds.determined
    assert audit_filtered(EXAMPLE_8_NODES, EXAMPLE_8_CELLS, **published) == []


def test_example_8_showing_b_as_well_would_pin_a_a1():
    published = {"shown_units": {"P", "A", "B"}, "units_with_cells": {"P", "B"}}
    leaks = audit_filtered(EXAMPLE_8_NODES, EXAMPLE_8_CELLS, **published)
    pinned = {(leak.unit, leak.value): leak.low for leak in leaks}
    assert pinned["A", "a1"] == 2
    assert pinned["A", "a2"] == 10


def test_example_9_shallowest_violation_is_repaired_first():
    nodes = [
        unit("P"),
        unit("D", "P"),
        unit("D1", "D", 5),
        unit("D2", "D", 5),
        unit("D3", "D", 3),
        unit("E", "P", 20),
        unit("F", "P", 3),
    ]
    assert suppress_tree(nodes, k=5).shown == {"P", "D1", "D2", "E"}


def test_audit_hides_cells_that_would_pin_a_zero():
    # Per value tree everything is fine: A's cells are hidden (nobody in A is a1), B's and P's shown.
    # But P's a1 total equals B's, so A's a1 count is pinned at 0 and its a0 count at N(A): A's a0
    # figures would be A's figures. The audit hides B's cells (the smaller unit the derivation uses).
    nodes = [
        TreeNode(id="P", parent=None, code="P", direct=10),
        TreeNode(id="A", parent="P", code="A", direct=5),
        TreeNode(id="B", parent="P", code="B", direct=17),
    ]
    cells = {("P", "a0"): 10, ("P", "a1"): 0, ("A", "a0"): 5, ("A", "a1"): 0, ("B", "a0"): 10, ("B", "a1"): 7}
    shown = {"P", "A", "B"}

    leaks = audit_filtered(nodes, cells, shown_units=shown, units_with_cells={"P", "B"})
    assert {(leak.unit, leak.value, leak.low) for leak in leaks} == {("A", "a0", 5), ("A", "a1", 0)}

    result = suppress_filtered(nodes, cells, k=5)
    assert result.unfiltered.shown == shown
    assert result.units_with_cells == {"P"}
    assert result.reason("B") == HiddenReason.LEAK
    assert result.reason("A") == HiddenReason.BELOW_THRESHOLD
    assert audit_filtered(nodes, cells, shown_units=shown, units_with_cells={"P"}) == []


def test_empty_tree():
    result = suppress_tree([], k=5)
    assert result.shown == frozenset()
    assert suppress_filtered([], {}, k=5).shown_cells == frozenset()


def test_root_below_threshold_shows_nothing():
    nodes = [unit("P", direct=1), unit("A", "P", 2), unit("B", "P", 1)]
    result = suppress_tree(nodes, k=5)
    assert result.shown == frozenset()
    assert {result.reason(u) for u in "PAB"} == {HiddenReason.BELOW_THRESHOLD}


@pytest.mark.parametrize(("direct", "shown"), [(4, set()), (5, {"U"}), (30, {"U"})])
def test_single_unit(direct, shown):
    assert suppress_tree([unit("U", direct=direct)], k=5).shown == shown


def test_zero_count_units_are_hidden_and_leave_a_zero_residual():
    nodes = [unit("P"), unit("A", "P", 5), unit("B", "P", 5), unit("Z", "P", 0)]
    result = suppress_tree(nodes, k=5)
    assert result.shown == {"P", "A", "B"}
    assert result.reason("Z") == HiddenReason.BELOW_THRESHOLD


def test_zero_cells_of_an_empty_unit_are_not_reported_as_leaks():
    # The unfiltered figures already say that Z has nobody; no filtered cell could hide that.
    nodes = [unit("P"), unit("A", "P", 10), unit("B", "P", 10), unit("Z", "P", 0)]
    cells = {("A", "a1"): 5, ("A", "a2"): 5, ("B", "a1"): 5, ("B", "a2"): 5}
    result = suppress_filtered(nodes, cells, k=5)
    assert result.units_with_cells == {"P", "A", "B"}


def test_deep_chain_shows_each_level_with_a_zero_or_large_residual():
    depth = 3000
    nodes = [unit(f"u{i:05}", f"u{i - 1:05}" if i else None, direct=1) for i in range(depth)]
    result = suppress_tree(nodes, k=5)
    # u_i has N = depth - i; residuals of 1 are repaired from the top down: every fifth level stays.
    assert len(result.shown) == depth // 5
    assert result.is_shown("u00000")
    assert result.n["u00000"] == depth


def test_cells_must_add_up_to_the_direct_count():
    with pytest.raises(ValueError, match="add up"):
        suppress_filtered([unit("U", direct=7)], {("U", "a"): 5, ("U", "b"): 1}, k=5)


@pytest.mark.parametrize(
    "nodes",
    [
        [unit("A"), unit("A")],
        [unit("A", "missing")],
        [unit("A", "B"), unit("B", "A")],
        [unit("A", direct=-1)],
    ],
)
def test_malformed_trees_are_refused(nodes):
    with pytest.raises(ValueError):
        suppress_tree(nodes, k=5)


def test_threshold_below_one_is_refused():
    with pytest.raises(ValueError):
        suppress_tree([unit("A", direct=3)], k=0)


def _organisation(unit_count, values):
    """A 4-level organisation: 1 root, then branches of 7, teams of 5, small groups below."""
    nodes, cells = [], {}
    parents = [None]
    for i in range(unit_count):
        unit_id = f"u{i:04}"
        parent = parents[(i - 1) // 7] if i else None
        direct = (i * 7919) % 13  # 0-12, deterministic but irregular
        nodes.append(TreeNode(id=unit_id, parent=parent, code=unit_id, direct=direct))
        parents.append(unit_id)
        remaining = direct
        for j, value in enumerate(values):
            share = remaining if j == len(values) - 1 else min(remaining, (i + 3 * j) % 5)
            cells[unit_id, value] = share
            remaining -= share
    return nodes, cells


def test_400_unit_organisation_satisfies_the_rules():
    """Speed is measured by `make bench SCENARIO=suppression`; here only the result on a large tree."""
    nodes, cells = _organisation(400, ["a", "b", "c", "d", "e"])

    result = suppress_tree(nodes, k=5)
    assert result.shown
    assert all(result.n[unit] >= 5 for unit in result.shown)

    filtered = suppress_filtered(nodes, cells, k=5)
    assert filtered.shown_cells
    assert {unit for unit, _ in filtered.shown_cells} <= set(result.shown)
    leaks = audit_filtered(nodes, cells, shown_units=result.shown, units_with_cells=filtered.units_with_cells)
    assert leaks == []
