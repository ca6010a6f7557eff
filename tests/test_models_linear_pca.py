"""mlmath.models' LinearRegression, LogisticRegression and PCA against scikit-learn.

Covers 08-ml-math-case-studies/01-linear-regression-from-scratch.ipynb (LinearRegression),
02-logistic-regression-from-scratch.ipynb (LogisticRegression) and 04-pca-from-scratch.ipynb (PCA):
the fitted attributes against sklearn.linear_model.LinearRegression / Ridge(alpha=l2) /
LogisticRegression(C=1/l2) and sklearn.decomposition.PCA on many random and real problems, the
properties the notebooks derive, every promised error, untouched inputs, and that the module calls
no solver or decomposition of numpy.linalg.
"""
import re
from pathlib import Path

import numpy as np
import pytest
import sklearn.decomposition
import sklearn.linear_model
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.linalg import LinAlgError
from sklearn.metrics import r2_score

from mlmath import models
from mlmath.datasets import load_diabetes, load_digits, load_iris
from mlmath.models import PCA, LinearRegression, LogisticRegression

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
EPS = np.finfo(float).eps


def regression_problem(rng, n, d, scale_spread=True):
    """X (n, d) with columns of different sizes and offsets, y = X w + b + noise."""
    scales = 10.0 ** rng.uniform(-1, 1, d) if scale_spread else np.ones(d)
    X = rng.standard_normal((n, d)) * scales + rng.uniform(-5, 5, d)
    y = X @ rng.standard_normal(d) + rng.uniform(-3, 3) + 0.5 * rng.standard_normal(n)
    return X, y


def sklearn_linear(l2, fit_intercept):
    if l2 == 0:
        return sklearn.linear_model.LinearRegression(fit_intercept=fit_intercept)
    return sklearn.linear_model.Ridge(alpha=l2, fit_intercept=fit_intercept, solver="svd")


def assert_close_to(got, want, kappa, factor=1e3):
    """Forward error within factor * eps * kappa^2 of the reference's scale (both solvers are backward stable)."""
    tol = factor * EPS * max(kappa, 1.0) ** 2 * (1 + np.abs(want).max())
    np.testing.assert_allclose(got, want, rtol=0, atol=tol)


# ---------------------------------------------------------------- LinearRegression


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, shape=st.sampled_from(["tall", "nearly square", "square"]),
       fit_intercept=st.booleans(), l2=st.sampled_from([0.0, 1e-3, 0.5, 10.0, 1e3]))
def test_linear_regression_matches_sklearn(seed, shape, fit_intercept, l2):
    rng = np.random.default_rng(seed)
    d = int(rng.integers(1, 12))
    n = {"tall": 5 * d + 10, "nearly square": d + 2, "square": d + int(fit_intercept)}[shape]
    X, y = regression_problem(rng, n, d)
    ours = LinearRegression(l2=l2, fit_intercept=fit_intercept).fit(X, y)
    ref = sklearn_linear(l2, fit_intercept).fit(X, y)
    A = X - X.mean(axis=0) if fit_intercept else X
    s = np.linalg.svd(A, compute_uv=False)
    kappa = np.sqrt((s[0] ** 2 + l2) / max(s[-1] ** 2 + l2, 1e-300))
    assert ours.coef_.shape == (d,) and isinstance(ours.intercept_, float)
    assert_close_to(ours.coef_, ref.coef_, kappa)
    assert_close_to(np.array([ours.intercept_]), np.array([float(ref.intercept_)]), kappa * (1 + np.abs(X).max()))
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-6, atol=1e-6 * (1 + np.abs(y).max()))
    if not fit_intercept:
        assert ours.intercept_ == 0.0


def test_linear_regression_many_tall_problems_tight():
    """On well-conditioned tall problems the weights agree with scikit-learn to about 1e-10."""
    for seed in range(40):
        rng = np.random.default_rng(seed)
        n, d = int(rng.integers(20, 200)), int(rng.integers(1, 15))
        X, y = regression_problem(rng, n, d, scale_spread=False)
        for l2 in (0.0, 0.1, 5.0):
            for fit_intercept in (True, False):
                ours = LinearRegression(l2=l2, fit_intercept=fit_intercept).fit(X, y)
                ref = sklearn_linear(l2, fit_intercept).fit(X, y)
                np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9, atol=1e-10)
                np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-9, atol=1e-9)


def test_linear_regression_ridge_wide_data():
    """With l2 > 0 the augmented system has full column rank even when d > n."""
    rng = np.random.default_rng(1)
    X, y = regression_problem(rng, 8, 20)
    for fit_intercept in (True, False):
        ours = LinearRegression(l2=2.0, fit_intercept=fit_intercept).fit(X, y)
        ref = sklearn.linear_model.Ridge(alpha=2.0, fit_intercept=fit_intercept, solver="svd").fit(X, y)
        np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8, atol=1e-8)


