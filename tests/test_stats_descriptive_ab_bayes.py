"""mlmath.stats, week 7 (notebooks 05, 07, 08): covariance_matrix, pearson_r,
two_proportion_ztest and beta_binomial_posterior.

References: numpy.cov and numpy.corrcoef, scipy.stats.pearsonr, the closed form of the
pooled two-proportion z-test with scipy.stats.norm for the p-value, scipy.stats.beta and a
grid posterior (prior times likelihood, normalised numerically) for the conjugate update.
"""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from mlmath.stats import beta_binomial_posterior, covariance_matrix, pearson_r, two_proportion_ztest

SEEDS = range(25)


# ---------------------------------------------------------------------------- covariance_matrix

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_covariance_matrix_matches_np_cov(seed, ddof):
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(ddof + 1, 60)), int(rng.integers(1, 9))
    X = rng.normal(size=(n, d)) * rng.uniform(0.01, 100, d) + rng.normal(0, 50, d)
    X = X @ rng.normal(size=(d, d)) if d > 1 and seed % 2 else X  # correlated columns half of the time
    expected = np.cov(X, rowvar=False, ddof=ddof).reshape(d, d)
    S = covariance_matrix(X, ddof=ddof)
    assert S.shape == (d, d) and S.dtype == np.float64
    np.testing.assert_allclose(S, expected, rtol=1e-10, atol=1e-12 * np.abs(expected).max())
    np.testing.assert_array_equal(S, S.T)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(2, 40), d=st.integers(1, 6), seed=st.integers(0, 2**32 - 1), ddof=st.integers(0, 1))
def test_covariance_matrix_property_psd_and_np_cov(n, d, seed, ddof):
    X = np.random.default_rng(seed).standard_normal((n, d))
    S = covariance_matrix(X, ddof=ddof)
    np.testing.assert_allclose(S, np.cov(X, rowvar=False, ddof=ddof).reshape(d, d), rtol=1e-10, atol=1e-13)
    assert np.linalg.eigvalsh(S).min() >= -1e-12 * max(1.0, np.abs(S).max())


def test_covariance_matrix_1d_is_one_variable():
    x = np.array([1.0, 2.0, 4.0, 7.0])
    S = covariance_matrix(x)
    assert S.shape == (1, 1)
    assert S[0, 0] == pytest.approx(np.var(x, ddof=1), rel=1e-14)
    assert covariance_matrix(x, ddof=0)[0, 0] == pytest.approx(np.var(x), rel=1e-14)


def test_covariance_matrix_edge_cases():
    np.testing.assert_array_equal(covariance_matrix([[3.0, -1.0]], ddof=0), np.zeros((2, 2)))  # one row, ddof 0
    np.testing.assert_allclose(covariance_matrix([[1.0], [3.0]]), [[2.0]])  # 2x1
    np.testing.assert_array_equal(covariance_matrix(np.full((5, 3), 7.0)), np.zeros((3, 3)))  # constant columns
    big = np.random.default_rng(0).normal(size=(20, 3)) * 1e100
    np.testing.assert_allclose(covariance_matrix(big), np.cov(big, rowvar=False), rtol=1e-10)
    tiny = np.random.default_rng(1).normal(size=(20, 3)) * 1e-100
    np.testing.assert_allclose(covariance_matrix(tiny), np.cov(tiny, rowvar=False), rtol=1e-10)
    ints = [[1, 2], [3, 5], [4, 4]]
    np.testing.assert_allclose(covariance_matrix(ints), np.cov(np.array(ints, dtype=float), rowvar=False))


def test_covariance_matrix_rescaling_rule():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 4))
    D = np.diag([2.0, -0.5, 100.0, 1e-3])
    S = covariance_matrix(X)
    np.testing.assert_allclose(covariance_matrix(X @ D + 5.0), D @ S @ D, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("X, ddof, match", [
    ([[1.0, 2.0]], 1, "X must have at least ddof"),
    (np.ones((3, 2)), 3, "X must have at least ddof"),
    ([], 1, "X must have at least ddof"),
    (np.empty((4, 0)), 1, "X must have at least one column"),
    ([[1.0, np.nan], [2.0, 3.0]], 1, "X must hold finite"),
    ([[1.0, np.inf], [2.0, 3.0]], 1, "X must hold finite"),
    (np.ones((2, 2, 2)), 1, "X must be a 1-D or 2-D"),
    (3.0, 1, "X must be a 1-D or 2-D"),
    (np.ones((3, 2)), -1, "ddof"),
    (np.ones((3, 2)), 1.5, "ddof"),
    (np.ones((3, 2)), True, "ddof"),
])
def test_covariance_matrix_errors(X, ddof, match):
    with pytest.raises(ValueError, match=match):
        covariance_matrix(X, ddof=ddof)


def test_covariance_matrix_does_not_modify_input():
    X = np.random.default_rng(4).normal(size=(10, 3))
    copy = X.copy()
    covariance_matrix(X)
    np.testing.assert_array_equal(X, copy)


# ---------------------------------------------------------------------------- pearson_r

@pytest.mark.parametrize("seed", SEEDS)
def test_pearson_r_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 300))
    rho = rng.uniform(-1, 1)
    x = rng.normal(size=n)
    y = rho * x + np.sqrt(1 - rho**2) * rng.normal(size=n)
    x, y = 10 ** rng.uniform(-3, 3) * x + rng.normal(0, 100), 10 ** rng.uniform(-3, 3) * y
    r = pearson_r(x, y)
    assert isinstance(r, float)
    assert r == pytest.approx(sps.pearsonr(x, y)[0], abs=1e-12)
    assert -1.0 <= r <= 1.0


