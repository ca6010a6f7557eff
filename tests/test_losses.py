"""mlmath.losses against PyTorch's documented formulas, written out by hand, and scipy.special.

Covers 05-optimization/01-loss-functions.ipynb: mse, mae, huber, binary_cross_entropy_with_logits
and cross_entropy_with_logits. PyTorch is not a dependency: each reference below is the formula on
the page of torch.nn.functional.mse_loss, l1_loss, huber_loss, binary_cross_entropy_with_logits
and cross_entropy (reduction='mean': the mean over all elements, for cross_entropy over the n
samples), computed naively where that is accurate (moderate inputs) and through scipy.special
(log_expit, logsumexp) where it is not. Logits of +-1000 must give finite, exact values.
Gradients are checked against mlmath.calculus.gradient (central differences).
Tolerances: relative 1e-12 against the formulas (rounding only: a wrong mean, a missing factor 1/2
or a sign error fails by far more); 1e-6 relative for the numerical gradients.
"""
import numpy as np
import pytest
import scipy.special as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mlmath.calculus import gradient
from mlmath.losses import binary_cross_entropy_with_logits, cross_entropy_with_logits, huber, mae, mse

SEEDS = range(50)


def random_shape(rng):
    return tuple(int(k) for k in rng.integers(1, 6, size=rng.integers(1, 4)))


# ---------------------------------------------------------------- PyTorch's documented formulas
def torch_mse(y_true, y_pred):
    """mse_loss: mean((x_n - y_n)^2)."""
    return np.mean((np.asarray(y_pred) - np.asarray(y_true)) ** 2)


def torch_l1(y_true, y_pred):
    """l1_loss: mean(|x_n - y_n|)."""
    return np.mean(np.abs(np.asarray(y_pred) - np.asarray(y_true)))


def torch_huber(y_true, y_pred, delta=1.0):
    """huber_loss: l_n = 0.5 (x_n - y_n)^2 if |x_n - y_n| < delta, else delta (|x_n - y_n| - 0.5 delta)."""
    d = np.abs(np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float))
    per = np.array([0.5 * r**2 if r < delta else delta * (r - 0.5 * delta) for r in d.ravel()])
    return per.mean()


def torch_bce_naive(logits, targets):
    """binary_cross_entropy_with_logits: l_n = -[y_n log sigma(x_n) + (1 - y_n) log(1 - sigma(x_n))]."""
    s = 1 / (1 + np.exp(-np.asarray(logits, dtype=float)))
    t = np.asarray(targets, dtype=float)
    return np.mean(-(t * np.log(s) + (1 - t) * np.log(1 - s)))


def torch_bce_stable(logits, targets):
    """The same formula with log sigma(x) = scipy.special.log_expit(x) and log(1 - sigma(x)) = log_expit(-x)."""
    z, t = np.asarray(logits, dtype=float), np.asarray(targets, dtype=float)
    return np.mean(-(t * sp.log_expit(z) + (1 - t) * sp.log_expit(-z)))


def torch_ce_naive(logits, labels):
    """cross_entropy: l_n = -log(exp(x_{n, y_n}) / sum_c exp(x_{n, c})), mean over n."""
    Z = np.asarray(logits, dtype=float)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    return np.mean(-np.log(P[np.arange(len(labels)), labels]))


def torch_ce_stable(logits, labels):
    """The same: -x_{n, y_n} + logsumexp(x_n), with scipy.special.logsumexp."""
    Z = np.asarray(logits, dtype=float)
    return np.mean(sp.logsumexp(Z, axis=1) - Z[np.arange(len(labels)), labels])


# ---------------------------------------------------------------- regression losses
@pytest.mark.parametrize("seed", SEEDS)
def test_regression_losses_match_the_documented_formulas(seed):
    rng = np.random.default_rng(seed)
    shape = random_shape(rng)
    y_true, y_pred = rng.normal(size=shape) * 3, rng.normal(size=shape) * 3
    assert mse(y_true, y_pred) == pytest.approx(torch_mse(y_true, y_pred), rel=1e-12)
    assert mae(y_true, y_pred) == pytest.approx(torch_l1(y_true, y_pred), rel=1e-12)
    for delta in (0.1, 1.0, 2.5, 50.0):
        assert huber(y_true, y_pred, delta=delta) == pytest.approx(torch_huber(y_true, y_pred, delta), rel=1e-12)
    assert huber(y_true, y_pred) == pytest.approx(torch_huber(y_true, y_pred, 1.0), rel=1e-12)


