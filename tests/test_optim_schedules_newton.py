"""mlmath.optim's schedules, Newton's method, BFGS and the lasso against closed forms, SciPy and scikit-learn.

Covers step_lr, exponential_lr, cosine_lr, warmup_cosine_lr (05-optimization/05-learning-rate-strategies.ipynb),
soft_threshold and lasso_coordinate_descent (06-regularization.ipynb), newton, backtracking_line_search,
bfgs_update and bfgs (08-newton-and-quasi-newton-methods.ipynb).

References: the schedules' closed forms (MLMATH_API.md) and PyTorch's recursive schedulers, written out by hand
from PyTorch's documentation and source (StepLR, ExponentialLR, CosineAnnealingLR with its special case where
the recursive ratio would divide by zero), since PyTorch is too heavy to require; scipy.optimize.minimize for
the minimisers (BFGS with a tight gtol); numpy.linalg.solve for quadratics; sklearn.linear_model.Lasso for the
lasso. Tolerances: 1e-12 relative for the schedules (a handful of floating-point operations), 1e-6 for the
minimisers (the API's promise; both sides stop at gradients of about 1e-8 to 1e-10), 1e-6 for the lasso.
"""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.linalg import LinAlgError
from scipy.optimize import minimize, rosen, rosen_der, rosen_hess
from sklearn.linear_model import Lasso

from mlmath.datasets import load_diabetes
from mlmath.optim import (backtracking_line_search, bfgs, bfgs_update, cosine_lr, exponential_lr,
                          lasso_coordinate_descent, newton, soft_threshold, step_lr, warmup_cosine_lr)

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
RATES = st.floats(min_value=1e-6, max_value=10.0)
GAMMAS = st.floats(min_value=0.01, max_value=1.0)


# --------------------------------------------------------------------------- PyTorch's schedulers, by hand

def torch_step_lr(n_steps, lr0, step_size, gamma):
    """StepLR.get_lr: multiply by gamma when last_epoch is a positive multiple of step_size."""
    lr, rates = lr0, [lr0]
    for t in range(1, n_steps + 1):
        if t % step_size == 0:
            lr = lr * gamma
        rates.append(lr)
    return rates


def torch_exponential_lr(n_steps, lr0, gamma):
    """ExponentialLR.get_lr: multiply by gamma at every step."""
    lr, rates = lr0, [lr0]
    for _ in range(n_steps):
        lr = lr * gamma
        rates.append(lr)
    return rates


def torch_cosine_lr(n_steps, lr0, T_max, eta_min):
    """CosineAnnealingLR.get_lr (recursive form, as in torch/optim/lr_scheduler.py)."""
    lr, rates = lr0, [lr0]
    for t in range(1, n_steps + 1):
        if (t - 1 - T_max) % (2 * T_max) == 0:
            lr = lr + (lr0 - eta_min) * (1 - math.cos(math.pi / T_max)) / 2
        else:
            ratio = (1 + math.cos(math.pi * t / T_max)) / (1 + math.cos(math.pi * (t - 1) / T_max))
            lr = ratio * (lr - eta_min) + eta_min
        rates.append(lr)
    return rates


# --------------------------------------------------------------------------- schedules: closed forms

@settings(max_examples=50, deadline=None)
@given(step=st.integers(0, 2000), lr0=RATES, step_size=st.integers(1, 200), gamma=GAMMAS)
def test_step_lr_is_its_closed_form(step, lr0, step_size, gamma):
    got = step_lr(step, lr0, step_size, gamma)
    assert isinstance(got, float)
    assert got == pytest.approx(lr0 * gamma ** (step // step_size), rel=1e-12, abs=0)


@settings(max_examples=50, deadline=None)
@given(step=st.integers(0, 2000), lr0=RATES, gamma=GAMMAS)
def test_exponential_lr_is_its_closed_form(step, lr0, gamma):
    got = exponential_lr(step, lr0, gamma)
    assert isinstance(got, float)
    assert got == pytest.approx(lr0 * gamma**step, rel=1e-12, abs=1e-300)


@settings(max_examples=50, deadline=None)
@given(step=st.integers(0, 5000), total=st.integers(1, 1000), lr_max=RATES, frac=st.floats(0.0, 1.0))
def test_cosine_lr_is_its_closed_form_also_past_total_steps(step, total, lr_max, frac):
    lr_min = frac * lr_max
    got = cosine_lr(step, total, lr_max, lr_min)
    assert isinstance(got, float)
    want = lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * step / total)) / 2
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15 * lr_max)
    assert lr_min - 1e-15 * lr_max <= got <= lr_max * (1 + 1e-15)


