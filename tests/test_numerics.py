"""mlmath.numerics against scipy.special and math.fsum.

Covers 07-numerical-methods/01-floating-point-errors.ipynb (kahan_sum) and
07-numerical-methods/02-numerical-stability.ipynb (logsumexp, softmax, log_softmax, sigmoid,
log_sigmoid). References: scipy.special.logsumexp, softmax, log_softmax, expit and log_expit
(their SciPy 1.17 behaviour for -inf and +inf entries), and math.fsum (exactly rounded) for sums.
Inputs reach +-1000, +-1e5 and the edge of the float64 range, where the naive formulas overflow.
Tolerances: relative 1e-12 (a few hundred units in the last place; SciPy uses the same max trick,
the differences are rounding) with an absolute floor only where a value is 0 or subnormal; for
kahan_sum the compensated-summation bound 2u|S| + 20 n u^2 sum|x_i| (u = 2^-53; the notebook derives
about u|S| + 5 n u^2 sum|x_i| for the lane-vectorised algorithm), which naive summation misses by
orders of magnitude on the ill-conditioned sums below.
"""
import math
import warnings

import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mlmath.numerics import kahan_sum, log_sigmoid, log_softmax, logsumexp, sigmoid, softmax

U = 2.0**-53
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
SCALES = [1.0, 30.0, 1000.0, 1e5, 1e300]


def scipy_quiet(f, *args, **kwargs):
    """A SciPy reference value, without the RuntimeWarnings SciPy raises on -inf/+inf inputs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return f(*args, **kwargs)


def random_array(rng, masked=True):
    """A random array of 1 to 3 axes (lengths 1-5), entries scaled up to 1e300, some -inf."""
    shape = tuple(int(k) for k in rng.integers(1, 6, size=rng.integers(1, 4)))
    a = rng.normal(size=shape) * SCALES[rng.integers(len(SCALES))]
    if masked and rng.random() < 0.4:
        a[rng.random(shape) < 0.3] = -np.inf
    return a


def axis_choices(ndim):
    choices = [None, 0, -1, ndim - 1, tuple(range(ndim))]
    if ndim >= 2:
        choices += [(0, ndim - 1), (-1, 0), 1]
    if ndim >= 3:
        choices += [(0, 2), (1, 2)]
    return choices


def assert_same_type(got, ref):
    """A 0-d result is a Python float; otherwise a float64 array of the reference's shape."""
    if np.ndim(ref) == 0:
        assert type(got) is float, f"expected a Python float, got {type(got).__name__}"
    else:
        assert isinstance(got, np.ndarray) and got.dtype == np.float64, type(got)
        assert got.shape == np.shape(ref), f"shape {got.shape}, expected {np.shape(ref)}"


# ---------------------------------------------------------------- logsumexp

@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_logsumexp_matches_scipy_for_every_axis_and_keepdims(seed):
    rng = np.random.default_rng(seed)
    a = random_array(rng)
    before = a.copy()
    for axis in axis_choices(a.ndim):
        for keepdims in (False, True):
            ref = scipy_quiet(sp.logsumexp, a, axis=axis, keepdims=keepdims)
            got = logsumexp(a, axis=axis, keepdims=keepdims)
            assert_same_type(got, ref)
            np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12 * np.abs(a[np.isfinite(a)]).max(initial=1))
    np.testing.assert_array_equal(a, before)


def test_logsumexp_default_reduces_everything_to_a_float():
    a = np.arange(12.0).reshape(3, 4)
    got = logsumexp(a)
    assert type(got) is float
    assert math.isclose(got, math.log(sum(math.exp(v) for v in range(12))), rel_tol=1e-15)
    assert logsumexp(a, keepdims=True).shape == (1, 1)
    assert type(logsumexp(3.5)) is float and logsumexp(3.5) == 3.5


@pytest.mark.parametrize("big", [1000.0, -1000.0, 1e5, -1e5, 1e300, -1e300])
def test_logsumexp_is_finite_and_exact_at_extremes(big):
    assert math.isclose(logsumexp([big, big]), big + math.log(2), rel_tol=1e-15)
    assert logsumexp([big, big - 1000.0]) == big  # e^-1000 is below float64
    got = logsumexp([[big, 0.0], [big, big]], axis=1)
    np.testing.assert_allclose(got, scipy_quiet(sp.logsumexp, [[big, 0.0], [big, big]], axis=1), rtol=1e-15)
    assert np.all(np.isfinite(got))


