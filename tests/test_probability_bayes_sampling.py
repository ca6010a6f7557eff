"""mlmath.probability's Bayes update and samplers against hand computations and SciPy.

Covers posterior (03-probability/04-joint-conditional-and-bayes.ipynb) and
inverse_transform_sample, rejection_sample (03-probability/06-sampling-methods.ipynb).
The samplers are judged by Kolmogorov-Smirnov tests against scipy.stats at fixed seeds
(p > 0.001), by their acceptance rate against 1/M within four standard errors, and by
reproducibility for a fixed seed.
"""
import numpy as np
import pytest
import scipy.special
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as st_h

from mlmath.probability import inverse_transform_sample, posterior, rejection_sample

SEEDS = st_h.integers(min_value=0, max_value=2**32 - 1)
SIZES = st_h.integers(min_value=1, max_value=12)


# --------------------------------------------------------------------------- posterior

def test_posterior_diagnostic_test_by_hand():
    # prevalence 2%, sensitivity 90%, false positive rate 5%: 18 sick of 67 positives per 1000 people
    post = posterior([0.98, 0.02], [0.05, 0.90])
    assert post.dtype == np.float64 and post.shape == (2,)
    np.testing.assert_allclose(post, [49 / 67, 18 / 67], rtol=1e-14)


def test_posterior_three_hypotheses_by_hand():
    post = posterior([0.5, 0.3, 0.2], [0.1, 0.5, 0.9])
    np.testing.assert_allclose(post, np.array([0.05, 0.15, 0.18]) / 0.38, rtol=1e-14)


def test_posterior_single_hypothesis_and_zero_prior_entries():
    np.testing.assert_array_equal(posterior([1.0], [0.3]), [1.0])
    post = posterior([0.0, 0.4, 0.6], [0.9, 0.5, 0.0])
    np.testing.assert_allclose(post, [0.0, 1.0, 0.0], atol=0)


@settings(max_examples=50, deadline=None)
@given(K=SIZES, m=SIZES, seed=SEEDS)
def test_posterior_is_the_normalised_column_of_a_random_joint_table(K, m, seed):
    g = np.random.default_rng(seed)
    J = g.random((K, m)) + 1e-3              # joint table of (hypothesis, data value), all cells positive
    J /= J.sum()
    prior = J.sum(axis=1)
    for col in range(m):
        likelihood = J[:, col] / prior       # P(D = col | H_k)
        np.testing.assert_allclose(posterior(prior, likelihood), J[:, col] / J[:, col].sum(), rtol=1e-12)