@settings(max_examples=50, deadline=None)
@given(step=st.integers(0, 3000), total=st.integers(2, 1000), wfrac=st.floats(0.0, 0.999), lr_max=RATES,
       frac=st.floats(0.0, 1.0))
def test_warmup_cosine_lr_is_its_closed_form(step, total, wfrac, lr_max, frac):
    warmup = min(int(wfrac * total), total - 1)
    lr_min = frac * lr_max
    got = warmup_cosine_lr(step, warmup, total, lr_max, lr_min)
    assert isinstance(got, float)
    if step < warmup:
        want = lr_max * step / warmup
    else:
        want = lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * (step - warmup) / (total - warmup))) / 2
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15 * lr_max)


# --------------------------------------------------------------------------- schedules: PyTorch's recursions

@pytest.mark.parametrize("lr0, step_size, gamma", [(0.1, 30, 0.1), (1.0, 1, 0.5), (0.05, 7, 0.9), (3.0, 100, 1.0)])
def test_step_lr_matches_torch_recursion(lr0, step_size, gamma):
    rec = torch_step_lr(400, lr0, step_size, gamma)
    np.testing.assert_allclose([step_lr(t, lr0, step_size, gamma) for t in range(401)], rec, rtol=1e-12)


@pytest.mark.parametrize("lr0, gamma", [(0.1, 0.99), (1.0, 0.5), (0.01, 0.999), (2.0, 1.0)])
def test_exponential_lr_matches_torch_recursion(lr0, gamma):
    rec = torch_exponential_lr(500, lr0, gamma)
    np.testing.assert_allclose([exponential_lr(t, lr0, gamma) for t in range(501)], rec, rtol=1e-11, atol=1e-300)


@pytest.mark.parametrize("lr0, T_max, eta_min", [(0.1, 100, 0.0), (0.1, 100, 0.001), (1.0, 7, 0.2), (0.5, 1, 0.0),
                                                 (0.3, 2, 0.1), (0.01, 250, 1e-4)])
def test_cosine_lr_matches_torch_recursion_for_three_periods(lr0, T_max, eta_min):
    n = 3 * T_max + 5
    rec = torch_cosine_lr(n, lr0, T_max, eta_min)
    got = [cosine_lr(t, T_max, lr0, eta_min) for t in range(n + 1)]
    np.testing.assert_allclose(got, rec, rtol=1e-9, atol=1e-12 * lr0)


@pytest.mark.parametrize("W, T", [(1, 2), (5, 50), (100, 1000), (0, 10)])
def test_warmup_cosine_boundaries(W, T):
    lr_max, lr_min = 0.3, 0.003
    assert warmup_cosine_lr(0, W, T, lr_max, lr_min) == (0.0 if W > 0 else lr_max)
    if W > 0:
        assert warmup_cosine_lr(W - 1, W, T, lr_max, lr_min) == pytest.approx(lr_max * (W - 1) / W, rel=1e-15)
    assert warmup_cosine_lr(W, W, T, lr_max, lr_min) == lr_max
    assert warmup_cosine_lr(T, W, T, lr_max, lr_min) == pytest.approx(lr_min, rel=1e-12)
    # after the warmup it is CosineAnnealingLR(T_max = T - W) started from lr_max, also past T
    rec = torch_cosine_lr(2 * (T - W) + 3, lr_max, T - W, lr_min)
    got = [warmup_cosine_lr(W + k, W, T, lr_max, lr_min) for k in range(len(rec))]
    np.testing.assert_allclose(got, rec, rtol=1e-9, atol=1e-12)


def test_warmup_zero_is_plain_cosine_and_rises_monotonically():
    assert all(warmup_cosine_lr(t, 0, 40, 0.2, 0.01) == cosine_lr(t, 40, 0.2, 0.01) for t in range(100))
    warm = [warmup_cosine_lr(t, 25, 100, 0.2) for t in range(26)]
    assert np.all(np.diff(warm) > 0)


def test_schedules_accept_numpy_integers_and_floats():
    assert step_lr(np.int64(30), np.float64(0.1), np.int32(30)) == pytest.approx(0.01)
    assert cosine_lr(np.int64(5), np.int64(10), np.float32(0.5)) == pytest.approx(0.25)


