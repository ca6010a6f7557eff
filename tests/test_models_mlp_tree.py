"""mlmath.models.MLP and mlmath.models.DecisionTreeClassifier against independent references.

Covers 08-ml-math-case-studies/05-neural-network-math.ipynb (MLP) and
08-ml-math-case-studies/06-decision-tree-from-information-gain.ipynb (DecisionTreeClassifier,
best_split). References: a forward pass and central differences written here from the
definitions (float64, step 1e-6), scipy.special.log_softmax, scikit-learn's MLPClassifier given
the same weights (its forward pass), and sklearn.tree.DecisionTreeClassifier(criterion="entropy")
(its impurities are in bits, like ours; it breaks ties between equally good features at random,
so the trees are compared split by split through the gain of each node, and as whole trees only
where they coincide). Tolerances: gradients to 1e-6 relative (central differences are exact to
about 1e-9 here; a wrong factor is off by order 1), probabilities to 1e-12, gains to 1e-9 bits.
"""
import warnings

import numpy as np
import pytest
import scipy.special as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.tree import DecisionTreeClassifier as SkTree

from mlmath.datasets import load_iris
from mlmath.info import information_gain
from mlmath.models import MLP, DecisionTreeClassifier, best_split

ACTIVATIONS = {"relu": lambda z: np.maximum(z, 0.0), "tanh": np.tanh, "sigmoid": sp.expit}
SKLEARN_NAMES = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic"}


# ----------------------------------------------------------------------------------------------
# MLP
# ----------------------------------------------------------------------------------------------

def reference_logits(params, X, activation):
    """The forward pass from its definition: Z_l = H_{l-1} W_l + b_l, H_l = phi(Z_l), logits Z_L."""
    H = np.asarray(X, dtype=float)
    pre = []
    for k, (W, b) in enumerate(params):
        Z = H @ W + b
        pre.append(Z)
        H = ACTIVATIONS[activation](Z) if k < len(params) - 1 else Z
    return H, pre


def reference_loss(params, X, y, activation):
    logits, _ = reference_logits(params, X, activation)
    return -np.mean(sp.log_softmax(logits, axis=1)[np.arange(len(y)), y])


def central_difference_grads(params, X, y, activation, h=1e-6):
    """d loss / d theta for every entry of every W and b, one coordinate at a time."""
    grads = []
    for W, b in params:
        pair = []
        for P in (W, b):
            G = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                old = P[idx]
                P[idx] = old + h
                up = reference_loss(params, X, y, activation)
                P[idx] = old - h
                down = reference_loss(params, X, y, activation)
                P[idx] = old
                G[idx] = (up - down) / (2 * h)
            pair.append(G)
        grads.append(tuple(pair))
    return grads


def random_problem(seed):
    """A random tiny network (2-4 layers, widths 1-5, 2-4 classes), inputs and labels."""
    gen = np.random.default_rng(seed)
    n_layers = int(gen.integers(1, 4))
    sizes = [int(s) for s in gen.integers(1, 6, size=n_layers)] + [int(gen.integers(2, 5))]
    n = int(gen.integers(1, 7))
    X = gen.normal(size=(n, sizes[0]))
    y = gen.integers(0, sizes[-1], size=n)
    return sizes, X, y, gen


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_loss_and_gradients_match_central_differences(activation):
    checked = 0
    for seed in range(40):
        sizes, X, y, gen = random_problem(seed)
        mlp = MLP(sizes, activation=activation, rng=seed)
        mlp.params = [(W + gen.normal(0, 0.3, W.shape), b + gen.normal(0, 0.3, b.shape)) for W, b in mlp.params]
        _, pre = reference_logits(mlp.params, X, activation)
        if activation == "relu" and any(np.min(np.abs(Z)) < 1e-3 for Z in pre[:-1]):
            continue                                    # too close to the kink for central differences
        loss, grads = mlp.loss_and_gradients(X, y)
        assert isinstance(loss, float)
        assert abs(loss - reference_loss(mlp.params, X, y, activation)) < 1e-12
        ref = central_difference_grads([(W.copy(), b.copy()) for W, b in mlp.params], X, y, activation)
        assert len(grads) == len(mlp.params)
        for (dW, db), (rW, rb), (W, b) in zip(grads, ref, mlp.params, strict=True):
            assert dW.shape == W.shape and db.shape == b.shape
            assert dW.dtype == np.float64 and db.dtype == np.float64
            scale = max(1.0, np.abs(rW).max(), np.abs(rb).max())
            np.testing.assert_allclose(dW, rW, rtol=1e-6, atol=1e-8 * scale)
            np.testing.assert_allclose(db, rb, rtol=1e-6, atol=1e-8 * scale)
        checked += 1
    assert checked >= 30


