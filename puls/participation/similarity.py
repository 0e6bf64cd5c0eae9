"""Text-similarity suggestions for theming: TF-IDF vectors with cosine similarity (scikit-learn).

Words are lower-cased letter runs (Danish letters included) of at least three characters, minus a
short Danish/English stop list; good enough for the hundreds of short contributions of a round.
"""

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

_STOP_WORDS_TEXT = """
og der det den som med for til har ikke kan vil skal være ved fra men også mere meget vores vi man
alle bliver blive blev eller når hvor hvad hvis end efter sig sin sine deres
the and for with that this are have more from our all can not
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_WORD_PATTERN = r"[a-zæøåäöü]{3,}"


def _vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(lowercase=True, token_pattern=_WORD_PATTERN, stop_words=sorted(STOP_WORDS))


def words(text: str) -> list[str]:
    return list(_vectorizer().build_analyzer()(text))


def tfidf_matrix(texts: Sequence[str]) -> np.ndarray:
    """Rows: L2-normalised TF-IDF vectors of the texts (so a dot product is the cosine)."""
    if not any(words(text) for text in texts):
        return np.zeros((len(texts), 0))
    return _vectorizer().fit_transform(texts).toarray()


def similar_to(
    query: str, texts: Sequence[str], *, minimum: float = 0.2, limit: int = 20
) -> list[tuple[int, float]]:
    """(index, score) of the texts most like `query`, best first, scores at least `minimum`."""
    if not texts or not words(query):
        return []
    matrix = tfidf_matrix([query, *texts])
    scores = matrix[1:] @ matrix[0]
    ranked = sorted(((int(i), float(s)) for i, s in enumerate(scores) if s >= minimum), key=lambda x: -x[1])
    return ranked[:limit]


def duplicate_pairs(
    texts: Sequence[str], *, minimum: float = 0.6, limit: int = 50
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, score) with i < j of texts that look like duplicates, most similar first."""
    if len(texts) < 2:
        return []
    matrix = tfidf_matrix(texts)
    scores = matrix @ matrix.T
    rows, columns = np.nonzero(np.triu(scores >= minimum, k=1))
    pairs = [(int(i), int(j), float(scores[i, j])) for i, j in zip(rows, columns, strict=True)]
    pairs.sort(key=lambda pair: -pair[2])
    return pairs[:limit]