def test_logsumexp_keeps_the_tiny_terms_with_log1p():
    # log(1 + e^-40) = e^-40 (to 1e-35): log(sum) would round it to 0.
    # The reference is the closed form max + log1p(e^(min - max)): SciPy before 1.15 rounds the tiny
    # term away itself, so it cannot be the reference here.
    for a in ([0.0, -40.0], [-40.0, 0.0], [5.0, 5.0 - 50.0]):
        tiny = math.log1p(math.exp(min(a) - max(a)))
        got = logsumexp(a)
        assert math.isclose(got, max(a) + tiny, rel_tol=1e-15), (a, got, max(a) + tiny)
        if max(a) == 0.0:  # the whole answer is the tiny term: it must keep its relative accuracy
            assert math.isclose(got, tiny, rel_tol=1e-12), (a, got, tiny)


def test_logsumexp_infinities_as_scipy():
    inf = np.inf
    assert logsumexp([-inf, -inf]) == -inf
    assert logsumexp([-inf, 2.0]) == 2.0
    assert logsumexp([inf, 2.0]) == inf
    assert logsumexp([inf, -inf]) == inf
    a = np.array([[-inf, -inf], [1.0, -inf], [inf, 0.0], [0.0, 0.0]])
    np.testing.assert_array_equal(logsumexp(a, axis=1), scipy_quiet(sp.logsumexp, a, axis=1))


def test_logsumexp_errors():
    with pytest.raises(ValueError, match="a must not contain NaN"):
        logsumexp([1.0, np.nan])
    with pytest.raises(ValueError, match="a must not be empty"):
        logsumexp([])
    with pytest.raises(ValueError, match="a must not be empty"):
        logsumexp(np.zeros((3, 0)), axis=1)
    assert logsumexp(np.zeros((0, 3)), axis=1).shape == (0,)  # nothing reduced is empty: fine
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        logsumexp(np.zeros((2, 2)), axis=2)
    with pytest.raises(ValueError, match="axis -3 is out of range"):
        logsumexp(np.zeros((2, 2)), axis=-3)
    with pytest.raises(ValueError, match="axis must be None, an int or a tuple of ints"):
        logsumexp(np.zeros(3), axis=0.0)
    with pytest.raises(ValueError, match="axis must not repeat"):
        logsumexp(np.zeros((2, 2)), axis=(0, -2))


# ---------------------------------------------------------------- softmax and log_softmax

@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_softmax_and_log_softmax_match_scipy(seed):
    rng = np.random.default_rng(seed)
    x = random_array(rng)
    before = x.copy()
    for axis in axis_choices(x.ndim):
        if np.any(np.max(x, axis=axis) == -np.inf):
            with pytest.raises(ValueError, match="all -inf"):
                softmax(x, axis=axis)
            with pytest.raises(ValueError, match="all -inf"):
                log_softmax(x, axis=axis)
            continue
        p, logp = softmax(x, axis=axis), log_softmax(x, axis=axis)
        assert p.shape == x.shape and logp.shape == x.shape and p.dtype == logp.dtype == np.float64
        np.testing.assert_allclose(p, scipy_quiet(sp.softmax, x, axis=axis), rtol=1e-12, atol=1e-300)
        scale = np.abs(x[np.isfinite(x)]).max(initial=1.0)
        np.testing.assert_allclose(logp, scipy_quiet(sp.log_softmax, x, axis=axis), rtol=1e-12, atol=1e-13 * scale)
        np.testing.assert_allclose(np.sum(p, axis=axis), 1.0, rtol=1e-13)
        assert np.all(np.isfinite(p)) and not np.any(np.isnan(logp))
    np.testing.assert_array_equal(x, before)