def test_regression_losses_return_python_floats_and_take_lists():
    for fn in (mse, mae, huber):
        value = fn([1, 2, 3], [1.5, 2, 5])
        assert type(value) is float
    assert mse([1, 2, 3], [1.5, 2, 5]) == pytest.approx((0.25 + 0 + 4) / 3, rel=1e-15)
    assert mae([1, 2, 3], [1.5, 2, 5]) == pytest.approx((0.5 + 0 + 2) / 3, rel=1e-15)
    assert huber([1, 2, 3], [1.5, 2, 5]) == pytest.approx((0.125 + 0 + 1.5) / 3, rel=1e-15)


def test_huber_at_and_around_delta():
    # |r| = delta exactly: both pieces give delta^2 / 2 (PyTorch takes the linear piece)
    for delta in (0.5, 1.0, 3.0):
        assert huber([0.0], [delta], delta=delta) == pytest.approx(0.5 * delta**2, rel=1e-15)
        assert huber([0.0], [-delta], delta=delta) == pytest.approx(0.5 * delta**2, rel=1e-15)
    r = np.array([0.0, 0.3, 0.999, 1.0, 1.001, 7.0, -7.0])
    per = np.where(np.abs(r) < 1, 0.5 * r**2, np.abs(r) - 0.5)
    for i in range(r.size):
        assert huber([0.0], [r[i]]) == pytest.approx(per[i], rel=1e-13, abs=1e-300)
    # large delta: half the MSE; tiny delta: delta * MAE (minus delta^2 / 2)
    rng = np.random.default_rng(1)
    y_true, y_pred = rng.normal(size=20), rng.normal(size=20)
    assert huber(y_true, y_pred, delta=1e6) == pytest.approx(0.5 * mse(y_true, y_pred), rel=1e-12)
    d = 1e-9
    assert huber(y_true, y_pred, delta=d) == pytest.approx(d * mae(y_true, y_pred) - 0.5 * d**2, rel=1e-9)


def test_huber_does_not_square_large_residuals():
    with np.errstate(all="raise"):
        assert huber([0.0], [1e200]) == pytest.approx(1e200, rel=1e-12)


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30), st.floats(1e-3, 1e3))
@settings(max_examples=50, deadline=None)
def test_loss_ordering_properties(values, delta):
    """0 <= huber <= delta * mae and huber <= mse / 2, for every input."""
    y = np.array(values)
    zero = np.zeros_like(y)
    h = huber(zero, y, delta=delta)
    assert 0 <= h <= delta * mae(zero, y) * (1 + 1e-12) + 1e-300
    assert h <= 0.5 * mse(zero, y) * (1 + 1e-12) + 1e-300


def test_losses_do_not_modify_their_inputs():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    a0, b0 = a.copy(), b.copy()
    for fn in (mse, mae, huber):
        fn(a, b)
    t = rng.uniform(size=(3, 4))
    t0 = t.copy()
    binary_cross_entropy_with_logits(a, t)
    labels = np.array([0, 3, 1])
    cross_entropy_with_logits(a, labels)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)
    np.testing.assert_array_equal(t, t0)
    np.testing.assert_array_equal(labels, [0, 3, 1])


# ---------------------------------------------------------------- binary cross-entropy
@pytest.mark.parametrize("seed", SEEDS)
def test_bce_matches_the_documented_formula(seed):
    rng = np.random.default_rng(seed)
    shape = random_shape(rng)
    z = rng.normal(size=shape) * 4
    hard = rng.integers(0, 2, size=shape).astype(float)
    soft = rng.uniform(size=shape)
    for t in (hard, soft):
        value = binary_cross_entropy_with_logits(z, t)
        assert value == pytest.approx(torch_bce_naive(z, t), rel=1e-12)
        assert value == pytest.approx(torch_bce_stable(z, t), rel=1e-12)


