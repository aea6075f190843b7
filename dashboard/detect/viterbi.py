"""Two-state Viterbi solvers for the left/right swap repair (:mod:`dashboard.detect.swaps`).

Both are min-sum dynamic programmes over a chain of frames whose hidden state is
0 (labels as the model gave them) or 1 (left and right exchanged); ties prefer 0.
They loop over plain Python floats: numpy's tiny per-frame arrays cost ten times
as much.
"""

from __future__ import annotations

import numpy as np

__all__ = ["chain_viterbi", "viterbi_second_order"]


def viterbi_second_order(first: np.ndarray, second: np.ndarray, unary: np.ndarray) -> np.ndarray:
    """Minimum-cost state sequence of a two-state chain with second-order costs.

    Parameters
    ----------
    first
        (N-1, 2, 2) cost of states (a, b) at steps t-1, t; only step 0 -> 1 is
        used (the second-order costs cover the rest).
    second
        (N-2, 2, 2, 2) cost of states (a, b, c) at steps t-2, t-1, t.
    unary
        (N, 2) cost of each state at each step.

    Returns
    -------
    (N,) bool, True where the state is 1. Ties prefer state 0.
    """
    n = len(unary)
    if n == 0:
        return np.zeros(0, bool)
    if n == 1:
        return np.array([unary[0, 1] < unary[0, 0]])
    # c_ab: best total with states a, b at the last two steps. Plain floats: a loop
    # over numpy's 2 x 2 x 2 arrays costs ten times as much per frame.
    (u00, u01), (u10, u11) = unary[0].tolist(), unary[1].tolist()
    f = first[0].tolist()
    c00, c01, c10, c11 = (
        u00 + u10 + f[0][0],
        u00 + u11 + f[0][1],
        u01 + u10 + f[1][0],
        u01 + u11 + f[1][1],
    )
    sec = np.asarray(second).reshape(-1, 8).tolist()  # index a * 4 + b * 2 + c
    un = unary.tolist()
    # back[t] = best a for (b, c) = 00, 01, 10, 11; ties prefer a = 0
    back: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)] * n
    for t in range(2, n):
        s, (u0, u1) = sec[t - 2], un[t]
        x, y = c00 + s[0], c10 + s[4]
        n00, a00 = (y, 1) if y < x else (x, 0)
        x, y = c00 + s[1], c10 + s[5]
        n01, a01 = (y, 1) if y < x else (x, 0)
        x, y = c01 + s[2], c11 + s[6]
        n10, a10 = (y, 1) if y < x else (x, 0)
        x, y = c01 + s[3], c11 + s[7]
        n11, a11 = (y, 1) if y < x else (x, 0)
        back[t] = (a00, a01, a10, a11)
        c00, c01, c10, c11 = n00 + u0, n01 + u1, n10 + u0, n11 + u1
    finals = [c00, c01, c10, c11]
    flat = finals.index(min(finals))  # ties: (0, 0) first
    states = np.zeros(n, bool)
    states[-2], states[-1] = divmod(flat, 2)
    for t in range(n - 1, 1, -1):
        states[t - 2] = bool(back[t][2 * int(states[t - 1]) + int(states[t])])
    return states


def chain_viterbi(keep: np.ndarray, cross: np.ndarray, penalty: float) -> np.ndarray:
    """Cheapest labelling (False = as labelled, True = swapped) of a chain of frames:
    moving between consecutive frames costs ``keep[t]`` when both are labelled
    alike and ``cross[t]`` otherwise; every swapped frame costs ``penalty``."""
    n = len(keep) + 1
    back = np.zeros((n, 2), bool)  # back[t, s]: state at t - 1 on the best path to s
    c0, c1 = 0.0, penalty
    keep_l, cross_l = keep.tolist(), cross.tolist()
    for t in range(1, n):
        k, x = keep_l[t - 1], cross_l[t - 1]
        a0, b0 = c0 + k, c1 + x  # into "as labelled" from each state
        a1, b1 = c0 + x, c1 + k  # into "swapped"
        back[t, 0], back[t, 1] = b0 < a0, b1 < a1
        c0, c1 = min(a0, b0), min(a1, b1) + penalty
    state = np.zeros(n, bool)
    state[-1] = c1 < c0
    for t in range(n - 1, 0, -1):
        state[t - 1] = back[t, int(state[t])]
    return state
