"""Storage cells (DESIGN §4.2): every stored combination matches >= k invitees; at close, >= k answers."""

import uuid
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puls.invitations.coarsening import (
    OTHER,
    CellState,
    UnitNode,
    UnitTree,
    plan_cells,
    plan_close_merges,
    plan_storage_units,
    report_lines,
)


def tree_of(parents: dict[str, str | None]) -> tuple[UnitTree, dict[str, uuid.UUID]]:
    ids = {name: uuid.uuid5(uuid.NAMESPACE_DNS, name) for name in parents}
    tree = UnitTree(
        UnitNode(id=ids[name], parent_id=ids[parent] if parent else None, name=name)
        for name, parent in parents.items()
    )
    return tree, ids


#   kommune
#   ├── skoler ── skole_a (8), skole_b (3)
#   └── pleje (6)
PARENTS = {"kommune": None, "skoler": "kommune", "skole_a": "skoler", "skole_b": "skoler", "pleje": "kommune"}


def names(tree: UnitTree, storage: dict[uuid.UUID, list[int]]) -> dict[str, int]:
    return {tree.name(unit_id): len(members) for unit_id, members in storage.items()}


def test_a_unit_with_three_invitees_is_stored_with_its_parent():
    tree, ids = tree_of(PARENTS)
    members = [ids["skole_a"]] * 8 + [ids["skole_b"]] * 3 + [ids["pleje"]] * 6 + [ids["kommune"]] * 5
    storage, report = plan_storage_units(tree=tree, member_units=members, k=5)
    assert names(tree, storage) == {"skole_a": 8, "pleje": 6, "kommune": 8}
    assert [(e["unit_name"], e["into_name"]) for e in report] == [
        ("skole_b", "skoler"),
        ("skoler", "kommune"),
    ]
    # The report reads as sentences.
    lines = report_lines({"k": 5, "entries": report})
    assert lines[0].startswith("skole_b (3 invited")


def test_the_root_takes_back_its_smallest_child_when_its_own_group_is_below_k():
    tree, ids = tree_of(PARENTS)
    members = [ids["skole_a"]] * 8 + [ids["pleje"]] * 6 + [ids["kommune"]] * 2
    storage, report = plan_storage_units(tree=tree, member_units=members, k=5)
    assert names(tree, storage) == {"skole_a": 8, "kommune": 8}
    assert report[-1]["action"] == "unit_absorbed_by_root"
    assert report[-1]["unit_name"] == "pleje"


def test_a_small_tree_of_its_own_joins_another():
    tree, ids = tree_of({**PARENTS, "andet": None})
    members = [ids["skole_a"]] * 8 + [ids["andet"]] * 2
    storage, report = plan_storage_units(tree=tree, member_units=members, k=5)
    assert names(tree, storage) == {"skole_a": 10}
    assert report[-1]["action"] == "tree_pooled"


def test_attribute_values_below_k_are_pooled_as_other():
    tree, ids = tree_of({"kommune": None})
    jobs = ["Pædagog"] * 6 + ["Lærer"] * 5 + ["Læge"] * 2 + ["Jurist"] * 1 + ["Kok"] * 2
    cells, report = plan_cells(
        tree=tree,
        member_units=[ids["kommune"]] * len(jobs),
        member_attributes=[{"job_group": job} for job in jobs],
        attributes=["job_group"],
        k=5,
    )
    assert {c.attributes["job_group"]: len(c.members) for c in cells} == {"Pædagog": 6, "Lærer": 5, OTHER: 5}
    pooled = [e for e in report["entries"] if e["action"] == "values_pooled"]
    assert pooled[0]["values"] == ["Jurist", "Kok", "Læge"]


def test_other_below_k_absorbs_the_smallest_value():
    tree, ids = tree_of({"kommune": None})
    jobs = ["Pædagog"] * 7 + ["Lærer"] * 5 + ["Læge"] * 2
    cells, report = plan_cells(
        tree=tree,
        member_units=[ids["kommune"]] * len(jobs),
        member_attributes=[{"job_group": job} for job in jobs],
        attributes=["job_group"],
        k=5,
    )
    assert {c.attributes["job_group"]: len(c.members) for c in cells} == {"Pædagog": 7, OTHER: 7}
    assert [e["value"] for e in report["entries"] if e["action"] == "value_absorbed"] == ["Lærer"]


def test_attributes_are_dropped_from_the_end_until_every_combination_has_k():
    tree, ids = tree_of({"kommune": None})
    people = (
        [("Pædagog", "30-39")] * 5
        + [("Pædagog", "50-59")] * 5
        + [("Lærer", "30-39")] * 5
        + [("Lærer", "50-59")] * 1
        + [("Lærer", "30-39")] * 4
    )
    cells, report = plan_cells(
        tree=tree,
        member_units=[ids["kommune"]] * len(people),
        member_attributes=[{"job_group": job, "age_band": age} for job, age in people],
        attributes=["job_group", "age_band"],
        k=5,
    )
    # Alone, each value has >= k, but (Lærer, 50-59) has 1: age_band, the last declared, is dropped.
    assert {tuple(c.attributes.items()): len(c.members) for c in cells} == {
        (("job_group", "Pædagog"),): 10,
        (("job_group", "Lærer"),): 10,
    }
    assert [e["attribute"] for e in report["entries"] if e["action"] == "attribute_dropped"] == ["age_band"]


