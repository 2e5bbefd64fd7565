"""Krippendorff's alpha for nominal data behind a small, typed API that says why alpha is
undefined, and a closed form for one student against the key.

Pure Python and NumPy, no Django. tests/annotations/agreement/test_alpha.py checks both against
Krippendorff's published worked examples and against the `krippendorff` package."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Krippendorff (2004, p. 241): rely on variables with alpha >= .800; consider those between
# .667 and .800 only for tentative conclusions.
RELIABLE = 0.800
TENTATIVE = 0.667


@dataclass(frozen=True)
class Alpha:
    """Krippendorff's alpha for one question, or why it cannot be computed."""

    value: float | None
    coders: int  # coders with at least one answer
    units: int  # units answered by at least two coders (the pairable ones)
    reason: str = ""  # why `value` is None

    @property
    def label(self) -> str:
        return "—" if self.value is None else f"{self.value:.2f}"

    @property
    def reading(self) -> str:
        """Krippendorff's own guideline, in words."""
        if self.value is None:
            return self.reason
        if self.value >= RELIABLE:
            return "strong agreement"
        if self.value >= TENTATIVE:
            return "tentative agreement"
        if self.value > 0:
            return "weak agreement"
        return "no better than chance"

    @property
    def level(self) -> str:
        """A CSS-friendly word for the reading."""
        if self.value is None:
            return "undefined"
        if self.value >= RELIABLE:
            return "strong"
        return "tentative" if self.value >= TENTATIVE else "weak"


def alpha_matrix(matrix: np.ndarray) -> Alpha:
    """Krippendorff's alpha, nominal, for a (coder, unit) matrix of category codes, NaN for no
    answer.

    Undefined, with the reason, for fewer than two coders, no unit answered by two coders, or
    no variation at all (every answer the same: agreement cannot be told from chance)."""
    answered = ~np.isnan(matrix)
    coders = int(answered.any(axis=1).sum())
    pairable = answered.sum(axis=0) >= 2
    units = int(pairable.sum())
    if coders < 2:
        return Alpha(None, coders, units, "needs two or more coders")
    if not units:
        return Alpha(None, coders, 0, "no passage has answers from two coders")
    # Units with a single answer contribute nothing to alpha: leave them out.
    matrix = matrix[:, pairable]
    domain = np.unique(matrix[~np.isnan(matrix)])
    if len(domain) < 2:
        return Alpha(None, coders, units, "no variation: every answer is the same")
    return Alpha(_nominal(matrix, domain), coders, units)


def _nominal(matrix: np.ndarray, domain: np.ndarray) -> float:
    """Alpha from the coincidences of the values within units (Krippendorff 2011, section C):
    with n_uc the coders who gave value c in unit u, m_u the values in unit u, o_cc the
    coincidences of c with itself, sum over u of n_uc·(n_uc − 1)/(m_u − 1), n_c the values c
    given and n all values, alpha = 1 − (n − 1)·(n − Σ o_cc)/(n² − Σ n_c²). The package's
    general route builds a coincidence matrix through Python-level loops: 4 ms a theme for a
    class of 200, where this is a few NumPy sums."""
    counts = np.stack([(matrix == value).sum(axis=0) for value in domain]).astype(float)
    values = counts.sum(axis=0)  # m_u: every unit here has two or more
    n = values.sum()
    same = (counts * (counts - 1) / (values - 1)).sum()
    per_value = counts.sum(axis=1)
    return float(1 - (n - 1) * (n - same) / (n**2 - (per_value**2).sum()))


def alpha_with_key(
    mine: np.ndarray, seen: np.ndarray, key: np.ndarray, key_seen: np.ndarray
) -> list[Alpha]:
    """Each student's alpha with the key on one theme (tagged or not), for all students at once.

    Two coders and two values have a closed form (Krippendorff 2011, section A): with d units
    answered differently, n pairable values and n0, n1 of each value, alpha = 1 - (n-1)·d/(n0·n1).
    tests/annotations/agreement/test_alpha.py checks it against the package and the paper."""
    both = seen & key_seen
    d = (both & (mine != key)).sum(axis=1)
    ones = (both & mine & key).sum(axis=1)
    zeros = (both & ~mine & ~key).sum(axis=1)
    result = []
    for dd, a1, a0, answered in zip(d, ones, zeros, seen.any(axis=1), strict=True):
        coders = int(answered) + int(key_seen.any())
        n = 2 * int(dd + a1 + a0)
        n1, n0 = 2 * int(a1) + int(dd), 2 * int(a0) + int(dd)
        if coders < 2:
            result.append(Alpha(None, coders, n // 2, "needs two or more coders"))
        elif not n:
            result.append(Alpha(None, coders, 0, "no passage has answers from two coders"))
        elif not n0 * n1:
            result.append(Alpha(None, coders, n // 2, "no variation: every answer is the same"))
        else:
            result.append(Alpha(1 - (n - 1) * int(dd) / (n0 * n1), coders, n // 2))
    return result
