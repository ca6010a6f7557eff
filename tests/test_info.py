"""mlmath.info (and mlmath.datasets.load_text) against SciPy, scikit-learn and closed forms.

Covers the 06-information-theory notebooks: 01-entropy (entropy, cross_entropy),
02-kl-divergence-and-mutual-information (kl_divergence, js_divergence, mutual_information),
03-information-gain-and-compression (information_gain, threshold_gains, load_text) and
04-fisher-information-and-optimal-transport (wasserstein_1d).

References: scipy.stats.entropy (entropy and KL, with base), scipy.spatial.distance.jensenshannon
(the Jensen-Shannon *distance*, the square root of the divergence js_divergence returns),
sklearn.metrics.mutual_info_score (MI of two label arrays, in nats), a depth-1
sklearn.tree.DecisionTreeClassifier with the entropy criterion (whose impurities are in bits), and
scipy.stats.wasserstein_distance. Tolerances: 1e-12 absolute (plus 1e-12 relative) for the
information quantities, which are sums of at most a few hundred terms of size <= 1; a wrong
formula, base or convention is off by far more.
"""
import ast
import inspect
import math
import sys

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon
from sklearn.metrics import mutual_info_score
from sklearn.tree import DecisionTreeClassifier

from mlmath import datasets, info
from mlmath.info import (
    cross_entropy,
    entropy,
    information_gain,
    js_divergence,
    kl_divergence,
    mutual_information,
    threshold_gains,
    wasserstein_1d,
)

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
BASES = [None, 2, 10, math.e, 0.5]
TOL = {"rtol": 1e-12, "atol": 1e-12}


def random_distribution(rng, k=None, zeros=True):
    """A probability vector of length k (random if None), some entries exactly 0 when zeros."""
    k = int(rng.integers(1, 15)) if k is None else k
    p = rng.dirichlet(np.full(k, rng.uniform(0.1, 3.0)))
    if zeros and k > 1 and rng.random() < 0.5:
        p[rng.random(k) < 0.3] = 0.0
        if p.sum() == 0:
            p[0] = 1.0
        p /= p.sum()
    return p


def scipy_scale(base):
    return None if base is None else base


# ---------------------------------------------------------------- entropy and cross-entropy


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_entropy_matches_scipy_in_every_base(seed):
    rng = np.random.default_rng(seed)
    p = random_distribution(rng)
    for base in BASES:
        got = entropy(p, base=base)
        assert type(got) is float
        np.testing.assert_allclose(got, scipy.stats.entropy(p, base=scipy_scale(base)), **TOL)


def test_entropy_closed_forms_and_zero_log_zero():
    for k in (1, 2, 3, 7, 1000):
        assert math.isclose(entropy(np.full(k, 1 / k)), math.log(k), rel_tol=1e-12, abs_tol=1e-15)
        assert math.isclose(entropy(np.full(k, 1 / k), base=2), math.log2(k), rel_tol=1e-12, abs_tol=1e-15)
    assert entropy([1.0]) == 0.0 and entropy([0.0, 1.0, 0.0]) == 0.0
    assert math.isclose(entropy([0.5, 0.5, 0.0, 0.0], base=2), 1.0, rel_tol=1e-15)
    for p in (0.1, 0.3, 0.9):
        h2 = -p * math.log2(p) - (1 - p) * math.log2(1 - p)
        assert math.isclose(entropy([p, 1 - p], base=2), h2, rel_tol=1e-13)
    # geometric(p): H = H_2(p) / p (bits), truncated where the remaining mass is below 1e-300
    p_geo = 0.3
    k = np.arange(1, 2000)
    pmf = (1 - p_geo) ** (k - 1) * p_geo
    h2 = -p_geo * math.log2(p_geo) - (1 - p_geo) * math.log2(1 - p_geo)
    assert math.isclose(entropy(pmf / pmf.sum(), base=2), h2 / p_geo, rel_tol=1e-12)


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_cross_entropy_is_entropy_plus_kl_and_matches_the_sum(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 12))
    p, q = random_distribution(rng, k), random_distribution(rng, k, zeros=False)
    for base in BASES:
        ref = scipy.stats.entropy(p, base=base) + scipy.stats.entropy(p, q, base=base)
        got = cross_entropy(p, q, base=base)
        np.testing.assert_allclose(got, ref, **TOL)
        direct = -np.sum(p[p > 0] * np.log(q[p > 0])) / (1.0 if base is None else math.log(base))
        np.testing.assert_allclose(got, direct, **TOL)
        if base is None or base > 1:
            assert got >= entropy(p, base=base) - 1e-12