@settings(max_examples=50, deadline=None)
@given(K=SIZES, seed=SEEDS)
def test_posterior_updates_in_sequence_equal_one_update_with_the_product(K, seed):
    g = np.random.default_rng(seed)
    prior = g.dirichlet(np.ones(K))
    l1, l2 = g.random(K), g.random(K)
    two_steps = posterior(posterior(prior, l1), l2)
    one_step = posterior(prior, l1 * l2)
    np.testing.assert_allclose(two_steps, one_step, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(posterior(posterior(prior, l2), l1), one_step, rtol=1e-12, atol=1e-300)
    ref = prior * l1 * l2 / np.sum(prior * l1 * l2)     # Bayes' theorem written out
    np.testing.assert_allclose(one_step, ref, rtol=1e-12, atol=1e-300)
    assert abs(one_step.sum() - 1) < 1e-12 and np.all(one_step >= 0)


def test_posterior_is_unchanged_by_scaling_the_likelihood_even_to_extremes():
    prior = np.array([0.2, 0.3, 0.5])
    lik = np.array([0.3, 0.1, 0.6])
    expected = prior * lik / np.sum(prior * lik)
    for scale in (1e-300, 1e-250, 1.0, 1e250, 1e300):
        np.testing.assert_allclose(posterior(prior, lik * scale), expected, rtol=1e-12)
    # products that underflow in a naive prior * likelihood (subnormal, then 0) still work
    np.testing.assert_allclose(posterior(prior, lik * 1e-320), expected, rtol=1e-2)
    np.testing.assert_allclose(posterior([0.5, 0.5], [5e-324, 5e-324]), [0.5, 0.5])


def test_posterior_accepts_lists_and_integers_and_does_not_modify_inputs():
    prior = np.array([0.25, 0.75])
    lik = np.array([2, 1])
    prior_copy, lik_copy = prior.copy(), lik.copy()
    post = posterior(prior, lik)
    np.testing.assert_allclose(post, [0.4, 0.6])
    np.testing.assert_array_equal(prior, prior_copy)
    np.testing.assert_array_equal(lik, lik_copy)
    np.testing.assert_allclose(posterior([0, 1], [3, 4]), [0.0, 1.0])


def test_posterior_prior_sum_tolerance_is_1e_8():
    posterior([0.5 + 4e-9, 0.5], [1.0, 1.0])          # within 1e-8: accepted
    with pytest.raises(ValueError, match="prior"):
        posterior([0.5 + 1e-7, 0.5], [1.0, 1.0])


@pytest.mark.parametrize("prior, likelihood, name", [
    ([1.2, -0.2], [0.5, 0.5], "prior"),              # negative prior entry
    ([0.5, 0.6], [0.5, 0.5], "prior"),               # does not sum to 1
    ([0.3, 0.3], [0.5, 0.5], "prior"),               # does not sum to 1
    ([0.5, 0.5], [0.5, 0.5, 0.5], "likelihood"),     # shape mismatch
    ([0.2, 0.3, 0.5], [0.5, 0.5], "likelihood"),     # shape mismatch
    ([np.nan, 1.0], [0.5, 0.5], "prior"),            # NaN
    ([0.5, 0.5], [np.nan, 0.5], "likelihood"),       # NaN
    ([0.5, 0.5], [np.inf, 0.5], "likelihood"),       # inf
    ([0.5, 0.5], [-0.1, 0.5], "likelihood"),         # negative likelihood
    ([[0.5, 0.5]], [[0.5, 0.5]], "prior"),           # not 1-D
    (0.5, 0.5, "prior"),                             # a scalar
    ([], [], "prior"),                               # empty
    ([1.0, 0.0], [0.0, 1.0], "likelihood"),          # prior * likelihood all zero
    ([0.5, 0.5], [0.0, 0.0], "likelihood"),          # all-zero likelihood
])
def test_posterior_errors(prior, likelihood, name):
    with pytest.raises(ValueError, match=name):
        posterior(prior, likelihood)


# --------------------------------------------------------------------------- inverse_transform_sample

def exp_inv(scale=1.0):
    return lambda u: -scale * np.log1p(-u)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_inverse_transform_exponential_passes_ks(seed):
    x = inverse_transform_sample(exp_inv(), 20_000, rng=seed)
    assert x.dtype == np.float64 and x.shape == (20_000,)
    assert st.kstest(x, st.expon.cdf).pvalue > 0.001
    x2 = inverse_transform_sample(exp_inv(2.5), 20_000, rng=seed)
    assert st.kstest(x2, st.expon(scale=2.5).cdf).pvalue > 0.001


def test_inverse_transform_ks_rejects_a_wrong_inverse():
    """The KS criterion used above has power: the CDF instead of its inverse fails it."""
    x = inverse_transform_sample(lambda u: 1 - np.exp(-u), 20_000, rng=0)
    assert st.kstest(x, st.expon.cdf).pvalue < 1e-6


def test_inverse_transform_normal_and_discrete():
    z = inverse_transform_sample(scipy.special.ndtri, 20_000, rng=5)   # the normal inverse CDF is infinite at 0, 1
    assert np.all(np.isfinite(z)) and st.kstest(z, st.norm.cdf).pvalue > 0.001
    values, pmf = np.array([-1.0, 0.0, 2.0]), np.array([0.2, 0.5, 0.3])
    cum = np.cumsum(pmf)
    d = inverse_transform_sample(lambda u: values[np.searchsorted(cum, u)], 30_000, rng=6)
    freq = np.array([np.mean(d == v) for v in values])
    assert st.chisquare(freq * d.size, pmf * d.size).pvalue > 0.001


def test_inverse_transform_uniforms_lie_strictly_inside_the_unit_interval():
    u = inverse_transform_sample(lambda v: v, 200_000, rng=8)
    assert u.min() > 0 and u.max() < 1
    assert st.kstest(u, st.uniform.cdf).pvalue > 0.001


def test_inverse_transform_reproducible_and_rng_kinds():
    a = inverse_transform_sample(exp_inv(), 100, rng=123)
    b = inverse_transform_sample(exp_inv(), 100, rng=123)
    np.testing.assert_array_equal(a, b)
    c = inverse_transform_sample(exp_inv(), 100, rng=np.random.default_rng(123))
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, inverse_transform_sample(exp_inv(), 100, rng=124))
    gen = np.random.default_rng(9)
    first, second = (inverse_transform_sample(exp_inv(), 50, rng=gen) for _ in range(2))
    assert not np.array_equal(first, second)                 # a Generator is advanced, not copied
    none = inverse_transform_sample(exp_inv(), 50, rng=None)
    assert none.shape == (50,) and np.all(none >= 0)
    np.testing.assert_array_equal(inverse_transform_sample(exp_inv(), 10, rng=np.int64(123)), a[:10])