def test_linear_regression_closed_forms_and_diabetes():
    X, y = load_diabetes()
    ols = LinearRegression().fit(X, y)
    A = np.column_stack([X, np.ones(len(y))])
    theta = np.linalg.lstsq(A, y, rcond=None)[0]
    np.testing.assert_allclose(np.r_[ols.coef_, ols.intercept_], theta, rtol=1e-9)
    # the residual is orthogonal to every column (normal equations) and sums to zero
    r = y - ols.predict(X)
    assert abs(r.sum()) < 1e-8 * np.abs(y).sum()
    assert np.max(np.abs(X.T @ r)) < 1e-8 * np.abs(X).max() * np.abs(y).sum()
    # ridge: (Xc^T Xc + l2 I) w = Xc^T yc and b = mean(y) - mean(x) . w
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    ridge = LinearRegression(l2=30.0).fit(X, y)
    np.testing.assert_allclose(ridge.coef_, np.linalg.solve(Xc.T @ Xc + 30 * np.eye(10), Xc.T @ yc), rtol=1e-8)
    np.testing.assert_allclose(ridge.intercept_, y.mean() - X.mean(axis=0) @ ridge.coef_, rtol=1e-12)
    # score is R^2
    np.testing.assert_allclose(ols.score(X, y), r2_score(y, ols.predict(X)), rtol=1e-12)
    np.testing.assert_allclose(ridge.score(X[:100], y[:100]), r2_score(y[:100], ridge.predict(X[:100])), rtol=1e-12)


def test_linear_regression_one_by_one_and_exact_fit():
    ours = LinearRegression(fit_intercept=False).fit([[2.0]], [3.0])
    assert ours.coef_.shape == (1,) and np.isclose(ours.coef_[0], 1.5)
    ours = LinearRegression().fit([[0.0], [1.0]], [1.0, 3.0])
    np.testing.assert_allclose([ours.coef_[0], ours.intercept_], [2.0, 1.0], rtol=1e-14)
    assert ours.score([[0.0], [1.0]], [1.0, 3.0]) == 1.0


def test_linear_regression_rank_deficient_raises_linalgerror():
    rng = np.random.default_rng(3)
    X, y = regression_problem(rng, 30, 3)
    X_dup = np.column_stack([X, X[:, 0]])
    with pytest.raises(LinAlgError, match="rank deficient"):
        LinearRegression().fit(X_dup, y)
    with pytest.raises(LinAlgError, match="rank deficient"):
        LinearRegression().fit(np.column_stack([X, np.full(30, 7.0)]), y)   # a constant column, centred away
    ridge = LinearRegression(l2=1.0).fit(X_dup, y)                           # fine with a penalty
    ref = sklearn.linear_model.Ridge(alpha=1.0, solver="svd").fit(X_dup, y)
    np.testing.assert_allclose(ridge.coef_, ref.coef_, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("make, match", [
    (lambda: LinearRegression(l2=-1.0), "l2"),
    (lambda: LinearRegression(l2=np.nan), "l2"),
    (lambda: LinearRegression(l2=np.inf), "l2"),
    (lambda: LinearRegression(l2="1"), "l2"),
    (lambda: LinearRegression(l2=True), "l2"),
    (lambda: LinearRegression(fit_intercept=1), "fit_intercept"),
    (lambda: LinearRegression().fit(np.ones(5), np.ones(5)), "X"),
    (lambda: LinearRegression().fit(np.ones((5, 2, 1)), np.ones(5)), "X"),
    (lambda: LinearRegression().fit(np.empty((0, 2)), np.empty(0)), "X"),
    (lambda: LinearRegression().fit(np.empty((5, 0)), np.ones(5)), "X"),
    (lambda: LinearRegression().fit([[1.0, np.nan], [2.0, 3.0], [4.0, 5.0]], [1.0, 2.0, 3.0]), "X"),
    (lambda: LinearRegression().fit([[1.0, np.inf], [2.0, 3.0], [4.0, 5.0]], [1.0, 2.0, 3.0]), "X"),
    (lambda: LinearRegression().fit(np.eye(4), [1.0, 2.0, np.nan, 3.0]), "y"),
    (lambda: LinearRegression().fit(np.eye(4), np.ones((4, 1))), "y"),
    (lambda: LinearRegression().fit(np.eye(4), np.ones(3)), "y"),
    (lambda: LinearRegression().fit(np.ones((3, 3)), np.ones(3)), "X"),                  # n < d + 1
    (lambda: LinearRegression(fit_intercept=False).fit(np.ones((2, 3)), np.ones(2)), "X"),  # n < d
    (lambda: LinearRegression().predict(np.eye(3)), "call fit before predict"),
    (lambda: LinearRegression().score(np.eye(3), np.ones(3)), "call fit before score"),
    (lambda: LinearRegression().fit(np.random.default_rng(0).standard_normal((9, 2)), np.ones(9)).predict(np.eye(3)),
     "X"),
])
def test_linear_regression_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_linear_regression_l2_checked_again_in_fit():
    model = LinearRegression()
    model.l2 = -2.0
    with pytest.raises(ValueError, match="l2"):
        model.fit(np.eye(4), np.ones(4))


# ---------------------------------------------------------------- LogisticRegression


def sklearn_logistic(l2, fit_intercept):
    return sklearn.linear_model.LogisticRegression(C=1 / l2, fit_intercept=fit_intercept, tol=1e-12,
                                                   max_iter=10_000, solver="newton-cholesky")


def logistic_problem(rng, n, d):
    X = rng.standard_normal((n, d)) * rng.uniform(0.2, 3.0, d) + rng.uniform(-1, 1, d)
    z = X @ rng.standard_normal(d) + rng.uniform(-1, 1)
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(int)
    y[:2] = [0, 1]                                      # both classes present
    return X, y


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, fit_intercept=st.booleans(), l2=st.sampled_from([1e-3, 0.1, 1.0, 10.0, 100.0]))
def test_logistic_regression_matches_sklearn(seed, fit_intercept, l2):
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(10, 150)), int(rng.integers(1, 8))
    X, y = logistic_problem(rng, n, d)
    ours = LogisticRegression(l2=l2, fit_intercept=fit_intercept).fit(X, y)
    ref = sklearn_logistic(l2, fit_intercept).fit(X, y)
    assert ours.coef_.shape == (d,) and isinstance(ours.intercept_, float)
    np.testing.assert_allclose(ours.coef_, ref.coef_[0], rtol=0, atol=1e-5)
    np.testing.assert_allclose(ours.intercept_, float(ref.intercept_[0]) if fit_intercept else 0.0, rtol=0, atol=1e-5)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)