def test_cross_entropy_infinite_one_hot_and_asymmetric():
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0            # 0 log 0 where p = q = 0
    assert math.isclose(cross_entropy([0.0, 1.0], [0.5, 0.5]), math.log(2), rel_tol=1e-15)
    z = np.array([2.0, -1.0, 0.5, 3.0])
    q = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    for y in range(4):
        assert math.isclose(cross_entropy(np.eye(4)[y], q), -math.log(q[y]), rel_tol=1e-13)
    assert not math.isclose(cross_entropy([0.9, 0.1], [0.5, 0.5]), cross_entropy([0.5, 0.5], [0.9, 0.1]))


# ---------------------------------------------------------------- KL and Jensen-Shannon


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_kl_matches_scipy_in_every_base(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 12))
    p, q = random_distribution(rng, k), random_distribution(rng, k, zeros=False)
    for base in BASES:
        got = kl_divergence(p, q, base=base)
        assert type(got) is float
        np.testing.assert_allclose(got, scipy.stats.entropy(p, q, base=base), **TOL)
        if base is None or base > 1:
            assert got >= 0.0


def test_kl_infinite_zero_and_conventions():
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(math.log(2), rel=1e-15)
    assert kl_divergence([0.2, 0.8, 0.0], [0.2, 0.8, 0.0]) == 0.0
    p = np.array([0.3, 0.7])
    assert kl_divergence(p, p) == 0.0
    # Gibbs: D(p || q) > 0 for p != q, asymmetric
    a, b = kl_divergence([0.9, 0.1], [0.5, 0.5], base=2), kl_divergence([0.5, 0.5], [0.9, 0.1], base=2)
    assert a == pytest.approx(0.9 * math.log2(1.8) + 0.1 * math.log2(0.2), rel=1e-13)
    assert b == pytest.approx(0.5 * math.log2(0.5 / 0.9) + 0.5 * math.log2(5.0), rel=1e-13)


def test_kl_is_accurate_for_nearby_and_for_tiny_q():
    # p close to q: the divergence is about sum (p - q)^2 / (2 q), and computed to relative accuracy
    q = np.array([0.25, 0.25, 0.5])
    d = 1e-7
    p = q + np.array([d, -d, 0.0])
    ref = sum(pi * math.log(pi / qi) for pi, qi in zip(p, q, strict=True))
    approx = np.sum((p - q) ** 2 / (2 * q))
    got = kl_divergence(p, q)
    assert got == pytest.approx(approx, rel=1e-5) and got == pytest.approx(ref, rel=1e-4, abs=1e-22)
    # q subnormal where p is not: the ratio p / q overflows, the divergence is still finite and right
    q_tiny = np.array([1 - 1e-320, 1e-320])
    p_tiny = np.array([0.5, 0.5])
    expected = 0.5 * math.log(0.5 / (1 - 1e-320)) + 0.5 * (math.log(0.5) - math.log(1e-320))
    got = kl_divergence(p_tiny, q_tiny)
    assert math.isfinite(got) and got == pytest.approx(expected, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_js_is_the_square_of_scipys_distance(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 12))
    p, q = random_distribution(rng, k), random_distribution(rng, k)
    for base in [b for b in BASES if b is None or b > 1]:      # SciPy's distance is the root of a positive number
        got = js_divergence(p, q, base=base)
        ref = jensenshannon(p, q, base=base) ** 2
        np.testing.assert_allclose(got, ref, **TOL)
        assert got == pytest.approx(js_divergence(q, p, base=base), rel=1e-12, abs=1e-15)
        m = 0.5 * (p + q)
        direct = 0.5 * scipy.stats.entropy(p, m, base=base) + 0.5 * scipy.stats.entropy(q, m, base=base)
        np.testing.assert_allclose(got, direct, **TOL)


