"""mlmath.autodiff (02-calculus/09-backpropagation.ipynb) against independent references.

The references are a forward-mode engine of dual numbers written here (exact derivatives by a
different algorithm: tangents pushed forward instead of adjoints pulled back, with SciPy's
``expit`` for the sigmoid), central differences, and derivatives worked out by hand. Random
expressions are trees over every supported operation, with numbers on either side of the
binary operators and inputs reused across branches.
"""
import inspect
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.special import expit

from mlmath.autodiff import Value, topological_order

N_INPUTS = 3


class Dual:
    """Forward mode: a value and its gradient with respect to the N_INPUTS inputs."""

    def __init__(self, val, der):
        self.val, self.der = float(val), np.asarray(der, dtype=float)

    @staticmethod
    def lift(x):
        return x if isinstance(x, Dual) else Dual(x, np.zeros(N_INPUTS))

    def __add__(self, o):
        o = Dual.lift(o)
        return Dual(self.val + o.val, self.der + o.der)

    __radd__ = __add__

    def __sub__(self, o):
        o = Dual.lift(o)
        return Dual(self.val - o.val, self.der - o.der)

    def __rsub__(self, o):
        return Dual.lift(o) - self

    def __mul__(self, o):
        o = Dual.lift(o)
        return Dual(self.val * o.val, self.der * o.val + self.val * o.der)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = Dual.lift(o)
        return Dual(self.val / o.val, (self.der * o.val - self.val * o.der) / o.val**2)

    def __rtruediv__(self, o):
        return Dual.lift(o) / self

    def __pow__(self, p):
        return Dual(self.val**p, p * self.val ** (p - 1) * self.der)

    def __neg__(self):
        return Dual(-self.val, -self.der)

    def exp(self):
        e = math.exp(self.val)
        return Dual(e, e * self.der)

    def log(self):
        return Dual(math.log(self.val), self.der / self.val)

    def tanh(self):
        return Dual(math.tanh(self.val), self.der / math.cosh(self.val) ** 2)

    def relu(self):
        return Dual(max(self.val, 0.0), self.der * (1.0 if self.val > 0 else 0.0))

    def sigmoid(self):
        return Dual(expit(self.val), self.der * expit(self.val) * expit(-self.val))


FLOAT_FUNCS = {"exp": math.exp, "log": math.log, "tanh": math.tanh, "relu": lambda t: max(t, 0.0),
               "sigmoid": lambda t: float(expit(t))}


def call(a, name):
    """a.name() for a Value or Dual; the float function for a plain number (a folded constant)."""
    return getattr(a, name)() if isinstance(a, (Value, Dual)) else FLOAT_FUNCS[name](a)


UNARY = {
    "tanh": lambda a: call(a, "tanh"),
    "sigmoid": lambda a: call(a, "sigmoid"),
    "relu": lambda a: call(a, "relu"),
    "exp": lambda a: call(0.5 * a, "exp"),
    "log": lambda a: call(a * a + 1, "log"),
    "neg": lambda a: -a,
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
    "pow1.5": lambda a: (a * a + 0.5) ** 1.5,
    "rsqrt": lambda a: (a * a + 1) ** -0.5,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (1 + b * b),
    "div2": lambda a, b: (a - b) / (2 + a * a),
}


def evaluate(tree, inputs):
    kind = tree[0]
    if kind == "x":
        return inputs[tree[1]]
    if kind == "c":
        return tree[1]
    if kind == "u":
        return UNARY[tree[1]](evaluate(tree[2], inputs))
    return BINARY[tree[1]](evaluate(tree[2], inputs), evaluate(tree[3], inputs))


LEAVES = st.one_of(st.tuples(st.just("x"), st.integers(0, N_INPUTS - 1)),
                   st.tuples(st.just("c"), st.floats(-3, 3, allow_nan=False).filter(lambda c: abs(c) > 1e-3)))
TREES = st.recursive(
    LEAVES,
    lambda sub: st.one_of(st.tuples(st.just("u"), st.sampled_from(sorted(UNARY)), sub),
                          st.tuples(st.just("b"), st.sampled_from(sorted(BINARY)), sub, sub)),
    max_leaves=12,
)
POINTS = st.lists(st.floats(-3, 3, allow_nan=False), min_size=N_INPUTS, max_size=N_INPUTS)


