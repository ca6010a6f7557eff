"""mlmath.probability's distributions against scipy.stats.

Covers normal_pdf, normal_cdf, bernoulli_pmf, binomial_pmf, poisson_pmf, uniform_pdf and exponential_pdf
(03-probability/02-probability-distributions.ipynb). The contract (MLMATH_API.md): the values of
scipy.stats (norm, bernoulli, binom, poisson, uniform(loc=a, scale=b-a), expon(scale=1/lam)),
0 outside the support (a non-integer k has probability 0), vectorised in the first argument, a Python
float for scalar input and a float64 array for array input, inputs never modified, and a ValueError
naming the parameter for sigma <= 0, p outside [0, 1], n negative or non-integer, lam <= 0, a >= b
and NaN parameters.
"""
import ast
import inspect
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from mlmath import probability
from mlmath.probability import (
    bernoulli_pmf,
    binomial_pmf,
    exponential_pdf,
    normal_cdf,
    normal_pdf,
    poisson_pmf,
    uniform_pdf,
)

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
TINY = np.finfo(float).tiny  # smallest normal float64, about 2.2e-308: below it values are subnormal
EXPORTED = [normal_pdf, normal_cdf, bernoulli_pmf, binomial_pmf, poisson_pmf, uniform_pdf, exponential_pdf]


def assert_close(got, want, rtol, floor=TINY):
    """Relative accuracy rtol where the reference is a normal float; absolute `floor` below (underflow)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(want)
    np.testing.assert_allclose(got[ok], want[ok], rtol=rtol, atol=floor)


def no_warnings(fn, *args, **kwargs):
    """Call fn and fail on any warning (overflow, divide by zero, invalid value)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


# --------------------------------------------------------------------------- normal

@settings(max_examples=50, deadline=None)
@given(seed=SEEDS)
def test_normal_pdf_and_cdf_equal_scipy_on_random_inputs(seed):
    rng = np.random.default_rng(seed)
    mu, sigma = rng.normal(0, 10), 10 ** rng.uniform(-3, 3)
    x = mu + sigma * rng.normal(0, 8, size=300)  # z out to about +-30
    assert_close(normal_pdf(x, mu, sigma), stats.norm.pdf(x, mu, sigma), rtol=1e-12)
    assert_close(normal_cdf(x, mu, sigma), stats.norm.cdf(x, mu, sigma), rtol=1e-10)


def test_normal_defaults_are_the_standard_normal():
    x = np.linspace(-6, 6, 101)
    assert_close(normal_pdf(x), stats.norm.pdf(x), rtol=1e-14)
    assert_close(normal_cdf(x), stats.norm.cdf(x), rtol=1e-12)
    assert normal_cdf(0.0) == 0.5
    assert normal_pdf(0.0) == pytest.approx(1 / np.sqrt(2 * np.pi), rel=1e-15)


def test_normal_cdf_keeps_relative_accuracy_far_in_both_tails():
    z = np.linspace(-37.5, 8.0, 20_001)  # down to the smallest normal float64 (Phi(-37.5) = 4.6e-308)
    assert_close(normal_cdf(z), stats.norm.cdf(z), rtol=1e-10, floor=0)
    # the upper tail through the symmetry 1 - Phi(z) = Phi(-z): relative accuracy of the complement
    upper = np.linspace(5, 37.5, 301)
    assert_close(normal_cdf(3.0 - 2.0 * upper, 3.0, 2.0), stats.norm.sf(upper), rtol=1e-10, floor=0)


def test_normal_cdf_at_minus_40():
    # Phi(-40) = 3.7e-350 is below the smallest positive float64 (4.9e-324): it is 0, as in SciPy
    assert normal_cdf(-40.0) == 0.0 == stats.norm.cdf(-40.0)
    # with a wider distribution, x = -40 is in the representable tail: 1e-10 relative accuracy
    for sigma in (1.2, 2.0, 3.0, 5.0, 10.0, 40.0):
        got, want = normal_cdf(-40.0, 0.0, sigma), stats.norm.cdf(-40.0, 0.0, sigma)
        assert want > TINY and abs(got / want - 1) < 1e-10, (sigma, got, want)
    got, want = normal_cdf(-40.0, 1.0, 1.1), stats.norm.cdf(-40.0, 1.0, 1.1)
    assert abs(got / want - 1) < 1e-10


