"""Benchmark scenarios. Each returns one line `bench <name> ratio=<ours/baseline> ...`.

Ratios compare our code with a baseline measured in the same run, so the numbers mean the same
on a fast or a slow machine.
"""

import time
from collections.abc import Callable
from statistics import median
from typing import Any


def _best_of(runs: int, work: Callable[[], Any]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return median(timings)


def _organisation(unit_count: int, values: list[str]) -> tuple[list[Any], dict[tuple[str, str], int]]:
    from puls.core.suppression import TreeNode

    nodes, cells = [], {}
    ids: list[str] = []
    for i in range(unit_count):
        unit_id = f"u{i:04}"
        parent = ids[(i - 1) // 7] if i else None
        direct = (i * 7919) % 13
        nodes.append(TreeNode(id=unit_id, parent=parent, code=unit_id, direct=direct))
        ids.append(unit_id)
        remaining = direct
        for j, value in enumerate(values):
            share = remaining if j == len(values) - 1 else min(remaining, (i + 3 * j) % 5)
            cells[unit_id, value] = share
            remaining -= share
    return nodes, cells


def suppression() -> str:
    """The suppression rule over 400 units against merely summing the subtrees (the work any report
    does anyway); the filtered rule with its LP audit is reported in seconds beside it."""
    from puls.core.suppression import suppress_filtered, suppress_tree

    nodes, cells = _organisation(400, ["a", "b", "c", "d", "e"])

    def subtree_sums() -> dict[str, int]:
        parent = {node.id: node.parent for node in nodes}
        totals: dict[str, int] = {}
        for node in nodes:
            unit: str | None = node.id
            while unit is not None:
                totals[unit] = totals.get(unit, 0) + node.direct
                unit = parent[unit]
        return totals

    baseline = _best_of(20, subtree_sums)
    ours = _best_of(20, lambda: suppress_tree(nodes, k=5))
    filtered = _best_of(3, lambda: suppress_filtered(nodes, cells, k=5))
    return (
        f"bench suppression ratio={ours / baseline:.2f} ours_ms={ours * 1000:.2f} "
        f"baseline_ms={baseline * 1000:.2f} filtered_400x5_s={filtered:.2f}"
    )


def submit() -> str:
    """Anonymous 80-item submits through gunicorn and PostgreSQL against a raw-SQL baseline
    (see puls/bench/submit.py)."""
    from puls.bench.submit import submit as submit_scenario

    return submit_scenario()


def report() -> str:
    """A closed survey's stored report (every aggregate, suppressed) plus its heatmap page against one
    hand-written SQL query, 50,000 respondents × 80 items on PostgreSQL (see puls/bench/report.py)."""
    from puls.bench.report import report as report_scenario

    return report_scenario()


SCENARIOS: dict[str, Callable[[], str]] = {
    "suppression": suppression,
    "submit": submit,
    "report": report,
}
