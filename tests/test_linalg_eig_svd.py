"""mlmath.linalg's eigen- and singular value code against numpy.linalg and SciPy.

Covers power_iteration, eigh, svd, rank and condition_number
(01-linear-algebra/09-eigenvalues-and-eigenvectors.ipynb and 10-singular-value-decomposition.ipynb).
Eigen- and singular vectors are defined up to sign (and, for a repeated value, up to a rotation
inside its subspace), so vectors are compared through |dot products| or subspace projectors.
"""
import warnings

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.linalg import LinAlgError

from mlmath import linalg
from mlmath.linalg import condition_number, eigh, power_iteration, rank, svd

EPS = np.finfo(float).eps
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
SIZES = st.integers(min_value=1, max_value=40)


def orthogonal(n, rng):
    """A random n x n orthogonal matrix (Q of a Gaussian matrix, signs fixed by R's diagonal)."""
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)


def with_singular_values(s, m, n, rng):
    """An m x n matrix U diag(s) V^T with prescribed singular values s (len(s) == min(m, n))."""
    k = len(s)
    U = orthogonal(m, rng)[:, :k]
    V = orthogonal(n, rng)[:, :k]
    return (U * s) @ V.T


def symmetric_with_eigenvalues(lams, rng):
    Q = orthogonal(len(lams), rng)
    A = (Q * np.asarray(lams, dtype=float)) @ Q.T
    return (A + A.T) / 2, Q


def random_symmetric(n, rng):
    X = rng.standard_normal((n, n))
    return X + X.T


def projector(V):
    return V @ V.T


# --------------------------------------------------------------------------- power_iteration

@settings(max_examples=50, deadline=None)
@given(n=SIZES, seed=SEEDS)
def test_power_iteration_finds_the_dominant_eigenpair_of_symmetric_matrices(n, seed):
    rng = np.random.default_rng(seed)
    rest = rng.uniform(-1.0, 1.0, n - 1)
    top = rng.choice([-1.0, 1.0]) * rng.uniform(1.5, 3.0)     # |lambda_2 / lambda_1| <= 2/3
    A, Q = symmetric_with_eigenvalues(np.concatenate([[top], rest]), rng)
    lam, v = power_iteration(A, rng=seed)
    w_ref, V_ref = np.linalg.eigh(A)
    i = np.argmax(np.abs(w_ref))
    assert isinstance(lam, float)
    assert v.dtype == np.float64 and v.shape == (n,)
    assert abs(lam - w_ref[i]) <= 1e-8 * abs(w_ref[i])
    assert abs(np.linalg.norm(v) - 1) < 1e-12
    assert abs(abs(v @ V_ref[:, i]) - 1) < 1e-12                  # same direction, either sign
    assert np.linalg.norm(A @ v - lam * v) <= 1e-9 * np.linalg.norm(A)


@pytest.mark.parametrize("seed", range(10))
def test_power_iteration_on_positive_nonsymmetric_matrices_matches_numpy_eig(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 30))
    A = rng.uniform(0.0, 1.0, (n, n))        # Perron-Frobenius: a real, simple, dominant eigenvalue
    lam, v = power_iteration(A, rng=rng)
    w_ref, V_ref = np.linalg.eig(A)
    i = np.argmax(np.abs(w_ref))
    ref = V_ref[:, i].real / np.linalg.norm(V_ref[:, i].real)
    assert abs(lam - w_ref[i].real) <= 1e-8 * abs(w_ref[i])
    assert abs(abs(v @ ref) - 1) < 1e-10


def test_power_iteration_negative_dominant_eigenvalue_and_sign_convention():
    lam, v = power_iteration(np.diag([1.0, -3.0, 2.0]), rng=0)
    assert lam == pytest.approx(-3.0, rel=1e-9)
    np.testing.assert_allclose(v, [0.0, 1.0, 0.0], atol=1e-6)     # largest entry made positive
    assert v[1] > 0