@settings(max_examples=50, deadline=None)
@given(data=st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), min_size=2, max_size=50),
       a=st.floats(0.001, 1000), b=st.floats(-1000, 1000))
def test_pearson_r_property_symmetric_affine_invariant(data, a, b):
    x, y = np.array(data).T
    assume(np.ptp(x) > 1e-3 * max(1.0, np.abs(x).max()) and np.ptp(y) > 1e-3 * max(1.0, np.abs(y).max()))
    r = pearson_r(x, y)
    assert r == pytest.approx(sps.pearsonr(x, y)[0], abs=1e-9)
    assert pearson_r(y, x) == pytest.approx(r, abs=1e-12)
    assert pearson_r(a * x + b, y) == pytest.approx(r, abs=1e-9)
    assert pearson_r(-a * x + b, y) == pytest.approx(-r, abs=1e-9)


def test_pearson_r_exact_lines_and_extremes():
    x = np.arange(10.0)
    assert pearson_r(x, 3 * x + 2) == pytest.approx(1.0, abs=1e-15)
    assert pearson_r(x, -0.5 * x) == pytest.approx(-1.0, abs=1e-15)
    assert pearson_r([1.0, 2.0], [5.0, 3.0]) == pytest.approx(-1.0, abs=1e-15)  # two points: always +-1
    sym = np.linspace(-1, 1, 101)
    assert abs(pearson_r(sym, sym**2)) < 1e-12  # perfect nonlinear dependence, r = 0
    rng = np.random.default_rng(5)
    u, v = rng.normal(size=40), rng.normal(size=40)
    ref = np.corrcoef(u, v)[0, 1]
    for scale in (1e-200, 1e-100, 1e100, 1e200):  # squaring these would under- or overflow
        assert pearson_r(u * scale, v * scale) == pytest.approx(ref, abs=1e-12)


@pytest.mark.parametrize("x, y, match", [
    ([1.0, 2.0, 3.0], [4.0, 4.0, 4.0], "y is constant"),
    ([2.0, 2.0, 2.0], [1.0, 2.0, 3.0], "x is constant"),
    ([1.0, 2.0, 3.0], [1.0, 2.0], "x and y must have the same length"),
    ([1.0], [2.0], "x must hold at least 2"),
    ([1.0, 2.0], [3.0], "y must hold at least 2"),
    ([1.0, np.nan, 3.0], [1.0, 2.0, 3.0], "x must hold finite"),
    ([1.0, 2.0, 3.0], [1.0, np.inf, 3.0], "y must hold finite"),
    ([[1.0, 2.0], [3.0, 4.0]], [1.0, 2.0], "x must be a 1-D"),
    ([], [], "x must not be empty"),
])
def test_pearson_r_errors(x, y, match):
    with pytest.raises(ValueError, match=match):
        pearson_r(x, y)


def test_pearson_r_does_not_modify_inputs():
    x, y = np.array([3.0, 1.0, 2.0, 5.0]), np.array([1.0, 0.0, 4.0, 2.0])
    xc, yc = x.copy(), y.copy()
    pearson_r(x, y)
    np.testing.assert_array_equal(x, xc)
    np.testing.assert_array_equal(y, yc)


# ---------------------------------------------------------------------------- two_proportion_ztest

def reference_ztest(sa, na, sb, nb):
    """The pooled two-proportion z-test written out, with SciPy's normal survival function."""
    pooled = (sa + sb) / (na + nb)
    z = (sa / na - sb / nb) / np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    return z, 2 * sps.norm.sf(abs(z))


