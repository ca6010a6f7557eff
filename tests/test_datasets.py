"""mlmath.datasets against the copies of the same data sets that scikit-learn ships."""
import ast
import inspect
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn import datasets as skd

from mlmath import datasets

DATA = Path(__file__).resolve().parent.parent / "mlmath" / "data"

# loader name -> (file, shape of X, scikit-learn's X, y)
CASES = {
    "iris": ("iris.csv", (150, 4), lambda: skd.load_iris(return_X_y=True)),
    "digits": ("digits.csv.gz", (1797, 64), lambda: skd.load_digits(return_X_y=True)),
    "diabetes": ("diabetes.csv", (442, 10), lambda: skd.load_diabetes(return_X_y=True, scaled=False)),
}
LOADERS = {"iris": datasets.load_iris, "digits": datasets.load_digits, "diabetes": datasets.load_diabetes}


@pytest.mark.parametrize("name", sorted(CASES))
def test_loader_equals_scikit_learn_exactly(name):
    X, y = LOADERS[name]()
    X_ref, y_ref = CASES[name][2]()
    # The same decimals in both files; parsers of older NumPy versions may round the last bit differently.
    np.testing.assert_allclose(X, X_ref, rtol=1e-15, atol=0)
    np.testing.assert_allclose(y, y_ref, rtol=1e-15, atol=0)


@pytest.mark.parametrize("name", sorted(CASES))
def test_shapes_and_dtypes(name):
    X, y = LOADERS[name]()
    n_d = CASES[name][1]
    assert X.shape == n_d and X.dtype == np.float64
    assert y.shape == (n_d[0],)
    assert y.dtype == (np.float64 if name == "diabetes" else np.int64)
    assert X.flags.c_contiguous and y.flags.c_contiguous
    assert np.isfinite(X).all() and np.isfinite(y).all()


def test_class_labels_and_pixel_values():
    _, y_iris = datasets.load_iris()
    np.testing.assert_array_equal(np.bincount(y_iris), [50, 50, 50])
    np.testing.assert_array_equal(y_iris, np.repeat([0, 1, 2], 50))
    X_dig, y_dig = datasets.load_digits()
    assert X_dig.min() == 0 and X_dig.max() == 16
    np.testing.assert_array_equal(X_dig, np.round(X_dig))
    np.testing.assert_array_equal(np.unique(y_dig), np.arange(10))
    X_diab, _ = datasets.load_diabetes()
    np.testing.assert_array_equal(np.unique(X_diab[:, 1]), [1.0, 2.0])  # sex, in original units


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_call_returns_fresh_arrays(name):
    X1, y1 = LOADERS[name]()
    X_keep, y_keep = X1.copy(), y1.copy()
    X1[...] = -7
    y1[...] = -7
    X2, y2 = LOADERS[name]()
    np.testing.assert_array_equal(X2, X_keep)
    np.testing.assert_array_equal(y2, y_keep)
    assert not np.shares_memory(X2, X1) and not np.shares_memory(y2, y1)
    assert not np.shares_memory(X2, y2)


def test_feature_names_match_the_columns():
    assert datasets.feature_names("iris") == [
        "sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]
    assert datasets.feature_names("diabetes") == ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    assert datasets.feature_names("digits") == [f"p{r}{c}" for r in range(8) for c in range(8)]
    for name, (_, shape, _) in CASES.items():
        assert len(datasets.feature_names(name)) == shape[1]
    # scikit-learn names the diabetes columns the same way
    assert datasets.feature_names("diabetes") == list(skd.load_diabetes(scaled=False).feature_names)


def test_data_path_points_at_each_file():
    for name, (file, _, _) in CASES.items():
        path = datasets.data_path(name)
        assert path.name == file and path.is_file()
    assert datasets.DATA_FILES == {name: file for name, (file, _, _) in CASES.items()}


@pytest.mark.parametrize("bad", ["Iris", "mnist", "", None, 3, ["iris"]])
def test_unknown_name_is_a_value_error(bad):
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.data_path(bad)
    with pytest.raises(ValueError, match="name"):
        datasets.feature_names(bad)


def test_the_data_readme_names_each_file_and_loader():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name, (file, shape, _) in CASES.items():
        assert f"`{file}`" in readme, f"mlmath/data/README.md does not name {file}"
        assert f"`load_{name}()`" in readme, f"mlmath/data/README.md does not name load_{name}()"
        assert str(shape[0]) in readme
    shipped = {p.name for p in DATA.iterdir() if p.name != "README.md" and not p.name.startswith(".")}
    assert {file for file, _, _ in CASES.values()} <= shipped
    undescribed = [name for name in sorted(shipped) if f"`{name}`" not in readme]
    assert not undescribed, f"mlmath/data/README.md does not describe {undescribed}"


def test_uses_numpy_and_the_standard_library_only():
    tree = ast.parse(inspect.getsource(datasets))
    nodes = list(ast.walk(tree))
    roots = {alias.name.split(".")[0] for node in nodes if isinstance(node, ast.Import) for alias in node.names}
    roots |= {node.module.split(".")[0] for node in nodes if isinstance(node, ast.ImportFrom) and node.module}
    assert roots, "found no imports at all: the test reads the wrong source"
    assert roots <= {"numpy"} | set(sys.stdlib_module_names), f"datasets imports {sorted(roots)}"


def test_every_public_function_has_a_docstring_with_a_back_link():
    for fn in [datasets.load_iris, datasets.load_digits, datasets.load_diabetes,
               datasets.feature_names, datasets.data_path]:
        assert "Defined in 00-prerequisites/02-numpy-arrays-and-operations.ipynb" in (fn.__doc__ or ""), fn.__name__