def test_logistic_regression_optimality_conditions():
    """At the solution the gradient X^T (p - y) + l2 (w, 0) vanishes, to far better than 1e-5."""
    for seed in range(30):
        rng = np.random.default_rng(seed)
        X, y = logistic_problem(rng, 80, 4)
        for l2 in (0.01, 1.0):
            model = LogisticRegression(l2=l2).fit(X, y)
            p = model.predict_proba(X)[:, 1]
            A = np.column_stack([X, np.ones(len(y))])
            grad = A.T @ (p - y) + l2 * np.r_[model.coef_, 0.0]
            assert np.max(np.abs(grad)) < 1e-8 * len(y)
            # and it is the minimiser: the loss is larger at nearby points
            def f(w, b, X=X, y=y, l2=l2):
                z = X @ w + b
                return np.sum(np.logaddexp(0, z) - y * z) + l2 / 2 * w @ w
            f0 = f(model.coef_, model.intercept_)
            for _ in range(5):
                dw, db = 1e-3 * rng.standard_normal(4), 1e-3 * rng.standard_normal()
                assert f(model.coef_ + dw, model.intercept_ + db) > f0


@pytest.mark.parametrize("positive", [(0,), (1,), (2,), (1, 2)])
@pytest.mark.parametrize("l2", [1e-4, 0.01, 1.0, 10.0])
def test_logistic_regression_iris_matches_sklearn(positive, l2):
    X, species = load_iris()
    y = np.isin(species, positive).astype(int)         # (0,) setosa vs rest is separable: small l2 needs damping
    ours = LogisticRegression(l2=l2).fit(X, y)
    ref = sklearn_logistic(l2, True).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_[0], rtol=0, atol=1e-5)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_[0], rtol=0, atol=1e-5)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.score(X, y) == pytest.approx(ref.score(X, y))


def test_logistic_regression_two_iris_species_two_features():
    X, species = load_iris()
    keep = species > 0
    Xp, y = X[keep][:, 2:4], (species[keep] == 2).astype(int)
    for fit_intercept in (True, False):
        ours = LogisticRegression(l2=0.5, fit_intercept=fit_intercept).fit(Xp, y)
        ref = sklearn_logistic(0.5, fit_intercept).fit(Xp, y)
        np.testing.assert_allclose(ours.coef_, ref.coef_[0], rtol=0, atol=1e-5)


def test_logistic_regression_outputs():
    rng = np.random.default_rng(5)
    X, y = logistic_problem(rng, 60, 3)
    model = LogisticRegression().fit(X, y)
    proba = model.predict_proba(X)
    z = model.decision_function(X)
    assert proba.shape == (60, 2) and model.predict(X).dtype == np.int64
    np.testing.assert_allclose(z, X @ model.coef_ + model.intercept_, rtol=1e-14)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_array_equal(model.predict(X), (z > 0).astype(int))
    np.testing.assert_array_equal(model.classes_, [0, 1])
    assert 1 <= model.n_iter_ <= 100
    # extreme scores stay finite and exact
    far = model.predict_proba(1e6 * X[:5])
    assert np.all(np.isfinite(far)) and np.all((far == 0) | (far == 1) | ((far > 0) & (far < 1)))