def test_two_proportion_ztest_hand_computation():
    # A: 200/2000 = 0.1, B: 250/2000 = 0.125, pooled 450/4000 = 0.1125
    se = np.sqrt(0.1125 * 0.8875 * (2 / 2000))
    z, p = two_proportion_ztest(200, 2000, 250, 2000)
    assert isinstance(z, float) and isinstance(p, float)
    assert z == pytest.approx(-0.025 / se, rel=1e-12)
    assert z == pytest.approx(-2.501955, abs=1e-6)  # the unpooled se would give -2.5039
    assert p == pytest.approx(2 * sps.norm.cdf(-abs(z)), rel=1e-10)


@settings(max_examples=50, deadline=None)
@given(na=st.integers(1, 10**6), nb=st.integers(1, 10**6), fa=st.floats(0, 1), fb=st.floats(0, 1))
def test_two_proportion_ztest_matches_closed_form_and_is_symmetric(na, nb, fa, fb):
    sa, sb = int(round(fa * na)), int(round(fb * nb))
    assume(0 < sa + sb < na + nb)
    z, p = two_proportion_ztest(sa, na, sb, nb)
    z_ref, p_ref = reference_ztest(sa, na, sb, nb)
    assert z == pytest.approx(z_ref, rel=1e-10, abs=1e-12)
    assert p == pytest.approx(p_ref, rel=1e-8, abs=1e-300)
    assert 0.0 <= p <= 1.0
    z_swap, p_swap = two_proportion_ztest(sb, nb, sa, na)
    assert z_swap == pytest.approx(-z, rel=1e-12, abs=1e-15)
    assert p_swap == pytest.approx(p, rel=1e-12, abs=1e-300)


def test_two_proportion_ztest_equal_rates_and_extremes():
    z, p = two_proportion_ztest(30, 100, 60, 200)
    assert z == 0.0 and p == 1.0
    z, p = two_proportion_ztest(10**8, 10**9, 10**8 + 10**5, 10**9)  # huge counts
    z_ref, p_ref = reference_ztest(1e8, 1e9, 1e8 + 1e5, 1e9)
    assert z == pytest.approx(z_ref, rel=1e-9) and p == pytest.approx(p_ref, rel=1e-6)
    z, p = two_proportion_ztest(0, 5000, 400, 5000)  # far tail: p keeps its relative accuracy
    z_ref, p_ref = reference_ztest(0, 5000, 400, 5000)
    assert p_ref < 1e-80 and p == pytest.approx(p_ref, rel=1e-8)
    z, p = two_proportion_ztest(1, 1, 0, 1)  # the smallest groups
    assert z == pytest.approx(np.sqrt(2)) and p == pytest.approx(2 * sps.norm.sf(np.sqrt(2)), rel=1e-10)


def test_two_proportion_ztest_vectorised_equals_loop():
    rng = np.random.default_rng(7)
    na = rng.integers(10, 1000, size=(4, 5))
    nb = rng.integers(10, 1000, size=(4, 5))
    sa, sb = rng.binomial(na, 0.3), rng.binomial(nb, 0.35)
    copies = [a.copy() for a in (sa, na, sb, nb)]
    z, p = two_proportion_ztest(sa, na, sb, nb)
    assert z.shape == (4, 5) and p.shape == (4, 5)
    for i in np.ndindex(4, 5):
        zi, pi = two_proportion_ztest(int(sa[i]), int(na[i]), int(sb[i]), int(nb[i]))
        assert z[i] == pytest.approx(zi, rel=1e-14, abs=1e-15) and p[i] == pytest.approx(pi, rel=1e-14)
    for a, c in zip((sa, na, sb, nb), copies, strict=True):
        np.testing.assert_array_equal(a, c)  # inputs unmodified


def test_two_proportion_ztest_type_one_error_is_alpha():
    rng = np.random.default_rng(11)
    sa, sb = rng.binomial(4000, 0.2, 20_000), rng.binomial(4000, 0.2, 20_000)
    _, p = two_proportion_ztest(sa, 4000, sb, 4000)
    assert abs(np.mean(p < 0.05) - 0.05) < 0.006  # 4 standard errors of a proportion near 0.05


@pytest.mark.parametrize("args, match", [
    ((-1, 10, 3, 10), "successes_a"),
    ((11, 10, 3, 10), "successes_a"),
    ((3, 10, -2, 10), "successes_b"),
    ((3, 10, 12, 10), "successes_b"),
    ((2.5, 10, 3, 10), "successes_a"),
    ((2, 10, 3.5, 10), "successes_b"),
    ((np.nan, 10, 3, 10), "successes_a"),
    (("three", 10, 3, 10), "successes_a"),
    ((2, 10.5, 3, 10), "n_a"),
    ((2, 10, 3, np.inf), "n_b"),
    ((0, 0, 3, 10), "n_a"),
    ((2, 10, 0, 0), "n_b"),
    ((0, 10, 0, 20), "successes_a \\+ successes_b"),
    ((10, 10, 20, 20), "successes_a \\+ successes_b"),
    (([1, 2, 3], 10, [1, 2], 10), "broadcast"),
    (([], 10, 3, 10), "successes_a"),
])
def test_two_proportion_ztest_errors(args, match):
    with pytest.raises(ValueError, match=match):
        two_proportion_ztest(*args)