def test_js_bounds():
    assert js_divergence([1.0, 0.0], [0.0, 1.0]) == pytest.approx(math.log(2), rel=1e-15)
    assert js_divergence([1.0, 0.0, 0.0], [0.0, 0.5, 0.5], base=2) == pytest.approx(1.0, rel=1e-15)
    assert js_divergence([0.4, 0.6], [0.4, 0.6]) == 0.0
    rng = np.random.default_rng(5)
    for _ in range(200):
        p, q = random_distribution(rng, 6), random_distribution(rng, 6)
        assert 0.0 <= js_divergence(p, q, base=2) <= 1.0
        assert math.isfinite(js_divergence(p, q))


# ---------------------------------------------------------------- mutual information


def joint_of_labels(a, b):
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1.0)
    return table / table.sum()


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_mutual_information_matches_sklearn_on_label_pairs(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 200))
    a = rng.integers(0, int(rng.integers(1, 6)), size=n)
    b = (a + rng.integers(0, int(rng.integers(1, 4)), size=n)) % 5 if rng.random() < 0.5 else rng.integers(0, 4, size=n)
    ref = mutual_info_score(a, b)
    joint = joint_of_labels(a, b)
    np.testing.assert_allclose(mutual_information(joint), ref, **TOL)
    np.testing.assert_allclose(mutual_information(joint, base=2), ref / math.log(2), **TOL)
    np.testing.assert_allclose(mutual_information(joint.T), ref, **TOL)


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_mutual_information_identities(seed):
    rng = np.random.default_rng(seed)
    r, c = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    joint = random_distribution(rng, r * c).reshape(r, c)
    px, py = joint.sum(axis=1), joint.sum(axis=0)
    mi = mutual_information(joint)
    assert type(mi) is float and mi >= 0.0
    hx, hy, hxy = scipy.stats.entropy(px), scipy.stats.entropy(py), scipy.stats.entropy(joint.ravel())
    np.testing.assert_allclose(mi, hx + hy - hxy, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mi, scipy.stats.entropy(joint.ravel(), np.outer(px, py).ravel()), rtol=1e-12, atol=1e-12)
    assert mi <= min(hx, hy) + 1e-12


def test_mutual_information_closed_forms():
    rng = np.random.default_rng(11)
    px, py = random_distribution(rng, 4, zeros=False), random_distribution(rng, 5, zeros=False)
    assert mutual_information(np.outer(px, py)) < 1e-15                 # independent
    assert mutual_information(np.diag(px)) == pytest.approx(scipy.stats.entropy(px), rel=1e-13)   # Y = X
    assert mutual_information([[1.0]]) == 0.0
    assert mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2) == pytest.approx(1.0, rel=1e-15)
    # the bivariate normal with correlation rho, on a fine grid: -1/2 log(1 - rho^2)
    centres = np.arange(-6 + 0.02, 6, 0.04)
    X, Y = np.meshgrid(centres, centres, indexing="ij")
    for rho in (0.0, 0.3, 0.8, 0.95):
        dens = np.exp(-(X**2 - 2 * rho * X * Y + Y**2) / (2 * (1 - rho**2)))
        got = mutual_information(dens / dens.sum())
        assert got == pytest.approx(-0.5 * math.log(1 - rho**2), rel=1e-5, abs=1e-9)


# ---------------------------------------------------------------- information gain


def entropy_bits_of_labels(y):
    return scipy.stats.entropy(np.bincount(y), base=2) if y.size else 0.0