@pytest.mark.parametrize("call, name", [
    (lambda: step_lr(-1, 0.1, 10), "step"),
    (lambda: step_lr(2.0, 0.1, 10), "step"),
    (lambda: step_lr(True, 0.1, 10), "step"),
    (lambda: step_lr(3, 0.0, 10), "lr0"),
    (lambda: step_lr(3, -0.1, 10), "lr0"),
    (lambda: step_lr(3, float("nan"), 10), "lr0"),
    (lambda: step_lr(3, 0.1, 0), "step_size"),
    (lambda: step_lr(3, 0.1, 2.5), "step_size"),
    (lambda: step_lr(3, 0.1, 10, gamma=0.0), "gamma"),
    (lambda: step_lr(3, 0.1, 10, gamma=float("inf")), "gamma"),
    (lambda: exponential_lr(-3, 0.1, 0.9), "step"),
    (lambda: exponential_lr(3, float("inf"), 0.9), "lr0"),
    (lambda: exponential_lr(3, 0.1, -0.9), "gamma"),
    (lambda: cosine_lr(-1, 10, 0.1), "step"),
    (lambda: cosine_lr(1.5, 10, 0.1), "step"),
    (lambda: cosine_lr(1, 0, 0.1), "total_steps"),
    (lambda: cosine_lr(1, 10.0, 0.1), "total_steps"),
    (lambda: cosine_lr(1, 10, 0.0), "lr_max"),
    (lambda: cosine_lr(1, 10, 0.1, lr_min=-0.01), "lr_min"),
    (lambda: cosine_lr(1, 10, 0.1, lr_min=0.2), "lr_min"),
    (lambda: warmup_cosine_lr(-1, 5, 10, 0.1), "step"),
    (lambda: warmup_cosine_lr(1, -1, 10, 0.1), "warmup_steps"),
    (lambda: warmup_cosine_lr(1, 10, 10, 0.1), "warmup_steps"),
    (lambda: warmup_cosine_lr(1, 12, 10, 0.1), "warmup_steps"),
    (lambda: warmup_cosine_lr(1, 2.0, 10, 0.1), "warmup_steps"),
    (lambda: warmup_cosine_lr(1, 0, 0, 0.1), "total_steps"),
    (lambda: warmup_cosine_lr(1, 5, 10, -0.1), "lr_max"),
    (lambda: warmup_cosine_lr(1, 5, 10, 0.1, lr_min=0.5), "lr_min"),
    (lambda: warmup_cosine_lr(7, 5, 10, 0.1, lr_min=float("nan")), "lr_min"),
])
def test_schedule_errors_name_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --------------------------------------------------------------------------- newton

def random_spd(rng, n, cond=None):
    if cond is None:
        M = rng.standard_normal((n, n))
        return M @ M.T + 0.5 * np.eye(n)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * np.geomspace(1.0, cond, n)) @ Q.T
    return (A + A.T) / 2


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=st.integers(1, 8))
def test_newton_solves_a_quadratic_in_one_step(seed, n):
    rng = np.random.default_rng(seed)
    A, b, x0 = random_spd(rng, n), rng.standard_normal(n), rng.standard_normal(n) * 5
    x0_copy = x0.copy()
    visited = []
    x = newton(lambda v: A @ v - b, lambda v: A, x0, max_iter=1, callback=visited.append)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-8, atol=1e-10)
    assert len(visited) == 1 and x.dtype == np.float64 and x.shape == (n,)
    assert np.array_equal(x0, x0_copy)


def lse_problem(rng, n, m=6):
    """f(x) = log sum exp(D x + c) + mu/2 |x|^2: smooth and strongly convex, and curved mostly by the quadratic term,
    so that pure Newton (no line search) converges from anywhere in practice (with mu small it can cycle, as on
    sqrt(1 + x^2), which is a property of the method, not of the implementation)."""
    D, c, mu = 0.7 * rng.standard_normal((m, n)), rng.standard_normal(m), 1.0

    def f(x):
        z = D @ x + c
        return z.max() + np.log(np.exp(z - z.max()).sum()) + mu / 2 * x @ x

    def grad(x):
        z = D @ x + c
        p = np.exp(z - z.max())
        return D.T @ (p / p.sum()) + mu * x

    def hess(x):
        z = D @ x + c
        p = np.exp(z - z.max())
        p /= p.sum()
        return D.T @ (np.diag(p) - np.outer(p, p)) @ D + mu * np.eye(n)

    return f, grad, hess


