"""mlmath.linalg's LU and QR code against numpy.linalg and SciPy.

Covers lu, solve, solve_triangular, det, inv (01-linear-algebra/07-lu-decomposition.ipynb) and
gram_schmidt, qr, lstsq, project (01-linear-algebra/08-qr-decomposition-and-projections.ipynb).
Accuracy is judged the way LAPACK's own is: backward errors (reconstruction, residual) within a
small multiple of machine epsilon, forward errors within a multiple of eps times the condition number.
"""
import ast
import inspect

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.linalg import LinAlgError

from mlmath import linalg
from mlmath.linalg import det, gram_schmidt, inv, lstsq, lu, project, qr, solve, solve_triangular

EPS = np.finfo(float).eps
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
SQUARE = st.integers(min_value=1, max_value=30)
DIMS = st.integers(min_value=1, max_value=30)
RHS = st.sampled_from([None, 1, 3])  # b of shape (n,), (n, 1), (n, 3)


def orthogonal(n, rng):
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)


def with_condition(m, n, kappa, rng):
    """An m x n matrix U diag(s) V^T with singular values from 1 down to 1/kappa."""
    k = min(m, n)
    s = np.logspace(0, -np.log10(kappa), k)
    return (orthogonal(m, rng)[:, :k] * s) @ orthogonal(n, rng)[:, :k].T


def rhs(n, k, rng):
    return rng.standard_normal(n) if k is None else rng.standard_normal((n, k))


def exactly_singular(n, kind, rng):
    """n x n matrices (n >= 2 unless kind is 'zeros') on which elimination meets an exactly zero pivot."""
    A = rng.standard_normal((n, n))
    i, j = rng.choice(n, size=2, replace=False) if n > 1 else (0, 0)
    if kind == "zeros":
        return np.zeros((n, n))
    if kind == "zero column":
        A[:, j] = 0.0
    elif kind == "zero row":
        A[i] = 0.0
    elif kind == "repeated row":
        A[i] = A[j]
    elif kind == "scaled row":  # a power-of-two multiple: every step cancels exactly
        A[i] = 4.0 * A[j]
    elif kind == "rank one":
        A = np.outer(2.0 ** rng.integers(-3, 4, n), rng.standard_normal(n))
    return A


SINGULAR_KINDS = ["zeros", "zero column", "zero row", "repeated row", "scaled row", "rank one"]


def backward_error(A, x, b):
    """||A x - b|| / (||A|| ||x|| + ||b||): how much A and b must change for x to be exact."""
    return np.linalg.norm(A @ x - b) / (np.linalg.norm(A) * np.linalg.norm(x) + np.linalg.norm(b))


# --------------------------------------------------------------------------- lu

