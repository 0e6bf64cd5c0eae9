"""The arithmetic of prioritise rounds: Bradley–Terry scores from pairwise choices (and from the
pairwise preferences a ranking implies), mean dots per ballot, and 95% intervals by a bootstrap
over ballots. Pure functions on item indices; `round_kinds/prioritise.py` reads the rows.

Scores are put on a 0–100 scale that reads without statistics: the estimated probability (in %)
that a participant prefers the item over an item of average strength in the round, so 50 is
average. Bradley–Terry strengths come from `choix` (iterative Luce spectral ranking); the
bootstrap draws whole ballots with replacement, so choices of one participant stay together, and
is seeded by the caller (the round id), so the page, the PDF and the XLSX show the same interval.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import choix
import numpy as np
from numpy.typing import NDArray

RESAMPLES = 500
# Pseudo-comparisons that keep the estimate finite when an item never wins (or never loses) in a
# resample; with hundreds of real comparisons its pull towards the average is negligible.
ALPHA = 0.1
MAX_ITER = 1000
# Scores are shown as whole numbers on the 0–100 scale: far coarser than this tolerance.
TOLERANCE = 1e-6
INTERVAL = (2.5, 97.5)

Comparison = tuple[int, int]  # (winner index, loser index)


@dataclass(frozen=True)
class Estimate:
    """Per item: the point estimate and the bounds of its 95% bootstrap interval."""

    value: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _resample_counts(rng: np.random.Generator, ballots: int, resamples: int) -> NDArray[np.int64]:
    """How often each ballot is drawn in each resample (ballots drawn with replacement)."""
    return rng.multinomial(ballots, np.full(ballots, 1.0 / ballots), size=resamples)


def preferred_over_average(strengths: NDArray[np.float64]) -> NDArray[np.float64]:
    """Bradley–Terry log-strengths → probability (0–100) of being preferred over an average item."""
    centred = strengths - strengths.mean(axis=-1, keepdims=True)
    return 100.0 / (1.0 + np.exp(-centred))


def _strengths(
    matrix: NDArray[np.float64], initial: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    return np.asarray(
        choix.ilsr_pairwise_dense(
            matrix, alpha=ALPHA, initial_params=initial, max_iter=MAX_ITER, tol=TOLERANCE
        ),
        dtype=np.float64,
    )


def bradley_terry(
    n_items: int,
    ballots: Sequence[Sequence[Comparison]],
    *,
    seed: int,
    resamples: int = RESAMPLES,
) -> Estimate:
    """Scores (0–100, see module) of n_items from each ballot's comparisons, with 95% intervals."""
    winners = np.array([w for ballot in ballots for w, _loser in ballot], dtype=np.int64)
    losers = np.array([loser for ballot in ballots for _w, loser in ballot], dtype=np.int64)
    owner = np.array([b for b, ballot in enumerate(ballots) for _ in ballot], dtype=np.int64)
    cells = winners * n_items + losers

    def matrix(weights: NDArray[np.float64] | None) -> NDArray[np.float64]:
        counts = np.bincount(cells, weights=weights, minlength=n_items * n_items)
        return counts.reshape(n_items, n_items).astype(np.float64)

    point = _strengths(matrix(None))
    if not ballots or len(cells) == 0:
        flat = preferred_over_average(point)
        return Estimate(flat, flat.copy(), flat.copy())
    draws = _resample_counts(_rng(seed), len(ballots), resamples)
    scores = np.empty((resamples, n_items))
    for index, drawn in enumerate(draws):
        # Starting from the full-data estimate, each resample converges in a few iterations.
        scores[index] = preferred_over_average(_strengths(matrix(drawn[owner].astype(np.float64)), point))
    low, high = np.percentile(scores, INTERVAL, axis=0)
    return Estimate(preferred_over_average(point), low, high)


def ranking_comparisons(ranking: Sequence[int]) -> list[Comparison]:
    """The pairwise preferences a full ranking implies: each item over every item below it."""
    return [(ranking[i], ranking[j]) for i in range(len(ranking)) for j in range(i + 1, len(ranking))]


def mean_dots(dots: NDArray[np.float64], *, seed: int, resamples: int = RESAMPLES) -> Estimate:
    """Mean dots per ballot of each item (rows: ballots, columns: items), with 95% intervals."""
    ballots = dots.shape[0]
    if ballots == 0:
        zeros = np.zeros(dots.shape[1])
        return Estimate(zeros, zeros.copy(), zeros.copy())
    mean = dots.mean(axis=0)
    draws = _resample_counts(_rng(seed), ballots, resamples).astype(np.float64)
    means = draws @ dots / ballots
    low, high = np.percentile(means, INTERVAL, axis=0)
    return Estimate(mean, low, high)