def test_normal_cdf_is_not_the_erf_form():
    # 0.5 * (1 + erf(z / sqrt 2)) rounds to 0 below z = -8.3: a wrong implementation fails here
    for z in (-9.0, -12.0, -20.0, -30.0):
        assert normal_cdf(z) > 0 and abs(normal_cdf(z) / stats.norm.cdf(z) - 1) < 1e-10


def test_normal_at_infinities_and_nan():
    x = np.array([-np.inf, np.inf, np.nan])
    assert_close(no_warnings(normal_pdf, x, 1.0, 2.0), [0.0, 0.0, np.nan], rtol=0, floor=0)
    assert_close(no_warnings(normal_cdf, x, 1.0, 2.0), [0.0, 1.0, np.nan], rtol=0, floor=0)
    huge = np.array([-1e300, 1e300, 1e200])
    assert_close(no_warnings(normal_pdf, huge, 0.0, 1e-10), [0.0, 0.0, 0.0], rtol=0, floor=0)
    assert_close(no_warnings(normal_cdf, huge, 0.0, 1e-10), [0.0, 1.0, 1.0], rtol=0, floor=0)


def test_normal_broadcasts_array_parameters_like_scipy():
    x = np.linspace(-3, 3, 7)[:, None]
    mu, sigma = np.array([-1.0, 0.0, 2.0]), np.array([0.5, 1.0, 3.0])
    assert_close(normal_pdf(x, mu, sigma), stats.norm.pdf(x, mu, sigma), rtol=1e-12)
    assert_close(normal_cdf(x, mu, sigma), stats.norm.cdf(x, mu, sigma), rtol=1e-12)


# --------------------------------------------------------------------------- Bernoulli

@settings(max_examples=50, deadline=None)
@given(seed=SEEDS)
def test_bernoulli_pmf_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    p = rng.choice([rng.uniform(), 0.0, 1.0, 0.5, 10 ** rng.uniform(-6, 0)])
    k = np.r_[0, 1, rng.integers(-5, 6, size=20), rng.uniform(-2, 3, size=10), 0.5, -1e9, 2.0]
    assert_close(bernoulli_pmf(k, p), stats.bernoulli.pmf(k, p), rtol=1e-14, floor=0)
    # for tiny p SciPy's P(X = 0) drifts from 1 - p by about 1e-14 (its binomial code); the closed form decides
    tiny = 10 ** rng.uniform(-300, -6)
    np.testing.assert_array_equal(bernoulli_pmf([0, 1, 2], tiny), [1 - tiny, tiny, 0.0])


def test_bernoulli_pmf_values():
    assert bernoulli_pmf(1, 0.3) == 0.3
    assert bernoulli_pmf(0, 0.3) == pytest.approx(0.7, rel=1e-15)
    assert bernoulli_pmf(0.5, 0.3) == 0.0 and bernoulli_pmf(2, 0.3) == 0.0 and bernoulli_pmf(-1, 0.3) == 0.0
    np.testing.assert_array_equal(bernoulli_pmf([0, 1], 0.0), [1.0, 0.0])
    np.testing.assert_array_equal(bernoulli_pmf([0, 1], 1.0), [0.0, 1.0])
    assert np.isnan(bernoulli_pmf(np.nan, 0.3))


# --------------------------------------------------------------------------- binomial

@settings(max_examples=50, deadline=None)
@given(seed=SEEDS)
def test_binomial_pmf_equals_scipy_for_small_n(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 200))
    p = rng.choice([rng.uniform(), 10 ** rng.uniform(-8, 0), 1 - 10 ** rng.uniform(-8, -1), 0.0, 1.0, 0.5])
    k = np.arange(-3, n + 4)
    assert_close(binomial_pmf(k, n, p), stats.binom.pmf(k, n, p), rtol=1e-12)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS)
def test_binomial_pmf_equals_scipy_for_large_n(seed):
    rng = np.random.default_rng(seed)
    n = int(10 ** rng.uniform(3, 5))  # 1000 to 100000
    p = rng.choice([rng.uniform(1e-3, 1 - 1e-3), 10 ** rng.uniform(-6, -1), 1 - 10 ** rng.uniform(-6, -1)])
    k = np.arange(0, n + 1)
    want = stats.binom.pmf(k, n, p)
    got = binomial_pmf(k, n, p)
    big = want > 1e-300  # where the PMF is not underflowing
    assert big.sum() > 0
    np.testing.assert_allclose(got[big], want[big], rtol=1e-9)
    assert np.all(got[~big] < 1e-299)