def test_softmax_default_axis_is_the_last():
    x = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]])
    np.testing.assert_allclose(softmax(x), sp.softmax(x, axis=-1), rtol=1e-15)
    np.testing.assert_allclose(softmax(x).sum(axis=1), [1.0, 1.0], rtol=1e-15)
    assert not np.allclose(softmax(x), sp.softmax(x, axis=0)), "the default axis must be -1, not 0"
    np.testing.assert_allclose(softmax(x, axis=None), sp.softmax(x, axis=None), rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize("big", [1000.0, -1000.0, 1e5, -1e5, 1e15])
def test_softmax_at_logits_of_1000_and_beyond(big):
    x = np.array([big, big - 1.0, big - 2000.0, big - 1e6])
    e = np.exp([0.0, -1.0])
    np.testing.assert_allclose(softmax(x), [e[0] / e.sum(), e[1] / e.sum(), 0.0, 0.0], rtol=1e-15, atol=0)
    np.testing.assert_allclose(log_softmax(x)[:2], -np.log1p(np.exp(-1.0)) + np.array([0.0, -1.0]), rtol=1e-15)
    assert math.isclose(log_softmax(x)[2], -2000.0 - np.log1p(np.exp(-1.0)), rel_tol=1e-15)
    np.testing.assert_allclose(softmax([big, big]), [0.5, 0.5], rtol=1e-15)
    np.testing.assert_allclose(log_softmax([big, big]), [-math.log(2), -math.log(2)], rtol=1e-15)


@pytest.mark.parametrize("big", [1e5, 1e300])
def test_softmax_of_opposite_extremes(big):
    np.testing.assert_array_equal(softmax([big, -big, 0.0]), [1.0, 0.0, 0.0])
    np.testing.assert_allclose(log_softmax([big, -big, 0.0]), [0.0, -2 * big, -big], rtol=1e-15)
    assert np.all(np.isfinite(log_softmax([big, -big, 0.0])))


def test_log_softmax_keeps_tiny_log_probabilities():
    # log p of the winning class is -log(1 + e^-40) = -4.2e-18, not 0 (SciPy rounds it to 0)
    got = log_softmax([40.0, 0.0])
    assert math.isclose(got[0], -math.exp(-40.0), rel_tol=1e-14), got[0]


def test_softmax_infinities():
    inf = np.inf
    np.testing.assert_array_equal(softmax([-inf, 0.0, 0.0]), [0.0, 0.5, 0.5])
    np.testing.assert_array_equal(log_softmax([-inf, 0.0]), [-inf, 0.0])
    # a +inf logit takes all the mass (the limit); two share it
    np.testing.assert_array_equal(softmax([inf, 1.0]), [1.0, 0.0])
    np.testing.assert_allclose(softmax([[inf, 3.0, inf]]), [[0.5, 0.0, 0.5]])
    np.testing.assert_allclose(log_softmax([inf, 3.0, inf]), [-math.log(2), -inf, -math.log(2)])


def test_softmax_errors():
    for f in (softmax, log_softmax):
        with pytest.raises(ValueError, match="x must not contain NaN"):
            f([0.0, np.nan])
        with pytest.raises(ValueError, match="x has a slice along axis=-1 whose entries are all -inf"):
            f([[0.0, 1.0], [-np.inf, -np.inf]])
        with pytest.raises(ValueError, match="x must not be empty"):
            f(np.zeros((2, 0)))
        with pytest.raises(ValueError, match="axis 1 is out of range"):
            f(np.zeros(3), axis=1)
        with pytest.raises(ValueError, match="axis -1 is out of range for an array of dimension 0"):
            f(2.0)
        with pytest.raises(ValueError, match="axis must be None, an int"):
            f(np.zeros(3), axis="last")


# ---------------------------------------------------------------- sigmoid and log_sigmoid

@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_sigmoid_and_log_sigmoid_match_scipy(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(int(rng.integers(1, 40)), 3)) * np.array(SCALES)[rng.integers(len(SCALES), size=3)]
    before = x.copy()
    s, ls = sigmoid(x), log_sigmoid(x)
    assert s.shape == ls.shape == x.shape and s.dtype == ls.dtype == np.float64
    np.testing.assert_allclose(s, sp.expit(x), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(ls, sp.log_expit(x), rtol=1e-14, atol=1e-300)
    np.testing.assert_array_equal(x, before)


def test_sigmoid_on_a_dense_grid_and_at_extremes():
    x = np.concatenate([np.linspace(-800, 800, 16001), [-1e5, 1e5, -1e300, 1e300, -np.inf, np.inf, 0.0, -0.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):    # no overflow anywhere
        s, ls = sigmoid(x), log_sigmoid(x)
    np.testing.assert_allclose(s, sp.expit(x), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(ls, sp.log_expit(x), rtol=1e-14, atol=1e-300)
    assert np.all((s >= 0) & (s <= 1)) and np.all(ls <= 0) and not np.any(np.isnan(ls))
    assert log_sigmoid(-1000.0) == -1000.0 and log_sigmoid(-1e5) == -1e5
    assert math.isclose(log_sigmoid(30.0), -math.exp(-30.0), rel_tol=1e-12)   # the log1p regime
    assert math.isclose(sigmoid(-30.0), math.exp(-30.0) / (1 + math.exp(-30.0)), rel_tol=1e-14)
    assert sigmoid(np.inf) == 1.0 and sigmoid(-np.inf) == 0.0
    assert log_sigmoid(np.inf) == 0.0 and log_sigmoid(-np.inf) == -np.inf


def test_sigmoid_scalar_in_float_out_and_shapes_kept():
    for f in (sigmoid, log_sigmoid):
        assert type(f(0.5)) is float and type(f(np.float64(2.0))) is float and type(f(3)) is float
        assert f([1.0]).shape == (1,) and f(np.zeros((2, 3, 1))).shape == (2, 3, 1)
        assert f(np.zeros((0, 2))).shape == (0, 2)
        assert f(np.array([1, 2])).dtype == np.float64
    assert sigmoid(0) == 0.5 and math.isclose(log_sigmoid(0), -math.log(2), rel_tol=1e-15)


def test_sigmoid_errors():
    for f in (sigmoid, log_sigmoid):
        with pytest.raises(ValueError, match="x must not contain NaN"):
            f([0.0, np.nan])
        with pytest.raises(ValueError, match="x must not contain NaN"):
            f(float("nan"))


# ---------------------------------------------------------------- identities between them

def test_identities():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(6, 5)) * 300
    np.testing.assert_allclose(log_softmax(x), x - logsumexp(x, axis=1, keepdims=True), rtol=1e-14, atol=1e-12)
    np.testing.assert_allclose(softmax(x), np.exp(log_softmax(x)), rtol=1e-12, atol=1e-300)
    z = rng.normal(size=50) * 300
    pair = np.stack([z, np.zeros_like(z)], axis=1)                 # sigma(z) = softmax([z, 0])_0
    np.testing.assert_allclose(sigmoid(z), softmax(pair)[:, 0], rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(log_sigmoid(z), log_softmax(pair)[:, 0], rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(log_sigmoid(z) - log_sigmoid(-z), z, rtol=1e-13)


# ---------------------------------------------------------------- kahan_sum

def assert_compensated(x):
    x = np.asarray(x, dtype=float)
    exact = math.fsum(x)
    got = kahan_sum(x)
    assert type(got) is float
    bound = 2 * U * abs(exact) + 20 * x.size * U * U * float(np.abs(x).sum())
    assert abs(got - exact) <= bound, f"kahan_sum = {got!r}, fsum = {exact!r}, bound {bound:.3g}"
    return got, exact


def test_kahan_sum_where_plain_kahan_and_naive_summation_fail():
    assert kahan_sum([1e16, 1.0, -1e16]) == 1.0
    assert kahan_sum([1.0, 1e100, 1.0, -1e100]) == 2.0
    x = np.tile([1e16, 1.0, -1e16], 1000)
    assert kahan_sum(x) == 1000.0 and float(np.sum(x)) != 1000.0   # np.sum loses them
    naive = 0.0
    for v in x:
        naive += v
    assert naive != 1000.0


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_kahan_sum_is_within_the_compensated_bound(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    cases = [
        rng.normal(size=n) * 10.0 ** rng.uniform(-8, 8, size=n),        # wildly mixed magnitudes
        np.concatenate([big := rng.normal(size=n) * 1e12, -big, rng.normal(size=3)]),   # cancel to O(1)
        np.full(n, 0.1),
        rng.normal(size=n) * 1000.0,
        rng.normal(size=n) * 1e5 + 1e10,
    ]
    for x in cases:
        x = rng.permutation(x)
        before = x.copy()
        assert_compensated(x)
        np.testing.assert_array_equal(x, before)


def test_kahan_sum_of_many_small_values():
    x = np.full(10**6, 0.1)
    got, exact = assert_compensated(x)
    assert got == exact                       # fsum of 10^6 copies of fl(0.1), exactly rounded
    naive_error = abs(float(np.cumsum(x)[-1]) - exact)   # sequential (cumsum does not pair)
    assert naive_error > 1e4 * abs(got - exact) + 1e-7
    small = np.concatenate([[1.0], np.full(10**5, 1e-17)])   # each 1e-17 is below half an ulp of 1
    assert math.isclose(kahan_sum(small), 1.0 + 1e-12, rel_tol=1e-15)
    assert float(np.cumsum(small)[-1]) == 1.0


def test_kahan_sum_edge_cases():
    assert kahan_sum([]) == 0.0 and type(kahan_sum([])) is float
    assert kahan_sum(np.array([], dtype=int)) == 0.0
    assert kahan_sum([2.5]) == 2.5 and type(kahan_sum([3])) is float
    assert kahan_sum(range(101)) == 5050.0
    assert kahan_sum([1e308, 1e308, -1e308]) == 1e308          # an intermediate overflow is recovered
    assert kahan_sum([1e308, 1e308]) == np.inf                  # a true overflow is inf
    assert kahan_sum([-1e308, -1e308, 5.0]) == -np.inf
    assert kahan_sum([5e-324, 5e-324]) == 1e-323                # subnormals add exactly
    assert kahan_sum([1000.0, -1000.0, 1e5, -1e5, 1e-5]) == 1e-5


def test_kahan_sum_errors():
    with pytest.raises(ValueError, match="x must be a 1-D array"):
        kahan_sum(np.ones((2, 2)))
    with pytest.raises(ValueError, match="x must be a 1-D array"):
        kahan_sum(3.0)
    with pytest.raises(ValueError, match="x must hold finite numbers"):
        kahan_sum([1.0, np.nan])
    with pytest.raises(ValueError, match="x must hold finite numbers"):
        kahan_sum([1.0, np.inf])