def test_power_iteration_one_by_one_zero_matrix_and_reproducibility():
    assert power_iteration([[5.0]]) == (5.0, pytest.approx(np.array([1.0])))
    lam, v = power_iteration(np.array([[-2.0]]), rng=3)
    assert lam == -2.0 and v.tolist() == [1.0]
    lam, v = power_iteration(np.zeros((3, 3)), rng=1)
    assert lam == 0.0 and abs(np.linalg.norm(v) - 1) < 1e-12
    A = np.random.default_rng(5).uniform(size=(6, 6))
    a, b = power_iteration(A, rng=7), power_iteration(A, rng=np.random.default_rng(7))
    assert a[0] == b[0] and np.array_equal(a[1], b[1])
    lam, _ = power_iteration([[2, 1], [1, 2]])                      # integer lists are accepted
    assert lam == pytest.approx(3.0, rel=1e-9)


def test_power_iteration_raises_when_it_does_not_converge():
    rng = np.random.default_rng(0)
    close, _ = symmetric_with_eigenvalues([1.0, 0.999, 0.5, 0.1], rng)
    with pytest.raises(LinAlgError):
        power_iteration(close, num_iters=1, rng=0)
    with pytest.raises(LinAlgError):
        power_iteration(close, num_iters=50, rng=0)
    with pytest.raises(LinAlgError):                                 # complex pair +-i: no real dominant vector
        power_iteration([[0.0, -1.0], [1.0, 0.0]], rng=0)
    with pytest.raises(LinAlgError):                                 # +1 and -1 have the same modulus
        power_iteration([[0.0, 1.0], [1.0, 0.0]], rng=0)


@pytest.mark.parametrize("A", [np.ones((2, 3)), np.ones(3), np.ones((2, 2, 2)), np.zeros((0, 0)),
                               [[1.0, np.nan], [0.0, 1.0]], [[1.0, np.inf], [0.0, 1.0]]])
def test_power_iteration_rejects_bad_matrices(A):
    with pytest.raises(ValueError, match="A must"):
        power_iteration(A)


@pytest.mark.parametrize("num_iters", [0, -5, 2.5, True, "10"])
def test_power_iteration_rejects_bad_num_iters(num_iters):
    with pytest.raises(ValueError, match="num_iters"):
        power_iteration(np.eye(2), num_iters=num_iters)


@pytest.mark.parametrize("tol", [0.0, -1e-3, np.nan, np.inf, "small"])
def test_power_iteration_rejects_bad_tol(tol):
    with pytest.raises(ValueError, match="tol"):
        power_iteration(np.eye(2), tol=tol)


# --------------------------------------------------------------------------- eigh

@settings(max_examples=50, deadline=None)
@given(n=SIZES, seed=SEEDS)
def test_eigh_matches_numpy_on_random_symmetric_matrices(n, seed):
    A = random_symmetric(n, np.random.default_rng(seed))
    w, V = eigh(A)
    w_ref, V_ref = np.linalg.eigh(A)
    scale = np.linalg.norm(A, 2)
    assert w.dtype == np.float64 and V.dtype == np.float64 and w.shape == (n,) and V.shape == (n, n)
    assert np.all(np.diff(w) >= 0)
    np.testing.assert_allclose(w, w_ref, atol=20 * n * EPS * scale)
    np.testing.assert_allclose(A @ V, V * w, atol=20 * n * EPS * scale)
    np.testing.assert_allclose(V.T @ V, np.eye(n), atol=20 * n * EPS)
    # the reconstruction is within a small multiple of numpy's own
    ours = np.abs(V @ np.diag(w) @ V.T - A).max()
    numpys = np.abs(V_ref @ np.diag(w_ref) @ V_ref.T - A).max()
    assert ours <= 10 * max(numpys, EPS * scale)
    # eigenvectors of well-separated eigenvalues agree up to sign
    gaps = np.minimum(np.diff(w_ref, prepend=-np.inf), np.diff(w_ref, append=np.inf))
    separated = gaps > 1e-3 * scale
    dots = np.abs(np.sum(V[:, separated] * V_ref[:, separated], axis=0))
    np.testing.assert_allclose(dots, 1.0, atol=1e-8)


