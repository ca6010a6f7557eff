"""mlmath.optim's gradient methods: gradient_descent, minibatch_indices, SGD, RMSProp and Adam.

Covers 05-optimization/02-gradient-descent.ipynb (gradient_descent),
03-stochastic-gradient-descent.ipynb (minibatch_indices) and 04-momentum-rmsprop-adam.ipynb
(SGD, RMSProp, Adam).

References:
- gradient_descent against the closed form x_k = x* + (I - lr A)^k (x_0 - x*) on random quadratics
  (matrix powers), and the rate (kappa - 1) / (kappa + 1) at lr = 2 / (L + mu).
- SGD, RMSProp and Adam against reference implementations written below as plain loops directly
  from the pseudo-code on PyTorch's documentation pages
  (https://pytorch.org/docs/stable/generated/torch.optim.SGD.html, .../torch.optim.RMSprop.html,
  .../torch.optim.Adam.html; maximize=False, dampening=0, centered=False, amsgrad=False), step
  for step over many random problems: exact to 1e-12 relative (what is left is rounding, a few
  units in the last place; a wrong bias correction, eps placement or momentum start fails by far
  more).
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlmath.optim import SGD, Adam, RMSProp, gradient_descent, minibatch_indices

SEEDS = range(40)


def spd(rng, d, low=0.5, high=5.0):
    """A random symmetric positive definite d x d matrix with eigenvalues in [low, high]."""
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return (Q * rng.uniform(low, high, size=d)) @ Q.T


# ================================================================ gradient_descent
@pytest.mark.parametrize("seed", SEEDS)
def test_gradient_descent_is_the_closed_form_iteration_on_quadratics(seed):
    rng = np.random.default_rng(seed)
    d = int(rng.integers(1, 7))
    A = spd(rng, d)
    b = rng.normal(size=d)
    x_star = np.linalg.solve(A, b)
    x0 = rng.normal(size=d) * 3
    L = np.linalg.eigvalsh(A)[-1]
    lr = rng.uniform(0.05, 1.9) / L
    n_steps = int(rng.integers(0, 40))
    path = gradient_descent(lambda x: A @ x - b, x0, lr, n_steps)
    assert path.shape == (n_steps + 1, d) and path.dtype == np.float64
    np.testing.assert_array_equal(path[0], x0)
    M = np.eye(d) - lr * A
    expected = np.array([x_star + np.linalg.matrix_power(M, k) @ (x0 - x_star) for k in range(n_steps + 1)])
    np.testing.assert_allclose(path, expected, rtol=1e-9, atol=1e-11)


def test_gradient_descent_step_by_step_and_small_cases():
    path = gradient_descent(lambda x: 2 * (x - 3), [0.0], 0.25, 5)    # f = (x - 3)^2: halves the distance
    np.testing.assert_array_equal(path[:, 0], [0.0, 1.5, 2.25, 2.625, 2.8125, 2.90625])
    assert gradient_descent(lambda x: x, [1.0, 2.0], 0.1, 0).shape == (1, 2)
    np.testing.assert_array_equal(gradient_descent(lambda x: x, (1, 2), 0.5, 1), [[1.0, 2.0], [0.5, 1.0]])
    assert gradient_descent(lambda x: x, [1.0], np.float32(0.5), np.int64(2)).shape == (3, 1)


def test_gradient_descent_rate_at_the_best_step():
    rng = np.random.default_rng(5)
    A = spd(rng, 5, 0.3, 9.0)
    lam, Q = np.linalg.eigh(A)
    kappa = lam[-1] / lam[0]
    path = gradient_descent(lambda x: A @ x, Q[:, 0] + Q[:, -1], 2 / (lam[0] + lam[-1]), 25)
    norms = np.linalg.norm(path, axis=1)
    np.testing.assert_allclose(norms[1:] / norms[:-1], (kappa - 1) / (kappa + 1), rtol=1e-9)


def test_gradient_descent_diverges_past_two_over_L():
    A = np.diag([1.0, 10.0])
    ok = gradient_descent(lambda x: A @ x, [1.0, 1.0], 0.19, 300)      # factors 0.81 and -0.9
    bad = gradient_descent(lambda x: A @ x, [1.0, 1.0], 0.21, 300)     # factor -1.1 along the sharp axis
    assert np.linalg.norm(ok[-1]) < 1e-2 < 1e2 < np.linalg.norm(bad[-1])


def test_gradient_descent_leaves_its_inputs_alone():
    x0 = np.array([1.0, -2.0])
    seen = []

    def grad(x):
        seen.append(x)
        g = 2 * x
        x[:] = 99.0                                    # a misbehaving gradient that writes into its argument
        return g

    path = gradient_descent(grad, x0, 0.1, 3)
    np.testing.assert_array_equal(x0, [1.0, -2.0])
    np.testing.assert_allclose(path[-1], x0 * 0.8**3, rtol=1e-15)
    assert all(s is not path for s in seen)


def test_gradient_descent_errors():
    g = lambda x: x                                    # noqa: E731
    for bad_lr in (0, 0.0, -0.1, np.nan, np.inf, True, "0.1", None, [0.1]):
        with pytest.raises(ValueError, match="lr"):
            gradient_descent(g, [1.0], bad_lr, 3)
    for bad_n in (-1, 2.5, 3.0, True, "3", None):
        with pytest.raises(ValueError, match="n_steps"):
            gradient_descent(g, [1.0], 0.1, bad_n)
    for bad_x0 in ([[1.0, 2.0]], 1.0, [], [1.0, np.nan], [np.inf]):
        with pytest.raises(ValueError, match="x0"):
            gradient_descent(g, bad_x0, 0.1, 3)
    with pytest.raises(ValueError, match="grad"):
        gradient_descent("not a function", [1.0], 0.1, 3)
    with pytest.raises(ValueError, match="grad must return an array of shape"):
        gradient_descent(lambda x: x[:1], [1.0, 2.0], 0.1, 3)
    with pytest.raises(ValueError, match="grad must return an array of shape"):
        gradient_descent(lambda x: 1.0, [1.0, 2.0], 0.1, 3)
    with pytest.raises(ValueError, match="grad returned NaN or inf at step 1"), np.errstate(invalid="ignore"):
        gradient_descent(lambda x: np.sqrt(x), [1.0], 3.0, 5)       # x_1 = -2, where sqrt is NaN
    with pytest.raises(ValueError, match="grad"):
        gradient_descent(lambda x: x * np.nan, [1.0], 0.1, 3)
    with pytest.raises(ValueError, match="overflowed|grad returned"), np.errstate(over="ignore"):
        gradient_descent(lambda x: 1e300 * np.sign(x) * np.abs(x) ** 0, [1.0], 1e10, 3)


# ================================================================ minibatch_indices
@pytest.mark.parametrize("n, batch_size", [(1, 1), (10, 3), (10, 5), (10, 10), (10, 64), (101, 7), (64, 64)])
def test_minibatch_indices_partition_one_epoch(n, batch_size):
    batches = minibatch_indices(n, batch_size, rng=0)
    sizes = [len(b) for b in batches]
    assert sizes == [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else []) or \
        (batch_size >= n and sizes == [n])
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))
    assert all(b.dtype == np.int64 for b in batches)
    ordered = minibatch_indices(n, batch_size, shuffle=False)
    np.testing.assert_array_equal(np.concatenate(ordered), np.arange(n))


def test_minibatch_indices_randomness():
    a = minibatch_indices(50, 8, rng=3)
    b = minibatch_indices(50, 8, rng=3)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    gen = np.random.default_rng(3)
    first, second = minibatch_indices(50, 8, rng=gen), minibatch_indices(50, 8, rng=gen)
    assert not np.array_equal(np.concatenate(first), np.concatenate(second))   # the generator advances
    np.testing.assert_array_equal(np.concatenate(first), np.random.default_rng(3).permutation(50))
    # every index is equally likely in every position: over many epochs, the first batch holds index i
    # with frequency B / n
    gen = np.random.default_rng(4)
    counts = np.zeros(20)
    for _ in range(4000):
        counts[minibatch_indices(20, 5, rng=gen)[0]] += 1
    np.testing.assert_allclose(counts / 4000, 5 / 20, atol=0.03)


def test_minibatch_indices_errors():
    for bad in (0, -3, 2.5, True, None, "10"):
        with pytest.raises(ValueError, match="n must be a positive integer"):
            minibatch_indices(bad, 2)
        with pytest.raises(ValueError, match="batch_size must be a positive integer"):
            minibatch_indices(10, bad)
    for bad_rng in ("seed", -1, 1.5, np.random.RandomState(0)):
        with pytest.raises(ValueError, match="rng"):
            minibatch_indices(10, 2, rng=bad_rng)
    with pytest.raises(ValueError, match="shuffle"):
        minibatch_indices(10, 2, shuffle="yes")


# ================================================================ references from PyTorch's pseudo-code
def reference_sgd(params, grad_fn, steps, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
    """torch.optim.SGD, as documented (dampening = 0, maximize = False); returns the iterates."""
    thetas = [p.copy() for p in params]
    bufs = [None] * len(thetas)
    history = []
    for t in range(1, steps + 1):
        grads = grad_fn(thetas)
        for i in range(len(thetas)):
            g = grads[i]
            if weight_decay != 0:
                g = g + weight_decay * thetas[i]
            if momentum != 0:
                if t > 1:
                    bufs[i] = momentum * bufs[i] + (1 - 0) * g
                else:
                    bufs[i] = g
                if nesterov:
                    g = g + momentum * bufs[i]
                else:
                    g = bufs[i]
            thetas[i] = thetas[i] - lr * g
        history.append([th.copy() for th in thetas])
    return history


def reference_rmsprop(params, grad_fn, steps, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0):
    """torch.optim.RMSprop, as documented (centered = False, momentum = 0)."""
    thetas = [p.copy() for p in params]
    v = [np.zeros_like(p) for p in params]
    history = []
    for _ in range(steps):
        grads = grad_fn(thetas)
        for i in range(len(thetas)):
            g = grads[i]
            if weight_decay != 0:
                g = g + weight_decay * thetas[i]
            v[i] = alpha * v[i] + (1 - alpha) * g**2
            thetas[i] = thetas[i] - lr * g / (np.sqrt(v[i]) + eps)
        history.append([th.copy() for th in thetas])
    return history


def reference_adam(params, grad_fn, steps, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    """torch.optim.Adam, as documented (amsgrad = False, maximize = False)."""
    beta1, beta2 = betas
    thetas = [p.copy() for p in params]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    history = []
    for t in range(1, steps + 1):
        grads = grad_fn(thetas)
        for i in range(len(thetas)):
            g = grads[i]
            if weight_decay != 0:
                g = g + weight_decay * thetas[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g**2
            m_hat = m[i] / (1 - beta1**t)
            v_hat = v[i] / (1 - beta2**t)
            thetas[i] = thetas[i] - lr * m_hat / (np.sqrt(v_hat) + eps)
        history.append([th.copy() for th in thetas])
    return history


def random_problem(rng, kind):
    """Parameters of mixed shapes and a gradient function of them.

    kind "sequence": gradients drawn in advance (the update is then a function of the sequence
    alone, no feedback); kind "quadratic": the gradient of a random convex quadratic in each array.
    """
    shapes = [tuple(int(k) for k in rng.integers(1, 4, size=rng.integers(0, 3))) for _ in range(rng.integers(1, 4))]
    params = [rng.normal(size=s) for s in shapes]
    if kind == "sequence":
        table = [[rng.normal(size=s) * 10.0 ** rng.uniform(-3, 3) for s in shapes] for _ in range(60)]
        calls = iter(table)
        return params, lambda thetas: next(calls), lambda: iter(table)
    scales = [rng.uniform(0.5, 3.0, size=s) for s in shapes]
    centres = [rng.normal(size=s) for s in shapes]

    def grad_fn(thetas):
        return [c * (th - x) for c, th, x in zip(scales, thetas, centres, strict=True)]
    return params, grad_fn, None


def run_optimizer(make, params, grad_fn, steps):
    """Run mlmath's optimizer on copies of params; the iterates, and whether the arrays stayed the same objects."""
    arrays = [p.copy() for p in params]
    ids = [id(a) for a in arrays]
    opt = make(arrays)
    history = []
    for _ in range(steps):
        opt.step(grad_fn(arrays))
        history.append([a.copy() for a in arrays])
    same = [id(a) for a in opt.params] == ids and all(a is b for a, b in zip(opt.params, arrays, strict=True))
    return history, same