def logistic_problem(rng, n_samples, n):
    X, lam = rng.standard_normal((n_samples, n)), 0.1
    y = (X @ rng.standard_normal(n) + rng.standard_normal(n_samples) > 0).astype(float)

    def f(w):
        z = X @ w
        return np.mean(np.logaddexp(0, z) - y * z) + lam / 2 * w @ w

    def grad(w):
        return X.T @ (0.5 * (1 + np.tanh(X @ w / 2)) - y) / n_samples + lam * w

    def hess(w):
        s = 0.5 * (1 + np.tanh(X @ w / 2))
        return X.T @ (X * (s * (1 - s))[:, None]) / n_samples + lam * np.eye(n)

    return f, grad, hess


@settings(max_examples=30, deadline=None)
@given(seed=SEEDS, n=st.integers(1, 6), kind=st.sampled_from(["lse", "logistic"]))
def test_newton_on_strictly_convex_functions_matches_scipy(seed, n, kind):
    rng = np.random.default_rng(seed)
    f, grad, hess = lse_problem(rng, n) if kind == "lse" else logistic_problem(rng, 40, n)
    x0 = rng.standard_normal(n) * 0.5
    x = newton(grad, hess, x0)
    ref = minimize(f, x0, jac=grad, method="BFGS", options={"gtol": 1e-11}).x
    np.testing.assert_allclose(x, ref, atol=1e-6)
    assert np.linalg.norm(grad(x)) < 1e-8


def test_newton_on_rosenbrock_matches_scipy():
    # 2-D: one critical point, the minimum (1, 1). (In 4-D pure Newton from (-1.2, 1, -1.2, 1) lands on the other
    # local minimum of the 4-D function, where SciPy's line-searched Newton-CG does not go: both are right.)
    for x0 in ([-1.2, 1.0], [0.5, -0.3], [1.5, 2.5], [-0.5, 0.8]):
        x = newton(rosen_der, rosen_hess, x0)
        ref = minimize(rosen, x0, jac=rosen_der, hess=rosen_hess, method="Newton-CG",
                       options={"xtol": 1e-12}).x
        np.testing.assert_allclose(x, ref, atol=1e-6)


def test_newton_converges_quadratically():
    """e_{k+1} / e_k^2 -> f'''(x*) / (2 f''(x*)) = 1/2 for f(x) = exp(x) - 2x."""
    path = [np.array([2.0])]
    newton(lambda v: np.exp(v) - 2, lambda v: np.exp(v)[:, None], [2.0], callback=path.append)
    err = np.abs(np.array(path)[:, 0] - math.log(2))
    assert err[5] / err[4] ** 2 == pytest.approx(0.5, rel=1e-3)
    assert len(path) <= 8


def test_newton_raises_linalgerror_when_not_converged_singular_or_diverging():
    with pytest.raises(LinAlgError, match="converge"):
        newton(rosen_der, rosen_hess, [-1.2, 1.0], max_iter=1)
    with pytest.raises(LinAlgError):
        newton(lambda v: v - 1.0, lambda v: np.zeros((2, 2)), [0.0, 0.0])
    # sqrt(1 + x^2) from 1.1: x -> -x^3 diverges
    with pytest.raises(LinAlgError):
        newton(lambda v: v / np.sqrt(1 + v**2), lambda v: np.atleast_2d((1 + v**2) ** -1.5), [1.1], max_iter=5)


def test_newton_stops_at_a_zero_gradient_without_calling_hess():
    def hess(v):
        raise AssertionError("hess must not be called when the gradient is already zero")
    np.testing.assert_array_equal(newton(lambda v: np.zeros(3), hess, [1.0, 2.0, 3.0]), [1.0, 2.0, 3.0])


def test_newton_passes_copies_to_the_user_functions():
    def grad(v):
        g = v - 3.0
        v[:] = 100.0                                        # a misbehaving user function
        return g
    x = newton(grad, lambda v: np.eye(2), np.zeros(2))
    np.testing.assert_allclose(x, [3.0, 3.0])