@pytest.mark.parametrize("lams", [[2.0, 2.0, 2.0, -1.0, 5.0], [1.0] * 6, [3.0, 3.0, 0.0, 0.0, 0.0, 7.0, 7.0],
                                  [0.0, 0.0, 1.0]])
def test_eigh_repeated_eigenvalues_give_the_right_eigenspaces(lams):
    A, _ = symmetric_with_eigenvalues(lams, np.random.default_rng(len(lams)))
    w, V = eigh(A)
    np.testing.assert_allclose(w, np.sort(lams), atol=1e-13)
    np.testing.assert_allclose(V.T @ V, np.eye(len(lams)), atol=1e-13)
    w_ref, V_ref = scipy.linalg.eigh(A)
    for value in np.unique(lams):
        mine, ref = V[:, np.isclose(w, value)], V_ref[:, np.isclose(w_ref, value)]
        np.testing.assert_allclose(projector(mine), projector(ref), atol=1e-12)


def test_eigh_at_n_100_finishes_and_is_accurate():
    A = random_symmetric(100, np.random.default_rng(100))
    w, V = eigh(A)
    np.testing.assert_allclose(w, scipy.linalg.eigvalsh(A), atol=1e-11 * np.abs(w).max())
    np.testing.assert_allclose(A @ V, V * w, atol=1e-11 * np.abs(w).max())
    np.testing.assert_allclose(V.T @ V, np.eye(100), atol=1e-12)


@pytest.mark.parametrize("n", [30, 31, 32, 33, 34, 48])
def test_eigh_round_as_matrix_products_and_as_row_updates_agree_with_numpy(n):
    """Sizes on both sides of the switch between the two ways of applying a round (m <= 32)."""
    A = random_symmetric(n, np.random.default_rng(n))
    w, V = eigh(A)
    scale = np.linalg.norm(A, 2)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(A), atol=20 * n * EPS * scale)
    np.testing.assert_allclose(A @ V, V * w, atol=20 * n * EPS * scale)
    np.testing.assert_allclose(V.T @ V, np.eye(n), atol=20 * n * EPS)