def assert_same_trajectory(ours, ref):
    assert len(ours) == len(ref)
    for step, (a, b) in enumerate(zip(ours, ref, strict=True)):
        for x, y in zip(a, b, strict=True):
            assert x.shape == y.shape
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-14, err_msg=f"step {step + 1}")


def fresh(grad_fn, replay):
    """The same gradient function again (a sequence problem replays its table from the start)."""
    if replay is None:
        return grad_fn
    calls = replay()
    return lambda thetas: next(calls)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", ["sequence", "quadratic"])
def test_sgd_matches_pytorch_pseudocode(seed, kind):
    rng = np.random.default_rng(seed)
    params, grad_fn, replay = random_problem(rng, kind)
    lr = float(rng.uniform(0.001, 0.1))
    momentum = float(rng.choice([0.0, 0.5, 0.9, rng.uniform(0, 0.99)]))
    nesterov = bool(momentum > 0 and rng.integers(0, 2))
    weight_decay = float(rng.choice([0.0, 0.01, rng.uniform(0, 0.5)]))
    steps = 50
    ours, same = run_optimizer(lambda p: SGD(p, lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay),
                               params, fresh(grad_fn, replay), steps)
    ref = reference_sgd(params, fresh(grad_fn, replay), steps, lr, momentum, weight_decay, nesterov)
    assert same
    assert_same_trajectory(ours, ref)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", ["sequence", "quadratic"])