def test_logistic_regression_accepts_bool_and_float_labels():
    rng = np.random.default_rng(8)
    X, y = logistic_problem(rng, 40, 2)
    a = LogisticRegression().fit(X, y)
    b = LogisticRegression().fit(X, y.astype(bool))
    c = LogisticRegression().fit(X, y.astype(float))
    np.testing.assert_array_equal(a.coef_, b.coef_)
    np.testing.assert_array_equal(a.coef_, c.coef_)


def test_logistic_regression_nonconvergence_raises_linalgerror():
    X, species = load_iris()
    y = (species == 0).astype(int)                      # separable: no minimiser without a penalty
    with pytest.raises(LinAlgError, match="converge"):
        LogisticRegression(l2=0.0).fit(X, y)
    with pytest.raises(LinAlgError, match="converge"):
        LogisticRegression(l2=1e-4, max_iter=2).fit(X, y)


@pytest.mark.parametrize("make, match", [
    (lambda: LogisticRegression(l2=-0.1), "l2"),
    (lambda: LogisticRegression(l2=np.nan), "l2"),
    (lambda: LogisticRegression(fit_intercept="yes"), "fit_intercept"),
    (lambda: LogisticRegression(max_iter=0), "max_iter"),
    (lambda: LogisticRegression(max_iter=2.5), "max_iter"),
    (lambda: LogisticRegression(max_iter=True), "max_iter"),
    (lambda: LogisticRegression(tol=0.0), "tol"),
    (lambda: LogisticRegression(tol=-1e-8), "tol"),
    (lambda: LogisticRegression().fit(np.ones(4), [0, 1, 0, 1]), "X"),
    (lambda: LogisticRegression().fit(np.empty((0, 2)), []), "X"),
    (lambda: LogisticRegression().fit([[np.nan], [1.0]], [0, 1]), "X"),
    (lambda: LogisticRegression().fit(np.eye(3), [0, 1, 2]), "y"),
    (lambda: LogisticRegression().fit(np.eye(3), [0, 1, 0.5]), "y"),
    (lambda: LogisticRegression().fit(np.eye(3), [0, 1, np.nan]), "y"),
    (lambda: LogisticRegression().fit(np.eye(3), [-1, 1, 1]), "y"),
    (lambda: LogisticRegression().fit(np.eye(3), ["a", "b", "a"]), "y"),
    (lambda: LogisticRegression().fit(np.eye(3), [1, 1, 1]), "y"),
    (lambda: LogisticRegression().fit(np.eye(3), [0, 1]), "y"),
    (lambda: LogisticRegression().fit(np.eye(3), [[0], [1], [0]]), "y"),
    (lambda: LogisticRegression().predict(np.eye(3)), "call fit before predict"),
    (lambda: LogisticRegression().predict_proba(np.eye(3)), "call fit before predict_proba"),
    (lambda: LogisticRegression().decision_function(np.eye(3)), "call fit before decision_function"),
    (lambda: LogisticRegression().fit(np.eye(4), [0, 1, 0, 1]).predict_proba(np.eye(3)), "X"),
    (lambda: LogisticRegression().fit(np.eye(4), [0, 1, 0, 1]).predict([[np.inf, 0, 0, 0]]), "X"),
])
def test_logistic_regression_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# ---------------------------------------------------------------- PCA


def reference_variances(X):
    """All min(n, d) variances of the columns' principal directions, descending (NumPy's SVD of X - mean)."""
    X = np.asarray(X, dtype=float)
    return np.linalg.svd(X - X.mean(axis=0), compute_uv=False) ** 2 / (len(X) - 1)


def distinct_components(variances, k, rel=1e-6):
    """Mask of the first k components whose direction is unique up to sign: variance nonzero and
    separated from both neighbours in the full spectrum `variances` (the (k+1)-th included)."""
    v = np.asarray(variances)
    scale = v[0] if v[0] > 0 else 1.0
    gaps = np.abs(np.diff(v))
    left = np.r_[np.inf, gaps] > rel * scale
    right = np.r_[gaps, np.inf] > rel * scale
    return ((v > 1e-9 * scale) & left & right)[:k]