def reference(tree, point):
    """Forward-mode value and gradient, or None when the expression overflows or is a bare number."""
    duals = [Dual(t, np.eye(N_INPUTS)[i]) for i, t in enumerate(point)]
    try:
        out = evaluate(tree, duals)
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    if not isinstance(out, Dual) or not (np.isfinite(out.val) and np.all(np.isfinite(out.der))):
        return None
    if abs(out.val) > 1e100 or np.max(np.abs(out.der)) > 1e100:
        return None
    return out


def backward_gradient(tree, point):
    xs = [Value(t) for t in point]
    out = evaluate(tree, xs)
    out.backward()
    return out, np.array([x.grad for x in xs])


@settings(max_examples=300, deadline=None)
@given(tree=TREES, point=POINTS)
def test_random_expressions_match_forward_mode(tree, point):
    ref = reference(tree, point)
    assume(ref is not None)
    out, grad = backward_gradient(tree, point)
    assert isinstance(out, Value)
    assert math.isclose(out.data, ref.val, rel_tol=1e-12, abs_tol=1e-12)
    scale = max(1.0, float(np.max(np.abs(ref.der))))
    np.testing.assert_allclose(grad, ref.der, rtol=1e-9, atol=1e-9 * scale)


def central_differences(tree, point, h=1e-6):
    point = np.asarray(point, dtype=float)
    grad = np.empty(N_INPUTS)
    for i in range(N_INPUTS):
        up, down = point.copy(), point.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (evaluate(tree, list(up)) - evaluate(tree, list(down))) / (up[i] - down[i])
    return grad


def random_tree(rng, depth, smooth=True):
    """A random expression tree from a NumPy generator (no relu when smooth: no kinks for differences)."""
    if depth == 0 or rng.random() < 0.1:
        if rng.random() < 0.8:
            return ("x", int(rng.integers(N_INPUTS)))
        return ("c", float(rng.uniform(-3, 3)))
    if rng.random() < 0.45:
        names = sorted(n for n in UNARY if not (smooth and n == "relu"))
        return ("u", names[rng.integers(len(names))], random_tree(rng, depth - 1, smooth))
    names = sorted(BINARY)
    return ("b", names[rng.integers(len(names))], random_tree(rng, depth - 1, smooth),
            random_tree(rng, depth - 1, smooth))


@pytest.mark.parametrize("seed", range(200))
def test_random_expressions_match_central_differences(seed):
    rng = np.random.default_rng(seed)
    ref = None
    while ref is None:     # draw again when the expression is a bare number or overflows
        tree = random_tree(rng, depth=5)
        point = rng.uniform(-2, 2, N_INPUTS)
        ref = reference(tree, point)
    out, grad = backward_gradient(tree, point)
    fd = central_differences(tree, point)
    scale = max(1.0, float(np.max(np.abs(fd))), abs(out.data))
    np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-6 * scale)


def test_a_wrong_derivative_would_be_caught():
    """The forward-mode reference is sharp: a tanh with derivative 1 - t instead of 1 - t^2 differs."""
    x = Value(0.7)
    x.tanh().backward()
    assert abs(x.grad - (1 - math.tanh(0.7))) > 0.1
    assert math.isclose(x.grad, 1 / math.cosh(0.7) ** 2, rel_tol=1e-14)


# --- nodes used more than once -------------------------------------------------------------

def test_x_times_x_accumulates_both_slots():
    for a in (-2.5, 0.0, 3.0, 1e-3):
        x = Value(a)
        (x * x).backward()
        assert x.grad == 2 * a


def test_repeated_uses_add_up():
    x = Value(1.5)
    (x * x * x).backward()
    assert math.isclose(x.grad, 3 * 1.5**2, rel_tol=1e-15)
    x = Value(1.5)
    (x + x + x).backward()
    assert x.grad == 3.0
    x = Value(1.5)
    (x - x).backward()
    assert x.grad == 0.0
    x = Value(1.5)
    (x / x).backward()
    assert abs(x.grad) < 1e-15