def test_eigh_converges_on_large_clusters_of_equal_eigenvalues_without_warnings():
    """Clusters slow Jacobi to linear convergence near the end (about 50 sweeps here), with tiny
    off-diagonal entries next to much larger diagonal differences: no overflow, no warning."""
    rng = np.random.default_rng(1)
    lams = np.r_[np.full(29, 3.0), np.full(59, 1.0)]
    A, _ = symmetric_with_eigenvalues(lams, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w, V = eigh(A)
    np.testing.assert_allclose(w, np.sort(lams), atol=1e-13)
    np.testing.assert_allclose(V.T @ V, np.eye(88), atol=1e-13)
    np.testing.assert_allclose(A @ V, V * w, atol=1e-13)


@pytest.mark.parametrize("seed", range(5))
def test_jacobi_rotation_zeroes_the_off_diagonal_entry_at_every_scale(seed):
    """(c, s) is a rotation with |t| <= 1 that zeroes a_pq, for entries from 1e-300 to 1e300, without
    overflow or warnings; a_pq == 0 gives the identity, equal diagonal entries a 45 degree turn."""
    rng = np.random.default_rng(seed)
    app, aqq, apq = rng.standard_normal((3, 20_000)) * 10.0 ** rng.uniform(-300, 300, (3, 20_000))
    apq[::7], aqq[::5] = 0.0, app[::5]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c, s = linalg._jacobi_rotation(app, aqq, apq)
    np.testing.assert_allclose(c * c + s * s, 1.0, rtol=4 * EPS)
    assert np.all(c >= 1 / np.sqrt(2) * (1 - 4 * EPS))                 # |theta| <= pi / 4
    scale = np.maximum.reduce([np.abs(app), np.abs(aqq), np.abs(apq)])
    x, y, z = np.array([app, aqq, apq]) / np.where(scale > 0, scale, 1.0)
    new_apq = (c * c - s * s) * z + c * s * (x - y)                     # (J^T A J)_pq, scaled
    assert np.abs(new_apq).max() <= 8 * EPS
    assert np.all(c[apq == 0] == 1.0) and np.all(s[apq == 0] == 0.0)
    equal = (app == aqq) & (apq != 0)
    np.testing.assert_allclose(np.abs(s[equal]), 1 / np.sqrt(2), rtol=4 * EPS)


def test_round_robin_pairs_is_cached_and_read_only():
    P, Q = linalg._round_robin_pairs(8)
    assert linalg._round_robin_pairs(8)[0] is P
    with pytest.raises(ValueError):
        P[0, 0] = 5
    pairs = {tuple(sorted(pq)) for r in range(7) for pq in zip(P[r], Q[r], strict=True)}
    assert len(pairs) == 28


def test_eigh_small_and_special_cases():
    w, V = eigh([[3]])
    assert w.tolist() == [3.0] and V.tolist() == [[1.0]] and w.dtype == np.float64
    w, V = eigh(np.diag([3.0, -1.0, 2.0]))
    np.testing.assert_array_equal(w, [-1.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.abs(V), np.eye(3)[:, [1, 2, 0]])
    w, V = eigh(np.zeros((4, 4)))
    np.testing.assert_array_equal(w, np.zeros(4))
    np.testing.assert_allclose(V.T @ V, np.eye(4))
    w, V = eigh([[2, 1], [1, 2]])
    np.testing.assert_allclose(w, [1.0, 3.0], atol=1e-15)
    np.testing.assert_allclose(V, np.array([[1.0, 1.0], [-1.0, 1.0]]) / np.sqrt(2), atol=1e-15)


@pytest.mark.parametrize("scale", [1e-150, 1e150])
def test_eigh_extreme_scales(scale):
    A = random_symmetric(6, np.random.default_rng(6))
    w, V = eigh(A * scale)
    np.testing.assert_allclose(w / scale, np.linalg.eigvalsh(A), atol=1e-13 * np.abs(w / scale).max())
    np.testing.assert_allclose(V.T @ V, np.eye(6), atol=1e-13)


def test_eigh_accepts_nearly_symmetric_and_rejects_nonsymmetric():
    A = random_symmetric(5, np.random.default_rng(1))
    B = A.copy()
    B[0, 1] += 1e-9 * np.abs(A).max()              # within 1e-8 * max |A|: accepted, symmetrised
    np.testing.assert_allclose(eigh(B)[0], np.linalg.eigvalsh((B + B.T) / 2), atol=1e-12)
    B[0, 1] += 1e-6 * np.abs(A).max()
    with pytest.raises(ValueError, match="A must be symmetric"):
        eigh(B)
    with pytest.raises(ValueError, match="A must be symmetric"):
        eigh([[2.0, 1.0], [0.5, 1.5]])


@pytest.mark.parametrize("A", [np.ones((2, 3)), np.ones(3), np.ones((2, 2, 2)), np.zeros((0, 0)), 5.0,
                               [[1.0, np.nan], [np.nan, 1.0]], [[np.inf, 0.0], [0.0, 1.0]]])
def test_eigh_rejects_bad_matrices(A):
    with pytest.raises(ValueError, match="A must"):
        eigh(A)


def test_eigh_raises_linalgerror_past_its_sweep_limit():
    A = random_symmetric(10, np.random.default_rng(2))
    with pytest.raises(LinAlgError):
        linalg._jacobi_eigh_sweeps(A, max_sweeps=1)


# --------------------------------------------------------------------------- svd

def check_svd_properties(A, U, S, Vt):
    m, n = A.shape
    K = min(m, n)
    assert U.shape == (m, K) and S.shape == (K,) and Vt.shape == (K, n)
    assert U.dtype == S.dtype == Vt.dtype == np.float64
    assert np.all(S >= 0) and np.all(np.diff(S) <= 0)
    scale = max(np.abs(A).max(), np.finfo(float).tiny)
    np.testing.assert_allclose(U @ np.diag(S) @ Vt, A, atol=20 * max(m, n) * EPS * scale)
    np.testing.assert_allclose(U.T @ U, np.eye(K), atol=20 * max(m, n) * EPS)
    np.testing.assert_allclose(Vt @ Vt.T, np.eye(K), atol=20 * max(m, n) * EPS)


@settings(max_examples=60, deadline=None)
@given(m=SIZES, n=SIZES, seed=SEEDS)
def test_svd_matches_scipy_on_random_tall_and_wide_matrices(m, n, seed):
    A = np.random.default_rng(seed).standard_normal((m, n))
    U, S, Vt = svd(A)
    check_svd_properties(A, U, S, Vt)
    S_ref = scipy.linalg.svdvals(A)
    np.testing.assert_allclose(S, S_ref, atol=20 * max(m, n) * EPS * S_ref[0])
    # reconstruction within a small multiple of numpy's
    U2, S2, Vt2 = np.linalg.svd(A, full_matrices=False)
    ours = np.abs(U @ np.diag(S) @ Vt - A).max()
    assert ours <= 10 * max(np.abs(U2 @ np.diag(S2) @ Vt2 - A).max(), EPS * S_ref[0])


@pytest.mark.parametrize("shape", [(12, 5), (5, 12), (9, 9), (1, 7), (7, 1)])
def test_svd_singular_vectors_agree_with_numpy_up_to_sign(shape):
    rng = np.random.default_rng(sum(shape))
    K = min(shape)
    A = with_singular_values(np.linspace(10.0, 1.0, K), *shape, rng)   # well separated
    U, S, Vt = svd(A)
    U_ref, S_ref, Vt_ref = np.linalg.svd(A, full_matrices=False)
    np.testing.assert_allclose(np.abs(np.sum(U * U_ref, axis=0)), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.abs(np.sum(Vt * Vt_ref, axis=1)), 1.0, atol=1e-12)
    signs = np.sign(np.sum(U * U_ref, axis=0))
    np.testing.assert_allclose(np.sign(np.sum(Vt * Vt_ref, axis=1)), signs)   # u_i and v_i flip together


@settings(max_examples=40, deadline=None)
@given(m=SIZES, n=SIZES, r=st.integers(min_value=0, max_value=40), seed=SEEDS)
def test_svd_rank_deficient_matrices_keep_orthonormal_factors(m, n, r, seed):
    rng = np.random.default_rng(seed)
    r = min(r, m, n)
    A = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
    U, S, Vt = svd(A)
    check_svd_properties(A, U, S, Vt)
    S_ref = scipy.linalg.svdvals(A)
    top = max(S_ref[0], 1.0)
    np.testing.assert_allclose(S, S_ref, atol=20 * max(m, n) * EPS * top)
    assert np.all(S[r:] <= 20 * max(m, n) * EPS * top)


@pytest.mark.parametrize("A", [np.zeros((4, 3)), np.zeros((3, 4)), np.zeros((1, 1)),
                               np.column_stack([np.ones(5), np.zeros(5), np.arange(5.0)]),
                               np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]),
                               np.vstack([np.ones((1, 6)), np.zeros((3, 6))])])