def test_information_gain_by_hand():
    labels = np.array([0, 0, 0, 0, 1, 0, 1, 1, 1, 1])
    mask = np.array([False] * 5 + [True] * 5)
    h2 = -0.2 * math.log2(0.2) - 0.8 * math.log2(0.8)
    got = information_gain(labels, mask)
    assert type(got) is float and got == pytest.approx(1.0 - h2, rel=1e-14)
    assert information_gain(labels, labels == 1) == pytest.approx(1.0, rel=1e-15)       # a perfect split
    assert information_gain(labels, np.ones(10, dtype=bool)) == 0.0                       # an empty side
    assert information_gain(labels, np.zeros(10, dtype=bool)) == 0.0
    assert information_gain(np.full(10, 3), mask) == 0.0                                   # a pure node
    # labels need not be 0..K-1
    assert information_gain(labels * 7 - 3, mask) == pytest.approx(1.0 - h2, rel=1e-14)
    assert information_gain(labels.astype(float), mask) == pytest.approx(1.0 - h2, rel=1e-14)
    assert information_gain([1], [True]) == 0.0


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_information_gain_is_mutual_information_of_side_and_label(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 100))
    y = rng.integers(0, int(rng.integers(1, 6)), size=n)
    m = rng.random(n) < rng.uniform(0, 1)
    ref_hand = (entropy_bits_of_labels(y) - m.mean() * entropy_bits_of_labels(y[m])
                - (~m).mean() * entropy_bits_of_labels(y[~m]))
    np.testing.assert_allclose(information_gain(y, m), max(ref_hand, 0.0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(information_gain(y, m), mutual_info_score(m, y) / math.log(2), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(25))
def test_information_gain_matches_a_decision_stump(seed):
    """A depth-1 scikit-learn tree with the entropy criterion (impurities in bits) on random labels."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(10, 120))
    x = np.round(rng.normal(size=n), 1)                        # ties included
    y = rng.integers(0, int(rng.integers(2, 5)), size=n)
    stump = DecisionTreeClassifier(max_depth=1, criterion="entropy", random_state=0).fit(x[:, None], y)
    t = stump.tree_
    if t.node_count == 1:                                      # no split improves: every gain is 0
        assert np.all(threshold_gains(x, y)[1] < 1e-12)
        return
    left, right = t.children_left[0], t.children_right[0]
    n0, nl, nr = t.weighted_n_node_samples[[0, left, right]]
    sk_gain = t.impurity[0] - nl / n0 * t.impurity[left] - nr / n0 * t.impurity[right]
    mask = x <= t.threshold[0]
    assert information_gain(y, mask) == pytest.approx(sk_gain, rel=1e-9, abs=1e-12)
    thresholds, gains = threshold_gains(x, y)
    assert gains.max() == pytest.approx(sk_gain, rel=1e-9, abs=1e-12)      # the stump's split is the best one


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_threshold_gains_equals_information_gain_at_every_threshold(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    x = rng.integers(0, 10, size=n) * 0.5
    y = rng.integers(-2, 2, size=n)
    thresholds, gains = threshold_gains(x, y)
    distinct = np.unique(x)
    assert thresholds.shape == gains.shape == (distinct.size - 1,)
    np.testing.assert_allclose(thresholds, (distinct[1:] + distinct[:-1]) / 2)
    for t, g in zip(thresholds, gains, strict=True):
        np.testing.assert_allclose(g, information_gain(y, x <= t), rtol=1e-12, atol=1e-12)


def test_threshold_gains_on_iris():
    X, y = datasets.load_iris()
    thresholds, gains = threshold_gains(X[:, 2], y)
    assert thresholds[gains.argmax()] == pytest.approx(2.45)
    assert gains.max() == pytest.approx(math.log2(3) - 2 / 3, rel=1e-12)


# ---------------------------------------------------------------- Wasserstein


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_wasserstein_matches_scipy_for_any_sizes_and_ties(seed):
    rng = np.random.default_rng(seed)
    for _ in range(10):
        n, m = rng.integers(1, 40, size=2)
        u = np.round(rng.normal(0, 2, size=n), int(rng.integers(0, 3)))          # many ties after rounding
        v = np.round(rng.standard_t(3, size=m) + rng.normal(), int(rng.integers(0, 3)))
        got = wasserstein_1d(u, v)
        assert type(got) is float
        np.testing.assert_allclose(got, scipy.stats.wasserstein_distance(u, v), rtol=1e-12, atol=1e-12)


def test_wasserstein_closed_forms():
    u = np.array([0.0, 2.0, 3.0])
    assert wasserstein_1d(u, [1.0, 4.0, 6.0]) == pytest.approx(2.0)
    assert wasserstein_1d(u, u) == 0.0
    assert wasserstein_1d(u, u + 2.5) == pytest.approx(2.5)
    assert wasserstein_1d([0.0], [5.0]) == pytest.approx(5.0)                   # two point masses
    assert wasserstein_1d([0.0, 1.0], [0.0, 0.0, 1.0, 1.0]) == 0.0              # the same distribution
    assert wasserstein_1d([0.0], [0.0, 1.0]) == pytest.approx(0.5)
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=7), rng.normal(size=7)
    assert wasserstein_1d(a, b) == pytest.approx(np.mean(np.abs(np.sort(a) - np.sort(b))), rel=1e-12)
    assert wasserstein_1d(a, b) == pytest.approx(wasserstein_1d(b, a), rel=1e-15)
    assert wasserstein_1d(3 * a, 3 * b) == pytest.approx(3 * wasserstein_1d(a, b), rel=1e-12)


# ---------------------------------------------------------------- errors, inputs, types


TWO_ARG = [cross_entropy, kl_divergence, js_divergence]


@pytest.mark.parametrize("fn", [entropy, *TWO_ARG])
@pytest.mark.parametrize(("bad", "message"), [
    ([0.5, 0.6], "sum to 1"), ([1.2, -0.2], "negative"), ([0.5, np.nan], "finite"), ([0.5, np.inf], "finite"),
    ([], "empty"), ([[0.5, 0.5]], "1-D"), (0.5, "1-D"), (["a", "b"], "numbers"),
])
def test_probability_vector_errors(fn, bad, message):
    good = [0.5, 0.5]
    with pytest.raises(ValueError, match=message):
        fn(bad) if fn is entropy else fn(bad, good)
    with pytest.raises(ValueError, match=r"^p "):
        fn(bad) if fn is entropy else fn(bad, good)
    if fn is not entropy:
        with pytest.raises(ValueError, match=r"^q "):
            fn(good, bad)


def test_sum_tolerance_is_1e_minus_8():
    entropy([0.5, 0.5 + 5e-9])
    with pytest.raises(ValueError, match="sum to 1"):
        entropy([0.5, 0.5 + 2e-8])
    with pytest.raises(ValueError, match="sum to 1"):
        mutual_information([[0.5, 0.0], [0.0, 0.4]])


@pytest.mark.parametrize("fn", TWO_ARG)
def test_shape_mismatch(fn):
    with pytest.raises(ValueError, match="same shape"):
        fn([0.5, 0.5], [0.2, 0.3, 0.5])


@pytest.mark.parametrize("base", [0, 1, 1.0, -2, np.nan, np.inf, "2", True])
def test_bad_base(base):
    for call in (lambda: entropy([0.5, 0.5], base=base), lambda: kl_divergence([0.5, 0.5], [0.5, 0.5], base=base),
                 lambda: mutual_information([[0.5, 0.0], [0.0, 0.5]], base=base)):
        with pytest.raises(ValueError, match="base"):
            call()


@pytest.mark.parametrize(("bad", "message"), [
    ([0.25, 0.25, 0.25, 0.25], "2-D"), ([[0.5, 0.6], [0.0, -0.1]], "negative"),
    ([[0.5, np.nan], [0.25, 0.25]], "finite"), (np.zeros((0, 3)), "empty"),
    (np.full((2, 2, 1), 0.25), "2-D"), ([[0.5, 0.6], [0.0, 0.0]], "sum to 1"),
])
def test_mutual_information_errors(bad, message):
    with pytest.raises(ValueError, match="joint") as excinfo:
        mutual_information(bad)
    assert excinfo.match(message)


@pytest.mark.parametrize(("labels", "mask", "name"), [
    ([0, 1, 1], [True, False], "mask"),                        # shape mismatch
    ([0.5, 1.0], [True, False], "labels"),                     # non-integer labels
    ([0.0, np.nan], [True, False], "labels"),
    (["a", "b"], [True, False], "labels"),
    ([0, 1], [1, 0], "mask"),                                  # a 0/1 integer mask is not boolean
    ([0, 1], [0.0, 1.0], "mask"),
    ([], [], "labels"),                                        # empty
    ([[0, 1]], [[True, False]], "labels"),                     # 2-D
])
def test_information_gain_errors(labels, mask, name):
    with pytest.raises(ValueError, match=name):
        information_gain(labels, mask)


def test_threshold_gains_errors_and_constant_feature():
    thresholds, gains = threshold_gains([1.0, 1.0, 1.0], [0, 1, 0])
    assert thresholds.size == 0 and gains.size == 0
    for x, y, name in [([1.0, 2.0], [0, 1, 1], "same length"), ([1.0, np.nan], [0, 1], "finite"),
                       ([], [], "labels"), ([1.0, 2.0], [0.5, 1.0], "labels"), ([[1.0, 2.0]], [0, 1], "x")]:
        with pytest.raises(ValueError, match=name):
            threshold_gains(x, y)


@pytest.mark.parametrize(("u", "v", "name"), [
    ([], [1.0], "u_values"), ([1.0], [], "v_values"), ([np.nan, 1.0], [1.0], "u_values"), ([1.0], [np.inf], "v_values"),
    ([[1.0, 2.0]], [1.0], "u_values"), ([1.0], [[1.0]], "v_values"), (["a"], [1.0], "u_values"),
])
def test_wasserstein_errors(u, v, name):
    with pytest.raises(ValueError, match=name):
        wasserstein_1d(u, v)


def test_inputs_are_not_modified_and_read_only_inputs_work():
    rng = np.random.default_rng(0)
    p, q = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(5))
    joint = rng.dirichlet(np.ones(12)).reshape(3, 4)
    labels, mask, x = rng.integers(0, 3, size=30), rng.random(30) < 0.5, rng.normal(size=30)
    u, v = rng.normal(size=9), rng.normal(size=4)
    arrays = [p, q, joint, labels, mask, x, u, v]
    copies = [a.copy() for a in arrays]
    for a in arrays:
        a.flags.writeable = False
    entropy(p), cross_entropy(p, q), kl_divergence(p, q), js_divergence(p, q), mutual_information(joint)
    information_gain(labels, mask), threshold_gains(x, labels), wasserstein_1d(u, v)
    for a, c in zip(arrays, copies, strict=True):
        np.testing.assert_array_equal(a, c)


@settings(max_examples=50, deadline=None)
@given(SEEDS)
def test_base_two_is_natural_divided_by_ln2(seed):
    rng = np.random.default_rng(seed)
    p, q = random_distribution(rng, 6), random_distribution(rng, 6, zeros=False)
    joint = random_distribution(rng, 6).reshape(2, 3)
    for fn, args in [(entropy, (p,)), (cross_entropy, (p, q)), (kl_divergence, (p, q)), (js_divergence, (p, q)),
                     (mutual_information, (joint,))]:
        nats, bits = fn(*args), fn(*args, base=2)
        np.testing.assert_allclose(bits, nats / math.log(2), rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(fn(*args, base=math.e), nats, rtol=1e-13, atol=1e-15)


def test_information_gain_is_in_bits():
    # a perfect split of two equally frequent classes gains exactly 1 bit (ln 2 nats would be 0.693)
    assert information_gain([0, 0, 1, 1], [True, True, False, False]) == 1.0


# ---------------------------------------------------------------- the text corpus and the module


def test_load_text():
    text = datasets.load_text("nettle")
    assert isinstance(text, str) and len(text) == 51096 and text.isascii()
    assert text.startswith("1 Introduction\n") and "8 Traditional Nettle Soup" in text
    assert "This manual is in the public domain." in text
    assert len(set(text)) == 89
    assert datasets.load_text("nettle") == text
    for bad in ["Nettle", "iris", "", None, 3]:
        with pytest.raises(ValueError, match="name must be one of"):
            datasets.load_text(bad)


def test_the_text_file_is_shipped_and_described():
    data = datasets.DATA_DIR
    assert (data / datasets.TEXT_FILES["nettle"]).is_file()
    readme = (data / "README.md").read_text(encoding="utf-8")
    assert "`nettle-manual.txt`" in readme and 'load_text("nettle")' in readme and "public domain" in readme
    assert "Defined in 06-information-theory/03-information-gain-and-compression.ipynb" in datasets.load_text.__doc__


def test_docstrings_name_the_notebooks():
    where = {
        "01-entropy": [entropy, cross_entropy],
        "02-kl-divergence-and-mutual-information": [kl_divergence, js_divergence, mutual_information],
        "03-information-gain-and-compression": [information_gain, threshold_gains],
        "04-fisher-information-and-optimal-transport": [wasserstein_1d],
    }
    for notebook, fns in where.items():
        for fn in fns:
            assert f"Defined in 06-information-theory/{notebook}.ipynb" in (fn.__doc__ or ""), fn.__name__
    assert info.__doc__.startswith("Information theory from scratch")


def test_info_uses_numpy_and_the_standard_library_only():
    tree = ast.parse(inspect.getsource(info))
    nodes = list(ast.walk(tree))
    roots = {alias.name.split(".")[0] for node in nodes if isinstance(node, ast.Import) for alias in node.names}
    roots |= {node.module.split(".")[0] for node in nodes if isinstance(node, ast.ImportFrom) and node.module}
    assert roots, "found no imports at all: the test reads the wrong source"
    assert roots <= {"numpy"} | set(sys.stdlib_module_names), f"info imports {sorted(roots)}"
