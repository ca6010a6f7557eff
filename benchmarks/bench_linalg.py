#!/usr/bin/env python3
"""mlmath.linalg against LAPACK: time ratios and reconstruction errors, in one table.

    make bench                       (or: .venv/bin/python benchmarks/bench_linalg.py [--sizes 100 300])

For each function, at each size n: the best-of-k time of mlmath's version divided by
the time of its LAPACK counterpart (numpy.linalg; scipy.linalg.lu for lu), and the
relative reconstruction error of each (what the factorisation promises, measured the
same way for both). Inputs are random Gaussian matrices (well conditioned); tall
matrices are (2n, n). Timings depend on the machine and its BLAS threads, so this is
a report, never a test.
"""
from __future__ import annotations

import argparse
import timeit

import numpy as np
import scipy.linalg

from mlmath import linalg


def rel(x, scale):
    return float(np.linalg.norm(x) / np.linalg.norm(scale))


def cases(n, rng):
    """name -> (ours, reference, error(result, A, b)) on a square A, a tall T and right-hand sides."""
    A = rng.standard_normal((n, n))
    S = A + A.T
    T = rng.standard_normal((2 * n, n))
    b = rng.standard_normal(n)
    bt = rng.standard_normal(2 * n)
    eye = np.eye(n)
    return {
        "lu": (lambda: linalg.lu(A), lambda: scipy.linalg.lu(A),
               lambda r: rel(r[0] @ r[1] @ r[2] - A, A)),
        "solve": (lambda: linalg.solve(A, b), lambda: np.linalg.solve(A, b),
                  lambda x: rel(A @ x - b, b)),
        "det": (lambda: linalg.det(A), lambda: np.linalg.det(A),
                lambda d: abs(d - np.linalg.det(A)) / abs(np.linalg.det(A))),
        "inv": (lambda: linalg.inv(A), lambda: np.linalg.inv(A),
                lambda X: rel(A @ X - eye, eye)),
        "qr (tall)": (lambda: linalg.qr(T), lambda: np.linalg.qr(T),
                      lambda r: rel(r[0] @ r[1] - T, T)),
        "gram_schmidt (tall)": (lambda: linalg.gram_schmidt(T), lambda: np.linalg.qr(T)[0],
                                lambda Q: rel(Q.T @ Q - eye, eye)),
        "lstsq (tall)": (lambda: linalg.lstsq(T, bt), lambda: np.linalg.lstsq(T, bt, rcond=None)[0],
                         lambda x: rel(T.T @ (T @ x - bt), T.T @ bt)),
        "eigh": (lambda: linalg.eigh(S), lambda: np.linalg.eigh(S),
                 lambda r: rel(S @ r[1] - r[1] * r[0], S)),
        "svd": (lambda: linalg.svd(A), lambda: np.linalg.svd(A, full_matrices=False),
                lambda r: rel(r[0] * r[1] @ r[2] - A, A)),
        "svd (tall)": (lambda: linalg.svd(T), lambda: np.linalg.svd(T, full_matrices=False),
                       lambda r: rel(r[0] * r[1] @ r[2] - T, T)),
        "rank": (lambda: linalg.rank(A), lambda: np.linalg.matrix_rank(A),
                 lambda k: float(k != n)),
        "condition_number": (lambda: linalg.condition_number(A), lambda: np.linalg.cond(A),
                             lambda c: abs(c - np.linalg.cond(A)) / np.linalg.cond(A)),
    }


def best_time(fn, budget=1.0):
    """The best of several runs, with repeats chosen so the whole measurement takes about `budget` seconds."""
    once = min(timeit.repeat(fn, number=1, repeat=2))
    repeat = max(3, min(20, int(budget / max(once, 1e-6))))
    return min(timeit.repeat(fn, number=1, repeat=repeat))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 300])
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    print(f"{'function':22s} {'n':>5s} {'mlmath':>10s} {'LAPACK':>10s} {'ratio':>7s}   "
          f"{'error mlmath':>12s} {'error LAPACK':>12s}")
    for n in args.sizes:
        for name, (ours, ref, error) in cases(n, rng).items():
            t_ours, t_ref = best_time(ours), best_time(ref)
            e_ours, e_ref = error(ours()), error(ref())
            print(f"{name:22s} {n:5d} {1e3 * t_ours:8.2f}ms {1e3 * t_ref:8.2f}ms {t_ours / t_ref:6.1f}x   "
                  f"{e_ours:12.1e} {e_ref:12.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