def test_svd_exact_zero_singular_values_complete_u(A):
    U, S, Vt = svd(A)
    check_svd_properties(A, U, S, Vt)
    np.testing.assert_allclose(S, np.linalg.svd(A, compute_uv=False), atol=1e-14)


def test_svd_one_by_one_and_vectors():
    U, S, Vt = svd([[-3.0]])
    assert S.tolist() == [3.0] and abs(U[0, 0]) == 1.0 and abs(Vt[0, 0]) == 1.0
    assert U[0, 0] * S[0] * Vt[0, 0] == -3.0
    U, S, Vt = svd([[3.0, 4.0]])
    np.testing.assert_allclose(S, [5.0])
    np.testing.assert_allclose(np.abs(Vt), [[0.6, 0.8]])
    U, S, Vt = svd([[3], [4]])
    np.testing.assert_allclose(S, [5.0])
    np.testing.assert_allclose(np.abs(U[:, 0]), [0.6, 0.8])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("shape", [(20, 20), (30, 12), (12, 30), (6, 6)])
def test_svd_smallest_singular_value_at_condition_number_1e10(seed, shape):
    rng = np.random.default_rng(seed)
    K = min(shape)
    s = np.geomspace(1.0, 1e-10, K)
    A = with_singular_values(s, *shape, rng)
    S = svd(A)[1]
    assert abs(S[-1] - s[-1]) / s[-1] < 1e-4
    np.testing.assert_allclose(S, s, atol=100 * max(shape) * EPS)


