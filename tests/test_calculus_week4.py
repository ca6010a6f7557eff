"""mlmath.calculus, week 4: derivative, gradient and check_gradient.

References: analytic derivatives of random functions (polynomials, exp, sin, log,
log-sum-exp, quadratic forms), scipy.optimize.approx_fprime, and the error
analysis of central differences (truncation O(h^2)).
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import approx_fprime
from scipy.special import logsumexp, softmax

from mlmath.calculus import check_gradient, derivative, gradient

SEEDS = range(20)
finite = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False)


def rel_err(num, exact):
    """|num - exact| relative to max(|exact|, 1): functions here are of moderate scale."""
    return np.max(np.abs(np.asarray(num) - np.asarray(exact)) / np.maximum(np.abs(exact), 1.0))


# ---------------------------------------------------------------------------- derivative

SCALAR_CASES = [  # f, f', interval of test points
    (np.exp, np.exp, (-3, 3)),
    (np.sin, np.cos, (-6, 6)),
    (np.cos, lambda x: -np.sin(x), (-6, 6)),
    (np.log, lambda x: 1 / x, (0.2, 5)),
    (np.tanh, lambda x: 1 - np.tanh(x) ** 2, (-3, 3)),
    (lambda x: 1 / (1 + np.exp(-x)), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2, (-6, 6)),
    (lambda x: np.sin(x**2), lambda x: 2 * x * np.cos(x**2), (-2, 2)),
    (lambda x: np.exp(np.sin(x)), lambda x: np.cos(x) * np.exp(np.sin(x)), (-3, 3)),
    (lambda x: np.log1p(np.exp(x)), lambda x: 1 / (1 + np.exp(-x)), (-5, 5)),
    (lambda x: x**2.5, lambda x: 2.5 * x**1.5, (0.1, 3)),
]


@pytest.mark.parametrize("case", range(len(SCALAR_CASES)))
def test_derivative_matches_analytic_derivatives(case):
    f, df, (lo, hi) = SCALAR_CASES[case]
    x = np.random.default_rng(case).uniform(lo, hi, 100)
    num = np.array([derivative(f, xi) for xi in x])
    assert rel_err(num, df(x)) < 1e-8


@pytest.mark.parametrize("seed", SEEDS)
def test_derivative_of_random_polynomials(seed):
    rng = np.random.default_rng(seed)
    coef = rng.standard_normal(rng.integers(1, 7))  # degree 0..5
    p, dp = np.polynomial.Polynomial(coef), np.polynomial.Polynomial(coef).deriv()
    for x in rng.uniform(-2, 2, 20):
        assert abs(derivative(p, x) - dp(x)) <= 1e-8 * max(1.0, abs(dp(x)))


@settings(max_examples=50, deadline=None)
@given(x=finite, a=st.floats(-2, 2), b=st.floats(-2, 2))
def test_derivative_of_exp_affine_sin_property(x, a, b):
    def f(t):
        return np.exp(a * t) + np.sin(b * t)
    exact = a * np.exp(a * x) + b * np.cos(b * x)
    assert abs(derivative(f, x) - exact) <= 1e-8 * max(1.0, abs(exact), abs(f(x)))


def test_derivative_is_second_order_accurate():
    # central differences: error ~ f'''(x) h^2 / 6; shrinking h by 10 shrinks the error by 100
    errs = [abs(derivative(np.sin, 1.0, h=h) - np.cos(1.0)) for h in (1e-1, 1e-2, 1e-3)]
    ratios = [errs[0] / errs[1], errs[1] / errs[2]]
    assert all(80 < r < 120 for r in ratios), ratios
    np.testing.assert_allclose(errs[1], np.cos(1.0) * 1e-4 / 6, rtol=0.01)  # |f'''(1)| h^2 / 6


def test_derivative_uses_the_central_difference_with_h():
    def f(t):
        return t**3
    x, h = 0.7, 0.1
    expected = (f(x + h) - f(x - h)) / ((x + h) - (x - h))
    assert derivative(f, x, h=h) == pytest.approx(expected, rel=1e-14)
    assert derivative(f, x, h=h) == pytest.approx(3 * x**2 + h**2, rel=1e-12)  # exact for cubics


def test_derivative_default_step_is_accurate_to_about_1e_10():
    assert abs(derivative(np.exp, 1.0) - np.e) / np.e < 1e-9


def test_derivative_returns_a_python_float():
    assert type(derivative(np.sin, 0.3)) is float
    assert type(derivative(np.sin, np.float32(0.3))) is float
    assert type(derivative(lambda t: np.array(t**2), np.array(2.0))) is float
    assert derivative(lambda t: t**2, 3) == pytest.approx(6.0)  # an integer x is fine


def test_derivative_at_large_x_divides_by_the_step_actually_taken():
    # x + h is rounded when x is large: 1e8 + 1e-5 - (1e8 - 1e-5) is not 2e-5; dividing by the computed
    # step keeps the derivative of t and of 2t exact, where dividing by 2h would be off by about 1e-4
    assert (1e8 + 1e-5) - (1e8 - 1e-5) != 2e-5
    assert derivative(lambda t: t, 1e8) == 1.0
    assert derivative(lambda t: 2.0 * t, -3e9) == 2.0


@pytest.mark.parametrize("h", [0.0, -1e-5, np.nan, np.inf, -np.inf])
def test_derivative_rejects_bad_steps(h):
    with pytest.raises(ValueError, match="h"):
        derivative(np.sin, 1.0, h=h)


@pytest.mark.parametrize("x", [np.nan, np.inf, -np.inf, [1.0, 2.0], np.ones((2, 2))])
def test_derivative_rejects_bad_points(x):
    with pytest.raises(ValueError, match="x"):
        derivative(np.sin, x)


def test_derivative_rejects_a_function_returning_a_vector_or_nan():
    with pytest.raises(ValueError, match="f"):
        derivative(lambda t: np.array([t, 2 * t]), 1.0)
    with pytest.raises(ValueError, match="f"):
        derivative(lambda t: np.nan, 1.0)


# ---------------------------------------------------------------------------- gradient

def quad_case(rng, n):
    A = rng.standard_normal((n, n))
    return (lambda x: x @ A @ x), (lambda x: (A + A.T) @ x)


def lse_case(rng, n):
    return (lambda x: logsumexp(x)), (lambda x: softmax(x))


def sines_case(rng, n):
    w = rng.standard_normal(n)
    return (lambda x: np.sum(np.sin(w * x))), (lambda x: w * np.cos(w * x))


def exp_dot_case(rng, n):
    a = rng.standard_normal(n) / np.sqrt(n)
    return (lambda x: np.exp(a @ x)), (lambda x: a * np.exp(a @ x))


def poly_case(rng, n):
    c = rng.standard_normal(n)
    # f = sum_i c_i x_i^3 + (sum_i x_i)^2
    return (lambda x: c @ x**3 + np.sum(x) ** 2), (lambda x: 3 * c * x**2 + 2 * np.sum(x))


def log_case(rng, n):
    return (lambda x: np.sum(np.log(1 + x**2))), (lambda x: 2 * x / (1 + x**2))


CASES = [quad_case, lse_case, sines_case, exp_dot_case, poly_case, log_case]


@pytest.mark.parametrize("make", CASES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("seed", range(8))
def test_gradient_matches_analytic_gradients(make, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    f, grad_f = make(rng, n)
    x = rng.uniform(-1.5, 1.5, n)
    g = gradient(f, x)
    assert g.shape == (n,) and g.dtype == np.float64
    assert rel_err(g, grad_f(x)) < 1e-8


@settings(max_examples=50, deadline=None)
@given(st.lists(finite, min_size=1, max_size=6))
def test_gradient_of_log_sum_exp_is_softmax(values):
    x = np.array(values)
    np.testing.assert_allclose(gradient(logsumexp, x), softmax(x), rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_gradient_agrees_with_scipy_approx_fprime(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 7))
    A = rng.standard_normal((n, n))
    w = rng.standard_normal(n)
    def f(x):
        return x @ A @ x + np.sin(w @ x) + logsumexp(x)
    x = rng.uniform(-1, 1, n)
    reference = approx_fprime(x, f)  # forward differences, step sqrt(eps): accurate to ~1e-7
    np.testing.assert_allclose(gradient(f, x), reference, rtol=1e-5, atol=1e-6)


def test_gradient_is_second_order_accurate():
    def f(x):
        return np.sum(np.sin(x))
    x = np.array([1.0, 0.3, -0.8])
    errs = [np.max(np.abs(gradient(f, x, h=h) - np.cos(x))) for h in (1e-1, 1e-2)]
    assert 80 < errs[0] / errs[1] < 120


def test_gradient_at_large_x_divides_by_the_steps_actually_taken():
    assert np.array_equal(gradient(lambda v: v[0], np.array([1e8, 2.0])), [1.0, 0.0])
    assert np.array_equal(gradient(lambda v: 2.0 * v[1], np.array([0.5, -3e9])), [0.0, 2.0])


def test_gradient_of_one_variable_and_of_a_constant():
    np.testing.assert_allclose(gradient(lambda v: v[0] ** 2, np.array([3.0])), [6.0], rtol=1e-9)
    assert np.array_equal(gradient(lambda v: 5.0, np.ones(4)), np.zeros(4))


def test_gradient_accepts_lists_and_integers_and_returns_float64():
    g = gradient(lambda v: v @ v, [1, 2, 3])
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == (3,)
    np.testing.assert_allclose(g, [2.0, 4.0, 6.0], rtol=1e-9)


def test_gradient_and_check_gradient_never_modify_their_input():
    x = np.array([0.5, -1.0, 2.0])
    before = x.copy()

    def greedy(v):  # a function that scribbles on its argument
        value = float(np.sum(v**2))
        v[:] = 99.0
        return value

    gradient(greedy, x)
    check_gradient(greedy, lambda v: 2 * v, x)
    assert np.array_equal(x, before)
    seen = []
    gradient(lambda v: seen.append(v) or 0.0, x)
    assert all(v is not x for v in seen)


@pytest.mark.parametrize("x, what", [(np.ones((2, 2)), "1-D"), (np.array(1.0), "1-D"), (np.array([]), "empty"),
                                     (np.array([1.0, np.nan]), "finite"), (np.array([np.inf, 1.0]), "finite")])
def test_gradient_rejects_bad_points(x, what):
    with pytest.raises(ValueError, match="x"):
        gradient(lambda v: float(np.sum(v)), x)
    with pytest.raises(ValueError, match="x"):
        check_gradient(lambda v: float(np.sum(v)), lambda v: np.ones_like(v), x)


@pytest.mark.parametrize("h", [0.0, -1.0, np.nan, np.inf])
def test_gradient_rejects_bad_steps(h):
    with pytest.raises(ValueError, match="h"):
        gradient(lambda v: v @ v, np.ones(2), h=h)
    with pytest.raises(ValueError, match="h"):
        check_gradient(lambda v: v @ v, lambda v: 2 * v, np.ones(2), h=h)


def test_gradient_rejects_a_function_returning_a_vector_or_nan():
    with pytest.raises(ValueError, match="f must return a scalar"):
        gradient(lambda v: 2 * v, np.ones(3))
    with pytest.raises(ValueError, match="f"):
        gradient(lambda v: np.array([np.sum(v)]), np.ones(3))  # shape (1,) is not a scalar either
    with pytest.raises(ValueError, match="f"):
        gradient(lambda v: np.nan, np.ones(3))


# ---------------------------------------------------------------------------- check_gradient

@pytest.mark.parametrize("make", CASES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("seed", range(5))
def test_check_gradient_is_tiny_for_correct_gradients(make, seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(2, 7))
    f, grad_f = make(rng, n)
    x = rng.uniform(-1.5, 1.5, n)
    exact = grad_f(x)
    if np.min(np.abs(exact)) < 1e-3:  # relative errors of near-zero entries measure round-off
        x = x + 0.1
        exact = grad_f(x)
    err = check_gradient(f, grad_f, x)
    assert type(err) is float
    assert 0.0 <= err < 1e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_check_gradient_flags_wrong_gradients(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 7))
    S = rng.standard_normal((n, n))
    S = S + S.T
    def f(x):
        return x @ S @ x
    x = rng.uniform(-1, 1, n)
    assert check_gradient(f, lambda v: 2 * S @ v, x) < 1e-6
    assert check_gradient(f, lambda v: S @ v, x) == pytest.approx(0.5, abs=1e-6)  # missing factor 2
    assert check_gradient(f, lambda v: -2 * S @ v, x) == pytest.approx(2.0, abs=1e-6)  # sign error
    A = rng.standard_normal((n, n))
    assert check_gradient(lambda v: v @ A @ v, lambda v: 2 * A @ v, x) > 1e-2  # 2Ax for non-symmetric A
    def wrong_one_entry(v):
        return 2 * S @ v + np.eye(n)[0] * 0.05 * np.abs(2 * S @ v).max()
    assert check_gradient(f, wrong_one_entry, x) > 1e-2


def test_check_gradient_is_the_largest_entrywise_relative_error():
    rng = np.random.default_rng(11)
    A = rng.standard_normal((5, 5))
    x = rng.standard_normal(5)
    noise = rng.uniform(-0.1, 0.1, 5)

    def f(v):
        return v @ A @ v

    def wrong(v):
        return (A + A.T) @ v + noise

    a, b = wrong(x), gradient(f, x)
    expected = np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), np.finfo(float).tiny))
    assert check_gradient(f, wrong, x) == pytest.approx(expected, rel=1e-12)


def test_check_gradient_sees_an_error_in_a_small_entry():
    # a norm-based relative error would hide this (about 1e-6); entrywise it is 0.5
    def f(v):
        return 1000.0 * v[0] + 0.001 * v[1]

    assert check_gradient(f, lambda v: np.array([1000.0, 0.002]), np.array([0.3, -0.2])) == pytest.approx(0.5, abs=1e-4)


def test_check_gradient_is_exactly_zero_when_both_gradients_are_zero():
    assert check_gradient(lambda v: 7.0, lambda v: np.zeros_like(v), np.array([1.0, 2.0])) == 0.0
    # one zero and one nonzero entry counts as relative error 1
    assert check_gradient(lambda v: 7.0, lambda v: np.array([0.0, 1e-3]), np.array([1.0, 2.0])) == 1.0


def test_check_gradient_is_scale_invariant():
    rng = np.random.default_rng(7)
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    base = check_gradient(lambda v: v @ A @ v, lambda v: A @ v, x)
    scaled = check_gradient(lambda v: 1e3 * (v @ A @ v), lambda v: 1e3 * (A @ v), x)
    assert base == pytest.approx(scaled, rel=1e-6)


def test_check_gradient_rejects_a_gradient_of_the_wrong_shape_or_not_finite():
    def f(v):
        return v @ v
    with pytest.raises(ValueError, match="grad_f"):
        check_gradient(f, lambda v: (2 * v)[:, None], np.ones(3))
    with pytest.raises(ValueError, match="grad_f"):
        check_gradient(f, lambda v: 2 * v[:2], np.ones(3))
    with pytest.raises(ValueError, match="grad_f"):
        check_gradient(f, lambda v: np.full(3, np.nan), np.ones(3))
    with pytest.raises(ValueError, match="f"):
        check_gradient(lambda v: 2 * v, lambda v: 2 * v, np.ones(3))


def test_linear_regression_gradient_passes_the_check():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((50, 4)), rng.standard_normal(50)
    def mse(w):
        return np.mean((X @ w - y) ** 2)
    def grad(w):
        return 2 / len(y) * X.T @ (X @ w - y)
    w = rng.standard_normal(4)
    assert check_gradient(mse, grad, w) < 1e-7
    assert check_gradient(mse, lambda v: grad(v) / 2, w) == pytest.approx(0.5, abs=1e-6)
