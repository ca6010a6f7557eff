"""mlmath.calculus.integrate (02-calculus/10-integration.ipynb) against closed forms and SciPy.

Tolerances come from the error bounds the notebook derives, |I - T_n| <= (b - a) h^2 max|f''| / 12 and
|I - S_n| <= (b - a) h^4 max|f''''| / 180 (plus a rounding allowance), so a rule with wrong weights,
a shifted grid or an off-by-one number of strips fails them. The convergence orders are measured,
and every promised ValueError is raised, before f is called.
"""
import inspect
import math
import warnings

import numpy as np
import pytest
import scipy.integrate
from hypothesis import given, settings
from hypothesis import strategies as st

from mlmath.calculus import integrate

EPS = np.finfo(float).eps

# f, a, b, exact integral, max |f''| and max |f''''| on [a, b]
CLOSED_FORMS = {
    "sin on [0, pi]": (np.sin, 0.0, np.pi, 2.0, 1.0, 1.0),
    "cos on [0, pi/2]": (np.cos, 0.0, np.pi / 2, 1.0, 1.0, 1.0),
    "exp on [-1, 2]": (np.exp, -1.0, 2.0, np.e**2 - np.e**-1, np.e**2, np.e**2),
    "1/(1+x^2) on [0, 1]": (lambda x: 1 / (1 + x**2), 0.0, 1.0, np.pi / 4, 2.0, 24.0),
    "log on [1, 2]": (np.log, 1.0, 2.0, 2 * np.log(2) - 1, 1.0, 6.0),
    "1/x on [1, 10]": (lambda x: 1 / x, 1.0, 10.0, np.log(10), 2.0, 24.0),
    "x^5 - 2x on [-1, 3]": (lambda x: x**5 - 2 * x, -1.0, 3.0, (3**6 - 1) / 6 - (9 - 1), 20 * 27, 120 * 3),
    "gaussian on [-8, 8]": (lambda x: np.exp(-(x**2) / 2), -8.0, 8.0,
                            math.sqrt(2 * math.pi) * math.erf(8 / math.sqrt(2)), 1.0, 3.0),
    "sin(10x) on [0, 1]": (lambda x: np.sin(10 * x), 0.0, 1.0, (1 - np.cos(10)) / 10, 100.0, 1e4),
}


def bound(method, a, b, n, m2, m4, scale):
    h = abs(b - a) / n
    truncation = abs(b - a) * (h**2 * m2 / 12 if method == "trapezoid" else h**4 * m4 / 180)
    return truncation + 50 * EPS * scale * (1 + abs(b - a))


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
@pytest.mark.parametrize("method", ["trapezoid", "simpson"])
@pytest.mark.parametrize("n", [2, 10, 64, 1000])
def test_closed_forms_within_the_error_bound(name, method, n):
    f, a, b, exact, m2, m4 = CLOSED_FORMS[name]
    got = integrate(f, a, b, n=n, method=method)
    assert type(got) is float
    scale = float(np.max(np.abs(f(np.linspace(a, b, 101)))))
    assert abs(got - exact) <= bound(method, a, b, n, m2, m4, scale), (name, method, n, got - exact)


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_default_is_simpson_with_1000_strips_and_accurate(name):
    f, a, b, exact, _, _ = CLOSED_FORMS[name]
    assert integrate(f, a, b) == integrate(f, a, b, n=1000, method="simpson")
    assert abs(integrate(f, a, b) - exact) < 1e-7 * max(1.0, abs(exact))


def test_signature_matches_the_api():
    params = inspect.signature(integrate).parameters
    assert list(params) == ["f", "a", "b", "n", "method"]
    assert params["n"].default == 1000 and params["method"].default == "simpson"
    assert "02-calculus/10-integration.ipynb" in integrate.__doc__


# smooth functions with bounded derivatives: c0 + c1 sin(w x + phi) + c2 exp(k x) + c3 x^2
COEF = st.floats(-3, 3, allow_nan=False)
ENDS = st.floats(-5, 5, allow_nan=False)


@settings(max_examples=100, deadline=None)
@given(c0=COEF, c1=COEF, c2=COEF, c3=COEF, w=st.floats(0, 4), phi=st.floats(0, 6.3), k=st.floats(-1, 1),
       a=ENDS, b=ENDS, half_n=st.integers(1, 1500), method=st.sampled_from(["trapezoid", "simpson"]))
