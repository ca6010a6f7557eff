"""mlmath.plotting's linear-map helpers (draw_linear_map, draw_grid_image) draw what they promise.

Defined in 01-linear-algebra/05-linear-transformations.ipynb. Everything draws on Agg figures;
each test closes what it opened. The drawn data are read back from the artists (by their gid).
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402
from matplotlib.quiver import Quiver  # noqa: E402

from mlmath.plotting import draw_grid_image, draw_linear_map  # noqa: E402

MATRICES = arrays(np.float64, (2, 2), elements=st.floats(-3, 3, allow_nan=False, allow_infinity=False))


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def fresh_ax():
    return plt.subplots()


def by_gid(ax, gid):
    return [a for a in [*ax.collections, *ax.lines, *ax.patches] if a.get_gid() == gid]


def segments(ax, gid):
    (coll,) = by_gid(ax, gid)
    return np.array(coll.get_segments())


def grid_lines(lim, n_lines, n_points):
    """The promised grid: vertical lines x = g_k, then horizontal lines y = g_k, each sampled at n_points."""
    g, s = np.linspace(-lim, lim, n_lines), np.linspace(-lim, lim, n_points)
    vertical = np.stack([np.repeat(g[:, None], n_points, axis=1), np.tile(s, (n_lines, 1))], axis=-1)
    horizontal = vertical[..., ::-1]
    return np.concatenate([vertical, horizontal])


def shoelace(P):
    x, y = P[:, 0], P[:, 1]
    return 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)


# --- draw_linear_map -------------------------------------------------------------------------------------------------

def test_the_identity_leaves_the_grid_where_it_was(ax):
    draw_linear_map(ax, np.eye(2), lim=1.5, n_lines=7)
    image = segments(ax, "grid-image")
    original = segments(ax, "grid")
    assert image.shape == (14, 2, 2)
    np.testing.assert_allclose(image, original)
    np.testing.assert_allclose(image, grid_lines(1.5, 7, 2))


@settings(max_examples=50, deadline=None)
@given(A=MATRICES, lim=st.floats(0.5, 3.0), n_lines=st.integers(2, 11))
def test_every_part_is_the_image_under_A(A, lim, n_lines):
    fig, ax = fresh_ax()
    try:
        draw_linear_map(ax, A, lim=lim, n_lines=n_lines)
        # the grid and its image: every grid point p is drawn at A p
        np.testing.assert_allclose(segments(ax, "grid-image"), grid_lines(lim, n_lines, 2) @ A.T, atol=1e-12)
        # the unit square becomes the parallelogram 0, A e1, A e1 + A e2, A e2, of area |det A|
        (square,) = by_gid(ax, "square-image")
        corners = square.get_xy()[:4]
        np.testing.assert_allclose(corners, [[0, 0], A[:, 0], A[:, 0] + A[:, 1], A[:, 1]], atol=1e-12)
        assert abs(shoelace(corners)) == pytest.approx(abs(np.linalg.det(A)), abs=1e-9)
        # the circle: the image of points on the unit circle
        (curve,) = by_gid(ax, "circle-image")
        pts = curve.get_xydata()
        if abs(np.linalg.det(A)) > 0.05:
            pre = np.linalg.solve(A, pts.T).T
            np.testing.assert_allclose(np.linalg.norm(pre, axis=1), 1.0, atol=1e-6)
        # the basis arrows are the columns of A
        (arrows,) = [c for c in ax.collections if isinstance(c, Quiver)]
        np.testing.assert_allclose(arrows.U, A[0], atol=1e-12)
        np.testing.assert_allclose(arrows.V, A[1], atol=1e-12)
        # symmetric, equal limits that hold everything drawn
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        assert x0 == pytest.approx(-x1) and (y0, y1) == pytest.approx((x0, x1))
        drawn = np.vstack([segments(ax, "grid-image").reshape(-1, 2), segments(ax, "grid").reshape(-1, 2), pts])
        assert np.abs(drawn).max() <= x1
        assert ax.get_aspect() == 1.0
    finally:
        plt.close(fig)


def test_a_singular_matrix_flattens_the_grid_onto_the_line_of_its_columns(ax):
    A = np.array([[1.0, 2.0], [0.5, 1.0]])
    draw_linear_map(ax, A)
    pts = segments(ax, "grid-image").reshape(-1, 2)
    cross = pts[:, 0] * 0.5 - pts[:, 1] * 1.0  # zero exactly on span(1, 0.5)
    np.testing.assert_allclose(cross, 0.0, atol=1e-12)
    (square,) = by_gid(ax, "square-image")
    assert shoelace(square.get_xy()[:4]) == pytest.approx(0.0, abs=1e-12)


def test_a_reflection_has_a_clockwise_parallelogram(ax):
    draw_linear_map(ax, [[0.0, 1.0], [1.0, 0.0]])
    (square,) = by_gid(ax, "square-image")
    assert shoelace(square.get_xy()[:4]) == pytest.approx(-1.0)


def test_the_parts_can_be_switched_off(ax):
    draw_linear_map(ax, [[2.0, 1.0], [0.0, 1.0]], original=False, circle=False, square=False, basis=False)
    assert by_gid(ax, "grid") == [] and by_gid(ax, "circle-image") == [] and by_gid(ax, "square-image") == []
    assert not [c for c in ax.collections if isinstance(c, Quiver)]
    assert len(by_gid(ax, "grid-image")) == 1


def test_the_legend_names_each_part(ax):
    draw_linear_map(ax, [[2.0, 1.0], [0.0, 1.0]])
    _, labels = ax.get_legend_handles_labels()
    assert {"grid", "image of the grid", "image of the unit circle", "image of the unit square"} <= set(labels)


def test_it_returns_ax_and_never_modifies_A(ax):
    A = np.array([[2.0, 1.0], [0.0, 1.0]])
    before = A.copy()
    assert draw_linear_map(ax, A) is ax
    np.testing.assert_array_equal(A, before)


def test_limits_never_shrink_to_hide_what_was_drawn_before(ax):
    ax.plot([-10, 10], [0, 0])
    ax.set_xlim(-10, 10)
    draw_linear_map(ax, 0.1 * np.eye(2), lim=1.0)
    assert ax.get_xlim()[1] >= 10 and ax.get_ylim()[1] >= 10


@pytest.mark.parametrize("A", [np.eye(3), np.ones((2, 3)), np.ones(4), [[1.0, np.nan], [0.0, 1.0]],
                               [[1.0, np.inf], [0.0, 1.0]]])
def test_a_bad_matrix_is_a_value_error_naming_A(ax, A):
    with pytest.raises(ValueError, match="A must be a 2x2"):
        draw_linear_map(ax, A)


@pytest.mark.parametrize("lim", [0.0, -1.0, np.nan, np.inf, "2", True])
def test_a_bad_lim_is_a_value_error(ax, lim):
    with pytest.raises(ValueError, match="lim"):
        draw_linear_map(ax, np.eye(2), lim=lim)


@pytest.mark.parametrize("n_lines", [1, 0, 2.5, True])
def test_a_bad_n_lines_is_a_value_error(ax, n_lines):
    with pytest.raises(ValueError, match="n_lines"):
        draw_linear_map(ax, np.eye(2), n_lines=n_lines)


# --- draw_grid_image -------------------------------------------------------------------------------------------------

def test_the_identity_returns_the_grid_vertical_lines_first(ax):
    moved = draw_grid_image(ax, lambda P: P, lim=2.0, n_lines=5, n_points=11)
    assert moved.shape == (10, 11, 2)
    np.testing.assert_allclose(moved, grid_lines(2.0, 5, 11))
    np.testing.assert_allclose(moved[0, :, 0], -2.0)               # the first line is x = -lim
    np.testing.assert_allclose(moved[5, :, 1], -2.0)               # the first horizontal line is y = -lim
    np.testing.assert_allclose(segments(ax, "grid-image"), moved)  # and that is what is drawn


@settings(max_examples=50, deadline=None)
@given(W=MATRICES, b=arrays(np.float64, 2, elements=st.floats(-2, 2)), n_points=st.integers(2, 50))
def test_a_relu_layer_is_drawn_point_by_point(W, b, n_points):
    fig, ax = fresh_ax()
    try:
        def layer(P):
            return np.maximum(P @ W.T + b, 0.0)
        moved = draw_grid_image(ax, layer, lim=1.5, n_lines=6, n_points=n_points)
        expected = np.maximum(grid_lines(1.5, 6, n_points) @ W.T + b, 0.0)
        np.testing.assert_allclose(moved, expected, atol=1e-12)
        np.testing.assert_allclose(segments(ax, "grid-image"), expected, atol=1e-12)
        assert np.all(moved >= 0)
    finally:
        plt.close(fig)


def test_the_label_color_and_limits(ax):
    draw_grid_image(ax, lambda P: 3 * P, lim=1.0, n_lines=3, color="red", label="tripled")
    (coll,) = by_gid(ax, "grid-image")
    assert coll.get_label() == "tripled"
    np.testing.assert_allclose(coll.get_colors()[0], [1.0, 0.0, 0.0, 1.0])
    assert ax.get_xlim()[0] <= -3 and ax.get_xlim()[1] >= 3 and ax.get_ylim()[1] >= 3


@pytest.mark.parametrize("f", [lambda P: P[:, 0], lambda P: P.T, lambda P: P[:-1], lambda P: np.hstack([P, P])])
def test_a_map_of_the_wrong_shape_is_a_value_error_naming_f(ax, f):
    with pytest.raises(ValueError, match="f must map"):
        draw_grid_image(ax, f)


def test_a_map_that_is_not_finite_is_a_value_error_naming_f(ax):
    with pytest.raises(ValueError, match="f must return finite"):
        draw_grid_image(ax, lambda P: np.where(P > 1, np.inf, P))


@pytest.mark.parametrize("name, bad", [("lim", 0.0), ("lim", np.nan), ("n_lines", 1), ("n_points", 1),
                                       ("n_points", 3.0)])
def test_bad_grid_arguments_are_value_errors(ax, name, bad):
    with pytest.raises(ValueError, match=name):
        draw_grid_image(ax, lambda P: P, **{name: bad})
