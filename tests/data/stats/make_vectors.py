#!/usr/bin/env python3
"""Reference vectors for the statistics of src/eval/stats_*.c.

Writes vectors.json next to this file. Run by hand, not by CI, with the
Debian packages python3-scipy, python3-numpy and python3-statsmodels:

    /usr/bin/python3 tests/data/stats/make_vectors.py

Contents (tests/unit/test_stats.c reads them):
- mannwhitneyu: fixed samples and scipy.stats.mannwhitneyu(x, y,
  alternative='two-sided', method=...) statistic and p-value. For method
  'auto' the method SciPy picked is recorded as far as the p-values show
  it: 'exact' or 'asymptotic' when only one of the two forced methods gives
  the same p, 'either' when both do.
- effect: Vargha-Delaney A12 and Cliff's delta computed here from their
  definitions over all pairs, and magnitude labels from exact fractions.
- holm: Holm's adjusted p-values from the definition (numpy), checked
  against statsmodels' multipletests(method='holm').
Scott-Knott ESD has no SciPy counterpart; its cases are hand-checked in
test_stats.c. Inputs are fixed (a seeded generator, then stored), so the
C test never depends on Python's random numbers.
"""
import json
import os
import platform
import sys
from fractions import Fraction

import numpy as np
import scipy
from scipy.stats import mannwhitneyu

try:
    import statsmodels
    from statsmodels.stats.multitest import multipletests
except ImportError:  # the definition below is still the reference
    statsmodels = None

RNG = np.random.default_rng(20240611)


def normal(n, loc=0.0, scale=1.0, digits=6):
    """n normal values rounded to digits decimals (ties unlikely)."""
    return [round(float(v), digits) for v in RNG.normal(loc, scale, n)]


def integers(n, lo, hi):
    """n integers in [lo, hi] as floats (ties certain when n is large)."""
    return [float(v) for v in RNG.integers(lo, hi + 1, n)]


def has_ties(x, y):
    v = list(x) + list(y)
    return len(set(v)) < len(v)


def mwu_case(name, x, y, method="auto"):
    res = mannwhitneyu(x, y, alternative="two-sided", method=method)
    case = {"name": name, "x": x, "y": y, "method": method,
            "statistic": float(res.statistic), "pvalue": float(res.pvalue)}
    if method == "auto":
        p_asym = float(mannwhitneyu(x, y, alternative="two-sided",
                                    method="asymptotic").pvalue)
        p_exact = None
        if not has_ties(x, y):
            p_exact = float(mannwhitneyu(x, y, alternative="two-sided",
                                         method="exact").pvalue)
        if p_exact == case["pvalue"] and p_asym == case["pvalue"]:
            case["chosen"] = "either"
        elif p_exact == case["pvalue"]:
            case["chosen"] = "exact"
        elif p_asym == case["pvalue"]:
            case["chosen"] = "asymptotic"
        else:
            sys.exit(f"{name}: auto p matches neither method")
    return case


def mwu_cases():
    males, females = [19.0, 22, 16, 29, 24], [20.0, 11, 17, 12]
    s5, s7 = normal(5), normal(7, 0.8)
    s12, s15 = normal(12), normal(15, 0.7)
    return [
        mwu_case("scipy_doc_example", males, females),
        mwu_case("small_no_ties_5_7", s5, s7),
        mwu_case("two_vs_two", [1.0, 2.0], [3.0, 4.0]),
        mwu_case("one_each", [1.5], [2.5]),
        mwu_case("one_vs_six", [3.5], [1.0, 2, 3, 4, 5, 6]),
        mwu_case("one_each_tied", [2.0], [2.0]),
        mwu_case("identical_samples", [1.0, 2, 3, 4, 5], [1.0, 2, 3, 4, 5]),
        mwu_case("all_values_equal", [3.0, 3, 3], [3.0, 3]),
        mwu_case("exact_8_vs_30", normal(8, 0.5), normal(30)),
        mwu_case("exact_3_vs_20_separated", [-3.0, -2.5, -2.25],
                 normal(20, 5.0, 0.5)),
        mwu_case("exact_8_vs_200", normal(8, 0.3), normal(200)),
        mwu_case("asymptotic_9_9", normal(9, 0.4), normal(9)),
        mwu_case("asymptotic_10_10_separated", normal(10), normal(10, 10)),
        mwu_case("asymptotic_30_30_separated", normal(30), normal(30, 10)),
        mwu_case("ties_small", [1.0, 2, 2, 3], [2.0, 3, 4]),
        mwu_case("ties_8_vs_12", integers(8, 0, 5), integers(12, 2, 7)),
        mwu_case("ties_large_50_60", integers(50, 0, 10),
                 integers(60, 1, 11)),
        mwu_case("negative_values_12_15", [-abs(v) for v in s12],
                 [v - 1 for v in s15]),
        mwu_case("errors_10_reps", normal(10, 12.0, 2.0, 4),
                 normal(10, 14.0, 3.0, 4)),
        mwu_case("forced_exact_12_15", s12, s15, "exact"),
        mwu_case("forced_exact_20_20", normal(20), normal(20, 0.6),
                 "exact"),
        mwu_case("forced_asymptotic_5_7", s5, s7, "asymptotic"),
        mwu_case("forced_asymptotic_one_each", [1.5], [2.5], "asymptotic"),
    ]