def test_random_smooth_functions_against_scipy_quad(c0, c1, c2, c3, w, phi, k, a, b, half_n, method):
    def f(x):
        return c0 + c1 * np.sin(w * x + phi) + c2 * np.exp(k * x) + c3 * x**2

    n = 2 * half_n
    got = integrate(f, a, b, n=n, method=method)
    lo, hi = min(a, b), max(a, b)
    with warnings.catch_warnings():        # quad may say it could not reach 1e-13; its error estimate counts
        warnings.simplefilter("ignore", scipy.integrate.IntegrationWarning)
        ref, ref_err = scipy.integrate.quad(f, lo, hi, epsabs=1e-13, epsrel=1e-13, limit=200)
    ref = ref if a <= b else -ref
    e_max = math.exp(abs(k) * max(abs(lo), abs(hi)))
    m2 = abs(c1) * w**2 + abs(c2) * k**2 * e_max + 2 * abs(c3)
    m4 = abs(c1) * w**4 + abs(c2) * k**4 * e_max
    scale = abs(c0) + abs(c1) + abs(c2) * e_max + abs(c3) * 25
    assert abs(got - ref) <= bound(method, a, b, n, m2, m4, scale) + 10 * ref_err


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), half_n=st.integers(1, 200), a=ENDS, width=st.floats(0.01, 10))
def test_same_grid_as_scipy_trapezoid_and_simpson(seed, half_n, a, width):
    rng = np.random.default_rng(seed)
    coefs = rng.standard_normal(6)

    def f(x):
        return np.polyval(coefs, x) + np.cos(3 * x)

    n, b = 2 * half_n, a + width
    x = np.linspace(a, b, n + 1)
    scale = np.sum(np.abs(f(x))) * width / n + 1.0
    assert abs(integrate(f, a, b, n=n, method="trapezoid") - scipy.integrate.trapezoid(f(x), x=x)) < 1e-13 * scale
    assert abs(integrate(f, a, b, n=n) - scipy.integrate.simpson(f(x), x=x)) < 1e-13 * scale


@settings(max_examples=50, deadline=None)
@given(c=st.lists(st.floats(-10, 10, allow_nan=False), min_size=4, max_size=4), a=ENDS, b=ENDS,
       half_n=st.integers(1, 50))
def test_simpson_is_exact_for_cubics_and_trapezoid_for_lines(c, a, b, half_n):
    def cubic(x):
        return c[0] + c[1] * x + c[2] * x**2 + c[3] * x**3

    def antiderivative(x):
        return c[0] * x + c[1] * x**2 / 2 + c[2] * x**3 / 3 + c[3] * x**4 / 4

    def line(x):
        return c[0] + c[1] * x

    exact = antiderivative(b) - antiderivative(a)
    scale = (abs(c[0]) + abs(c[1]) * 5 + abs(c[2]) * 25 + abs(c[3]) * 125) * (1 + abs(b - a))
    assert abs(integrate(cubic, a, b, n=2 * half_n) - exact) <= 200 * EPS * scale
    exact_line = c[0] * (b - a) + c[1] * (b**2 - a**2) / 2
    assert abs(integrate(line, a, b, n=1, method="trapezoid") - exact_line) <= 50 * EPS * scale
    assert abs(integrate(line, a, b, n=2 * half_n + 1, method="trapezoid") - exact_line) <= 200 * EPS * scale


def test_simpson_is_not_exact_for_a_quartic():
    """Sharpness of the exactness test above: x^4 on [-1, 1] with n = 2 gives 2/3 instead of 2/5."""
    assert math.isclose(integrate(lambda x: x**4, -1.0, 1.0, n=2), 2 / 3, rel_tol=1e-15)


# (f, a, b, exact): f' and f''' differ at the ends, so the leading error terms are not zero
ORDER_CASES = [
    (np.exp, 0.0, 2.0, np.e**2 - 1),
    (np.sin, 0.0, 3.0, 1 - np.cos(3.0)),
    (lambda x: 1 / (1 + x**2), -1.0, 2.0, np.arctan(2.0) + np.pi / 4),
    (lambda x: np.exp(-x) * np.cos(2 * x), 0.5, 4.0,   # antiderivative e^-x (2 sin 2x - cos 2x) / 5
     (np.exp(-4.0) * (2 * np.sin(8.0) - np.cos(8.0)) - np.exp(-0.5) * (2 * np.sin(1.0) - np.cos(1.0))) / 5),
]


@pytest.mark.parametrize("case", range(len(ORDER_CASES)))
def test_halving_h_divides_the_error_by_4_and_by_16(case):
    f, a, b, exact = ORDER_CASES[case]
    assert math.isclose(exact, scipy.integrate.quad(f, a, b)[0], rel_tol=1e-12)

    def err(n, method):
        return integrate(f, a, b, n=n, method=method) - exact

    for n in (32, 64, 128):
        assert 3.9 < err(n, "trapezoid") / err(2 * n, "trapezoid") < 4.1
    for n in (32, 64):
        assert 15.0 < err(n, "simpson") / err(2 * n, "simpson") < 17.0