# ---------------------------------------------------------------------------- beta_binomial_posterior

def test_beta_binomial_posterior_closed_form():
    a, b = beta_binomial_posterior(1, 1, 6, 20)
    assert (a, b) == (7.0, 15.0) and isinstance(a, float) and isinstance(b, float)
    assert beta_binomial_posterior(0.5, 2.5, 0, 0) == (0.5, 2.5)  # no data: the prior
    assert beta_binomial_posterior(2, 3, 10, 10) == (12.0, 3.0)


@settings(max_examples=50, deadline=None)
@given(alpha=st.floats(0.05, 50), beta=st.floats(0.05, 50), n=st.integers(0, 400), frac=st.floats(0, 1))
def test_beta_binomial_posterior_property(alpha, beta, n, frac):
    k = int(round(frac * n))
    a, b = beta_binomial_posterior(alpha, beta, k, n)
    assert a == pytest.approx(alpha + k, rel=1e-15) and b == pytest.approx(beta + n - k, rel=1e-15)
    assert a + b == pytest.approx(alpha + beta + n, rel=1e-14)


@pytest.mark.parametrize("seed", range(10))
def test_beta_binomial_posterior_matches_grid_posterior(seed):
    rng = np.random.default_rng(seed)
    alpha, beta = rng.uniform(0.5, 10, 2)
    n = int(rng.integers(0, 200))
    k = int(rng.integers(0, n + 1))
    grid = (np.arange(40_000) + 0.5) / 40_000
    unnormalised = sps.beta.pdf(grid, alpha, beta) * sps.binom.pmf(k, n, grid)  # prior times likelihood
    grid_post = unnormalised / (unnormalised.sum() / grid.size)
    a, b = beta_binomial_posterior(alpha, beta, k, n)
    dens = sps.beta.pdf(grid, a, b)
    inner = (grid > 1e-3) & (grid < 1 - 1e-3)  # away from a possible integrable singularity at 0 or 1
    np.testing.assert_allclose(grid_post[inner], dens[inner], rtol=2e-3, atol=2e-3 * dens.max())
    post_mean = np.sum(grid * grid_post) / grid.size
    assert post_mean == pytest.approx(a / (a + b), abs=2e-4)


def test_beta_binomial_posterior_sequential_equals_batch():
    flips = np.random.default_rng(8).random(300) < 0.3
    a, b = 2.0, 5.0
    for f in flips:
        a, b = beta_binomial_posterior(a, b, int(f), 1)
    assert (a, b) == beta_binomial_posterior(2.0, 5.0, int(flips.sum()), 300)


def test_beta_binomial_posterior_vectorised_and_inputs_unmodified():
    alpha = np.array([1.0, 2.0, 0.5])
    k, n = np.array([[0, 3, 5], [1, 1, 1]]), np.array([5, 3, 10])
    copies = [alpha.copy(), k.copy(), n.copy()]
    a, b = beta_binomial_posterior(alpha, 1.0, k, n)
    np.testing.assert_array_equal(a, alpha + k)
    np.testing.assert_array_equal(b, 1.0 + n - k)
    for arr, c in zip((alpha, k, n), copies, strict=True):
        np.testing.assert_array_equal(arr, c)


@pytest.mark.parametrize("args, match", [
    ((0, 1, 3, 10), "alpha"),
    ((-1.5, 1, 3, 10), "alpha"),
    ((np.nan, 1, 3, 10), "alpha"),
    ((np.inf, 1, 3, 10), "alpha"),
    ((1, 0, 3, 10), "beta"),
    ((1, -2, 3, 10), "beta"),
    ((1, "b", 3, 10), "beta"),
    ((1, 1, -1, 10), "successes"),
    ((1, 1, 2.5, 10), "successes"),
    ((1, 1, 11, 10), "successes must be at most trials"),
    ((1, 1, 3, -10), "trials"),
    ((1, 1, 3, 10.5), "trials"),
    ((1, 1, [1, 2], [3, 4, 5]), "broadcast"),
])
def test_beta_binomial_posterior_errors(args, match):
    with pytest.raises(ValueError, match=match):
        beta_binomial_posterior(*args)