def test_svd_through_the_normal_matrix_would_fail_where_svd_does_not():
    A = with_singular_values(np.geomspace(1.0, 1e-10, 15), 15, 15, np.random.default_rng(9))
    via_normal = np.sqrt(max(eigh(A.T @ A)[0][0], 0.0))
    assert abs(via_normal - 1e-10) / 1e-10 > 1e-2        # the reason svd does not go through A^T A
    assert abs(svd(A)[1][-1] - 1e-10) / 1e-10 < 1e-4


@pytest.mark.parametrize("scale", [1e-200, 1e200])
def test_svd_extreme_scales(scale):
    A = np.random.default_rng(4).standard_normal((7, 4))
    U, S, Vt = svd(A * scale)
    np.testing.assert_allclose(S / scale, np.linalg.svd(A, compute_uv=False), rtol=1e-13)
    np.testing.assert_allclose(U.T @ U, np.eye(4), atol=1e-13)


def test_svd_of_the_transpose_has_the_same_singular_values():
    A = np.random.default_rng(8).standard_normal((9, 4))
    U, S, Vt = svd(A)
    U2, S2, Vt2 = svd(A.T)
    np.testing.assert_allclose(S, S2, atol=1e-14)
    np.testing.assert_allclose(np.abs(np.sum(U * Vt2.T, axis=0)), 1.0, atol=1e-12)


@pytest.mark.parametrize("A", [np.ones(3), np.ones((2, 2, 2)), np.zeros((0, 3)), np.zeros((3, 0)), 1.0,
                               [[1.0, np.nan]], [[np.inf], [1.0]]])
def test_svd_rejects_bad_matrices(A):
    with pytest.raises(ValueError, match="A must"):
        svd(A)


def test_svd_raises_linalgerror_past_its_sweep_limit():
    A = np.random.default_rng(3).standard_normal((12, 10))
    with pytest.raises(LinAlgError):
        linalg._hestenes_sweeps(A, max_sweeps=1)


# --------------------------------------------------------------------------- rank

@settings(max_examples=50, deadline=None)
@given(m=SIZES, n=SIZES, r=st.integers(min_value=0, max_value=40), seed=SEEDS)
def test_rank_of_low_rank_products_matches_numpy(m, n, r, seed):
    rng = np.random.default_rng(seed)
    r = min(r, m, n)
    A = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
    got = rank(A)
    assert isinstance(got, int)
    assert got == r == np.linalg.matrix_rank(A)


def test_rank_with_a_tolerance_and_noisy_data():
    rng = np.random.default_rng(11)
    A = rng.standard_normal((30, 4)) @ rng.standard_normal((4, 20)) + 1e-6 * rng.standard_normal((30, 20))
    assert rank(A) == np.linalg.matrix_rank(A) == 20
    assert rank(A, tol=1e-3) == np.linalg.matrix_rank(A, tol=1e-3) == 4
    assert rank(A, tol=0) == 20
    assert rank(A, tol=np.float64(1e-3)) == 4
    for tol in (1e-7, 1e-5, 1.0, 10.0):
        assert rank(A, tol=tol) == np.linalg.matrix_rank(A, tol=tol)


def test_rank_special_cases():
    assert rank(np.zeros((3, 4))) == 0
    assert rank([[2.0]]) == 1 and rank([[0.0]]) == 0
    assert rank(np.eye(5)) == 5
    assert rank([[1, 2], [2, 4], [3, 6]]) == 1
    assert rank(np.ones((1, 8))) == 1