def test_the_error_constants_of_the_notebook():
    """T_n - I = h^2/12 (f'(b) - f'(a)) + O(h^4) and S_n - I = h^4/180 (f'''(b) - f'''(a)) + O(h^6)."""
    exact = np.e**2 - 1
    h = 2.0 / 64
    assert math.isclose(integrate(np.exp, 0.0, 2.0, n=64, method="trapezoid") - exact, h**2 / 12 * exact,
                        rel_tol=1e-3)
    assert math.isclose(integrate(np.exp, 0.0, 2.0, n=64) - exact, h**4 / 180 * exact, rel_tol=1e-3)


def test_reversed_limits_negate_and_equal_limits_give_zero():
    for method in ("trapezoid", "simpson"):
        for f, a, b in [(np.exp, 0.0, 1.5), (np.sin, -2.0, 3.0), (lambda x: x**3, 4.0, -1.0)]:
            assert integrate(f, b, a, method=method) == -integrate(f, a, b, method=method)
            assert integrate(f, a, b, method=method) * np.sign(b - a) > 0 or a == b
        assert integrate(np.exp, 1.3, 1.3, method=method) == 0.0
    assert math.isclose(integrate(np.exp, 1.0, 0.0), -(np.e - 1), rel_tol=1e-12)


def test_f_is_called_once_on_the_whole_grid_and_numbers_of_any_int_type_work():
    calls = []

    def f(x):
        calls.append(x.copy())
        return np.cos(x)

    integrate(f, 0.5, 2.0, n=np.int64(10))
    assert len(calls) == 1
    grid = calls[0]
    assert grid.shape == (11,) and grid.dtype == np.float64
    assert grid[0] == 0.5 and grid[-1] == 2.0
    np.testing.assert_allclose(np.diff(grid), 0.15, rtol=1e-12)
    assert integrate(lambda x: x, np.int64(0), 2, n=2) == 2.0


def test_extreme_magnitudes():
    assert math.isclose(integrate(lambda x: np.full_like(x, 1e300), 0.0, 1.0), 1e300, rel_tol=1e-14)
    assert math.isclose(integrate(lambda x: np.full_like(x, 1e-300), 0.0, 1.0), 1e-300, rel_tol=1e-14)
    assert math.isclose(integrate(np.cos, 0.0, 1e-12, n=2), 1e-12, rel_tol=1e-14)


# --- every promised ValueError, raised before f is called ----------------------------------

def never_called(x):
    raise AssertionError("f must not be called when the other arguments are invalid")


@pytest.mark.parametrize("kwargs, word", [
    ({"method": "midpoint"}, "method"), ({"method": "Simpson"}, "method"), ({"method": None}, "method"),
    ({"n": 7}, "n"), ({"n": 1}, "n"), ({"n": 0}, "n"), ({"n": -4}, "n"),
    ({"n": 0, "method": "trapezoid"}, "n"), ({"n": -1, "method": "trapezoid"}, "n"),
    ({"n": 10.0}, "n"), ({"n": 2.5, "method": "trapezoid"}, "n"), ({"n": True, "method": "trapezoid"}, "n"),
    ({"n": "10"}, "n"), ({"n": None}, "n"),
    ({"a": np.nan}, "a"), ({"a": np.inf}, "a"), ({"a": [0.0, 1.0]}, "a"),
    ({"b": np.nan}, "b"), ({"b": -np.inf}, "b"), ({"b": np.array([1.0])}, "b"),
    ({"a": -1e308, "b": 1e308}, "b - a"),
])
def test_bad_arguments_are_value_errors_before_f_is_called(kwargs, word):
    args = {"f": never_called, "a": 0.0, "b": 1.0, "n": 10, "method": "simpson"} | kwargs
    with pytest.raises(ValueError, match=word):
        integrate(**args)


@pytest.mark.parametrize("f", [
    lambda x: 1.0,                         # not vectorised: a scalar for the whole grid
    lambda x: np.sum(x),
    lambda x: x[:-1],                      # wrong length
    lambda x: np.stack([x, x]),            # wrong shape
    lambda x: np.where(x > 0.5, np.nan, x),
    lambda x: np.where(x > 0.5, np.inf, x),
])
@pytest.mark.parametrize("method", ["trapezoid", "simpson"])
def test_what_f_returns_is_checked(f, method):
    with pytest.raises(ValueError, match="f "):
        integrate(f, 0.0, 1.0, n=10, method=method)


def test_n_one_and_two_are_the_smallest_allowed():
    assert integrate(lambda x: 2 * x, 0.0, 1.0, n=1, method="trapezoid") == 1.0
    assert integrate(lambda x: 3 * x**2, 0.0, 1.0, n=2) == 1.0