def test_a_node_feeding_two_branches():
    x, y = Value(0.3), Value(-1.2)
    a = x * y                      # used by exp and by tanh
    f = a.exp() + a.tanh() * a     # and a third time as a factor
    f.backward()
    av = 0.3 * -1.2
    df_da = math.exp(av) + (1 - math.tanh(av) ** 2) * av + math.tanh(av)
    assert math.isclose(a.grad, df_da, rel_tol=1e-14)
    assert math.isclose(x.grad, df_da * -1.2, rel_tol=1e-14)
    assert math.isclose(y.grad, df_da * 0.3, rel_tol=1e-14)


def test_diamond_graph_and_leaf_order_do_not_matter():
    x = Value(0.8)
    left, right = x.sigmoid(), x.tanh()
    f = left * right + left - right
    f.backward()
    s, t = expit(0.8), math.tanh(0.8)
    ds, dt = s * (1 - s), 1 - t * t
    assert math.isclose(x.grad, ds * t + s * dt + ds - dt, rel_tol=1e-13)


# --- numbers on either side of every operator ----------------------------------------------

A = 2.5
OPERATOR_CASES = {  # expression of v at v = A: its derivative, by hand
    "v + c": (lambda v, c: v + c, lambda c: 1.0),
    "c + v": (lambda v, c: c + v, lambda c: 1.0),
    "v - c": (lambda v, c: v - c, lambda c: 1.0),
    "c - v": (lambda v, c: c - v, lambda c: -1.0),
    "v * c": (lambda v, c: v * c, lambda c: c),
    "c * v": (lambda v, c: c * v, lambda c: c),
    "v / c": (lambda v, c: v / c, lambda c: 1 / c),
    "c / v": (lambda v, c: c / v, lambda c: -c / A**2),
    "v ** c": (lambda v, c: v**c, lambda c: c * A ** (c - 1)),
}


@pytest.mark.parametrize("name", sorted(OPERATOR_CASES))
@pytest.mark.parametrize("c", [3, -1.75, np.float64(0.5), np.int64(4)], ids=["int", "float", "np.float64", "np.int64"])
def test_numbers_on_either_side_of_every_operator(name, c):
    expr, deriv = OPERATOR_CASES[name]
    v = Value(A)
    out = expr(v, c)
    assert isinstance(out, Value), f"{name} with {type(c).__name__} should give a Value, got {type(out).__name__}"
    out.backward()
    assert math.isclose(out.data, expr(A, float(c)), rel_tol=1e-15)
    assert math.isclose(v.grad, deriv(float(c)), rel_tol=1e-14)
    assert type(out.data) is float and type(v.grad) is float


def test_two_values_on_both_sides_and_unary_minus():
    a, b = Value(1.5), Value(-0.4)
    f = -(a / b) + (a - b) * (b + a)
    f.backward()
    assert math.isclose(f.data, -(1.5 / -0.4) + (1.9 * 1.1), rel_tol=1e-15)
    assert math.isclose(a.grad, -1 / -0.4 + 2 * 1.5, rel_tol=1e-14)
    assert math.isclose(b.grad, 1.5 / 0.16 - 2 * -0.4, rel_tol=1e-14)


def test_integer_powers_of_negative_bases_and_zero_exponent():
    for p, want in [(2, -6.0), (3, 27.0), (-1, -1 / 9), (0, 0.0)]:
        v = Value(-3.0)
        (v**p).backward()
        assert math.isclose(v.grad, want, rel_tol=1e-14), p


def test_sum_builtin_and_radd_start_value():
    xs = [Value(float(i)) for i in range(10)]
    s = sum(x * x for x in xs)
    s.backward()
    assert s.data == sum(i * i for i in range(10))
    assert [x.grad for x in xs] == [2.0 * i for i in range(10)]


# --- deep graphs: iterative, not recursive -------------------------------------------------

def test_a_chain_of_5000_nodes():
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y * 1.0005
    y.backward()
    assert math.isclose(x.grad, 1.0005**5000, rel_tol=1e-11)