def test_rmsprop_matches_pytorch_pseudocode(seed, kind):
    rng = np.random.default_rng(seed)
    params, grad_fn, replay = random_problem(rng, kind)
    lr = float(rng.uniform(0.001, 0.05))
    alpha = float(rng.choice([0.99, 0.9, rng.uniform(0, 1)]))
    eps = float(rng.choice([1e-8, 1e-6, 0.1]))
    weight_decay = float(rng.choice([0.0, 0.05]))
    ours, same = run_optimizer(lambda p: RMSProp(p, lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay),
                               params, fresh(grad_fn, replay), 50)
    ref = reference_rmsprop(params, fresh(grad_fn, replay), 50, lr, alpha, eps, weight_decay)
    assert same
    assert_same_trajectory(ours, ref)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", ["sequence", "quadratic"])
def test_adam_matches_pytorch_pseudocode(seed, kind):
    rng = np.random.default_rng(seed)
    params, grad_fn, replay = random_problem(rng, kind)
    lr = float(rng.uniform(0.0005, 0.05))
    betas = (float(rng.choice([0.9, 0.0, rng.uniform(0, 1)])), float(rng.choice([0.999, 0.9, rng.uniform(0, 1)])))
    eps = float(rng.choice([1e-8, 1e-3]))
    weight_decay = float(rng.choice([0.0, 0.01, 0.3]))
    ours, same = run_optimizer(lambda p: Adam(p, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay),
                               params, fresh(grad_fn, replay), 50)
    ref = reference_adam(params, fresh(grad_fn, replay), 50, lr, betas, eps, weight_decay)
    assert same
    assert_same_trajectory(ours, ref)