@pytest.mark.parametrize("kwargs, name", [
    ({"grad": None}, "grad"),
    ({"hess": 3}, "hess"),
    ({"x0": [[1.0, 2.0]]}, "x0"),
    ({"x0": []}, "x0"),
    ({"x0": [np.nan, 1.0]}, "x0"),
    ({"tol": 0.0}, "tol"),
    ({"tol": -1e-3}, "tol"),
    ({"tol": float("nan")}, "tol"),
    ({"max_iter": 0}, "max_iter"),
    ({"max_iter": 2.5}, "max_iter"),
    ({"max_iter": True}, "max_iter"),
    ({"grad": lambda v: np.zeros(3)}, "grad"),
    ({"grad": lambda v: np.array([np.nan, 1.0])}, "grad"),
    ({"hess": lambda v: np.eye(3)}, "hess"),
    ({"hess": lambda v: np.full((2, 2), np.inf)}, "hess"),
])
def test_newton_errors_name_the_argument(kwargs, name):
    args = {"grad": lambda v: v - 1.0, "hess": lambda v: np.eye(2), "x0": [0.0, 0.0]} | kwargs
    with pytest.raises(ValueError, match=name):
        newton(**args)


# --------------------------------------------------------------------------- backtracking and the BFGS update

def test_backtracking_returns_the_first_armijo_step():
    def f(v):
        return float(v @ v)
    x, g = np.array([1.0, -2.0]), np.array([2.0, -4.0])
    for p, c1 in [(-g, 1e-4), (-g, 0.5), (np.array([-1.0, 0.0]), 0.3)]:
        alpha, f_new = backtracking_line_search(f, x, p, g, c1=c1)
        assert f_new == f(x + alpha * p)
        assert f_new <= f(x) + c1 * alpha * g @ p
        if alpha < 1:
            assert f(x + 2 * alpha * p) > f(x) + c1 * 2 * alpha * g @ p    # the previous trial was rejected


def test_backtracking_errors():
    def f(v):
        return float(v @ v)
    x = np.array([1.0])
    with pytest.raises(ValueError, match="descent"):
        backtracking_line_search(f, x, np.array([1.0]), np.array([2.0]))
    with pytest.raises(ValueError, match="c1"):
        backtracking_line_search(f, x, np.array([-1.0]), np.array([2.0]), c1=1.5)
    with pytest.raises(ValueError, match="shrink"):
        backtracking_line_search(f, x, np.array([-1.0]), np.array([2.0]), shrink=1.0)
    with pytest.raises(ValueError, match="f_tol"):
        backtracking_line_search(f, x, np.array([-1.0]), np.array([2.0]), f_tol=-1.0)
    with pytest.raises(LinAlgError, match="line search"):                # a gradient that lies: f only increases
        backtracking_line_search(f, x, np.array([1.0]), np.array([-1.0]), max_halvings=30)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=st.integers(1, 8))
def test_bfgs_update_secant_symmetric_positive_definite_and_inverse_of_b_form(seed, n):
    rng = np.random.default_rng(seed)
    H = random_spd(rng, n)
    s, y = rng.standard_normal(n), rng.standard_normal(n)
    if s @ y < 0:
        y = -y
    if s @ y < 1e-3 * np.linalg.norm(s) * np.linalg.norm(y):
        y = y + s                                              # keep the curvature safely positive
    H_copy = H.copy()
    H_new = bfgs_update(H, s, y)
    assert np.array_equal(H, H_copy)
    scale = np.abs(H_new).max()
    np.testing.assert_allclose(H_new @ y, s, atol=1e-9 * scale * np.abs(y).max() + 1e-12)
    np.testing.assert_allclose(H_new, H_new.T, atol=1e-12 * scale)
    assert np.linalg.eigvalsh((H_new + H_new.T) / 2).min() > 0
    B = np.linalg.inv(H)
    B_new = B - np.outer(B @ s, B @ s) / (s @ B @ s) + np.outer(y, y) / (y @ s)
    np.testing.assert_allclose(np.linalg.inv(B_new), H_new, rtol=1e-6, atol=1e-8 * scale)


def test_bfgs_update_errors():
    with pytest.raises(ValueError, match="curvature"):
        bfgs_update(np.eye(2), np.array([1.0, 0.0]), np.array([-1.0, 0.0]))
    with pytest.raises(ValueError, match="H"):
        bfgs_update(np.ones((2, 3)), np.ones(2), np.ones(2))
    with pytest.raises(ValueError, match="s and y"):
        bfgs_update(np.eye(2), np.ones(3), np.ones(2))


# --------------------------------------------------------------------------- bfgs