def test_a_chain_of_100000_tanh_nodes():
    x = Value(0.3)
    y = x
    t, want = 0.3, 1.0
    for _ in range(100_000):
        y = y.tanh()
    for _ in range(100_000):       # the chain rule along the chain, by hand
        want *= 1 - math.tanh(t) ** 2
        t = math.tanh(t)
    y.backward()
    assert math.isclose(y.data, t, rel_tol=1e-15)
    assert math.isclose(x.grad, want, rel_tol=1e-9)


def test_topological_order_puts_parents_first_on_random_dags():
    for seed in range(30):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(1, 60))
        parents = {k: tuple(int(p) for p in rng.choice(k, size=min(k, int(rng.integers(0, 4))), replace=True))
                   if k else () for k in range(n)}
        order = topological_order(n - 1, parents.__getitem__)
        position = {v: i for i, v in enumerate(order)}
        assert len(position) == len(order), "a node is listed twice"
        assert order[-1] == n - 1
        for v in order:
            assert all(position[p] < position[v] for p in parents[v])
        ancestors, todo = set(), [n - 1]        # exactly the nodes the root depends on
        while todo:
            v = todo.pop()
            if v not in ancestors:
                ancestors.add(v)
                todo.extend(parents[v])
        assert set(order) == ancestors


def test_topological_order_of_a_long_chain():
    chain = {k: (k - 1,) if k else () for k in range(50_000)}
    assert topological_order(49_999, chain.__getitem__) == list(range(50_000))


# --- tanh and sigmoid: stable, exact ------------------------------------------------------

@pytest.mark.parametrize("a", [800.0, -800.0, 1e6, -1e6, 750.0, -750.0])
def test_tanh_and_sigmoid_are_finite_and_exact_at_extremes(a):
    v = Value(a)
    t = v.tanh()
    t.backward()
    assert t.data == math.copysign(1.0, a) and v.grad == 0.0
    v = Value(a)
    s = v.sigmoid()
    s.backward()
    assert s.data == (1.0 if a > 0 else 0.0) and v.grad == 0.0
    assert s.data == expit(a) and v.grad == expit(a) * expit(-a)


def test_sigmoid_matches_scipy_in_value_and_gradient_everywhere():
    for a in np.concatenate([np.linspace(-745, 745, 2981), [-1e-300, 0.0, 1e-300]]):
        v = Value(a)
        s = v.sigmoid()
        s.backward()
        want, dwant = expit(a), expit(a) * expit(-a)
        if a < -700:   # sigma(a) = e^a / (1 + e^a) = e^a to all digits; expit flushes the subnormals to 0
            want = dwant = math.exp(a)
        elif a > 700:  # sigma'(a) = e^-a / (1 + e^-a)^2 = e^-a to all digits
            dwant = math.exp(-a)
        assert math.isclose(s.data, want, rel_tol=4e-16) or s.data == want, a
        assert math.isclose(v.grad, dwant, rel_tol=1e-15) or v.grad == dwant, a
    for a in (-710.0, 710.0):           # subnormal but not zero: still exact
        v = Value(a)
        v.sigmoid().backward()
        assert v.grad == math.exp(-710.0) > 0


def test_tanh_gradient_is_one_minus_t_squared():
    for a in np.linspace(-25, 25, 1001):
        v = Value(a)
        t = v.tanh()
        t.backward()
        assert t.data == math.tanh(a)
        assert v.grad == 1.0 - math.tanh(a) ** 2
        assert abs(v.grad - 1 / math.cosh(a) ** 2) < 5e-16   # absolute error: a few units of eps


def test_relu_derivative_is_zero_at_the_kink_and_one_above():
    for a, want in [(-2.0, 0.0), (0.0, 0.0), (1e-300, 1.0), (3.0, 1.0)]:
        v = Value(a)
        r = v.relu()
        r.backward()
        assert r.data == max(a, 0.0) and v.grad == want


def test_exp_and_log_near_their_limits():
    v = Value(709.0)
    e = v.exp()
    e.backward()
    assert e.data == math.exp(709.0) and v.grad == math.exp(709.0)
    v = Value(1e-300)
    lg = v.log()
    lg.backward()
    assert lg.data == math.log(1e-300) and v.grad == 1.0 / 1e-300