def test_binomial_pmf_n_100000_against_exact_integer_arithmetic():
    # P(X = k) = C(n, k) 3^(n - k) / 4^n for p = 1/4; Python divides big integers correctly rounded
    from math import comb

    n = 100_000
    four_n = 4**n
    for k in (24_000, 24_500, 24_900, 25_000, 25_137, 25_400, 26_000):
        exact = comb(n, k) * 3 ** (n - k) / four_n
        assert abs(binomial_pmf(k, n, 0.25) / exact - 1) < 1e-12, k


def test_binomial_pmf_sums_to_one_with_the_right_moments():
    for n, p in [(1, 0.3), (30, 0.9), (1000, 0.01), (100_000, 0.37)]:
        k = np.arange(n + 1)
        pmf = binomial_pmf(k, n, p)
        assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
        assert (k * pmf).sum() == pytest.approx(n * p, rel=1e-11)
        assert ((k - n * p) ** 2 * pmf).sum() == pytest.approx(n * p * (1 - p), rel=1e-9)


def test_binomial_pmf_edges_and_outside_the_support():
    assert binomial_pmf(0, 0, 0.3) == 1.0 and binomial_pmf(1, 0, 0.3) == 0.0
    np.testing.assert_array_equal(binomial_pmf([0, 1, 2, 3], 3, 0.0), [1.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(binomial_pmf([0, 1, 2, 3], 3, 1.0), [0.0, 0.0, 0.0, 1.0])
    k = np.array([-1.0, -0.5, 2.5, 10.5, 11.0, 1e9, np.inf, -np.inf])
    np.testing.assert_array_equal(no_warnings(binomial_pmf, k, 10, 0.4), np.zeros(len(k)))
    assert_close(binomial_pmf(k, 10, 0.4), stats.binom.pmf(k, 10, 0.4), rtol=0, floor=0)
    assert np.isnan(binomial_pmf(np.nan, 10, 0.4))
    assert binomial_pmf(0, 10**6, 0.5) == 0.0 == stats.binom.pmf(0, 10**6, 0.5)  # 2^-1000000 underflows


def test_binomial_pmf_accepts_integer_valued_float_n_and_broadcasts():
    k = np.arange(0, 11)[:, None]
    n, p = np.array([10.0, 7.0, 10.0]), np.array([0.2, 0.5, 0.9])
    assert_close(binomial_pmf(k, n, p), stats.binom.pmf(k, n, p), rtol=1e-12)


# --------------------------------------------------------------------------- Poisson

@settings(max_examples=50, deadline=None)
@given(seed=SEEDS)
def test_poisson_pmf_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    lam = 10 ** rng.uniform(-4, 4)
    k = np.r_[np.arange(-3, int(lam + 12 * np.sqrt(lam)) + 20), rng.uniform(0, 30, size=10)]
    want = stats.poisson.pmf(k, lam)
    got = poisson_pmf(k, lam)
    big = want > 1e-300
    np.testing.assert_allclose(got[big], want[big], rtol=1e-9)
    assert np.all(got[~big] < 1e-299)


def test_poisson_pmf_values_moments_and_support():
    assert poisson_pmf(0, 2.0) == pytest.approx(np.exp(-2.0), rel=1e-15)
    assert poisson_pmf(3, 2.0) == pytest.approx(np.exp(-2.0) * 8 / 6, rel=1e-13)
    k = np.arange(0, 2000)
    for lam in (0.01, 3.0, 250.0):
        pmf = poisson_pmf(k, lam)
        assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
        assert (k * pmf).sum() == pytest.approx(lam, rel=1e-11)
        assert ((k - lam) ** 2 * pmf).sum() == pytest.approx(lam, rel=1e-9)
    bad_k = np.array([-1.0, 0.5, 2.25, np.inf, -np.inf])
    np.testing.assert_array_equal(no_warnings(poisson_pmf, bad_k, 3.0), np.zeros(5))
    assert np.isnan(poisson_pmf(np.nan, 3.0))
    assert no_warnings(poisson_pmf, 1e300, 3.0) == 0.0


# --------------------------------------------------------------------------- uniform and exponential

@settings(max_examples=50, deadline=None)
@given(seed=SEEDS)
def test_uniform_pdf_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 10)
    b = a + 10 ** rng.uniform(-3, 3)
    x = np.r_[rng.uniform(a - (b - a), b + (b - a), size=200), a, b, a - 1e-9 * (b - a), b + 1e-9 * (b - a)]
    assert_close(uniform_pdf(x, a, b), stats.uniform.pdf(x, loc=a, scale=b - a), rtol=1e-14, floor=0)
    # the neighbouring floats just outside [a, b] are outside. (SciPy tests 0 <= (x - a)/(b - a) <= 1, and the
    # rounded quotient can be exactly 1 for the float just above b: there it differs from the closed interval.)
    outside = np.array([np.nextafter(a, -np.inf), np.nextafter(b, np.inf)])
    np.testing.assert_array_equal(uniform_pdf(outside, a, b), [0.0, 0.0])
    np.testing.assert_array_equal(uniform_pdf(np.array([a, b]), a, b), [1 / (b - a), 1 / (b - a)])


def test_uniform_pdf_is_one_over_length_on_the_closed_interval():
    x = np.array([-1.0, -1e-12, 0.0, 0.5, 2.0, 2.0 + 1e-12, np.inf, -np.inf])
    np.testing.assert_array_equal(uniform_pdf(x, 0.0, 2.0), [0.0, 0.0, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0])
    assert uniform_pdf(0.3) == 1.0  # defaults a = 0, b = 1
    assert np.isnan(uniform_pdf(np.nan, 0.0, 2.0))


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS)
def test_exponential_pdf_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    lam = 10 ** rng.uniform(-3, 3)
    x = np.r_[rng.exponential(1 / lam, size=200) * rng.uniform(0, 5), -rng.exponential(1 / lam, size=20), 0.0, -0.0]
    assert_close(exponential_pdf(x, lam), stats.expon.pdf(x, scale=1 / lam), rtol=1e-12)