def test_inverse_transform_zero_samples_and_numpy_integer_n():
    empty = inverse_transform_sample(exp_inv(), 0, rng=0)
    assert empty.shape == (0,) and empty.dtype == np.float64
    assert inverse_transform_sample(exp_inv(), np.int32(7), rng=0).shape == (7,)


@pytest.mark.parametrize("n", [-1, 2.5, 3.0, "10", None, True])
def test_inverse_transform_bad_n(n):
    with pytest.raises(ValueError, match="n must"):
        inverse_transform_sample(exp_inv(), n, rng=0)


@pytest.mark.parametrize("rng", ["seed", -1, 1.5])
def test_inverse_transform_bad_rng(rng):
    with pytest.raises(ValueError, match="rng"):
        inverse_transform_sample(exp_inv(), 5, rng=rng)


def test_inverse_transform_bad_inv_cdf():
    with pytest.raises(ValueError, match="inv_cdf"):
        inverse_transform_sample(lambda u: u[:-1], 5, rng=0)           # wrong shape
    with pytest.raises(ValueError, match="inv_cdf"):
        inverse_transform_sample(lambda u: np.full_like(u, np.nan), 5, rng=0)
    with pytest.raises(ValueError, match="inv_cdf"):
        inverse_transform_sample(lambda u: 1.0, 5, rng=0)              # not vectorised
    with pytest.raises(TypeError, match="inv_cdf"):
        inverse_transform_sample(3.0, 5, rng=0)


# --------------------------------------------------------------------------- rejection_sample

BETA = st.beta(2, 5)
M_BETA = 30 * 0.2 * 0.8**4                                # max of the Beta(2, 5) density, at x = 0.2


def uniform_sampler(size, rng):
    return rng.random(size)


def uniform_pdf01(x):
    return np.where((x >= 0) & (x <= 1), 1.0, 0.0)


def normal_pdf(x):
    return np.exp(-x**2 / 2) / np.sqrt(2 * np.pi)


def cauchy_sampler(size, rng):
    return rng.standard_cauchy(size)


def cauchy_pdf(x):
    return 1 / (np.pi * (1 + x**2))


M_NORMAL_CAUCHY = np.sqrt(2 * np.pi / np.e)               # max of phi(x) pi (1 + x^2), at x = +-1


@pytest.mark.parametrize("n", [0, 1, 7, 1000, 12_345])
def test_rejection_returns_exactly_n(n):
    x = rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M_BETA, n, rng=0)
    assert x.shape == (n,) and x.dtype == np.float64


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rejection_beta_passes_ks(seed):
    x = rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M_BETA, 20_000, rng=seed)
    assert np.all((x >= 0) & (x <= 1))
    assert st.kstest(x, BETA.cdf).pvalue > 0.001


def test_rejection_normal_from_cauchy_passes_ks_and_ks_has_power():
    x = rejection_sample(normal_pdf, cauchy_sampler, cauchy_pdf, M_NORMAL_CAUCHY * (1 + 1e-12), 20_000, rng=3)
    assert st.kstest(x, st.norm.cdf).pvalue > 0.001
    # the accepted samples are not the proposals: the same draws fail a test against the Cauchy
    assert st.kstest(x, st.cauchy.cdf).pvalue < 1e-6


@pytest.mark.parametrize("M", [M_BETA, 4.0, 10.0])
def test_rejection_acceptance_rate_is_one_over_M(M):
    n = 20_000
    x, n_prop = rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M, n, rng=4, return_n_proposed=True)
    assert x.shape == (n,) and n_prop >= n
    rate, a = n / n_prop, 1 / M
    se = np.sqrt(a * (1 - a) / n_prop)
    assert abs(rate - a) < 4 * se, f"acceptance rate {rate:.4f}, expected 1/M = {a:.4f} +- {4 * se:.4f}"
    assert st.kstest(x, BETA.cdf).pvalue > 0.001


def test_rejection_proposal_count_matches_a_recount():
    """n_proposed counts the proposals up to the n-th acceptance: re-run the same draws by hand."""
    calls = []

    def recording_sampler(size, rng):
        draws = rng.random(size)
        calls.append(draws)
        return draws

    x, n_prop = rejection_sample(BETA.pdf, recording_sampler, uniform_pdf01, M_BETA, 500, rng=5,
                                 return_n_proposed=True)
    proposals = np.concatenate(calls)
    assert n_prop <= proposals.size
    assert x[-1] == proposals[n_prop - 1]                   # the last sample is the n_prop-th proposal
    used = proposals[:n_prop]
    np.testing.assert_array_equal(used[np.isin(used, x)], x)    # the accepted proposals, in the order drawn


