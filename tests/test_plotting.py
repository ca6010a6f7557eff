"""mlmath.plotting: the course style and the drawing helpers draw what they promise.

Everything draws on Agg figures; each test closes what it opened.
"""
import os
import subprocess
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.colors import is_color_like, to_rgba  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.quiver import Quiver  # noqa: E402

from mlmath.plotting import COLORS, STYLE, draw_vectors, plot_contours, plot_path, use_style  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def quivers(ax):
    return [c for c in ax.collections if isinstance(c, Quiver)]


def bowl(X, Y):
    return X**2 + 4 * Y**2


# --- style ---------------------------------------------------------------------------------------------------------

def test_importing_the_module_changes_no_rcparams():
    # A fresh interpreter, so that no other test's use_style() or rc changes can interfere.
    code = textwrap.dedent("""
        import sys
        import matplotlib as mpl
        before = {key: repr(value) for key, value in mpl.rcParams.items()}
        import mlmath.plotting
        after = {key: repr(value) for key, value in mpl.rcParams.items()}
        changed = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
        print("changed:", changed)
        print("pyplot imported:", "matplotlib.pyplot" in sys.modules)
    """)
    env = {**os.environ, "MPLBACKEND": "Agg"}  # a concrete backend: reading rcParams then resolves nothing
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "changed: []" in result.stdout, result.stdout
    assert "pyplot imported: False" in result.stdout, result.stdout


def test_use_style_sets_every_style_value():
    with mpl.rc_context():
        mpl.rcdefaults()
        use_style()
        for key, value in STYLE.items():
            want = list(value) if isinstance(value, tuple) else value
            assert mpl.rcParams[key] == want, key
        assert mpl.rcParams["axes.prop_cycle"].by_key()["color"] == COLORS
        fig, ax = plt.subplots()
        (line,) = ax.plot([0, 1], [0, 1])
        assert to_rgba(line.get_color()) == to_rgba(COLORS[0])
        assert list(fig.get_size_inches()) == [6.4, 4.0]
        plt.close(fig)


def test_rc_context_restores_what_use_style_changed():
    before = mpl.rcParams["axes.grid"]
    with mpl.rc_context():
        mpl.rcParams["axes.grid"] = False
        use_style()
        assert mpl.rcParams["axes.grid"] is True
    assert mpl.rcParams["axes.grid"] == before


def test_colors_are_distinct_valid_colours():
    assert len(COLORS) == 8 and len(set(COLORS)) == 8
    assert all(is_color_like(c) for c in COLORS)


# --- draw_vectors --------------------------------------------------------------------------------------------------

def test_draw_vectors_draws_one_arrow_per_vector_to_scale(ax):
    vectors = np.array([[2.0, 1.0], [-1.0, 2.0], [0.5, -3.0]])
    assert draw_vectors(ax, vectors) is ax
    (q,) = quivers(ax)
    assert q.N == 3
    np.testing.assert_allclose(np.column_stack([q.U, q.V]), vectors)
    np.testing.assert_allclose(np.column_stack([q.X, q.Y]), np.zeros((3, 2)))
    assert (q.angles, q.scale_units, q.scale) == ("xy", "xy", 1)
    assert ax.get_aspect() == 1.0
    assert not ax.texts


def test_draw_vectors_default_colours_follow_the_cycle_and_given_colours_are_used(ax):
    draw_vectors(ax, [[1, 0], [0, 1]])
    cycle = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    np.testing.assert_allclose(quivers(ax)[0].get_facecolor(), [to_rgba(cycle[0]), to_rgba(cycle[1])])
    fig, other = plt.subplots()
    draw_vectors(other, [[1, 0], [0, 1]], colors=["red", "#00ff00"])
    np.testing.assert_allclose(quivers(other)[0].get_facecolor(), [to_rgba("red"), to_rgba("#00ff00")])
    plt.close(fig)


def test_draw_vectors_writes_one_label_per_vector_near_its_tip(ax):
    vectors = np.array([[2.0, 1.0], [-1.0, 2.0]])
    draw_vectors(ax, vectors, origin=(1, 1), labels=["a", "b"])
    assert [t.get_text() for t in ax.texts] == ["a", "b"]
    np.testing.assert_allclose([t.xy for t in ax.texts], vectors + 1)