# --- errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), np.nan, "3", None, [1.0], True])
def test_bad_data_is_a_value_error(bad):
    with pytest.raises(ValueError, match="data"):
        Value(bad)


@pytest.mark.parametrize("a", [0.0, -1.0, -1e-300])
def test_log_of_a_non_positive_number(a):
    with pytest.raises(ValueError, match="log"):
        Value(a).log()


@pytest.mark.parametrize("exponent", [Value(2.0), "2", None, float("nan"), float("inf")])
def test_exponent_must_be_a_finite_number(exponent):
    with pytest.raises(ValueError, match="exponent"):
        Value(2.0) ** exponent


@pytest.mark.parametrize("make", [
    lambda: Value(1.0) + float("nan"), lambda: float("nan") + Value(1.0), lambda: Value(1.0) * float("inf"),
    lambda: float("inf") - Value(1.0), lambda: Value(1.0) / float("nan"), lambda: float("-inf") / Value(1.0),
])
def test_nan_or_inf_operands_are_value_errors(make):
    with pytest.raises(ValueError, match="finite"):
        make()


def test_other_domain_errors():
    with pytest.raises(ValueError, match="exp"):
        Value(710.0).exp()
    with pytest.raises(ValueError, match="integer exponent"):
        Value(-8.0) ** 0.5
    with pytest.raises(ValueError, match="derivative"):
        Value(0.0) ** 0.5
    with pytest.raises(ValueError, match="overflow"):
        Value(1e200) * Value(1e200)
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError):
        1.0 / Value(0.0)
    with pytest.raises(TypeError):
        Value(1.0) + "a"


# --- the rest of the contract ---------------------------------------------------------------

def test_backward_fills_every_node_and_can_be_called_twice():
    w, x, b = Value(0.8), Value(1.5), Value(-1.0)
    z = w * x + b
    o = z.tanh()
    o.backward()
    first = (w.grad, x.grad, b.grad, z.grad, o.grad)
    o.backward()
    assert (w.grad, x.grad, b.grad, z.grad, o.grad) == first
    t = math.tanh(0.2)
    assert o.grad == 1.0 and z.grad == 1 - t * t
    assert math.isclose(w.grad, (1 - t * t) * 1.5, rel_tol=1e-15)
    unrelated = Value(5.0)
    o.backward()
    assert unrelated.grad == 0.0


def test_gradient_of_the_logistic_loss_is_p_minus_y():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 2)), rng.integers(0, 2, 20).astype(float)
    w = [Value(0.3), Value(-0.7)]
    b = Value(0.1)
    loss = 0.0
    for (x1, x2), yi in zip(X.tolist(), y.tolist(), strict=True):
        p = (w[0] * x1 + w[1] * x2 + b).sigmoid()
        loss = loss - (yi * p.log() + (1 - yi) * (1 - p).log())
    loss = loss / len(y)
    loss.backward()
    p = expit(X @ np.array([0.3, -0.7]) + 0.1)
    np.testing.assert_allclose([w[0].grad, w[1].grad], X.T @ (p - y) / 20, rtol=1e-12)
    assert math.isclose(b.grad, np.mean(p - y), rel_tol=1e-12)


def test_repr_is_readable():
    v = Value(2.0)
    (v * 3).backward()
    assert repr(v) == "Value(data=2, grad=3)"
    assert "data=0.5" in repr(Value(0.5))


def test_public_surface_and_docstrings():
    for name in ("exp", "log", "tanh", "relu", "sigmoid", "backward", "__add__", "__radd__", "__sub__",
                 "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__pow__", "__neg__"):
        assert callable(getattr(Value, name)), name
    assert list(inspect.signature(Value).parameters)[0] == "data"
    v = Value(3)
    assert type(v.data) is float and v.data == 3.0 and v.grad == 0.0
    for obj in (Value, topological_order):
        assert "02-calculus/09-backpropagation.ipynb" in obj.__doc__


def test_numpy_scalars_on_the_left_give_values():
    v = Value(2.0)
    for out in (np.float64(3.0) * v, np.float64(3.0) + v, np.float64(3.0) - v, np.float64(3.0) / v):
        assert isinstance(out, Value)