def test_exponential_pdf_values():
    assert exponential_pdf(0.0, 2.5) == 2.5 and exponential_pdf(-1e-300, 2.5) == 0.0
    assert exponential_pdf(1.0) == pytest.approx(np.exp(-1.0), rel=1e-15)  # default lam = 1
    x = np.array([-np.inf, np.inf, 1e308, -1e308])
    np.testing.assert_array_equal(no_warnings(exponential_pdf, x, 3.0), np.zeros(4))
    assert np.isnan(exponential_pdf(np.nan, 1.0))


# --------------------------------------------------------------------------- shapes, types, inputs

CALLS = {  # name: (function, extra positional parameters, an input point inside the support)
    "normal_pdf": (normal_pdf, (0.5, 2.0), 0.3),
    "normal_cdf": (normal_cdf, (0.5, 2.0), 0.3),
    "bernoulli_pmf": (bernoulli_pmf, (0.3,), 1),
    "binomial_pmf": (binomial_pmf, (10, 0.3), 3),
    "poisson_pmf": (poisson_pmf, (2.5,), 3),
    "uniform_pdf": (uniform_pdf, (-1.0, 2.0), 0.3),
    "exponential_pdf": (exponential_pdf, (1.5,), 0.3),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_scalar_input_gives_a_python_float(name):
    fn, params, inside = CALLS[name]
    for x in (inside, float(inside), np.float64(inside), np.array(inside), np.int64(int(inside))):
        out = fn(x, *params)
        assert type(out) is float, f"{name}({x!r}) returned {type(out).__name__}"
    assert fn(inside, *params) > 0


@pytest.mark.parametrize("name", list(CALLS))
def test_array_input_gives_a_float64_array_of_the_same_shape(name):
    fn, params, inside = CALLS[name]
    for x in ([inside, inside], np.full((2, 3), inside), np.full((2, 3), inside, dtype=np.int64 if inside == int(inside)
              else np.float32), np.array([inside]), np.array([])):
        out = fn(x, *params)
        assert isinstance(out, np.ndarray) and out.dtype == np.float64, f"{name}: {type(out)}"
        assert out.shape == np.shape(x)
        if out.size:
            assert np.allclose(out, fn(inside, *params), rtol=1e-6)


@pytest.mark.parametrize("name", list(CALLS))
def test_inputs_are_not_modified(name):
    fn, params, inside = CALLS[name]
    x = np.array([inside, -1.0, 0.0, 1.0, 2.5, np.nan, np.inf])
    x_copy = x.copy()
    param_arrays = [np.array([p, p], dtype=float) for p in params]
    param_copies = [p.copy() for p in param_arrays]
    fn(x, *params)
    fn(x[:, None], *param_arrays)
    np.testing.assert_array_equal(x, x_copy)
    for p, q in zip(param_arrays, param_copies, strict=True):
        np.testing.assert_array_equal(p, q)


# --------------------------------------------------------------------------- errors

BAD = [  # (function, arguments, keyword arguments, the parameter the message must name)
    (normal_pdf, (0.0,), {"sigma": 0.0}, "sigma"),
    (normal_pdf, (0.0,), {"sigma": -1.0}, "sigma"),
    (normal_pdf, (0.0,), {"sigma": np.nan}, "sigma"),
    (normal_pdf, (0.0,), {"sigma": np.inf}, "sigma"),
    (normal_pdf, (0.0,), {"mu": np.nan}, "mu"),
    (normal_pdf, (0.0,), {"mu": np.inf}, "mu"),
    (normal_pdf, (0.0,), {"sigma": [1.0, -1.0]}, "sigma"),
    (normal_cdf, (0.0,), {"sigma": 0.0}, "sigma"),
    (normal_cdf, (0.0,), {"sigma": -2.0}, "sigma"),
    (normal_cdf, (0.0,), {"sigma": np.nan}, "sigma"),
    (normal_cdf, (0.0,), {"mu": np.nan}, "mu"),
    (normal_cdf, (0.0,), {"mu": -np.inf}, "mu"),
    (bernoulli_pmf, (1, -0.1), {}, "p"),
    (bernoulli_pmf, (1, 1.1), {}, "p"),
    (bernoulli_pmf, (1, np.nan), {}, "p"),
    (bernoulli_pmf, (1, [0.5, 2.0]), {}, "p"),
    (binomial_pmf, (1, -1, 0.5), {}, "n"),
    (binomial_pmf, (1, 2.5, 0.5), {}, "n"),
    (binomial_pmf, (1, np.nan, 0.5), {}, "n"),
    (binomial_pmf, (1, np.inf, 0.5), {}, "n"),
    (binomial_pmf, (1, 10, -0.5), {}, "p"),
    (binomial_pmf, (1, 10, 1.5), {}, "p"),
    (binomial_pmf, (1, 10, np.nan), {}, "p"),
    (poisson_pmf, (1, 0.0), {}, "lam"),
    (poisson_pmf, (1, -3.0), {}, "lam"),
    (poisson_pmf, (1, np.nan), {}, "lam"),
    (poisson_pmf, (1, np.inf), {}, "lam"),
    (uniform_pdf, (0.5, 1.0, 1.0), {}, "a"),
    (uniform_pdf, (0.5, 2.0, 1.0), {}, "a"),
    (uniform_pdf, (0.5, np.nan, 1.0), {}, "a"),
    (uniform_pdf, (0.5, 0.0, np.nan), {}, "b"),
    (uniform_pdf, (0.5, 0.0, np.inf), {}, "b"),
    (exponential_pdf, (1.0, 0.0), {}, "lam"),
    (exponential_pdf, (1.0, -1.0), {}, "lam"),
    (exponential_pdf, (1.0, np.nan), {}, "lam"),
]


@pytest.mark.parametrize("fn, args, kwargs, name", BAD,
                         ids=[f"{fn.__name__}-{name}-{i}" for i, (fn, _, _, name) in enumerate(BAD)])
def test_invalid_parameters_raise_value_error_naming_them(fn, args, kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        fn(*args, **kwargs)


def test_uniform_error_names_both_ends():
    with pytest.raises(ValueError, match=r"a must be less than b.*a = 2\.0, b = 1\.0"):
        uniform_pdf(0.5, 2.0, 1.0)


def test_errors_are_raised_before_any_work():
    # a huge x with a bad parameter: the error comes first, without a warning or a long computation
    x = np.full(10, np.inf)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="sigma"):
            normal_cdf(x, 0.0, -1.0)


# --------------------------------------------------------------------------- the module itself

def test_module_uses_only_numpy_and_the_standard_library():
    tree = ast.parse(inspect.getsource(probability))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module}
    assert not imported & {"scipy", "sklearn", "torch", "matplotlib"}, imported


@pytest.mark.parametrize("fn", EXPORTED, ids=[fn.__name__ for fn in EXPORTED])
def test_docstrings_state_the_formula_and_the_notebook(fn):
    doc = inspect.getdoc(fn)
    assert "Defined in 03-probability/02-probability-distributions.ipynb" in doc
    assert "Args:" in doc and "Returns:" in doc and "Raises:" in doc