def test_defaults_are_pytorchs():
    p = [np.zeros(2)]
    r, a, s = RMSProp(p), Adam([np.zeros(2)]), SGD([np.zeros(2)], lr=0.1)
    assert (r.lr, r.alpha, r.eps, r.weight_decay) == (0.01, 0.99, 1e-8, 0.0)
    assert (a.lr, a.betas, a.eps, a.weight_decay) == (0.001, (0.9, 0.999), 1e-8, 0.0)
    assert (s.momentum, s.nesterov, s.weight_decay) == (0.0, False, 0.0)
    params, grad_fn, replay = random_problem(np.random.default_rng(9), "sequence")
    ours, _ = run_optimizer(lambda q: Adam(q), params, fresh(grad_fn, replay), 30)
    assert_same_trajectory(ours, reference_adam(params, fresh(grad_fn, replay), 30))
    ours, _ = run_optimizer(lambda q: RMSProp(q), params, fresh(grad_fn, replay), 30)
    assert_same_trajectory(ours, reference_rmsprop(params, fresh(grad_fn, replay), 30))


# ================================================================ behaviour derived in the notebook
def test_momentum_effective_step_and_plain_sgd():
    p = np.array([0.0])
    opt = SGD([p], lr=0.1, momentum=0.9)
    for _ in range(400):
        opt.step([np.array([1.0])])
    np.testing.assert_allclose(opt.momentum_buffers[0], 1 / (1 - 0.9), rtol=1e-12)
    q = np.array([1.0, -2.0])
    SGD([q], lr=0.5).step([np.array([2.0, 2.0])])
    np.testing.assert_array_equal(q, [0.0, -3.0])