def test_bce_at_logits_of_plus_minus_1000_is_finite_and_exact():
    cases = [(-1000.0, 1.0, 1000.0), (1000.0, 0.0, 1000.0), (1000.0, 1.0, 0.0), (-1000.0, 0.0, 0.0),
             (1000.0, 0.5, 500.0), (-1000.0, 0.25, 250.0), (1e5, 0.0, 1e5), (-1e300, 1.0, 1e300)]
    for z, t, expected in cases:
        value = binary_cross_entropy_with_logits([z], [t])
        assert np.isfinite(value)
        assert value == expected, (z, t, value)
    mixed = binary_cross_entropy_with_logits([-1000.0, 1000.0, 0.0], [1.0, 1.0, 1.0])
    assert mixed == pytest.approx((1000.0 + 0.0 + np.log(2)) / 3, rel=1e-15)
    # moderately large logits keep full relative accuracy (the naive formula loses it)
    z = np.array([30.0, 40.0, -35.0])
    t = np.array([1.0, 1.0, 0.0])
    assert binary_cross_entropy_with_logits(z, t) == pytest.approx(torch_bce_stable(z, t), rel=1e-12)
    assert binary_cross_entropy_with_logits(z, t) > 0


def test_bce_of_a_zero_logit_is_log_two_for_any_target():
    for t in (0.0, 0.3, 1.0):
        assert binary_cross_entropy_with_logits([0.0, 0.0], [t, t]) == pytest.approx(np.log(2), rel=1e-15)


# ---------------------------------------------------------------- cross-entropy
@pytest.mark.parametrize("seed", SEEDS)
def test_cross_entropy_matches_the_documented_formula(seed):
    rng = np.random.default_rng(seed)
    n, C = int(rng.integers(1, 30)), int(rng.integers(1, 12))
    Z = rng.normal(size=(n, C)) * 4
    labels = rng.integers(0, C, size=n)
    value = cross_entropy_with_logits(Z, labels)
    assert type(value) is float
    assert value == pytest.approx(torch_ce_naive(Z, labels), rel=1e-12)
    assert value == pytest.approx(torch_ce_stable(Z, labels), rel=1e-12)


def test_cross_entropy_at_logits_of_plus_minus_1000_is_finite_and_exact():
    Z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [1000.0, 1000.0]])
    assert cross_entropy_with_logits(Z[:1], [0]) == 0.0
    assert cross_entropy_with_logits(Z[:1], [1]) == 2000.0
    assert cross_entropy_with_logits(Z[2:], [1]) == pytest.approx(np.log(2), rel=1e-15)
    assert cross_entropy_with_logits(Z, [1, 0, 0]) == pytest.approx((2000.0 + 2000.0 + np.log(2)) / 3, rel=1e-15)
    big = np.array([[1e5, 0.0, -1e5]])
    assert cross_entropy_with_logits(big, [2]) == 2e5
    # a single class: probability 1, loss 0
    assert cross_entropy_with_logits([[3.0], [-700.0]], [0, 0]) == 0.0
    # shifting every logit of a row changes nothing
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(5, 4))
    labels = rng.integers(0, 4, size=5)
    assert cross_entropy_with_logits(Z + 1000.0, labels) == pytest.approx(cross_entropy_with_logits(Z, labels),
                                                                           rel=1e-12)


def test_cross_entropy_with_two_classes_is_binary_cross_entropy():
    rng = np.random.default_rng(4)
    z = rng.normal(size=12) * 3
    y = rng.integers(0, 2, size=12)
    two = np.column_stack([np.zeros(12), z])          # softmax((0, z)) = (1 - sigma(z), sigma(z))
    assert cross_entropy_with_logits(two, y) == pytest.approx(binary_cross_entropy_with_logits(z, y), rel=1e-12)


def test_cross_entropy_accepts_whole_number_labels_of_any_integer_type():
    Z = np.array([[0.1, 2.0, -1.0], [1.0, 0.0, 0.5]])
    reference = torch_ce_naive(Z, np.array([1, 2]))
    for labels in ([1, 2], np.array([1, 2], dtype=np.int32), np.array([1, 2], dtype=np.uint8), np.array([1.0, 2.0])):
        assert cross_entropy_with_logits(Z, labels) == pytest.approx(reference, rel=1e-14)