A12_LABELS = [(Fraction(71, 100), "large"), (Fraction(64, 100), "medium"),
              (Fraction(56, 100), "small")]
DELTA_LABELS = [(Fraction(147, 1000), "negligible"),
                (Fraction(33, 100), "small"),
                (Fraction(474, 1000), "medium")]


def a12_label(a):
    """Vargha-Delaney labels, symmetric about 1/2, on an exact fraction."""
    a = max(a, 1 - a)
    for threshold, label in A12_LABELS:
        if a >= threshold:
            return label
    return "negligible"


def delta_label(d):
    """Romano et al. labels on |delta|, an exact fraction."""
    d = abs(d)
    for threshold, label in DELTA_LABELS:
        if d < threshold:
            return label
    return "large"


def effect_case(name, x, y):
    gt = int((np.subtract.outer(x, y) > 0).sum())
    lt = int((np.subtract.outer(x, y) < 0).sum())
    pairs = len(x) * len(y)
    eq = pairs - gt - lt
    a12 = Fraction(2 * gt + eq, 2 * pairs)
    delta = Fraction(gt - lt, pairs)
    return {"name": name, "x": x, "y": y, "a12": float(a12),
            "delta": float(delta), "a12_magnitude": a12_label(a12),
            "delta_magnitude": delta_label(delta)}


def at_fraction(num, den):
    """x = [0], y with num values below 0 and den - num equal to it:
    A12 = (num + (den - num) / 2) / den, delta = num / den exactly."""
    return [0.0], [-1.0] * num + [0.0] * (den - num)


def above_fraction(num, den):
    """x = [0], y with num values below 0 and den - num above:
    A12 = delta's (1 + delta) / 2 = num / den exactly."""
    return [0.0], [-1.0] * num + [1.0] * (den - num)


def effect_cases(mwu):
    cases = [effect_case(c["name"], c["x"], c["y"]) for c in mwu]
    for num, den in [(56, 100), (64, 100), (71, 100), (44, 100),
                     (36, 100), (29, 100), (55, 100), (70, 100)]:
        x, y = above_fraction(num, den)
        cases.append(effect_case(f"a12_at_{num}_over_{den}", x, y))
    for num, den in [(147, 1000), (146, 1000), (33, 100), (474, 1000),
                     (473, 1000)]:
        x, y = at_fraction(num, den)
        cases.append(effect_case(f"delta_at_{num}_over_{den}", x, y))
    return cases


def holm_definition(p):
    """Sorted ascending, the i-th (0-based) times n - i, capped at 1,
    made monotone by a running maximum, returned in the input order."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, (n - np.arange(n)) * p[order])
    adj = np.empty(n)
    adj[order] = np.maximum.accumulate(scaled)
    return adj


def holm_cases():
    vectors = {
        "random_10": [float(v) for v in RNG.uniform(0, 1, 10) ** 3],
        "pairs_of_10_samplers": [float(v) for v in
                                 RNG.uniform(0, 1, 45) ** 4],
        "ties": [0.04, 0.01, 0.2, 0.01, 0.04],
        "capped": [0.3, 0.9, 0.5],
        "running_maximum": [0.5, 0.012, 0.01, 0.011],
        "single": [0.03],
        "zeros_and_ones": [0.0, 1.0, 0.5, 0.0],
    }
    cases = []
    for name, p in vectors.items():
        adj = holm_definition(p)
        if statsmodels is not None:
            ref = multipletests(p, method="holm")[1]
            if not np.allclose(adj, ref, rtol=1e-15, atol=0):
                sys.exit(f"holm {name}: definition and statsmodels differ")
        cases.append({"name": name, "p": p,
                      "adjusted": [float(v) for v in adj]})
    return cases


def main():
    mwu = mwu_cases()
    out = {
        "generator": "tests/data/stats/make_vectors.py",
        "python": platform.python_version(),
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "statsmodels": statsmodels.__version__ if statsmodels else None,
        "mannwhitneyu": mwu,
        "effect": effect_cases(mwu),
        "holm": holm_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "vectors.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {path} (SciPy {scipy.__version__})")


if __name__ == "__main__":
    main()