def test_bfgs_matches_scipy_on_rosenbrock():
    rng = np.random.default_rng(2024)
    starts = [np.array([-1.2, 1.0])] + list(rng.uniform(-2, 2, size=(15, 2)))
    for x0 in starts:
        x = bfgs(rosen, rosen_der, x0)
        ref = minimize(rosen, x0, jac=rosen_der, method="BFGS", options={"gtol": 1e-10}).x
        np.testing.assert_allclose(x, ref, atol=1e-6)
        np.testing.assert_allclose(x, [1.0, 1.0], atol=1e-6)
    x0 = np.array([-1.2, 1.0] * 3)
    np.testing.assert_allclose(bfgs(rosen, rosen_der, x0),
                               minimize(rosen, x0, jac=rosen_der, method="BFGS", options={"gtol": 1e-10}).x, atol=1e-6)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, n=st.integers(1, 10), log_cond=st.floats(0.0, 4.0), log_offset=st.floats(-3.0, 6.0))
def test_bfgs_on_random_convex_quadratics(seed, n, log_cond, log_offset):
    rng = np.random.default_rng(seed)
    A = random_spd(rng, n, cond=10.0**log_cond)
    b = rng.standard_normal(n) * 3
    offset = 10.0**log_offset                                   # a constant that makes f's rounding error large
    def f(x):
        return 0.5 * x @ A @ x - b @ x + offset
    def grad(x):
        return A @ x - b
    x0 = rng.standard_normal(n) * 5
    x0_copy = x0.copy()
    x = bfgs(f, grad, x0)
    assert np.array_equal(x0, x0_copy)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), atol=1e-6)
    ref = minimize(f, x0, jac=grad, method="BFGS", options={"gtol": 1e-10}).x
    np.testing.assert_allclose(x, ref, atol=1e-6)


@settings(max_examples=20, deadline=None)
@given(seed=SEEDS, n=st.integers(1, 6))
def test_bfgs_matches_newton_on_logistic_regression(seed, n):
    rng = np.random.default_rng(seed)
    f, grad, hess = logistic_problem(rng, 60, n)
    np.testing.assert_allclose(bfgs(f, grad, np.zeros(n)), newton(grad, hess, np.zeros(n)), atol=1e-6)


def test_bfgs_skips_the_update_on_negative_curvature_and_still_finds_a_minimum():
    """(x^2 - 1)^2 + y^2 from near the hump: steps can have s^T y <= 0; the result must be a minimum."""
    def f(v):
        return (v[0] ** 2 - 1) ** 2 + v[1] ** 2
    def grad(v):
        return np.array([4 * v[0] * (v[0] ** 2 - 1), 2 * v[1]])
    for x0 in ([0.05, 1.0], [-0.1, -2.0], [2.0, 0.5]):
        x = bfgs(f, grad, x0)
        np.testing.assert_allclose(np.abs(x), [1.0, 0.0], atol=1e-6)


def test_bfgs_callback_and_non_convergence():
    calls = []
    bfgs(rosen, rosen_der, [-1.2, 1.0], callback=calls.append)
    assert 10 < len(calls) < 200 and np.allclose(calls[-1], 1.0, atol=1e-6)
    with pytest.raises(LinAlgError, match="converge"):
        bfgs(rosen, rosen_der, [-1.2, 1.0], max_iter=1)
    with pytest.raises(LinAlgError, match="converge"):
        bfgs(rosen, rosen_der, [-1.2, 1.0], max_iter=5)


@pytest.mark.parametrize("kwargs, name", [
    ({"f": "rosen"}, "f"),
    ({"grad": None}, "grad"),
    ({"x0": [[0.0, 0.0]]}, "x0"),
    ({"x0": [np.inf, 0.0]}, "x0"),
    ({"x0": []}, "x0"),
    ({"tol": 0}, "tol"),
    ({"tol": -1.0}, "tol"),
    ({"max_iter": 0}, "max_iter"),
    ({"max_iter": 1.0}, "max_iter"),
    ({"f": lambda v: np.array([1.0, 2.0])}, "f"),
    ({"f": lambda v: np.nan}, "f"),
    ({"grad": lambda v: np.zeros(3)}, "grad"),
    ({"grad": lambda v: np.array([np.nan, 0.0])}, "grad"),
])
def test_bfgs_errors_name_the_argument(kwargs, name):
    args = {"f": rosen, "grad": rosen_der, "x0": [-1.2, 1.0]} | kwargs
    with pytest.raises(ValueError, match=name):
        bfgs(**args)