def test_nesterov_first_steps_by_hand():
    p = np.array([0.0])
    opt = SGD([p], lr=0.1, momentum=0.5, nesterov=True)
    opt.step([np.array([1.0])])                         # b = 1, step 0.1 * (1 + 0.5 * 1)
    np.testing.assert_allclose(p, [-0.15], rtol=1e-15)
    opt.step([np.array([2.0])])                         # b = 0.5 + 2 = 2.5, step 0.1 * (2 + 1.25)
    np.testing.assert_allclose(p, [-0.15 - 0.325], rtol=1e-15)


def test_first_steps_of_rmsprop_and_adam():
    g = np.array([1e4, 3.0, -0.02, -5e-3])
    p = np.zeros(4)
    RMSProp([p], lr=0.01, alpha=0.9).step([g])
    np.testing.assert_allclose(p, -0.01 * np.sign(g) / np.sqrt(0.1), rtol=1e-5)
    p = np.zeros(4)
    Adam([p], lr=0.001).step([g])
    np.testing.assert_allclose(p, -0.001 * np.sign(g), rtol=1e-5)
    zero = np.ones(3)
    Adam([zero]).step([np.zeros(3)])                    # zero gradient: no step (0 / (0 + eps))
    np.testing.assert_array_equal(zero, np.ones(3))


@given(st.floats(1e-3, 1e3), st.integers(0, 2**32 - 1))
@settings(max_examples=50, deadline=None)
def test_rmsprop_and_adam_ignore_the_scale_of_the_loss(scale, seed):
    rng = np.random.default_rng(seed)
    start, grads = rng.normal(size=4), [rng.normal(size=4) for _ in range(20)]
    for make in (lambda q: RMSProp(q, lr=0.01, eps=0.0), lambda q: Adam(q, lr=0.01, eps=0.0)):
        a, b = start.copy(), start.copy()
        opt_a, opt_b = make([a]), make([b])
        for g in grads:
            opt_a.step([g])
            opt_b.step([scale * g])
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_tuned_momentum_beats_gradient_descent_on_an_ill_conditioned_quadratic():
    A = np.diag([1.0, 100.0])
    kappa = 100.0
    paths = {}
    mu = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    for name, make in [("gd", lambda q: SGD(q, lr=2 / 101)), ("hb", lambda q: SGD(q, lr=4 / 121, momentum=mu))]:
        x = np.array([1.0, 1.0])
        opt = make([x])
        for _ in range(200):
            opt.step([A @ x])
        paths[name] = np.linalg.norm(x)
    assert paths["hb"] < 1e-12 < 1e-2 < paths["gd"]


# ================================================================ errors
OPTIMIZERS = [lambda p: SGD(p, lr=0.1), lambda p: SGD(p, lr=0.1, momentum=0.9), lambda p: RMSProp(p), lambda p: Adam(p)]


@pytest.mark.parametrize("make", OPTIMIZERS)
def test_params_must_be_a_list_of_float64_arrays(make):
    good = np.zeros(3)
    bad_params = [np.zeros(3, dtype=int), np.zeros(3, dtype=np.float32), (good,), [0.5, 1.5], [], good,
                  [good, [1.0, 2.0]], [np.array([1, 2, 3])], "abc", None]
    for bad in bad_params:
        with pytest.raises(ValueError, match="params must be a list of float64 NumPy arrays"):
            make(bad)
    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="params"):
        make([ro])
    with pytest.raises(ValueError, match=r"params\[1\] must hold finite"):
        make([good, np.array([1.0, np.nan])])
    with pytest.raises(ValueError, match="same array twice"):
        make([good, good])