@settings(max_examples=50, deadline=None)
@given(n=SQUARE, seed=SEEDS)
def test_lu_equals_scipy_on_random_matrices(n, seed):
    A = np.random.default_rng(seed).standard_normal((n, n))
    P, L, U = lu(A)
    P_ref, L_ref, U_ref = scipy.linalg.lu(A)
    for X in (P, L, U):
        assert X.dtype == np.float64 and X.shape == (n, n)
    np.testing.assert_array_equal(P, P_ref)
    np.testing.assert_allclose(L, L_ref, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(U, U_ref, rtol=1e-9, atol=1e-11)


@settings(max_examples=50, deadline=None)
@given(n=SQUARE, seed=SEEDS)
def test_lu_factors_have_their_shapes(n, seed):
    A = np.random.default_rng(seed).integers(-5, 6, size=(n, n))  # integer input, ties in the pivots
    P, L, U = lu(A)
    np.testing.assert_allclose(P @ L @ U, A, atol=1e-12 * max(1, np.abs(U).max()))
    np.testing.assert_array_equal(np.sort(P, axis=0)[:-1], 0)  # a permutation matrix
    np.testing.assert_array_equal(P.sum(axis=0), 1)
    np.testing.assert_array_equal(P.sum(axis=1), 1)
    np.testing.assert_array_equal(np.diag(L), 1)
    np.testing.assert_array_equal(np.triu(L, 1), 0)
    np.testing.assert_array_equal(np.tril(U, -1), 0)
    assert np.all(np.abs(L) <= 1.0), "partial pivoting keeps every multiplier at most 1"


@pytest.mark.parametrize("n", [33, 64, 100, 150])
def test_blocked_lu_on_larger_matrices(n):
    """Sizes above the block size run the blocked path (panel, triangular solve, Schur update)."""
    A = np.random.default_rng(n).standard_normal((n, n))
    P, L, U = lu(A)
    P_ref, L_ref, U_ref = scipy.linalg.lu(A)
    np.testing.assert_array_equal(P, P_ref)
    np.testing.assert_allclose(L, L_ref, atol=1e-10)
    np.testing.assert_allclose(U, U_ref, atol=1e-10)
    err = np.abs(P @ L @ U - A).max()
    err_ref = np.abs(P_ref @ L_ref @ U_ref - A).max()
    assert err <= 10 * max(err_ref, n * EPS)


@pytest.mark.parametrize("kappa", [1e4, 1e8, 1e12, 1e15])
@pytest.mark.parametrize("n", [5, 20, 30, 60])
def test_lu_reconstruction_on_ill_conditioned_matrices_is_as_good_as_lapack(n, kappa):
    A = with_condition(n, n, kappa, np.random.default_rng(int(np.log10(kappa)) + n))
    P, L, U = lu(A)
    P_ref, L_ref, U_ref = scipy.linalg.lu(A)
    err = np.linalg.norm(P @ L @ U - A)
    err_ref = np.linalg.norm(P_ref @ L_ref @ U_ref - A)
    assert err <= 10 * max(err_ref, EPS * np.linalg.norm(A))


def test_lu_of_a_1x1_matrix():
    P, L, U = lu([[3.0]])
    np.testing.assert_array_equal(P, [[1.0]])
    np.testing.assert_array_equal(L, [[1.0]])
    np.testing.assert_array_equal(U, [[3.0]])


def test_lu_swaps_rows_for_a_tiny_pivot():
    A = np.array([[1e-20, 1.0], [1.0, 1.0]])
    P, L, U = lu(A)
    np.testing.assert_array_equal(P, [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(P @ L @ U, A, rtol=0, atol=1e-15)


@pytest.mark.parametrize("kind", SINGULAR_KINDS)
@pytest.mark.parametrize("n", [2, 3, 7, 30])
def test_lu_of_a_singular_matrix_does_not_raise_and_has_a_zero_pivot(kind, n):
    A = exactly_singular(n, kind, np.random.default_rng(n))
    P, L, U = lu(A)
    assert np.any(np.diag(U) == 0.0)
    np.testing.assert_allclose(P @ L @ U, A, atol=1e-13 * max(1.0, np.abs(A).max()))


# --------------------------------------------------------------------------- solve

@settings(max_examples=50, deadline=None)
@given(n=SQUARE, k=RHS, seed=SEEDS)
def test_solve_equals_numpy(n, k, seed):
    rng = np.random.default_rng(seed)
    A, b = rng.standard_normal((n, n)), rhs(n, k, rng)
    x = solve(A, b)
    assert x.shape == b.shape and x.dtype == np.float64
    x_ref = np.linalg.solve(A, b)
    assert backward_error(A, x, b) < 10 * n * EPS
    kappa = np.linalg.cond(A)
    assert np.linalg.norm(x - x_ref) <= 100 * n * EPS * kappa * np.linalg.norm(x_ref)


@pytest.mark.parametrize("kappa", [1e6, 1e10, 1e14])
def test_solve_is_backward_stable_on_ill_conditioned_matrices(kappa):
    rng = np.random.default_rng(7)
    A = with_condition(25, 25, kappa, rng)
    b = A @ rng.standard_normal(25)
    x = solve(A, b)
    x_ref = np.linalg.solve(A, b)
    assert backward_error(A, x, b) <= 10 * max(backward_error(A, x_ref, b), 25 * EPS)


def test_solve_matches_a_hand_computed_system():
    x = solve([[2, 1, 1], [4, -6, 0], [-2, 7, 2]], [5, -2, 9])
    np.testing.assert_allclose(x, [1.0, 1.0, 2.0], rtol=1e-14)


def test_solve_keeps_the_shape_of_a_single_column_right_hand_side():
    A = np.random.default_rng(0).standard_normal((4, 4))
    assert solve(A, np.ones((4, 1))).shape == (4, 1)
    assert solve(A, np.ones(4)).shape == (4,)
    assert solve([[2.0]], [4.0]).tolist() == [2.0]


@pytest.mark.parametrize("kind", SINGULAR_KINDS)
@pytest.mark.parametrize("n", [1, 2, 5, 30])
def test_solve_and_inv_raise_on_an_exactly_singular_matrix(kind, n):
    if n == 1 and kind != "zeros":
        A = np.zeros((1, 1))
    else:
        A = exactly_singular(n, kind, np.random.default_rng(n + 1))
    with pytest.raises(LinAlgError, match="singular"):
        solve(A, np.ones(n))
    with pytest.raises(LinAlgError, match="singular"):
        solve(A, np.ones((n, 2)))
    with pytest.raises(LinAlgError, match="singular"):
        inv(A)


# --------------------------------------------------------------------------- solve_triangular

@settings(max_examples=50, deadline=None)
@given(n=SQUARE, k=RHS, lower=st.booleans(), unit=st.booleans(), seed=SEEDS)
def test_solve_triangular_equals_scipy_and_reads_one_triangle(n, k, lower, unit, seed):
    rng = np.random.default_rng(seed)
    T = rng.standard_normal((n, n)) + 3 * np.eye(n) * np.sign(rng.standard_normal(n))
    b = rhs(n, k, rng)
    x = solve_triangular(T, b, lower=lower, unit_diagonal=unit)
    x_ref = scipy.linalg.solve_triangular(T, b, lower=lower, unit_diagonal=unit)
    assert x.shape == b.shape and x.dtype == np.float64
    np.testing.assert_allclose(x, x_ref, rtol=1e-8, atol=1e-8 * np.abs(x_ref).max())
    # the other triangle is never read
    T_noisy = T + (np.triu(np.full((n, n), np.nan), 1) if lower else np.tril(np.full((n, n), 1e300), -1))
    T_noisy = np.nan_to_num(T_noisy, nan=-7e200)
    np.testing.assert_array_equal(solve_triangular(T_noisy, b, lower=lower, unit_diagonal=unit), x)


def test_solve_triangular_zero_diagonal():
    U = np.array([[1.0, 2.0], [0.0, 0.0]])
    with pytest.raises(LinAlgError, match="singular"):
        solve_triangular(U, [1.0, 1.0])
    np.testing.assert_allclose(solve_triangular(U, [3.0, 1.0], unit_diagonal=True), [1.0, 1.0])


# --------------------------------------------------------------------------- det

@settings(max_examples=50, deadline=None)
@given(n=SQUARE, seed=SEEDS)
def test_det_equals_numpy(n, seed):
    A = np.random.default_rng(seed).standard_normal((n, n))
    d = det(A)
    assert type(d) is float
    kappa = np.linalg.cond(A)
    np.testing.assert_allclose(d, np.linalg.det(A), rtol=100 * n * EPS * kappa)


@pytest.mark.parametrize("n", [1, 2, 5, 9])
def test_det_of_permutation_matrices_is_their_sign(n):
    rng = np.random.default_rng(n)
    for _ in range(10):
        P = np.eye(n)[rng.permutation(n)]
        d = det(P)
        assert d == round(np.linalg.det(P)) and d in (-1.0, 1.0)


def test_det_of_known_matrices():
    assert det([[2.0]]) == 2.0
    assert det([[0.0, 1.0], [1.0, 0.0]]) == -1.0
    assert det(np.diag([2.0, 3.0, -4.0])) == -24.0
    np.testing.assert_allclose(det([[2, 1, 1, 0], [4, 3, 3, 1], [8, 7, 9, 5], [6, 7, 9, 8]]), 8.0, rtol=1e-13)
    T = np.triu(np.random.default_rng(3).standard_normal((6, 6)))
    np.testing.assert_allclose(det(T), np.prod(np.diag(T)), rtol=1e-13)


def test_det_is_multiplicative():
    rng = np.random.default_rng(11)
    A, B = rng.standard_normal((6, 6)), rng.standard_normal((6, 6))
    np.testing.assert_allclose(det(A @ B), det(A) * det(B), rtol=1e-10)


@pytest.mark.parametrize("kind", SINGULAR_KINDS)
@pytest.mark.parametrize("n", [1, 2, 5, 30])
def test_det_of_an_exactly_singular_matrix_is_zero(kind, n):
    A = np.zeros((1, 1)) if n == 1 else exactly_singular(n, kind, np.random.default_rng(n + 2))
    d = det(A)
    assert d == 0.0 and type(d) is float
    assert not np.signbit(d)


# --------------------------------------------------------------------------- inv

@settings(max_examples=50, deadline=None)
@given(n=SQUARE, seed=SEEDS)
def test_inv_equals_numpy(n, seed):
    A = np.random.default_rng(seed).standard_normal((n, n))
    X = inv(A)
    assert X.shape == (n, n) and X.dtype == np.float64
    X_ref = np.linalg.inv(A)
    kappa = np.linalg.cond(A)
    assert np.linalg.norm(X - X_ref) <= 100 * n * EPS * kappa * np.linalg.norm(X_ref)
    assert np.linalg.norm(A @ X - np.eye(n)) <= 100 * n * EPS * kappa


def test_inv_of_a_2x2_matrix_is_the_formula():
    np.testing.assert_allclose(inv([[2.0, 1.0], [0.5, 1.5]]), np.array([[1.5, -1.0], [-0.5, 2.0]]) / 2.5,
                               rtol=1e-14)


# --------------------------------------------------------------------------- qr

@settings(max_examples=50, deadline=None)
@given(m=DIMS, n=DIMS, seed=SEEDS)
def test_qr_equals_numpy_reduced_qr(m, n, seed):
    A = np.random.default_rng(seed).standard_normal((m, n))
    Q, R = qr(A)
    K = min(m, n)
    assert Q.shape == (m, K) and R.shape == (K, n)
    assert Q.dtype == np.float64 and R.dtype == np.float64
    np.testing.assert_array_equal(np.tril(R, -1), 0)
    np.testing.assert_allclose(Q.T @ Q, np.eye(K), atol=20 * max(m, n) * EPS)
    assert np.linalg.norm(Q @ R - A) <= 20 * max(m, n) * EPS * np.linalg.norm(A)
    Q_ref, R_ref = np.linalg.qr(A)
    signs = np.where(np.diag(R) * np.diag(R_ref) < 0, -1.0, 1.0)  # same convention; guard the edge cases
    np.testing.assert_allclose(Q * signs, Q_ref, atol=1e-10)
    np.testing.assert_allclose(R * signs[:, None], R_ref, atol=1e-10 * max(1.0, np.abs(R_ref).max()))


@pytest.mark.parametrize("shape", [(40, 10), (25, 25), (10, 40)])
@pytest.mark.parametrize("kappa", [1e4, 1e10, 1e15])
def test_qr_stays_orthogonal_on_ill_conditioned_matrices(shape, kappa):
    A = with_condition(*shape, kappa, np.random.default_rng(int(np.log10(kappa))))
    Q, R = qr(A)
    Q_ref, R_ref = np.linalg.qr(A)
    K = min(shape)
    loss = np.linalg.norm(Q.T @ Q - np.eye(K))
    loss_ref = np.linalg.norm(Q_ref.T @ Q_ref - np.eye(K))
    assert loss <= 10 * max(loss_ref, K * EPS)
    err, err_ref = np.linalg.norm(Q @ R - A), np.linalg.norm(Q_ref @ R_ref - A)
    assert err <= 10 * max(err_ref, K * EPS * np.linalg.norm(A))


@pytest.mark.parametrize("shape", [(500, 67), (67, 500), (300, 300), (2049, 3), (129, 128)])
@pytest.mark.parametrize("defect", ["none", "zero column", "repeated column", "triangular head"])
def test_qr_blocked_recursion_on_larger_and_rank_deficient_matrices(shape, defect):
    """Many levels of the recursive WY merge, odd splits, and columns that need no reflection."""
    m, n = shape
    A = np.random.default_rng(m * n).standard_normal(shape)
    if defect == "zero column":
        A[:, n // 3] = 0.0
    elif defect == "repeated column":
        A[:, n // 2] = A[:, n // 5]
    elif defect == "triangular head":
        A[1:, 0] = 0.0
        A[2:, 1] = 0.0
    A_before = A.copy()
    Q, R = qr(A)
    np.testing.assert_array_equal(A, A_before)
    K = min(m, n)
    np.testing.assert_array_equal(np.tril(R, -1), 0)
    assert np.linalg.norm(Q.T @ Q - np.eye(K)) <= 20 * max(m, n) * EPS
    assert np.linalg.norm(Q @ R - A) <= 20 * max(m, n) * EPS * np.linalg.norm(A)
    R_ref = np.linalg.qr(A)[1]
    # R is unique up to the signs of its rows (for the leading full-rank columns); compare |R|
    # column by column up to the first (numerically) dependent column
    rank_cols = n // 5 + 1 if defect == "repeated column" else (n // 3 if defect == "zero column" else K)
    k = min(K, rank_cols)
    np.testing.assert_allclose(np.abs(R[:k, :k]), np.abs(R_ref[:k, :k]),
                               atol=1e-10 * np.abs(R_ref).max())


def test_qr_edge_cases():
    Q, R = qr([[5.0]])
    assert Q.tolist() == [[1.0]] and R.tolist() == [[5.0]]
    Q, R = qr(np.zeros((4, 3)))
    np.testing.assert_array_equal(Q, np.eye(4, 3))
    np.testing.assert_array_equal(R, 0)
    U = np.triu(np.arange(1.0, 13.0).reshape(4, 3))  # already triangular: no reflection needed
    Q, R = qr(U)
    np.testing.assert_array_equal(Q, np.eye(4, 3))
    np.testing.assert_array_equal(R, U[:3])
    Q, R = qr([[1.0, 2.0, 3.0]])  # one row
    assert Q.shape == (1, 1) and R.shape == (1, 3)
    np.testing.assert_allclose(Q @ R, [[1.0, 2.0, 3.0]])


@pytest.mark.parametrize("m", [2, 3, 8])
def test_qr_uses_the_sign_that_avoids_cancellation(m):
    """A first column almost along e1: x_1 - ||x|| would cancel; x_1 + sign(x_1) ||x|| does not."""
    rng = np.random.default_rng(m)
    A = rng.standard_normal((m, 2))
    for first in (1.0, -1.0):
        A[:, 0] = 1e-8
        A[0, 0] = first
        Q, R = qr(A)
        assert np.sign(R[0, 0]) == -first, "x is mapped to -sign(x_1) ||x|| e_1 (LAPACK's choice)"
        assert np.linalg.norm(Q @ R - A) <= 10 * EPS * np.linalg.norm(A)
        np.testing.assert_allclose(Q.T @ Q, np.eye(2), atol=10 * EPS)


@settings(max_examples=30, deadline=None)
@given(m=DIMS, n=DIMS, seed=SEEDS)
def test_qr_diagonal_signs_follow_lapack(m, n, seed):
    A = np.random.default_rng(seed).standard_normal((m, n))
    R, R_ref = qr(A)[1], np.linalg.qr(A)[1]
    np.testing.assert_array_equal(np.sign(np.diag(R)), np.sign(np.diag(R_ref)))


@pytest.mark.parametrize("scale", [1e-200, 1e200])
def test_qr_and_gram_schmidt_survive_extreme_scales(scale):
    A = np.random.default_rng(5).standard_normal((6, 4)) * scale
    Q, R = qr(A)
    assert np.all(np.isfinite(Q)) and np.all(np.isfinite(R))
    np.testing.assert_allclose(Q.T @ Q, np.eye(4), atol=1e-14)
    np.testing.assert_allclose(Q @ R / scale, A / scale, atol=1e-13)
    Q_gs = gram_schmidt(A)
    np.testing.assert_allclose(Q_gs.T @ Q_gs, np.eye(4), atol=1e-13)


# --------------------------------------------------------------------------- gram_schmidt

@settings(max_examples=50, deadline=None)
@given(m=DIMS, n=DIMS, seed=SEEDS)
def test_gram_schmidt_gives_numpys_q_up_to_column_signs(m, n, seed):
    m, n = max(m, n), min(m, n)  # tall
    A = np.random.default_rng(seed).standard_normal((m, n))
    Q = gram_schmidt(A)
    assert Q.shape == (m, n) and Q.dtype == np.float64
    R = Q.T @ A
    assert np.all(np.diag(R) > 0)
    np.testing.assert_allclose(np.tril(R, -1), 0, atol=1e-10)
    kappa = np.linalg.cond(A)
    assert np.linalg.norm(Q.T @ Q - np.eye(n)) <= 100 * n * EPS * kappa
    Q_ref, R_ref = np.linalg.qr(A)
    np.testing.assert_allclose(Q, Q_ref * np.sign(np.diag(R_ref)), atol=1e-12 * kappa)


@pytest.mark.parametrize("kappa", [1e4, 1e8, 1e12])
def test_gram_schmidt_loses_orthogonality_only_in_proportion_to_the_condition_number(kappa):
    A = with_condition(60, 20, kappa, np.random.default_rng(2))
    Q = gram_schmidt(A)
    loss = np.linalg.norm(Q.T @ Q - np.eye(20), 2)
    assert loss <= 20 * EPS * kappa  # modified Gram-Schmidt; classical is ~ eps * kappa^2
    np.testing.assert_allclose(Q @ (Q.T @ A), A, atol=10 * EPS * kappa)  # spans col(A), up to that loss


@pytest.mark.parametrize("A", [
    [[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]],          # proportional columns
    [[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]],          # a zero column
    [[1.0, 1.0, 2.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [2.0, 2.0, 4.0]],  # a3 = a1 + a2
    np.zeros((3, 1)),
])
def test_gram_schmidt_raises_on_dependent_columns(A):
    with pytest.raises(LinAlgError, match="dependent"):
        gram_schmidt(A)


# --------------------------------------------------------------------------- lstsq and project

@settings(max_examples=50, deadline=None)
@given(m=DIMS, n=DIMS, k=RHS, seed=SEEDS)
def test_lstsq_equals_numpy(m, n, k, seed):
    m, n = max(m, n), min(m, n)
    rng = np.random.default_rng(seed)
    A, b = rng.standard_normal((m, n)), rhs(m, k, rng)
    x = lstsq(A, b)
    x_ref = np.linalg.lstsq(A, b, rcond=None)[0]
    assert x.shape == x_ref.shape and x.dtype == np.float64
    kappa = np.linalg.cond(A)
    r = np.linalg.norm(A @ x_ref - b) / (np.linalg.norm(A, 2) * np.linalg.norm(x_ref))
    tol = 100 * m * EPS * (kappa + kappa**2 * r)  # the least-squares sensitivity
    assert np.linalg.norm(x - x_ref) <= tol * np.linalg.norm(x_ref)


def test_lstsq_beats_the_normal_equations_on_an_ill_conditioned_polynomial_fit():
    x = np.linspace(0, 1, 100)
    X = np.vander(x, 13, increasing=True)  # cond(X) ~ 1e9
    w = np.ones(13)
    err = np.linalg.norm(lstsq(X, X @ w) - w)
    assert err < 1e-4
    assert err < np.linalg.norm(solve(X.T @ X, X.T @ (X @ w)) - w) / 100


def test_lstsq_of_a_square_system_is_its_solution():
    A = np.random.default_rng(9).standard_normal((6, 6))
    b = np.arange(6.0)
    np.testing.assert_allclose(lstsq(A, b), np.linalg.solve(A, b), rtol=1e-9, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(m=DIMS, n=DIMS, k=RHS, seed=SEEDS)
def test_project_is_the_orthogonal_projection(m, n, k, seed):
    m, n = max(m, n), min(m, n)
    rng = np.random.default_rng(seed)
    A, b = rng.standard_normal((m, n)), rhs(m, k, rng)
    p = project(b, A)
    assert p.shape == b.shape and p.dtype == np.float64
    p_ref = A @ np.linalg.lstsq(A, b, rcond=None)[0]
    scale = np.linalg.norm(b)
    assert np.linalg.norm(p - p_ref) <= 1e-12 * np.linalg.cond(A) * scale
    assert np.linalg.norm(A.T @ (b - p)) <= 1e-12 * np.linalg.norm(A) * scale  # residual orthogonal
    assert np.linalg.norm(project(p, A) - p) <= 1e-12 * scale  # idempotent


def test_project_onto_a_line_and_of_a_point_already_in_the_space():
    np.testing.assert_allclose(project([2.0, 3.0], [[2.0], [1.0]]), [2.8, 1.4], rtol=1e-14)
    A = np.random.default_rng(4).standard_normal((7, 3))
    v = A @ np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(project(v, A), v, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(project(np.ones(4), np.eye(4)), np.ones(4), atol=1e-15)


@pytest.mark.parametrize("func", [lambda A: lstsq(A, np.ones(3)), lambda A: project(np.ones(3), A)])
def test_lstsq_and_project_raise_without_full_column_rank(func):
    with pytest.raises(LinAlgError, match="full column rank"):
        func([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])


# --------------------------------------------------------------------------- input validation

SQUARE_FUNCS = {
    "lu": lambda A: lu(A),
    "det": lambda A: det(A),
    "inv": lambda A: inv(A),
    "solve": lambda A: solve(A, np.ones(np.shape(A)[0] if np.ndim(A) else 1)),
}
MATRIX_FUNCS = {
    "qr": lambda A: qr(A),
    "gram_schmidt": lambda A: gram_schmidt(A),
    "lstsq": lambda A: lstsq(A, np.ones(np.shape(A)[0] if np.ndim(A) else 1)),
    "project": lambda A: project(np.ones(np.shape(A)[0] if np.ndim(A) else 1), A),
}
NOT_FINITE = [[[1.0, np.nan], [0.0, 1.0]], [[1.0, 0.0], [np.inf, 1.0]], [[-np.inf, 0.0], [0.0, 1.0]]]


@pytest.mark.parametrize("name", sorted(SQUARE_FUNCS))
def test_square_functions_reject_bad_matrices(name):
    func = SQUARE_FUNCS[name]
    with pytest.raises(ValueError, match=r"A must be a square 2-D array, got shape \(2, 3\)"):
        func(np.ones((2, 3)))
    for bad in [np.ones(3), np.ones((2, 2, 2)), 5.0]:
        with pytest.raises(ValueError, match="A must be a square 2-D array"):
            func(bad)
    with pytest.raises(ValueError, match="A must be non-empty"):
        func(np.ones((0, 0)))
    for bad in NOT_FINITE:
        with pytest.raises(ValueError, match="A must contain only finite numbers"):
            func(bad)


@pytest.mark.parametrize("name", sorted(MATRIX_FUNCS))
def test_qr_family_rejects_bad_matrices(name):
    func = MATRIX_FUNCS[name]
    for bad in [np.ones(3), np.ones((2, 2, 2)), 5.0]:
        with pytest.raises(ValueError, match="A must be a 2-D array"):
            func(bad)
    for bad in [np.ones((0, 0)), np.ones((0, 3)), np.ones((3, 0))]:
        with pytest.raises(ValueError, match="A must"):
            func(bad)
    for bad in NOT_FINITE:
        with pytest.raises(ValueError, match="A must contain only finite numbers"):
            func(bad)
    if name != "qr":  # qr takes wide matrices too
        with pytest.raises(ValueError, match=r"A must have at least as many rows as columns, got shape \(2, 3\)"):
            func(np.ones((2, 3)))


@pytest.mark.parametrize("func", [solve, lstsq, lambda A, b: project(b, A),
                                  lambda A, b: solve_triangular(np.triu(A) + 3 * np.eye(3), b)])
def test_right_hand_sides_are_checked(func):
    A = np.random.default_rng(0).standard_normal((3, 3)) + 3 * np.eye(3)
    for bad in [np.ones(2), np.ones((2, 1)), np.ones((4, 2)), np.ones((3, 2, 1)), 1.0]:
        with pytest.raises(ValueError, match=r"b must have shape \(3,\) or \(3, k\)"):
            func(A, bad)
    with pytest.raises(ValueError, match="b must be non-empty"):
        func(A, np.ones((3, 0)))
    for bad in [[1.0, np.nan, 0.0], [[np.inf], [0.0], [1.0]]]:
        with pytest.raises(ValueError, match="b must contain only finite numbers"):
            func(A, bad)


def test_solve_triangular_names_its_matrix():
    with pytest.raises(ValueError, match=r"T must be a square 2-D array, got shape \(2, 3\)"):
        solve_triangular(np.ones((2, 3)), np.ones(2))


# --------------------------------------------------------------------------- inputs, outputs, dependencies

def test_inputs_are_never_modified_and_results_are_float64():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((5, 5))
    T = rng.standard_normal((6, 3))
    b, b6 = rng.standard_normal((5, 2)), rng.standard_normal(6)
    calls = [lambda: lu(A), lambda: solve(A, b), lambda: det(A), lambda: inv(A),
             lambda: solve_triangular(A, b), lambda: qr(T), lambda: qr(T.T), lambda: gram_schmidt(T),
             lambda: lstsq(T, b6), lambda: project(b6, T)]
    copies = [x.copy() for x in (A, T, b, b6)]
    for call in calls:
        out = call()
        results = out if isinstance(out, tuple) else (out,)
        for r in results:
            assert isinstance(r, float) or r.dtype == np.float64
        for x, c in zip((A, T, b, b6), copies, strict=True):
            np.testing.assert_array_equal(x, c)


def test_integer_and_list_inputs_give_float_results():
    A = [[4, 1], [2, 3]]
    assert lu(A)[2].dtype == np.float64
    assert solve(A, [1, 2]).dtype == np.float64
    assert inv(A).dtype == np.float64
    assert qr(A)[0].dtype == np.float64
    assert type(det(A)) is float
    np.testing.assert_allclose(det(A), 10.0, rtol=1e-14)


FORBIDDEN = {"solve", "inv", "det", "slogdet", "qr", "eig", "eigh", "eigvals", "eigvalsh", "svd", "svdvals",
             "lstsq", "cholesky", "pinv", "matrix_rank", "cond", "tensorsolve", "tensorinv", "matrix_power"}


def test_linalg_calls_no_numpy_solver_or_decomposition():
    tree = ast.parse(inspect.getsource(linalg))
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "linalg" and node.attr in FORBIDDEN:
            used.add(node.attr)
        if isinstance(node, ast.ImportFrom) and node.module in ("numpy.linalg", "scipy", "scipy.linalg"):
            used.update(alias.name for alias in node.names if alias.name in FORBIDDEN or node.module != "numpy.linalg")
    assert not used, f"mlmath.linalg uses numpy.linalg/scipy routines it must build itself: {sorted(used)}"


# --------------------------------------------------------------------------- rref

@settings(max_examples=50, deadline=None)
@given(m=st.integers(1, 8), n=st.integers(1, 8), seed=SEEDS)
def test_rref_rank_pivots_and_recipe(m, n, seed):
    from mlmath.linalg import rref

    rng = np.random.default_rng(seed)
    r = int(rng.integers(0, min(m, n) + 1))
    A = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
    A_before = A.copy()
    R, pivots = rref(A)
    np.testing.assert_array_equal(A, A_before)
    assert len(pivots) == np.linalg.matrix_rank(A) == r
    k = len(pivots)
    np.testing.assert_allclose(R[:k][:, pivots], np.eye(k), atol=1e-12)     # pivot columns are unit vectors
    np.testing.assert_allclose(R[k:], 0.0, atol=1e-12)                        # rows below the rank are zero
    np.testing.assert_allclose(A[:, pivots] @ R[:k], A, atol=1e-9 * max(1.0, np.abs(A).max()))
    assert all(a < b for a, b in zip(pivots, pivots[1:], strict=False)), "pivots increase"


def test_rref_of_a_known_matrix_and_its_errors():
    from mlmath.linalg import rref

    R, pivots = rref([[1.0, 2.0, 3.0], [2.0, 4.0, 7.0]])
    np.testing.assert_allclose(R, [[1.0, 2.0, 0.0], [0.0, 0.0, 1.0]], atol=1e-15)
    assert pivots == [0, 2]
    for bad in ([1.0, 2.0], np.zeros((0, 3)), [[1.0, np.nan]]):
        with pytest.raises(ValueError, match="A must be"):
            rref(bad)
    with pytest.raises(ValueError, match="tol"):
        rref(np.eye(2), tol=-1.0)