# --------------------------------------------------------------------------- soft thresholding and the lasso

@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, t=st.floats(0.0, 5.0))
def test_soft_threshold_is_the_proximal_operator_of_the_l1_norm(seed, t):
    z = np.random.default_rng(seed).normal(0, 3, size=(4, 5))
    got = soft_threshold(z, t)
    np.testing.assert_array_equal(got, np.sign(z) * np.maximum(np.abs(z) - t, 0))
    grid = np.linspace(-20, 20, 40001)                        # brute-force argmin of (w - z)^2 / 2 + t |w|
    for zi, gi in zip(z.ravel()[:5], got.ravel()[:5], strict=True):
        assert abs(grid[np.argmin(0.5 * (grid - zi) ** 2 + t * np.abs(grid))] - gi) <= 1e-3


def test_soft_threshold_errors():
    with pytest.raises(ValueError, match="threshold"):
        soft_threshold([1.0], -0.1)
    with pytest.raises(ValueError, match="z"):
        soft_threshold([np.nan], 0.1)


def standardized_diabetes():
    X, y = load_diabetes()
    return (X - X.mean(axis=0)) / X.std(axis=0), y - y.mean()


@pytest.mark.parametrize("frac", [0.9, 0.3, 0.05, 0.01])
def test_lasso_matches_sklearn_on_diabetes(frac):
    X, y = standardized_diabetes()
    lam = frac * np.max(np.abs(X.T @ y)) / len(y)
    w = lasso_coordinate_descent(X, y, lam)
    ref = Lasso(alpha=lam, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y).coef_
    np.testing.assert_allclose(w, ref, atol=1e-6 * max(1.0, np.abs(ref).max()))
    assert np.array_equal(w == 0, ref == 0)


@settings(max_examples=25, deadline=None)
@given(seed=SEEDS, n=st.integers(5, 40), d=st.integers(1, 8), frac=st.floats(0.01, 1.2))
def test_lasso_matches_sklearn_and_its_optimality_conditions(seed, n, d, frac):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ (rng.standard_normal(d) * (rng.random(d) < 0.5)) + 0.3 * rng.standard_normal(n)
    X_copy, y_copy = X.copy(), y.copy()
    lam = frac * np.max(np.abs(X.T @ y)) / n
    w = lasso_coordinate_descent(X, y, lam)
    assert np.array_equal(X, X_copy) and np.array_equal(y, y_copy)
    corr = X.T @ (y - X @ w) / n
    active = w != 0
    np.testing.assert_allclose(corr[active], lam * np.sign(w[active]), atol=1e-7 * max(1.0, lam))
    assert np.all(np.abs(corr[~active]) <= lam * (1 + 1e-9) + 1e-12)
    ref = Lasso(alpha=lam, fit_intercept=False, tol=1e-14, max_iter=1_000_000).fit(X, y).coef_
    np.testing.assert_allclose(w, ref, atol=1e-6 * max(1.0, np.abs(ref).max()))


def test_lasso_zero_above_lambda_max_warm_start_and_errors():
    X, y = standardized_diabetes()
    lam_max = np.max(np.abs(X.T @ y)) / len(y)
    assert np.all(lasso_coordinate_descent(X, y, lam_max * 1.0001) == 0)
    cold = lasso_coordinate_descent(X, y, 1.0)
    w0 = lasso_coordinate_descent(X, y, 2.0)
    w0_copy = w0.copy()
    np.testing.assert_allclose(lasso_coordinate_descent(X, y, 1.0, w0=w0), cold, atol=1e-7)
    assert np.array_equal(w0, w0_copy)
    with pytest.raises(LinAlgError, match="converge"):
        lasso_coordinate_descent(X, y, 0.01, max_iter=1)
    for kwargs, name in [({"lam": -1.0}, "lam"), ({"X": X[:, 0]}, "X"), ({"y": y[:5]}, "y"), ({"tol": 0.0}, "tol"),
                         ({"max_iter": 0}, "max_iter"), ({"w0": np.zeros(3)}, "w0"),
                         ({"X": np.column_stack([X, np.zeros(len(y))])}, "X"), ({"y": np.full(len(y), np.nan)}, "y")]:
        args = {"X": X, "y": y, "lam": 1.0} | kwargs
        with pytest.raises(ValueError, match=name):
            lasso_coordinate_descent(**args)