@pytest.mark.parametrize("tol", [-1.0, np.nan, np.inf, "big"])
def test_rank_rejects_bad_tol(tol):
    with pytest.raises(ValueError, match="tol"):
        rank(np.eye(3), tol=tol)


@pytest.mark.parametrize("A", [np.ones(3), np.zeros((0, 2)), [[np.nan, 1.0]]])
def test_rank_rejects_bad_matrices(A):
    with pytest.raises(ValueError, match="A must"):
        rank(A)


# --------------------------------------------------------------------------- condition_number

@settings(max_examples=50, deadline=None)
@given(m=SIZES, n=SIZES, seed=SEEDS)
def test_condition_number_matches_numpy(m, n, seed):
    A = np.random.default_rng(seed).standard_normal((m, n))
    got = condition_number(A)
    assert isinstance(got, float)
    assert got == pytest.approx(np.linalg.cond(A), rel=1e-8)


@pytest.mark.parametrize("exponent", range(0, 13, 2))
def test_condition_number_of_prescribed_matrices(exponent):
    kappa = 10.0**exponent
    A = with_singular_values(np.geomspace(1.0, 1 / kappa, 10), 10, 10, np.random.default_rng(exponent))
    assert condition_number(A) == pytest.approx(kappa, rel=1e-3)


def test_condition_number_special_cases():
    assert condition_number(np.eye(4)) == pytest.approx(1.0, abs=1e-14)
    assert condition_number([[1.0, 0.0], [2.0, 0.0]]) == float("inf")     # smallest singular value exactly 0
    assert condition_number(np.zeros((3, 3))) == float("inf")
    assert condition_number([[-4.0]]) == 1.0
    assert condition_number(np.diag([1.0, 1e-8])) == pytest.approx(1e8, rel=1e-12)


@pytest.mark.parametrize("A", [np.ones(3), np.zeros((2, 0)), [[1.0, np.inf]]])
def test_condition_number_rejects_bad_matrices(A):
    with pytest.raises(ValueError, match="A must"):
        condition_number(A)


# --------------------------------------------------------------------------- inputs are never modified

def test_no_function_modifies_its_input():
    rng = np.random.default_rng(12)
    S, _ = symmetric_with_eigenvalues([5.0, 1.0, -2.0, 0.5, 3.0, 0.0, 1.0], rng)
    R = rng.standard_normal((9, 5))
    for func, arg in ((power_iteration, S), (eigh, S), (svd, R), (svd, R.T), (rank, R), (condition_number, R)):
        before = arg.copy()
        func(arg)
        np.testing.assert_array_equal(arg, before, err_msg=func.__name__)
    F = np.asfortranarray(R)                  # also a non-contiguous view
    view = F[::2]
    before = view.copy()
    svd(view)
    np.testing.assert_array_equal(view, before)


@pytest.mark.parametrize("A", [
    [[-0.5, -1.0, -1.0], [0.5, 1.0, 1.0]],          # rank 1 with two identical columns
    [[1.0, 1.0, 1.0]] * 3,                           # all columns identical
    np.outer([1.0, 2.0, 3.0], [1.0, 1.0, 1e-20]),   # a column at rounding level of the others
])
def test_svd_of_matrices_with_repeated_or_negligible_columns_converges(A):
    """A rotation can leave a column at rounding level; it must count as zero, not stall the sweeps."""
    A = np.asarray(A, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        U, S, Vt = svd(A)
        Ut, St, Vtt = svd(A.T)
    for M, (u, s, vt) in ((A, (U, S, Vt)), (A.T, (Ut, St, Vtt))):
        np.testing.assert_allclose(u * s @ vt, M, atol=1e-14)
        np.testing.assert_allclose(u.T @ u, np.eye(u.shape[1]), atol=1e-14)
        np.testing.assert_allclose(vt @ vt.T, np.eye(vt.shape[0]), atol=1e-14)
        np.testing.assert_allclose(s, np.linalg.svd(M, compute_uv=False), atol=1e-14)
