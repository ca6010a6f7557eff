"""mlmath.calculus.jacobian and hessian against closed forms and SciPy; the plotting helper of week 5.

Covers 02-calculus/05-multivariable-functions-and-jacobian.ipynb (jacobian,
mlmath.plotting.plot_surface_and_contours) and 02-calculus/06-hessian-and-taylor-series.ipynb
(hessian). References: analytic Jacobians and Hessians (affine maps, polar coordinates,
elementwise maps, softmax, quadratic forms, log-sum-exp, Rosenbrock, logistic loss), and
scipy.optimize.approx_fprime for the rows of a Jacobian. The tolerances are a few orders of
magnitude above the error analysis of the notebooks (central differences: about 1e-10 for the
Jacobian, about 1e-8 for the Hessian, for entries of order 1) and far below the size of the
mistakes they guard against (a transpose, a missing symmetrisation, a wrong factor).
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from scipy.optimize import approx_fprime  # noqa: E402
from scipy.special import softmax as scipy_softmax  # noqa: E402

from mlmath.calculus import gradient, hessian, jacobian  # noqa: E402
from mlmath.plotting import plot_surface_and_contours  # noqa: E402

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
DIMS = st.integers(min_value=1, max_value=6)


def polar(v):
    return np.array([v[0] * np.cos(v[1]), v[0] * np.sin(v[1])])


def polar_jacobian(v):
    r, t = v
    return np.array([[np.cos(t), -r * np.sin(t)], [np.sin(t), r * np.cos(t)]])


def logsumexp(v):
    m = np.max(v)
    return m + np.log(np.sum(np.exp(v - m)))


# --------------------------------------------------------------------------- jacobian: closed forms


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, m=DIMS, n=DIMS)
def test_jacobian_of_an_affine_map_is_its_matrix(seed, m, n):
    rng = np.random.default_rng(seed)
    A, b = rng.normal(size=(m, n)) * 3, rng.normal(size=m)
    x = rng.normal(size=n) * 2
    J = jacobian(lambda v: A @ v + b, x)
    assert J.shape == (m, n) and J.dtype == np.float64
    np.testing.assert_allclose(J, A, rtol=0, atol=1e-8 * max(1.0, np.abs(A).max()))


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS)
def test_jacobian_of_polar_coordinates_and_its_determinant(seed):
    rng = np.random.default_rng(seed)
    v = np.array([rng.uniform(0.1, 5.0), rng.uniform(-np.pi, np.pi)])
    J = jacobian(polar, v)
    np.testing.assert_allclose(J, polar_jacobian(v), rtol=1e-9, atol=1e-9)
    assert abs(np.linalg.det(J) - v[0]) < 1e-8 * max(1.0, v[0])   # det J = r


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=st.integers(min_value=2, max_value=8))
def test_jacobian_of_softmax_is_diag_p_minus_p_p_transpose(seed, n):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n) * 3
    p = scipy_softmax(z)
    J = jacobian(scipy_softmax, z)
    np.testing.assert_allclose(J, np.diag(p) - np.outer(p, p), rtol=0, atol=1e-9)
    np.testing.assert_allclose(J.sum(axis=1), 0, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=DIMS)
def test_jacobian_of_elementwise_maps_is_diagonal(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    np.testing.assert_allclose(jacobian(np.tanh, x), np.diag(1 - np.tanh(x) ** 2), rtol=0, atol=1e-10)
    np.testing.assert_allclose(jacobian(np.exp, x), np.diag(np.exp(x)), rtol=0, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, m=DIMS, n=DIMS)
def test_jacobian_of_a_layer_is_diag_sigma_prime_times_w(seed, m, n):
    rng = np.random.default_rng(seed)
    W, b, x = rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=n)
    a = np.tanh(W @ x + b)
    np.testing.assert_allclose(jacobian(lambda v: np.tanh(W @ v + b), x), (1 - a**2)[:, None] * W,
                               rtol=0, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, k=DIMS, n=DIMS)
def test_chain_rule_jacobian_of_a_composition_is_the_product(seed, k, n):
    rng = np.random.default_rng(seed)
    W1, W2 = rng.normal(size=(k, n)), rng.normal(size=(2, k))
    g = lambda v: np.sin(W1 @ v)          # noqa: E731
    f = lambda u: np.tanh(W2 @ u)         # noqa: E731
    x = rng.normal(size=n)
    np.testing.assert_allclose(jacobian(lambda v: f(g(v)), x), jacobian(f, g(x)) @ jacobian(g, x),
                               rtol=1e-7, atol=1e-8)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=DIMS)
def test_jacobian_rows_agree_with_scipy_approx_fprime(seed, n):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(4, n))
    f = lambda v: np.array([np.sin(a[0] @ v), np.exp(0.3 * a[1] @ v), (a[2] @ v) ** 2,  # noqa: E731
                            np.log1p((a[3] @ v) ** 2)])
    x = rng.normal(size=n)
    J = jacobian(f, x)
    assert J.shape == (4, n)
    for i in range(4):
        # SciPy's forward difference (error about 1e-8 relative) is the looser of the two references
        row = approx_fprime(x, lambda v, i=i: f(v)[i], 1.4901161193847656e-08)
        np.testing.assert_allclose(J[i], row, rtol=1e-5, atol=1e-6 * max(1.0, np.abs(row).max()))


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=DIMS)
def test_jacobian_rows_are_exactly_the_gradients_of_the_components(seed, n):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(3, n))
    f = lambda v: np.cos(A @ v) * np.sum(v**2)  # noqa: E731
    x = rng.normal(size=n)
    J = jacobian(f, x)
    for i in range(3):
        np.testing.assert_array_equal(J[i], gradient(lambda v, i=i: f(v)[i], x))


def test_jacobian_is_not_transposed_and_not_one_sided():
    A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    J = jacobian(lambda v: A @ v, np.zeros(3))
    assert J.shape == (2, 3)
    np.testing.assert_allclose(J, A, atol=1e-9)
    # a forward difference would be off by about h f''/2 = 5e-6 here; the central one by O(h^2)
    assert abs(jacobian(lambda v: v**2, np.array([1.0]))[0, 0] - 2.0) < 1e-9


def test_jacobian_edge_shapes_and_dtypes():
    J11 = jacobian(lambda v: v**3, [2])                       # integer input, 1x1
    assert J11.shape == (1, 1) and J11.dtype == np.float64
    assert abs(J11[0, 0] - 12.0) < 1e-8
    row = jacobian(lambda v: np.array([v @ v]), np.float32([1.0, 2.0, 3.0]))
    assert row.shape == (1, 3) and row.dtype == np.float64
    np.testing.assert_allclose(row, [[2.0, 4.0, 6.0]], atol=1e-8)
    col = jacobian(lambda v: np.array([v[0], v[0] ** 2, np.sin(v[0])]), np.array([0.5]))
    assert col.shape == (3, 1)
    np.testing.assert_allclose(col[:, 0], [1.0, 1.0, np.cos(0.5)], atol=1e-9)
    listy = jacobian(lambda v: [float(v[0] * v[1]), float(v[0])], [3.0, 4.0])   # f may return a list
    np.testing.assert_allclose(listy, [[4.0, 3.0], [1.0, 0.0]], atol=1e-9)


def test_jacobian_keeps_relative_accuracy_for_huge_and_tiny_outputs():
    big = jacobian(np.exp, np.array([700.0]))[0, 0]
    assert abs(big / np.exp(700.0) - 1) < 1e-8
    tiny = jacobian(lambda v: 1e-30 * np.sin(v), np.array([0.3]))[0, 0]
    assert abs(tiny / (1e-30 * np.cos(0.3)) - 1) < 1e-8


def test_jacobian_respects_a_custom_step():
    # f(x) = x^3 at 1: central difference = 3 + h^2 exactly (up to round-off)
    for h in (1e-1, 1e-2):
        assert abs(jacobian(lambda v: v**3, np.array([1.0]), h=h)[0, 0] - (3 + h**2)) < 1e-10


# --------------------------------------------------------------------------- hessian: closed forms


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=DIMS)
def test_hessian_of_a_quadratic_form_is_a_plus_a_transpose(seed, n):
    rng = np.random.default_rng(seed)
    A, b = rng.normal(size=(n, n)), rng.normal(size=n)
    x = rng.normal(size=n)
    H = hessian(lambda v: v @ A @ v + b @ v + 1.0, x)
    assert H.shape == (n, n) and H.dtype == np.float64
    np.testing.assert_array_equal(H, H.T)
    np.testing.assert_allclose(H, A + A.T, rtol=0, atol=1e-5)
    if n > 1 and np.abs(A - A.T).max() > 1e-2:
        assert np.abs(H - 2 * A).max() > 1e-3   # 2A is the wrong answer for a non-symmetric A


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=DIMS)
def test_hessian_of_logsumexp_is_the_softmax_jacobian(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n) * 2
    p = scipy_softmax(x)
    H = hessian(logsumexp, x)
    np.testing.assert_array_equal(H, H.T)
    np.testing.assert_allclose(H, np.diag(p) - np.outer(p, p), rtol=0, atol=1e-6)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS)
def test_hessian_of_rosenbrock(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-1.5, 1.5, size=2)
    f = lambda v: (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2  # noqa: E731
    want = np.array([[1200 * x**2 - 400 * y + 2, -400 * x], [-400 * x, 200.0]])
    np.testing.assert_allclose(hessian(f, np.array([x, y])), want, rtol=1e-6, atol=1e-4)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=st.integers(min_value=1, max_value=4))
def test_hessian_of_the_logistic_loss_is_psd_and_matches_the_formula(seed, n):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, n))
    y = (rng.uniform(size=30) < 0.5).astype(float)
    w = rng.normal(size=n)
    loss = lambda v: np.sum(np.logaddexp(0, X @ v) - y * (X @ v))  # noqa: E731
    p = 1 / (1 + np.exp(-(X @ w)))
    want = X.T @ ((p * (1 - p))[:, None] * X)
    H = hessian(loss, w)
    np.testing.assert_allclose(H, want, rtol=1e-5, atol=1e-5)
    assert np.linalg.eigvalsh(H).min() > -1e-5


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=DIMS)
def test_hessian_is_symmetric_for_smooth_non_polynomial_functions(seed, n):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n))
    f = lambda v: np.sin(v @ A @ v) + np.exp(0.2 * np.sum(v)) * np.cos(v[0])  # noqa: E731
    H = hessian(f, rng.normal(size=n) * 0.5)
    np.testing.assert_array_equal(H, H.T)
    assert np.all(np.isfinite(H))


def test_hessian_accuracy_is_near_its_error_analysis():
    # f(x, y) = e^x sin y + x^2 y^3 at (0.3, 0.7): analytic Hessian; the default h = 1e-4 is near the optimum
    f = lambda v: np.exp(v[0]) * np.sin(v[1]) + v[0] ** 2 * v[1] ** 3  # noqa: E731
    x, y = 0.3, 0.7
    want = np.array([[np.exp(x) * np.sin(y) + 2 * y**3, np.exp(x) * np.cos(y) + 6 * x * y**2],
                     [np.exp(x) * np.cos(y) + 6 * x * y**2, -np.exp(x) * np.sin(y) + 6 * x**2 * y]])
    err_default = np.abs(hessian(f, np.array([x, y])) - want).max()
    assert err_default < 1e-7
    assert np.abs(hessian(f, np.array([x, y]), h=1e-2) - want).max() > 10 * err_default  # truncation O(h^2)
    assert np.abs(hessian(f, np.array([x, y]), h=1e-6) - want).max() > 10 * err_default  # round-off eps/h^2


def test_hessian_one_dimensional_and_integer_input():
    H = hessian(lambda v: v[0] ** 4, [1])
    assert H.shape == (1, 1) and H.dtype == np.float64
    assert abs(H[0, 0] - 12.0) < 1e-6


def test_hessian_is_the_symmetrised_jacobian_of_the_gradient():
    f = lambda v: np.cos(v[0] * v[1]) + v[1] ** 3 * v[2]  # noqa: E731
    x = np.array([0.4, -1.1, 0.8])
    J = jacobian(lambda u: gradient(f, u, 1e-4), x, 1e-4)
    np.testing.assert_allclose(hessian(f, x), (J + J.T) / 2, rtol=0, atol=1e-12)


# --------------------------------------------------------------------------- errors and inputs


class Counting:
    """A function that counts its calls, to prove that bad input is rejected before any work."""

    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, v):
        self.calls += 1
        return self.fn(v)


BAD_X = [np.ones((2, 2)), np.float64(1.0), np.array([]), np.array([1.0, np.nan]), np.array([np.inf, 1.0]),
         [[1.0, 2.0]]]
BAD_H = [0.0, -1e-5, np.nan, np.inf, [1e-5, 1e-5]]


@pytest.mark.parametrize("x", BAD_X, ids=["2-D", "0-D", "empty", "nan", "inf", "nested list"])
@pytest.mark.parametrize("fn", [jacobian, hessian])
def test_bad_x_is_a_value_error_before_f_is_called(fn, x):
    f = Counting(lambda v: np.sin(v) if fn is jacobian else float(np.sum(v**2)))
    with pytest.raises(ValueError, match="x"):
        fn(f, x)
    assert f.calls == 0


@pytest.mark.parametrize("h", BAD_H, ids=["zero", "negative", "nan", "inf", "array"])
@pytest.mark.parametrize("fn", [jacobian, hessian])
def test_bad_h_is_a_value_error_before_f_is_called(fn, h):
    f = Counting(lambda v: np.sin(v) if fn is jacobian else float(np.sum(v**2)))
    with pytest.raises(ValueError, match="h"):
        fn(f, np.ones(2), h=h)
    assert f.calls == 0


@pytest.mark.parametrize("f", [
    lambda v: float(v @ v),                                   # a scalar, not a 1-D array
    lambda v: np.outer(v, v),                                 # 2-D
    lambda v: np.array([]),                                   # empty
    lambda v: np.array([v[0], np.nan]),                       # NaN
    lambda v: np.where(v > 1.5, np.inf, v),                   # inf at some evaluation points
    lambda v: v if v[0] > 1.0 else np.append(v, 0.0),         # changes shape between evaluations
], ids=["scalar", "2-D", "empty", "nan", "inf", "shape changes"])
def test_jacobian_rejects_what_f_returns(f):
    with pytest.raises(ValueError, match="f"):
        jacobian(f, np.array([1.0, 1.5]))


@pytest.mark.parametrize("f", [
    lambda v: v * 2.0,                                        # a vector, not a scalar
    lambda v: np.nan * v[0],                                  # NaN
    lambda v: np.inf if v[1] > 1.5 else v[0],                 # inf at some evaluation points
], ids=["vector", "nan", "inf"])
def test_hessian_rejects_what_f_returns(f):
    with pytest.raises(ValueError, match="f"):
        hessian(f, np.array([1.0, 1.5]))


def test_inputs_are_never_modified_even_by_an_f_that_writes_into_its_argument():
    def rude_vector(v):
        out = np.array([v[0] * v[1], v[0] ** 2])
        v[:] = 123.0                                          # scribbles over the array it was given
        return out

    def rude_scalar(v):
        out = v[0] ** 2 * v[1]
        v[:] = -7.0
        return out

    x = np.array([0.5, 2.0])
    keep = x.copy()
    J = jacobian(rude_vector, x)
    np.testing.assert_array_equal(x, keep)
    np.testing.assert_allclose(J, [[2.0, 0.5], [1.0, 0.0]], atol=1e-9)
    H = hessian(rude_scalar, x)
    np.testing.assert_array_equal(x, keep)
    np.testing.assert_allclose(H, [[4.0, 1.0], [1.0, 0.0]], atol=1e-6)
    # a read-only input works as well
    x.setflags(write=False)
    jacobian(lambda v: np.sin(v), x)
    hessian(lambda v: float(np.sum(np.sin(v))), x)


# --------------------------------------------------------------------------- the plotting helper


def test_plot_surface_and_contours_draws_a_surface_beside_its_level_sets():
    fig = plt.figure()
    try:
        ax3, ax2, cs = plot_surface_and_contours(fig, lambda X, Y: X**2 - Y**2, (-1, 1), (-2, 2), levels=[-1, 0, 1],
                                                 n=20)
        assert ax3.name == "3d" and ax2.name == "rectilinear"
        assert list(cs.levels) == [-1, 0, 1]
        assert len(ax3.collections) == 1                       # the surface
        assert ax2.get_xlim() == (-1.0, 1.0) and ax2.get_ylim() == (-2.0, 2.0)
    finally:
        plt.close(fig)


@pytest.mark.parametrize("kwargs, word", [
    ({"xlim": (1, -1)}, "xlim"),
    ({"ylim": (0, np.nan)}, "ylim"),
    ({"n": 1}, "n"),
    ({"levels": [1, 0]}, "levels"),
    ({"f": lambda X, Y: 1.0}, "vectorised"),
    ({"f": lambda X, Y: np.log(X - 10)}, "finite"),
])
def test_plot_surface_and_contours_rejects_bad_input(kwargs, word):
    args = {"f": lambda X, Y: X + Y, "xlim": (-1, 1), "ylim": (-1, 1), "n": 10, "levels": 5}
    args.update(kwargs)
    fig = plt.figure()
    try:
        with np.errstate(invalid="ignore"), pytest.raises(ValueError, match=word):
            plot_surface_and_contours(fig, args["f"], args["xlim"], args["ylim"], levels=args["levels"], n=args["n"])
    finally:
        plt.close(fig)