def compare_with_sklearn(X, k):
    """PCA(k) against scikit-learn's exact (LAPACK SVD) PCA: every attribute, components up to sign where
    they are unique, and the subspace of the top k (through the projection it defines) where that is unique."""
    ours = PCA(k).fit(X)
    ref = sklearn.decomposition.PCA(n_components=k, svd_solver="full").fit(X)
    n = X.shape[0]
    full = reference_variances(X)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-12, atol=1e-12)
    scale = full[0] if full[0] > 0 else 1.0
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=0, atol=1e-10 * scale)
    np.testing.assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.singular_values_, ref.singular_values_, rtol=0,
                               atol=1e-10 * np.sqrt(scale * (n - 1)))
    np.testing.assert_allclose(ours.components_ @ ours.components_.T, np.eye(k), atol=1e-10)
    ok = distinct_components(full, k)
    signs = np.sign(np.sum(ours.components_ * ref.components_, axis=1))
    np.testing.assert_allclose(ours.components_[ok], (signs[:, None] * ref.components_)[ok], atol=1e-7)
    Z, Z_ref = ours.transform(X), ref.transform(X)
    np.testing.assert_allclose(Z[:, ok], (Z_ref * signs)[:, ok], atol=1e-7 * (1 + np.abs(Z_ref).max()))
    unique_subspace = full[k - 1] > 1e-9 * scale and (k == len(full) or full[k - 1] - full[k] > 1e-6 * scale)
    if unique_subspace:  # the projection V_k V_k^T and the reconstruction depend on the subspace only
        np.testing.assert_allclose(ours.components_.T @ ours.components_, ref.components_.T @ ref.components_,
                                   atol=1e-7)
        np.testing.assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z_ref),
                                   atol=1e-7 * (1 + np.abs(X).max()))
    return ours