@pytest.mark.parametrize("make", OPTIMIZERS)
def test_grads_must_match_params_and_leave_them_unchanged_when_wrong(make):
    W, b = np.ones((2, 3)), np.ones(3)
    opt = make([W, b])
    bad_grads = {
        "a single array": np.zeros((2, 3)),
        "too few": [np.zeros((2, 3))],
        "too many": [np.zeros((2, 3)), np.zeros(3), np.zeros(3)],
        "shape mismatch": [np.zeros((3, 2)), np.zeros(3)],
        "broadcastable shape": [np.zeros((2, 3)), np.zeros(1)],
        "NaN": [np.zeros((2, 3)), np.array([0.0, np.nan, 0.0])],
        "inf": [np.full((2, 3), np.inf), np.zeros(3)],
        "text": [np.zeros((2, 3)), ["a", "b", "c"]],
        "None": None,
    }
    for name, grads in bad_grads.items():
        with pytest.raises(ValueError, match="grads"):
            opt.step(grads)
        np.testing.assert_array_equal(W, 1.0, err_msg=name)     # validated before any update
        np.testing.assert_array_equal(b, 1.0, err_msg=name)
    assert opt.t == 0
    opt.step((np.ones((2, 3)), [1.0, 1.0, 1.0]))                 # a tuple of array-likes is fine
    assert opt.t == 1 and not np.array_equal(W, 1.0)


def test_hyperparameter_errors():
    p = [np.zeros(2)]
    for bad in (0, 0.0, -0.1, np.nan, np.inf, True, "0.1", None):
        for cls in (SGD, RMSProp, Adam):
            with pytest.raises(ValueError, match="lr"):
                cls([np.zeros(2)], lr=bad)
    for bad in (-0.1, np.nan, np.inf, "0.9"):
        with pytest.raises(ValueError, match="momentum"):
            SGD(p, lr=0.1, momentum=bad)
    with pytest.raises(ValueError, match="nesterov"):
        SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="nesterov"):
        SGD(p, lr=0.1, momentum=0.0, nesterov=True)
    with pytest.raises(ValueError, match="nesterov"):
        SGD(p, lr=0.1, momentum=0.9, nesterov="yes")
    for cls in (SGD, RMSProp, Adam):
        kwargs = {"lr": 0.1}
        with pytest.raises(ValueError, match="weight_decay"):
            cls([np.zeros(2)], weight_decay=-1e-3, **kwargs)
        with pytest.raises(ValueError, match="weight_decay"):
            cls([np.zeros(2)], weight_decay=np.nan, **kwargs)
    for bad in (-0.01, 1.0, 1.5, np.nan):
        with pytest.raises(ValueError, match="alpha"):
            RMSProp(p, alpha=bad)
    for cls in (RMSProp, Adam):
        for bad in (-1e-8, np.nan, np.inf):
            with pytest.raises(ValueError, match="eps"):
                cls([np.zeros(2)], eps=bad)
    for bad in ((0.9, 1.0), (1.0, 0.999), (-0.1, 0.999), (0.9, -0.5), (0.9,), (0.9, 0.99, 0.9), 0.9, (np.nan, 0.9)):
        with pytest.raises(ValueError, match="betas"):
            Adam(p, betas=bad)


def test_valid_edge_hyperparameters_are_accepted():
    p = [np.zeros(2)]
    SGD(p, lr=1e-300, momentum=0.0, weight_decay=0.0)
    RMSProp([np.zeros(2)], alpha=0.0, eps=0.0)
    Adam([np.zeros(2)], betas=(0.0, 0.0), eps=0.0)
    scalar = np.array(2.0)                                       # 0-d arrays are arrays too
    Adam([scalar], lr=0.5).step([np.array(1.0)])
    assert scalar == pytest.approx(1.5, rel=1e-7)