@settings(max_examples=50, deadline=None)
@given(
    vectors=st.lists(st.tuples(*[st.floats(-50, 50)] * 2), min_size=1, max_size=6),
    origin=st.tuples(*[st.floats(-20, 20)] * 2),
)
def test_draw_vectors_limits_include_every_tail_and_tip(vectors, origin):
    fig, ax = plt.subplots()
    v = np.array(vectors)
    kept = v.copy()
    draw_vectors(ax, v, origin=origin)
    points = np.vstack([np.broadcast_to(origin, v.shape), np.asarray(origin) + v])
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert x0 < points[:, 0].min() and points[:, 0].max() < x1
    assert y0 < points[:, 1].min() and points[:, 1].max() < y1
    np.testing.assert_array_equal(v, kept)  # the input is not modified
    plt.close(fig)


def test_draw_vectors_with_one_origin_per_vector(ax):
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]])
    origins = np.array([[0.0, 0.0], [1.0, 0.0]])  # head to tail: a + b
    draw_vectors(ax, vectors, origin=origins)
    (q,) = quivers(ax)
    np.testing.assert_allclose(np.column_stack([q.X, q.Y]), origins)


def test_draw_vectors_accepts_a_single_vector(ax):
    draw_vectors(ax, [3.0, 4.0])
    (q,) = quivers(ax)
    assert q.N == 1
    assert ax.get_xlim()[1] > 3 and ax.get_ylim()[1] > 4


def test_draw_vectors_limits_grow_over_calls_and_keep_earlier_content(ax):
    ax.plot([-10, -9], [8, 9])
    draw_vectors(ax, [[1.0, 1.0]])
    draw_vectors(ax, [[5.0, -7.0]], origin=(2, 0))
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert len(quivers(ax)) == 2
    assert x0 <= -10 and x1 > 7 and y0 < -7 and y1 >= 9


@pytest.mark.parametrize("kwargs, match", [
    ({"vectors": np.ones((2, 3))}, "vectors"),
    ({"vectors": np.ones((0, 2))}, "vectors"),
    ({"vectors": np.ones(3)}, "vectors"),
    ({"vectors": [[1.0, np.nan]]}, "vectors"),
    ({"vectors": [[1.0, 2.0]], "origin": (0, 0, 0)}, "origin"),
    ({"vectors": np.ones((2, 2)), "origin": np.zeros((3, 2))}, "origin"),
    ({"vectors": [[1.0, 2.0]], "origin": (np.inf, 0)}, "origin"),
    ({"vectors": np.ones((2, 2)), "colors": ["red"]}, "colors"),
    ({"vectors": np.ones((2, 2)), "colors": "red"}, "colors"),
    ({"vectors": np.ones((2, 2)), "labels": ["a", "b", "c"]}, "labels"),
])
def test_draw_vectors_rejects_bad_input_before_drawing(ax, kwargs, match):
    with pytest.raises(ValueError, match=match):
        draw_vectors(ax, **kwargs)
    assert not ax.collections and not ax.texts


# --- plot_contours -------------------------------------------------------------------------------------------------

def test_plot_contours_returns_the_contour_set_with_the_given_levels(ax):
    cs = plot_contours(ax, bowl, (-3, 3), (-2, 2), levels=[1, 4, 9])
    assert isinstance(cs, ContourSet)
    np.testing.assert_allclose(cs.levels, [1, 4, 9])
    assert len(cs.get_paths()) == 3
    assert ax.get_xlim() == (-3, 3) and ax.get_ylim() == (-2, 2)


def test_plot_contours_calls_f_once_on_n_by_n_grids(ax):
    seen = []

    def spy(X, Y):
        seen.append((X.shape, Y.shape, X[0, 0], X[0, -1], Y[0, 0], Y[-1, 0]))
        return bowl(X, Y)

    plot_contours(ax, spy, (-1, 2), (0, 5), n=37)
    assert seen == [((37, 37), (37, 37), -1.0, 2.0, 0.0, 5.0)]  # X varies along columns, Y along rows


@settings(max_examples=50, deadline=None)
@given(a=st.floats(0.5, 3.0), b=st.floats(0.5, 3.0), c=st.floats(0.5, 4.0))
def test_plot_contours_lines_are_level_sets(a, b, c):
    # f = a x^2 + b y^2: every vertex of the level-c line must satisfy f = c (up to the grid's
    # linear interpolation, about h^2 * max(a, b) with h = 6/199); swapped or transposed grids fail this.
    fig, ax = plt.subplots()
    cs = plot_contours(ax, lambda X, Y: a * X**2 + b * Y**2, (-3, 3), (-3, 3), levels=[c], n=200)
    vertices = np.vstack([p.vertices for p in cs.get_paths()])
    assert len(vertices) > 20
    np.testing.assert_allclose(a * vertices[:, 0] ** 2 + b * vertices[:, 1] ** 2, c, atol=5e-3)
    np.testing.assert_allclose(np.abs(vertices[:, 0]).max(), np.sqrt(c / a), atol=2e-2)  # the semi-axes
    np.testing.assert_allclose(np.abs(vertices[:, 1]).max(), np.sqrt(c / b), atol=2e-2)
    plt.close(fig)