def test_gradient_of_the_loss_with_large_logits_is_finite_and_exact():
    mlp = MLP([2, 3], activation="relu", rng=0)
    mlp.params = [(np.array([[500.0, -500.0, 0.0], [0.0, 0.0, 1000.0]]), np.zeros(3))]
    X, y = np.array([[1.0, 1.0], [1.0, -1.0]]), np.array([1, 0])
    loss, [(dW, db)] = mlp.loss_and_gradients(X, y)
    P = sp.softmax(X @ mlp.params[0][0], axis=1)
    D = (P - np.eye(3)[y]) / 2
    assert np.isfinite(loss) and abs(loss - reference_loss(mlp.params, X, y, "relu")) < 1e-9
    np.testing.assert_allclose(dW, X.T @ D, atol=1e-15)
    np.testing.assert_allclose(db, D.sum(axis=0), atol=1e-15)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("hidden", [(6,), (5, 4), (7, 3, 5)])
def test_predict_proba_matches_sklearn_forward_pass(activation, hidden):
    gen = np.random.default_rng(len(hidden))
    X = gen.normal(size=(30, 4))
    y = np.arange(30) % 3
    mlp = MLP([4, *hidden, 3], activation=activation, rng=11)
    sk = MLPClassifier(hidden_layer_sizes=hidden, activation=SKLEARN_NAMES[activation], random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk.partial_fit(X, y, classes=[0, 1, 2])
    assert sk.out_activation_ == "softmax"
    sk.coefs_ = [W.copy() for W, _ in mlp.params]
    sk.intercepts_ = [b.copy() for _, b in mlp.params]
    X_new = gen.normal(size=(50, 4)) * 3
    np.testing.assert_allclose(mlp.predict_proba(X_new), sk.predict_proba(X_new), rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(mlp.predict(X_new), sk.predict(X_new))
    assert mlp.predict(X_new).shape == (50,)


def test_two_classes_match_sklearn_logistic_output():
    """sklearn uses one logistic output unit for two classes: softmax(z0, z1) = sigmoid(z1 - z0)."""
    gen = np.random.default_rng(3)
    X = gen.normal(size=(20, 3))
    y = np.arange(20) % 2
    mlp = MLP([3, 5, 2], activation="tanh", rng=4)
    mlp.params[1] = (mlp.params[1][0], gen.normal(size=2))
    sk = MLPClassifier(hidden_layer_sizes=(5,), activation="tanh", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk.partial_fit(X, y, classes=[0, 1])
    (W1, b1), (W2, b2) = mlp.params
    sk.coefs_ = [W1.copy(), (W2[:, 1] - W2[:, 0])[:, None]]
    sk.intercepts_ = [b1.copy(), np.array([b2[1] - b2[0]])]
    np.testing.assert_allclose(mlp.predict_proba(X), sk.predict_proba(X), rtol=1e-12, atol=1e-14)


def test_params_shapes_dtype_and_initial_scale():
    for activation in ["relu", "tanh", "sigmoid"]:
        mlp = MLP([400, 300, 10], activation=activation, rng=5)
        assert [(W.shape, b.shape) for W, b in mlp.params] == [((400, 300), (300,)), ((300, 10), (10,))]
        for W, b in mlp.params:
            assert W.dtype == np.float64 and b.dtype == np.float64
            assert np.all(b == 0)
        W1 = mlp.params[0][0]
        expected = np.sqrt(2 / 400) if activation == "relu" else np.sqrt(2 / 700)
        assert abs(W1.std() / expected - 1) < 0.02, (activation, W1.std(), expected)
        assert abs(W1.mean()) < 0.1 * expected


def test_rng_seed_and_generator_reproduce_initialisation_and_training():
    X, y = load_iris()
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    for rng_a, rng_b in [(7, 7), (np.random.default_rng(7), np.random.default_rng(7))]:
        a = MLP([4, 8, 3], rng=rng_a).fit(X, y, epochs=3, batch_size=16)
        b = MLP([4, 8, 3], rng=rng_b).fit(X, y, epochs=3, batch_size=16)
        for (Wa, ba), (Wb, bb) in zip(a.params, b.params, strict=True):
            np.testing.assert_array_equal(Wa, Wb)
            np.testing.assert_array_equal(ba, bb)
        assert a.loss_curve_ == b.loss_curve_
    c = MLP([4, 8, 3], rng=8).fit(X, y, epochs=3, batch_size=16)
    assert not np.array_equal(c.params[0][0], a.params[0][0])
    d = MLP([4, 8, 3], rng=7).fit(X, y, epochs=1, batch_size=150)              # one full-batch step: the
    e = MLP([4, 8, 3], rng=7).fit(X[::-1], y[::-1], epochs=1, batch_size=150)  # order of the rows is irrelevant
    np.testing.assert_allclose(d.params[0][0], e.params[0][0], atol=1e-12)


@pytest.mark.parametrize("optimizer,lr", [("adam", 0.01), ("sgd", 0.5)])
def test_training_reduces_the_loss(optimizer, lr):
    X, y = load_iris()
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    mlp = MLP([4, 16, 3], activation="tanh", rng=1)
    before = mlp.loss_and_gradients(X, y)[0]
    assert mlp.fit(X, y, epochs=30, batch_size=10, optimizer=optimizer, lr=lr) is mlp
    after = mlp.loss_and_gradients(X, y)[0]
    assert len(mlp.loss_curve_) == 30
    assert after < 0.25 * before and after < 0.2
    assert mlp.loss_curve_[-1] < mlp.loss_curve_[0]
    assert np.mean(mlp.predict(X) == y) > 0.95


def test_one_full_batch_step_is_exactly_the_optimizer_update():
    gen = np.random.default_rng(2)
    X, y = gen.normal(size=(12, 3)), gen.integers(0, 3, size=12)
    for optimizer in ["sgd", "adam"]:
        mlp = MLP([3, 4, 3], activation="sigmoid", rng=9)
        before = [(W.copy(), b.copy()) for W, b in mlp.params]
        _, grads = mlp.loss_and_gradients(X, y)
        mlp.fit(X, y, epochs=1, batch_size=100, optimizer=optimizer, lr=0.1)
        for (W0, b0), (dW, db), (W, b) in zip(before, grads, mlp.params, strict=True):
            for p0, g, p in [(W0, dW, W), (b0, db, b)]:
                step = g if optimizer == "sgd" else g / (np.abs(g) + 1e-8)   # Adam's first step: m/sqrt(v) = g/|g|
                np.testing.assert_allclose(p, p0 - 0.1 * step, rtol=1e-12, atol=1e-15)


def test_fit_calls_the_callback_after_every_epoch_and_keeps_inputs():
    gen = np.random.default_rng(4)
    X, y = gen.normal(size=(25, 2)), gen.integers(0, 2, size=25)
    X0, y0 = X.copy(), y.copy()
    seen = []
    mlp = MLP([2, 3, 2], rng=0).fit(X, y, epochs=4, batch_size=7, callback=lambda e, m: seen.append((e, m)))
    assert [e for e, _ in seen] == [1, 2, 3, 4] and all(m is mlp for _, m in seen)
    mlp.loss_and_gradients(X, y)
    mlp.predict_proba(X)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_allclose(mlp.predict_proba(X).sum(axis=1), 1.0)
    Xf = np.array(X, dtype=np.float32)                 # other dtypes are converted, labels may be whole floats
    assert MLP([2, 2], rng=0).loss_and_gradients(Xf, y.astype(float))[0] > 0


def test_mlp_errors():
    with pytest.raises(ValueError, match="activation"):
        MLP([3, 2], activation="softplus")
    for bad in [[3], [], "32", 5, [3, 0, 2], [3, 2.5, 2], [3, True, 2], [3, 4, 1]]:
        with pytest.raises(ValueError, match="layer_sizes"):
            MLP(bad)
    with pytest.raises(ValueError, match="rng"):
        MLP([3, 2], rng="seed")
    mlp = MLP([3, 4, 3], rng=0)
    X, y = np.ones((5, 3)), np.array([0, 1, 2, 0, 1])
    for bad_X in [np.ones((5, 2)), np.ones(3), np.ones((0, 3)), np.ones((2, 3, 1))]:
        for method, args in [(mlp.loss_and_gradients, (bad_X, y)), (mlp.predict, (bad_X,)),
                             (mlp.predict_proba, (bad_X,)), (mlp.fit, (bad_X, y, 1, 2))]:
            with pytest.raises(ValueError, match="X"):
                method(*args)
    for value in [np.nan, np.inf, -np.inf]:
        X_bad = X.copy()
        X_bad[2, 1] = value
        with pytest.raises(ValueError, match="X"):
            mlp.loss_and_gradients(X_bad, y)
        with pytest.raises(ValueError, match="X"):
            mlp.predict(X_bad)
    for bad_y in [[0, 1, 2], np.array([[0, 1, 2, 0, 1]]), [0, 1, 3, 0, 1], [0, -1, 2, 0, 1],
                  [0.5, 1, 2, 0, 1], [0, np.nan, 2, 0, 1], ["a", "b", "c", "a", "b"]]:
        with pytest.raises(ValueError, match="y"):
            mlp.loss_and_gradients(X, bad_y)
        with pytest.raises(ValueError, match="y"):
            mlp.fit(X, bad_y, epochs=1, batch_size=2)
    for kwargs, name in [({"epochs": 0}, "epochs"), ({"epochs": 1.5}, "epochs"), ({"batch_size": 0}, "batch_size"),
                         ({"batch_size": True}, "batch_size"), ({"optimizer": "rmsprop"}, "optimizer"),
                         ({"lr": 0.0}, "lr"), ({"lr": -1.0}, "lr"), ({"lr": np.nan}, "lr"),
                         ({"callback": 3}, "callback")]:
        args = {"epochs": 1, "batch_size": 2, **kwargs}
        with pytest.raises(ValueError, match=name):
            mlp.fit(X, y, **args)


def test_divergence_is_reported():
    gen = np.random.default_rng(0)
    X, y = gen.normal(size=(50, 3)) * 100, gen.integers(0, 3, size=50)
    with np.errstate(all="ignore"), pytest.raises(ValueError, match="lr|diverg"):
        MLP([3, 50, 3], rng=0).fit(X, y, epochs=50, batch_size=50, optimizer="sgd", lr=1e6)


# ----------------------------------------------------------------------------------------------
# DecisionTreeClassifier
# ----------------------------------------------------------------------------------------------

def sk_tree(X, y, random_state=0, **kwargs):
    return SkTree(criterion="entropy", random_state=random_state, **kwargs).fit(X, y)


def sk_gain(tree, node):
    """Impurity decrease (bits) of an internal node of a fitted sklearn tree."""
    t = tree.tree_
    left, right = t.children_left[node], t.children_right[node]
    n, nl, nr = t.n_node_samples[node], t.n_node_samples[left], t.n_node_samples[right]
    return t.impurity[node] - (nl * t.impurity[left] + nr * t.impurity[right]) / n


def same_structure(ours, theirs, node=0):
    """True when the two trees ask the same questions everywhere (thresholds within float32 rounding)."""
    t = theirs.tree_
    leaf = t.children_left[node] == -1
    if ours["leaf"] or leaf:
        return ours["leaf"] and leaf
    return (ours["feature"] == t.feature[node] and abs(ours["threshold"] - t.threshold[node]) < 1e-5
            and same_structure(ours["left"], theirs, t.children_left[node])
            and same_structure(ours["right"], theirs, t.children_right[node]))


def random_data(seed, n=60, d=3, n_classes=3, decimals=1):
    """Features rounded to `decimals` (repeated values, exact in float32 order), random labels."""
    gen = np.random.default_rng(seed)
    X = np.round(gen.normal(size=(n, d)), decimals)
    y = gen.integers(0, n_classes, size=n)
    return X, y


def test_iris_root_split_and_depth_one_match_sklearn():
    X, y = load_iris()
    ours = DecisionTreeClassifier(max_depth=1).fit(X, y)
    assert (ours.tree_["feature"], ours.tree_["threshold"]) == (2, 2.45)     # petal length, the lower index of a tie
    roots = set()
    for rs in range(10):
        sk = sk_tree(X, y, random_state=rs, max_depth=1)
        assert abs(sk_gain(sk, 0) - ours.tree_["gain"]) < 1e-9
        roots.add((int(sk.tree_.feature[0]), round(float(sk.tree_.threshold[0]), 4)))
        np.testing.assert_array_equal(ours.predict(X), sk.predict(X))
    assert (2, 2.45) in roots and roots <= {(2, 2.45), (3, 0.8)}


def test_iris_full_trees_match_sklearn():
    X, y = load_iris()
    ours = DecisionTreeClassifier().fit(X, y)
    coincided = 0
    for rs in range(100):                       # ties between features: sklearn's choice depends on the seed
        sk = sk_tree(X, y, random_state=rs)
        assert np.mean(ours.predict(X) == y) == np.mean(sk.predict(X) == y)
        if same_structure(ours.tree_, sk):
            coincided += 1
            assert ours.depth_ == sk.get_depth() and ours.n_leaves_ == sk.get_n_leaves()
            X_new = np.random.default_rng(rs).uniform(X.min(axis=0), X.max(axis=0), size=(500, 4))
            np.testing.assert_array_equal(ours.predict(X_new), sk.predict(X_new))
    assert coincided >= 3


@pytest.mark.parametrize("max_depth", [2, 4, None])
def test_every_split_of_sklearn_has_our_best_gain(max_depth):
    for seed in range(8):
        X, y = random_data(seed, n=80, d=4, n_classes=3)
        sk = sk_tree(X, y, max_depth=max_depth)
        paths = sk.decision_path(X).toarray().astype(bool)        # paths[i, node]: sample i reaches node
        t = sk.tree_
        for node in range(t.node_count):
            if t.children_left[node] == -1:
                continue
            rows = paths[:, node]
            split = best_split(X[rows], y[rows])
            assert split is not None
            assert abs(split[2] - sk_gain(sk, node)) < 1e-9, (seed, node)


@pytest.mark.parametrize("n_classes,decimals", [(2, 1), (3, 1), (4, 2), (3, 0)])
def test_random_trees_match_sklearn_where_they_coincide(n_classes, decimals):
    coincided = 0
    for seed in range(15):
        X, y = random_data(seed, n=70, d=3, n_classes=n_classes, decimals=decimals)
        for kwargs in [{"max_depth": 3}, {"min_samples_split": 10}, {}]:
            ours = DecisionTreeClassifier(**kwargs).fit(X, y)
            sk = sk_tree(X, y, **kwargs)
            if not kwargs:                               # fully grown: both fit every separable sample
                assert np.mean(ours.predict(X) == y) == np.mean(sk.predict(X) == y)
            if same_structure(ours.tree_, sk):
                coincided += 1
                np.testing.assert_array_equal(ours.predict(X), sk.predict(X))
                X_new = np.random.default_rng(seed).normal(size=(200, 3)) * 1.5
                X_new = np.round(X_new, 3) + 0.0005                # away from the thresholds (midpoints)
                np.testing.assert_array_equal(ours.predict(X_new), sk.predict(X_new))
    assert coincided >= 20, coincided


def test_fully_grown_training_accuracy_equals_sklearn_with_conflicting_duplicates():
    for seed in range(20):
        X, y = random_data(seed, n=50, d=2, n_classes=3, decimals=0)     # many duplicates, some conflicting
        ours = DecisionTreeClassifier().fit(X, y)
        sk = sk_tree(X, y)
        assert np.mean(ours.predict(X) == y) == np.mean(sk.predict(X) == y)
        np.testing.assert_array_equal(ours.predict(X), sk.predict(X))


def test_max_depth_min_samples_split_and_pure_leaves():
    for seed in range(10):
        X, y = random_data(seed, n=100, d=3, n_classes=3)
        for max_depth in [1, 2, 3, 5, None]:
            for mss in [2, 5, 20]:
                tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_split=mss).fit(X, y)
                if max_depth is not None:
                    assert tree.depth_ <= max_depth
                nodes = list(tree.nodes())
                assert tree.n_leaves_ == sum(node["leaf"] for node in nodes)
                assert nodes[0]["n_samples"] == 100
                for node in nodes:
                    assert node["counts"].sum() == node["n_samples"]
                    if node["leaf"]:
                        stopped = ((max_depth is not None and node["depth"] == max_depth)
                                   or node["n_samples"] < mss or np.count_nonzero(node["counts"]) == 1)
                        assert stopped, node
                    else:
                        assert node["n_samples"] >= mss and np.count_nonzero(node["counts"]) > 1
                        assert node["gain"] >= 0
                        np.testing.assert_array_equal(node["counts"], node["left"]["counts"] + node["right"]["counts"])
    X, y = random_data(1, n=100, d=3, decimals=3)                        # no duplicates: every leaf pure
    tree = DecisionTreeClassifier().fit(X, y)
    assert all(np.count_nonzero(node["counts"]) == 1 for node in tree.nodes() if node["leaf"])
    np.testing.assert_array_equal(tree.predict(X), y)


def test_best_split_against_information_gain_one_by_one():
    for seed in range(30):
        X, y = random_data(seed, n=30, d=3, n_classes=int(2 + seed % 3))
        best = None
        for j in range(3):
            values = np.unique(X[:, j])
            for t in (values[:-1] + values[1:]) / 2:
                g = information_gain(y, X[:, j] <= t)
                if best is None or g > best[2] + 1e-12:
                    best = (j, t, g)
        j, t, g = best_split(X, y)
        assert (j, t) == best[:2] and abs(g - best[2]) < 1e-12
    assert best_split(np.ones((4, 2)), [0, 1, 0, 1]) is None                # constant features: no split
    assert best_split([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])[2] == 0.0


def test_xor_needs_a_zero_gain_split_and_labels_are_kept():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    tree = DecisionTreeClassifier().fit(X, [0, 1, 1, 0])
    assert tree.tree_["gain"] == 0.0 and tree.depth_ == 2
    np.testing.assert_array_equal(tree.predict(X), [0, 1, 1, 0])
    X, y = random_data(3, n=60, n_classes=3)
    labels = np.array([7, -2, 40])[y]                                      # any integer labels
    tree = DecisionTreeClassifier(max_depth=3).fit(X, labels)
    np.testing.assert_array_equal(tree.classes_, [-2, 7, 40])
    assert set(np.unique(tree.predict(X))) <= {-2, 7, 40}
    np.testing.assert_array_equal(tree.predict(X), np.array([7, -2, 40])[DecisionTreeClassifier(max_depth=3).fit(X, y)
                                                                            .predict(X)])
    assert "class" in tree.to_text() and "<=" in tree.to_text(["a", "b", "c"], ["p", "q", "r"])


def test_inputs_are_not_modified():
    X, y = random_data(5, n=40)
    X0, y0 = X.copy(), y.copy()
    tree = DecisionTreeClassifier(max_depth=3).fit(X, y)
    tree.predict(X)
    best_split(X, y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_tree_errors():
    for bad in [0, -1, 1.5, True, "3"]:
        with pytest.raises(ValueError, match="max_depth"):
            DecisionTreeClassifier(max_depth=bad)
    for bad in [1, 0, 2.5, False, None]:
        with pytest.raises(ValueError, match="min_samples_split"):
            DecisionTreeClassifier(min_samples_split=bad)
    X, y = random_data(0, n=10)
    tree = DecisionTreeClassifier()
    with pytest.raises(ValueError, match="fit"):
        tree.predict(X)
    for bad_X in [X[:, 0], np.ones((0, 3)), np.ones((10, 0)), X[None]]:
        with pytest.raises(ValueError, match="X"):
            tree.fit(bad_X, y)
        with pytest.raises(ValueError, match="X"):
            best_split(bad_X, y)
    for value in [np.nan, np.inf]:
        X_bad = X.copy()
        X_bad[3, 2] = value
        with pytest.raises(ValueError, match="X"):
            tree.fit(X_bad, y)
    for bad_y in [y[:5], y[:, None], y + 0.5, np.where(y == 0, np.nan, y), np.array(["a"] * 10)]:
        with pytest.raises(ValueError, match="y"):
            tree.fit(X, bad_y)
        with pytest.raises(ValueError, match="y"):
            best_split(X, bad_y)
    tree.fit(X, y)
    with pytest.raises(ValueError, match="X"):
        tree.predict(X[:, :2])
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="X"):
        tree.predict(X_nan)
