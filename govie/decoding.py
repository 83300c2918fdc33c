"""Constrained IOB2 decoding: the best tag sequence in which every I-X follows B-X or I-X."""
from __future__ import annotations

import numpy as np

from .schema import IOB2_TAGS


def _allowed() -> tuple[np.ndarray, np.ndarray]:
    n = len(IOB2_TAGS)
    trans = np.zeros((n, n), dtype=bool)
    start = np.ones(n, dtype=bool)
    for j, t in enumerate(IOB2_TAGS):
        if t.startswith("I-"):
            start[j] = False
        for i, p in enumerate(IOB2_TAGS):
            trans[i, j] = not t.startswith("I-") or p[2:] == t[2:] and p != "O"
    return trans, start


_TRANS, _START = _allowed()


def viterbi(log_probs: np.ndarray) -> list[int]:
    """``log_probs``: (length, n_tags). Returns tag ids of the best valid sequence."""
    L, n = log_probs.shape
    if L == 0:
        return []
    neg = -1e9
    trans = np.where(_TRANS, 0.0, neg)
    score = log_probs[0] + np.where(_START, 0.0, neg)
    back = np.zeros((L, n), dtype=np.int64)
    for k in range(1, L):
        cand = score[:, None] + trans  # (prev, cur)
        back[k] = cand.argmax(0)
        score = cand.max(0) + log_probs[k]
    best = [int(score.argmax())]
    for k in range(L - 1, 0, -1):
        best.append(int(back[k, best[-1]]))
    return best[::-1]