def test_launch_refuses_fewer_than_k():
    tree, ids = tree_of({"kommune": None})
    with pytest.raises(ValueError, match="fewer"):
        plan_storage_units(tree=tree, member_units=[ids["kommune"]] * 4, k=5)


@st.composite
def organisations(draw: st.DrawFn) -> tuple[UnitTree, list[uuid.UUID], list[dict[str, str]], int]:
    size = draw(st.integers(min_value=1, max_value=14))
    roots = draw(st.integers(min_value=1, max_value=2))
    parents: dict[str, str | None] = {}
    for i in range(size):
        parents[f"u{i}"] = None if i < roots else f"u{draw(st.integers(min_value=0, max_value=i - 1))}"
    tree, ids = tree_of(parents)
    k = draw(st.integers(min_value=3, max_value=10))
    count = draw(st.integers(min_value=k, max_value=80))
    units = draw(st.lists(st.sampled_from(sorted(ids.values())), min_size=count, max_size=count))
    jobs = st.sampled_from(["Pædagog", "Lærer", "Læge", "Kok", ""])
    ages = st.sampled_from(["-29", "30-39", "40-49", "60+", ""])
    attributes = draw(
        st.lists(st.fixed_dictionaries({"job_group": jobs, "age_band": ages}), min_size=count, max_size=count)
    )
    return tree, units, attributes, k


@given(
    organisations(),
    st.sampled_from([[], ["job_group"], ["job_group", "age_band"], ["age_band", "job_group"]]),
)
def test_every_storage_cell_matches_at_least_k_invitees(organisation, declared):
    tree, units, attributes, k = organisation
    cells, report = plan_cells(
        tree=tree, member_units=units, member_attributes=attributes, attributes=declared, k=k
    )

    placed = Counter(i for cell in cells for i in cell.members)
    assert placed == Counter(range(len(units)))  # each invitee in exactly one cell
    keys = [(cell.unit_id, tuple(sorted(cell.attributes.items()))) for cell in cells]
    assert len(keys) == len(set(keys))
    for cell in cells:
        assert len(cell.members) >= k
        assert set(cell.attributes) <= set(declared)
        for i in cell.members:
            # Stored in the own unit or an ancestor; roots that are too small on their own may join
            # another tree's top cell.
            own = units[i]
            assert (
                cell.unit_id == own
                or cell.unit_id in tree.ancestors(own)
                or tree.root(cell.unit_id) != tree.root(own)
            )
            for name, value in cell.attributes.items():
                assert value in (attributes[i][name], OTHER)
    assert len(report_lines(report)) == len(report["entries"])


@st.composite
def closing(draw: st.DrawFn) -> tuple[UnitTree, list[CellState], int]:
    tree, units, attributes, k = draw(organisations())
    cells, _report = plan_cells(
        tree=tree, member_units=units, member_attributes=attributes, attributes=["job_group", "age_band"], k=k
    )
    states = [
        CellState(
            id=uuid.uuid4(),
            unit_id=cell.unit_id,
            attributes=cell.attributes,
            responses=draw(st.integers(min_value=0, max_value=len(cell.members))),
            invited=len(cell.members),
        )
        for cell in cells
    ]
    return tree, states, k


@given(closing())
def test_after_closing_every_cell_holds_none_or_at_least_k_answers(case):
    tree, states, k = case
    before = {state.id: (state.unit_id, state.responses) for state in states}
    total = sum(state.responses for state in states)
    created, mapping, entries = plan_close_merges(
        tree=tree,
        cells=[CellState(**vars(s)) for s in states],
        k=k,
        attribute_order=["job_group", "age_band"],
    )
    survivors: Counter[uuid.UUID] = Counter()
    for cell_id, (_unit, responses) in before.items():
        survivors[mapping.get(cell_id, cell_id)] += responses
    assert sum(survivors.values()) == total  # no answer lost or doubled
    created_ids = {cell.id for cell in created}
    units = {
        **{cell_id: unit for cell_id, (unit, _n) in before.items()},
        **{c.id: c.unit_id for c in created},
    }
    for source, target in mapping.items():
        if source in before:
            assert target in before or target in created_ids
            assert target not in mapping
            # Answers only ever move up their own tree.
            source_unit, target_unit = before[source][0], units[target]
            assert target_unit == source_unit or target_unit in tree.ancestors(source_unit)
    by_root: Counter[uuid.UUID] = Counter()
    for cell_id, n in survivors.items():
        by_root[tree.root(units[cell_id])] += n
    for cell_id, n in survivors.items():
        if by_root[tree.root(units[cell_id])] >= k:
            assert n == 0 or n >= k, (n, k)
    assert bool(entries) == bool(mapping)