def test_rejection_unnormalised_target_accepts_at_rate_Z_over_M():
    Z, M = 3.0, 3.0 * M_BETA * 2
    x, n_prop = rejection_sample(lambda t: Z * BETA.pdf(t), uniform_sampler, uniform_pdf01, M, 20_000, rng=6,
                                 return_n_proposed=True)
    a = Z / M
    assert abs(20_000 / n_prop - a) < 4 * np.sqrt(a * (1 - a) / n_prop)
    assert st.kstest(x, BETA.cdf).pvalue > 0.001


def test_rejection_is_vectorised_in_batches():
    sizes = []

    def counting_sampler(size, rng):
        sizes.append(size)
        return rng.random(size)

    rejection_sample(BETA.pdf, counting_sampler, uniform_pdf01, M_BETA, 10_000, rng=7)
    assert len(sizes) <= 5 and max(sizes) > 1000, f"proposal_sampler called with sizes {sizes}"


def test_rejection_reproducible_and_rng_kinds():
    a = rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M_BETA, 300, rng=42)
    b = rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M_BETA, 300, rng=42)
    np.testing.assert_array_equal(a, b)
    c = rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M_BETA, 300, rng=np.random.default_rng(42))
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M_BETA, 300, rng=43))
    gen = np.random.default_rng(1)
    first, second = (rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M_BETA, 50, rng=gen)
                     for _ in range(2))
    assert not np.array_equal(first, second)
    seen = []

    def checking_sampler(size, rng):
        seen.append(rng)
        return rng.random(size)

    none = rejection_sample(BETA.pdf, checking_sampler, uniform_pdf01, M_BETA, 50, rng=None)
    assert none.shape == (50,) and all(isinstance(g, np.random.Generator) for g in seen)
    rejection_sample(BETA.pdf, checking_sampler, uniform_pdf01, M_BETA, 50, rng=gen)
    assert seen[-1] is gen                                  # the caller's Generator is passed on
    np.testing.assert_array_equal(
        rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, 2.4576, 300, rng=42),
        rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, np.float64(2.4576), 300, rng=np.int64(42)))


def test_rejection_accepts_integer_M():
    x = rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, 3, 100, rng=0)
    assert x.shape == (100,)


@pytest.mark.parametrize("n", [-1, 2.5, 3.0, "5", None, False])
def test_rejection_bad_n(n):
    with pytest.raises(ValueError, match="n must"):
        rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M_BETA, n, rng=0)


@pytest.mark.parametrize("M", [0, 0.0, -1.0, np.nan, np.inf, "3", None, True])
def test_rejection_bad_M(M):
    with pytest.raises(ValueError, match="M must"):
        rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M, 10, rng=0)


def test_rejection_detects_an_envelope_below_the_target():
    with pytest.raises(ValueError, match="M"):
        rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, 2.0, 1000, rng=0)
    with pytest.raises(ValueError, match="proposal_pdf"):     # normal proposal, Cauchy target: tails too thin
        rejection_sample(cauchy_pdf, lambda size, g: g.standard_normal(size), normal_pdf, 5.0, 5000, rng=0)


@pytest.mark.parametrize("rng", ["seed", -3, 0.5])
def test_rejection_bad_rng(rng):
    with pytest.raises(ValueError, match="rng"):
        rejection_sample(BETA.pdf, uniform_sampler, uniform_pdf01, M_BETA, 10, rng=rng)


def test_rejection_bad_user_functions():
    with pytest.raises(ValueError, match="proposal_sampler"):
        rejection_sample(BETA.pdf, lambda size, g: g.random(size + 1), uniform_pdf01, M_BETA, 10, rng=0)
    with pytest.raises(ValueError, match="pdf"):
        rejection_sample(lambda x: BETA.pdf(x)[:-1], uniform_sampler, uniform_pdf01, M_BETA, 10, rng=0)
    with pytest.raises(ValueError, match="pdf"):
        rejection_sample(lambda x: -BETA.pdf(x), uniform_sampler, uniform_pdf01, M_BETA, 10, rng=0)
    with pytest.raises(ValueError, match="proposal_pdf"):
        rejection_sample(BETA.pdf, uniform_sampler, lambda x: np.full_like(x, np.nan), M_BETA, 10, rng=0)
    for bad in ("pdf", "proposal_sampler", "proposal_pdf"):
        funcs = {"pdf": BETA.pdf, "proposal_sampler": uniform_sampler, "proposal_pdf": uniform_pdf01, bad: 1.0}
        with pytest.raises(TypeError, match=bad):
            rejection_sample(funcs["pdf"], funcs["proposal_sampler"], funcs["proposal_pdf"], M_BETA, 10, rng=0)


def test_rejection_gives_up_when_nothing_can_be_accepted():
    with pytest.raises(RuntimeError, match="no proposal accepted"):
        rejection_sample(lambda x: np.zeros_like(x), uniform_sampler, uniform_pdf01, 1.0, 5, rng=0)