def test_plot_contours_with_an_integer_number_of_levels(ax):
    cs = plot_contours(ax, bowl, (-3, 3), (-2, 2), levels=5)
    assert 2 <= len(cs.levels) <= 7


@pytest.mark.parametrize("kwargs, match", [
    ({"xlim": (3, -3)}, "xlim"),
    ({"xlim": (0, 0)}, "xlim"),
    ({"xlim": (0, 1, 2)}, "xlim"),
    ({"ylim": (0, np.nan)}, "ylim"),
    ({"n": 1}, "n must"),
    ({"n": 2.5}, "n must"),
    ({"levels": 0}, "levels"),
    ({"levels": [4, 1, 9]}, "levels"),
    ({"levels": []}, "levels"),
    ({"f": lambda X, Y: 1.0}, "vectorised"),
    ({"f": lambda X, Y: X[0]}, "vectorised"),
    ({"f": lambda X, Y: np.log(X)}, "finite"),
])
def test_plot_contours_rejects_bad_input(ax, kwargs, match):
    args = {"f": bowl, "xlim": (-3, 3), "ylim": (-2, 2), **kwargs}
    with np.errstate(all="ignore"), pytest.raises(ValueError, match=match):
        plot_contours(ax, **args)
    assert not ax.collections


# --- plot_path -----------------------------------------------------------------------------------------------------

def test_plot_path_draws_the_path_and_marks_start_and_end(ax):
    path = np.array([[3.0, 1.5], [2.0, 1.0], [1.6, -0.2], [1.5, -1.0]])
    kept = path.copy()
    assert plot_path(ax, path, label="gd") is ax
    assert len(ax.lines) == 3
    line, start, end = ax.lines
    np.testing.assert_allclose(line.get_xydata(), path)
    assert line.get_marker() == "o" and line.get_linestyle() == "-"
    np.testing.assert_allclose(start.get_xydata(), path[:1])
    np.testing.assert_allclose(end.get_xydata(), path[-1:])
    assert start.get_marker() == "o" and end.get_marker() == "*"
    assert start.get_linestyle() == "None" and end.get_linestyle() == "None"
    assert start.get_markersize() > line.get_markersize() and end.get_markersize() > line.get_markersize()
    assert ax.get_legend_handles_labels()[1] == ["gd"]  # one legend entry, for the path only
    np.testing.assert_array_equal(path, kept)


def test_plot_path_colours_path_and_markers_alike(ax):
    plot_path(ax, [[0, 0], [1, 1]], color="#CC79A7")
    line, start, end = ax.lines
    assert to_rgba(line.get_color()) == to_rgba("#CC79A7")
    assert to_rgba(start.get_markeredgecolor()) == to_rgba("#CC79A7")
    assert to_rgba(end.get_color()) == to_rgba("#CC79A7")
    plot_path(ax, [[0, 1], [1, 0]])  # no colour: the next of the cycle, shared by its markers
    line2, start2, end2 = ax.lines[3:]
    assert to_rgba(line2.get_color()) != to_rgba(line.get_color())
    assert to_rgba(start2.get_markeredgecolor()) == to_rgba(line2.get_color()) == to_rgba(end2.get_color())


def test_plot_path_with_a_single_point(ax):
    plot_path(ax, [[1.0, 2.0]])
    assert len(ax.lines) == 3
    np.testing.assert_allclose(ax.lines[2].get_xydata(), [[1.0, 2.0]])


@pytest.mark.parametrize("path", [
    [1.0, 2.0, 3.0],
    np.ones((3, 3)),
    np.ones((0, 2)),
    np.ones((2, 2, 2)),
    [[0.0, 0.0], [np.nan, 1.0]],
    [[0.0, 0.0], [np.inf, 1.0]],
])
def test_plot_path_rejects_bad_paths(ax, path):
    with pytest.raises(ValueError, match="path"):
        plot_path(ax, path)
    assert not ax.lines