def spectrum_problem(rng, n, d, kind):
    """X (n, d) = U diag(sigma) V^T + offsets, U with centred orthonormal columns: the singular values of the
    centred data are exactly the sigma of the given kind (and zeros)."""
    m = min(n - 1, d)
    G = rng.standard_normal((n, m))
    U, _ = np.linalg.qr(G - G.mean(axis=0))
    V, _ = np.linalg.qr(rng.standard_normal((d, m)))
    j = np.arange(m)
    sigma = {
        "power law": 1.0 / (1.0 + j),
        "geometric": 0.8**j,
        "flat": 1.0 + 0.05 * rng.random(m),                              # noise-like: all variances close
        "repeated": np.where(j < max(1, m // 3), 1.0, 0.3),               # two exactly repeated eigenvalues
        "nearly repeated": np.r_[1.0 + 1e-9 * np.arange(m // 2)[::-1], 0.5 * np.ones(m - m // 2)],
        "rank deficient": np.where(j < max(1, m // 2), 1.0 / (1.0 + j), 0.0),
        "wide range": 10.0 ** (-0.15 * j),                                # variances over up to 20 decades
    }[kind]
    return (U * (sigma * 10 ** rng.uniform(-2, 2))) @ V.T + rng.uniform(-5, 5, d)


@settings(max_examples=50, deadline=None)
@given(seed=SEEDS, wide=st.booleans())
def test_pca_matches_sklearn(seed, wide):
    rng = np.random.default_rng(seed)
    d = int(rng.integers(2 if wide else 1, 40))
    n = int(rng.integers(2, d + 1)) if wide else int(rng.integers(d + 1, 120))
    X = rng.standard_normal((n, d)) @ rng.standard_normal((d, d)) + rng.uniform(-10, 10, d)
    k = int(rng.integers(1, min(n, d) + 1))
    compare_with_sklearn(X, k)


@pytest.mark.parametrize("kind", ["power law", "geometric", "flat", "repeated", "nearly repeated",
                                  "rank deficient", "wide range"])
def test_pca_matches_sklearn_on_many_spectra(kind):
    """Tall and wide data, k from 1 to min(n, d), on spectra that are easy, slow (flat), degenerate or
    rank deficient for subspace iteration; each goes through whichever route fit picks."""
    for seed in range(8):
        rng = np.random.default_rng([seed, len(kind)])
        wide = seed % 3 == 0
        d = int(rng.integers(8, 70))
        n = int(rng.integers(4, d)) if wide else int(rng.integers(d + 1, 250))
        m = min(n, d)
        for k in sorted({1, 2, int(rng.integers(1, m + 1)), m // 2 or 1, m}):      # k = m: some zero variances
            compare_with_sklearn(spectrum_problem(rng, n, d, kind), k)


def test_pca_benchmark_problem_matches_sklearn():
    """The matrix of benchmarks/bench_models.py (5000 x 100, close neighbouring variances)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5000, 100)) @ rng.standard_normal((100, 100))
    for k in (1, 10, 30):
        compare_with_sklearn(X, k)
    np.testing.assert_array_equal(PCA(10).fit(X).components_, PCA(10).fit(X).components_)   # reproducible


def test_pca_digits_and_iris_match_sklearn():
    X, _ = load_digits()
    ours = compare_with_sklearn(X[:600], 30)
    assert ours.components_.shape == (30, 64)
    for k in (1, 10, 20, 61, 64):              # 61: the last nonzero variance; 62 to 64 are zero (SVD route)
        compare_with_sklearn(X, k)
    compare_with_sklearn(load_iris()[0], 4)


def test_pca_properties():
    rng = np.random.default_rng(11)
    X = rng.standard_normal((200, 6)) @ rng.standard_normal((6, 6)) + 3.0
    full = PCA(6).fit(X)
    C = full.components_
    np.testing.assert_allclose(C @ C.T, np.eye(6), atol=1e-12)
    assert np.all(np.diff(full.explained_variance_) <= 0)
    np.testing.assert_allclose(full.explained_variance_.sum(), np.trace(np.cov(X, rowvar=False)), rtol=1e-12)
    np.testing.assert_allclose(full.explained_variance_ratio_.sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(full.inverse_transform(full.transform(X)), X, atol=1e-10)
    np.testing.assert_allclose(np.cov(full.transform(X), rowvar=False), np.diag(full.explained_variance_), atol=1e-9)
    np.testing.assert_allclose(full.explained_variance_, np.linalg.eigvalsh(np.cov(X, rowvar=False))[::-1], rtol=1e-10)
    for k in range(1, 7):
        part = PCA(k).fit(X)
        err = np.sum((X - part.inverse_transform(part.transform(X))) ** 2) / (len(X) - 1)
        np.testing.assert_allclose(err, full.explained_variance_[k:].sum(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(part.components_, C[:k], atol=1e-10)
    np.testing.assert_allclose(PCA(3).fit_transform(X), PCA(3).fit(X).transform(X), atol=1e-12)
    np.testing.assert_allclose(PCA(2).fit(X, np.arange(200)).components_, PCA(2).fit(X).components_)  # y ignored


def test_pca_sign_convention():
    """The entry of largest magnitude of each component is positive, so flipping the data's signs
    column-wise or permuting rows gives the same components."""
    for seed in range(20):
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((50, 5)) @ rng.standard_normal((5, 5))
        C = PCA(5).fit(X).components_
        first = np.argmax(np.abs(C), axis=1)
        assert np.all(C[np.arange(5), first] > 0)
        np.testing.assert_allclose(PCA(5).fit(X[rng.permutation(50)]).components_, C, atol=1e-10)
        np.testing.assert_allclose(PCA(5).fit(-X).components_, C, atol=1e-10)
        X = rng.standard_normal((300, 40)) @ rng.standard_normal((40, 40))      # subspace iteration
        C = PCA(4).fit(X).components_
        first = np.argmax(np.abs(C), axis=1)
        assert np.all(C[np.arange(4), first] > 0)
        np.testing.assert_allclose(PCA(4).fit(-X).components_, C, atol=1e-8)


def test_pca_edge_cases():
    one_feature = PCA(1).fit([[1.0], [2.0], [4.0]])
    np.testing.assert_allclose(one_feature.components_, [[1.0]])
    np.testing.assert_allclose(one_feature.explained_variance_, [np.var([1.0, 2.0, 4.0], ddof=1)])
    constant = PCA(2).fit(np.ones((5, 3)))
    np.testing.assert_array_equal(constant.explained_variance_, [0.0, 0.0])
    np.testing.assert_array_equal(constant.explained_variance_ratio_, [0.0, 0.0])
    np.testing.assert_allclose(constant.components_ @ constant.components_.T, np.eye(2), atol=1e-12)
    two_rows = PCA(2).fit([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])      # rank 1: the second variance is 0
    np.testing.assert_allclose(two_rows.explained_variance_, [14.0 / 2, 0.0], atol=1e-12)
    np.testing.assert_allclose(two_rows.components_[0], np.array([1.0, 2.0, 3.0]) / np.sqrt(14.0), atol=1e-12)


def test_pca_rank_one_with_repeated_columns():
    two_rows = PCA(2).fit([[0.0, 0.0, 0.0], [1.0, 2.0, 2.0]])
    np.testing.assert_allclose(two_rows.explained_variance_, [9.0 / 2, 0.0], atol=1e-12)
    np.testing.assert_allclose(two_rows.components_[0], [1 / 3, 2 / 3, 2 / 3], atol=1e-12)


def test_pca_rank_deficient_and_constant_columns():
    """Rank below k (duplicated and constant columns): the zero variances come out as zeros, as from the SVD."""
    rng = np.random.default_rng(5)
    B = rng.standard_normal((300, 4)) @ rng.standard_normal((4, 30))              # rank 4
    X = np.column_stack([B, B[:, :5], np.full((300, 3), 7.0)])                     # 38 columns, rank 4
    for k in (1, 4, 5, 20, 38):
        ours = compare_with_sklearn(X, k)
        if k > 4:
            np.testing.assert_allclose(ours.explained_variance_[4:], 0.0, atol=1e-12 * ours.explained_variance_[0])
    wide = X[:3]                                                                   # 3 rows: rank 2 after centring
    for k in (1, 2, 3):
        compare_with_sklearn(wide, k)


def test_pca_keeps_small_variances_accurate():
    """Kept variances below 1e-8 lambda_1 go through the SVD of the data: their singular values stay
    accurate to a relative 1e-8 (the covariance matrix would lose them to rounding)."""
    rng = np.random.default_rng(6)
    X = rng.standard_normal((400, 6)) * np.array([1.0, 1e-1, 1e-3, 1e-5, 1e-6, 1e-7]) + 2.0
    ours = PCA(6).fit(X)
    ref = sklearn.decomposition.PCA(n_components=6, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.singular_values_, ref.singular_values_, rtol=1e-8)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-8)


def test_pca_falls_back_to_the_full_eigh_when_iteration_stalls(monkeypatch):
    def stalled(*args, **kwargs):
        raise LinAlgError("subspace iteration stalled (simulated)")

    rng = np.random.default_rng(7)
    X = rng.standard_normal((400, 50)) @ rng.standard_normal((50, 50))
    monkeypatch.setattr(models, "_top_eigenpairs", stalled)
    for k in (1, 5, 49):
        compare_with_sklearn(X, k)
    compare_with_sklearn(X[:20], 7)                                                # wide: the Gram matrix


def test_pca_falls_back_to_the_svd_when_both_eigensolvers_fail(monkeypatch):
    def out_of_sweeps(A):
        raise LinAlgError("eigh: the Jacobi iteration did not converge in 50 sweeps (simulated)")

    rng = np.random.default_rng(8)
    X = rng.standard_normal((300, 40)) @ rng.standard_normal((40, 40))
    monkeypatch.setattr(models.linalg, "eigh", out_of_sweeps)
    for k in (1, 8, 40):
        compare_with_sklearn(X, k)


def test_pca_exactly_repeated_eigenvalues_across_k():
    """lambda_k = lambda_{k+1} = ... exactly (the top-k subspace is not unique): subspace iteration cannot
    certify the k-th direction, the fallbacks take over, and everything unique still matches."""
    rng = np.random.default_rng(1017)
    n, d = 374, 88
    G = rng.standard_normal((n, d))
    U, _ = np.linalg.qr(G - G.mean(axis=0))
    V, _ = np.linalg.qr(rng.standard_normal((d, d)))
    X = (U * np.where(np.arange(d) < 29, 3.0, 0.9)) @ V.T + 1.0                    # variances 29 x 9/373, 59 x 0.81/373
    for k in (5, 29, 37):
        ours = compare_with_sklearn(X, k)
        np.testing.assert_allclose(ours.explained_variance_, np.where(np.arange(k) < 29, 9.0, 0.81) / (n - 1),
                                   rtol=1e-10)


def psd_matrix(rng, eigenvalues):
    Q, _ = np.linalg.qr(rng.standard_normal((len(eigenvalues), len(eigenvalues))))
    S = (Q * eigenvalues) @ Q.T
    return (S + S.T) / 2, Q


@pytest.mark.parametrize("d, k", [(30, 1), (60, 5), (100, 10), (120, 40)])
def test_top_eigenpairs_against_numpy(d, k):
    rng = np.random.default_rng(d + k)
    for eigenvalues in (np.sort(rng.uniform(0, 1, d))[::-1], 0.9 ** np.arange(d), 1.0 / (1 + np.arange(d))):
        S, _ = psd_matrix(rng, eigenvalues)
        history = []
        theta, V = models._top_eigenpairs(S, k, history=history)
        w, E = np.linalg.eigh(S)
        w, E = w[::-1], E[:, ::-1]
        np.testing.assert_allclose(theta, w[:k], rtol=0, atol=1e-10 * w[0])
        np.testing.assert_allclose(V.T @ V, np.eye(k), atol=1e-12)
        residual = np.linalg.norm(S @ V - V * theta, axis=0)
        assert residual.max() <= 1e-10 * w[0]
        ok = distinct_components(w, k, rel=1e-4)
        np.testing.assert_allclose(np.abs(np.sum(V * E[:, :k], axis=0))[ok], 1.0, atol=1e-12)
        assert len(history) >= 2 and history[-1]["ritz_residual"] <= 1e-10
        assert all(0.0 <= h["rate"] <= 1.0 for h in history[1:] if h["rate"] is not None)


def test_top_eigenpairs_small_matrix_is_the_full_eigh():
    rng = np.random.default_rng(3)
    S, _ = psd_matrix(rng, np.array([5.0, 3.0, 2.0, 1.0]))
    theta, V = models._top_eigenpairs(S, 2)                                         # p = min(4, 2 + 2) = 4
    np.testing.assert_allclose(theta, [5.0, 3.0], atol=1e-12)
    np.testing.assert_allclose(np.abs(V.T @ S @ V), np.diag([5.0, 3.0]), atol=1e-12)


@pytest.mark.parametrize("rho", [1.01, 1.47, 3.0, 30.0, 1e4])
def test_block_length_keeps_the_dynamic_range_rules(rho):
    """rho^s <= 1e3 (s a power of 2, at most 16) and rho^(s n) <= 1e10 (1e17 near convergence), with at
    most 64 multiplications while careful; the forecast stops a block once eta rate^(s n) reaches the target."""
    for careful, eta, limit, longest in [(True, 1.0, 1e10, 64), (False, 0.1, 1e10, 1024), (False, 1e-6, 1e17, 1024)]:
        s, n = models._block_length(rho, eta, 1.0, None, 0.0, careful)
        assert s in (1, 2, 4, 8, 16) and (s == 1 or rho ** s <= 1e3) and (s == 16 or rho ** (2 * s) > 1e3)
        assert n >= 1 and s * n <= max(longest, s)
        assert n == 1 or rho ** (s * n) <= limit
        assert s * (n + 1) > longest or rho ** (s * (n + 1)) > limit       # n is the largest allowed
    s, n = models._block_length(1.01, 1e-3, 1.0, 0.5, 1e-6, False)            # 0.5^t * 1e-3 <= 1e-6 from t = 10
    assert s == 16 and n == 1


def test_top_eigenpairs_raises_linalgerror():
    rng = np.random.default_rng(4)
    # lambda_3 ... lambda_8 within 1e-9 of each other (k = 3, p = 5): the residual of the third Ritz pair
    # cannot reach 1e-9 (lambda_3 - lambda_6) by subspace iteration
    eigenvalues = np.r_[[4.0, 2.0], 1.0 + 1e-9 * rng.random(6), 0.5 * rng.random(42)]
    S, _ = psd_matrix(rng, eigenvalues)
    with pytest.raises(LinAlgError, match="stalled"):
        models._top_eigenpairs(S, 3)
    S, _ = psd_matrix(rng, 0.99 ** np.arange(50))
    with pytest.raises(LinAlgError, match="max_blocks"):
        models._top_eigenpairs(S, 5, max_blocks=2)
    G = rng.standard_normal((500, 50))
    U, _ = np.linalg.qr(G - G.mean(axis=0))                                        # centred, orthonormal
    X = (U * np.sqrt(499 * eigenvalues)) @ psd_matrix(rng, np.ones(50))[1].T       # covariance spectrum: eigenvalues
    compare_with_sklearn(X, 3)                                                     # fit falls back to eigh


# ---------------------------------------------------------------- all three


def test_inputs_are_not_modified():
    rng = np.random.default_rng(21)
    X, y = regression_problem(rng, 40, 3)
    labels = (y > np.median(y)).astype(int)
    Xs, ys, ls = X.copy(), y.copy(), labels.copy()
    X.setflags(write=False)                            # read-only inputs must work too
    lin = LinearRegression(l2=1.0).fit(X, y)
    lin.predict(X)
    lin.score(X, y)
    log = LogisticRegression().fit(X, labels)
    log.predict_proba(X)
    log.score(X, labels)
    pca = PCA(2).fit(X)
    Z = pca.transform(X)
    Zs = Z.copy()
    pca.inverse_transform(Z)
    np.testing.assert_array_equal(X, Xs)
    np.testing.assert_array_equal(y, ys)
    np.testing.assert_array_equal(labels, ls)
    np.testing.assert_array_equal(Z, Zs)
    # the learned attributes are the estimator's own: changing the data afterwards changes nothing
    X2 = Xs.copy()
    coef = LinearRegression().fit(X2, ys).coef_.copy()
    model = LinearRegression().fit(X2, ys)
    X2[:] = 0.0
    np.testing.assert_array_equal(model.coef_, coef)


def test_fit_returns_self_and_repr():
    X, y = load_iris()
    lin = LinearRegression()
    assert lin.fit(X, y.astype(float)) is lin
    log = LogisticRegression(l2=2.0)
    assert log.fit(X, (y == 1).astype(int)) is log
    pca = PCA(2)
    assert pca.fit(X) is pca
    assert repr(lin) == "LinearRegression(l2=0.0, fit_intercept=True)"
    assert repr(log) == "LogisticRegression(l2=2.0, fit_intercept=True, max_iter=100, tol=1e-08)"
    assert repr(pca) == "PCA(n_components=2)"


def test_models_call_no_numpy_linalg_solver():
    """mlmath.models builds on mlmath.linalg: np.linalg appears only as np.linalg.norm (and LinAlgError)."""
    source = Path(models.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r"\b(?:np|numpy)\.linalg\.(\w+)", source))
    assert used <= {"norm", "LinAlgError"}, f"mlmath.models uses numpy.linalg.{sorted(used - {'norm', 'LinAlgError'})}"
    imported = re.findall(r"from\s+numpy\.linalg\s+import\s+([\w ,()]+)", source)
    names = {name.strip(" ()") for group in imported for name in group.split(",")}
    assert names <= {"LinAlgError", "norm"}, f"mlmath.models imports {sorted(names)} from numpy.linalg"
    assert not re.search(r"^\s*(import|from)\s+(scipy|sklearn|torch)\b", source, re.MULTILINE)
    assert "import numpy.linalg" not in source