# ---------------------------------------------------------------- gradients against central differences
@pytest.mark.parametrize("seed", range(10))
def test_derived_gradients_match_central_differences(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    y = rng.normal(size=n)
    p = y + rng.choice([-1, 1], size=n) * rng.uniform(0.2, 3.0, size=n)    # residuals away from 0 and from delta
    np.testing.assert_allclose(gradient(lambda q: mse(y, q), p), 2 * (p - y) / n, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(gradient(lambda q: mae(y, q), p), np.sign(p - y) / n, rtol=1e-6, atol=1e-9)
    delta = 1.1
    np.testing.assert_allclose(gradient(lambda q: huber(y, q, delta), p), np.clip(p - y, -delta, delta) / n,
                               rtol=1e-6, atol=1e-9)
    z, t = rng.normal(size=n) * 3, rng.uniform(size=n)
    np.testing.assert_allclose(gradient(lambda v: binary_cross_entropy_with_logits(v, t), z),
                               (sp.expit(z) - t) / n, rtol=1e-6, atol=1e-9)
    C = int(rng.integers(2, 6))
    Z, labels = rng.normal(size=(n, C)) * 2, rng.integers(0, C, size=n)
    expected = (sp.softmax(Z, axis=1) - np.eye(C)[labels]) / n
    numeric = gradient(lambda v: cross_entropy_with_logits(v.reshape(n, C), labels), Z.ravel()).reshape(n, C)
    np.testing.assert_allclose(numeric, expected, rtol=1e-6, atol=1e-9)


def test_bce_gradient_stays_finite_far_out():
    """Around logits of +-1000 the loss is linear with slope sigma(z) - t in {-1, 0, 1} (as PyTorch's grad)."""
    z = np.array([-1000.0, 1000.0, 1000.0])
    t = np.array([1.0, 1.0, 0.0])
    np.testing.assert_allclose(gradient(lambda v: binary_cross_entropy_with_logits(v, t), z, h=1e-3),
                               np.array([-1.0, 0.0, 1.0]) / 3, atol=1e-9)


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("fn", [mse, mae, huber])
def test_regression_loss_errors(fn):
    with pytest.raises(ValueError, match="y_true and y_pred must have the same shape"):
        fn([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="same shape"):
        fn(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="same shape"):
        fn(np.zeros(3), np.zeros((1, 3)))                      # no broadcasting
    with pytest.raises(ValueError, match="y_true must not be empty"):
        fn([], [])
    with pytest.raises(ValueError, match="y_pred must not be empty"):
        fn([1.0], np.zeros((1, 0)))
    for bad in (np.nan, np.inf, -np.inf):
        with pytest.raises(ValueError, match="y_true must hold finite"):
            fn([1.0, bad], [1.0, 2.0])
        with pytest.raises(ValueError, match="y_pred must hold finite"):
            fn([1.0, 2.0], [bad, 2.0])


def test_huber_delta_errors():
    for bad in (0, 0.0, -1.0, np.nan, np.inf, True, "1", None, [1.0]):
        with pytest.raises(ValueError, match="delta"):
            huber([1.0], [2.0], delta=bad)


def test_bce_errors():
    with pytest.raises(ValueError, match="logits and targets must have the same shape"):
        binary_cross_entropy_with_logits([0.0, 1.0], [1.0])
    with pytest.raises(ValueError, match="logits must not be empty"):
        binary_cross_entropy_with_logits([], [])
    for bad in (np.nan, np.inf, -np.inf):
        with pytest.raises(ValueError, match="logits must hold finite"):
            binary_cross_entropy_with_logits([bad], [1.0])
        with pytest.raises(ValueError, match="targets must hold finite"):
            binary_cross_entropy_with_logits([0.0], [bad])
    for bad in (-0.1, 1.5, 2.0, -1e-12):
        with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
            binary_cross_entropy_with_logits([0.0, 1.0], [0.5, bad])


def test_cross_entropy_errors():
    Z = np.zeros((3, 4))
    for bad_logits in (np.zeros(4), np.zeros((2, 3, 4)), np.zeros((0, 4)), np.zeros((3, 0)), 1.0):
        with pytest.raises(ValueError, match="logits must be a non-empty 2-D array"):
            cross_entropy_with_logits(bad_logits, [0])
    for bad in (np.nan, np.inf, -np.inf):
        Zb = Z.copy()
        Zb[1, 2] = bad
        with pytest.raises(ValueError, match="logits must hold finite"):
            cross_entropy_with_logits(Zb, [0, 1, 2])
    for bad_shape in ([0, 1], [0, 1, 2, 3], [[0], [1], [2]], 0):
        with pytest.raises(ValueError, match="labels must be a 1-D array"):
            cross_entropy_with_logits(Z, bad_shape)
    for bad_type in ([0.5, 1.0, 2.0], [True, False, True], ["a", "b", "c"], [0.0, np.nan, 1.0]):
        with pytest.raises(ValueError, match="labels must be integer class indices"):
            cross_entropy_with_logits(Z, bad_type)
    for bad_range in ([0, 1, 4], [-1, 0, 1], [0, 100, 2]):
        with pytest.raises(ValueError, match=r"labels must lie in 0\.\.3"):
            cross_entropy_with_logits(Z, bad_range)
