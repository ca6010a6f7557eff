"""mlmath/ is generated from the notebooks' export cells, and stays in sync with them."""
import json
import subprocess
import sys
from pathlib import Path

import export

ROOT = Path(__file__).resolve().parent.parent


def test_mlmath_is_in_sync_with_the_notebooks():
    stale = export.stale()
    assert not stale, "; ".join(stale) + ": run make export"


def test_importing_mlmath_imports_no_submodule():
    code = "import sys, mlmath; print(sorted(m for m in sys.modules if m.startswith('mlmath.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_generated_module_names_its_notebooks_and_imports_cleanly():
    for module, path in export.generated_files().items():
        first, second = path.read_text(encoding="utf-8").splitlines()[:2]
        assert first.startswith(export.MARKER) and second.endswith(".ipynb"), f"{path.name}: {first} {second}"
        subprocess.run([sys.executable, "-c", f"import mlmath.{module}"], check=True)


def write_notebook(path: Path, cells: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = {"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [], "execution_count": None}
                    for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb))


def test_the_exporter_collects_cells_in_order_and_gathers_imports(tmp_path):
    write_notebook(tmp_path / "01-b/01-later.ipynb", [
        "#| default_exp demo\nimport numpy as np",
        "#| export\nimport math\nimport numpy as np\nfrom mlmath.demo import first\n\n"
        "def second():\n    return first() + math.pi",
    ])
    write_notebook(tmp_path / "00-a/01-first.ipynb", [
        "#| default_exp demo",
        '#| export\n"""The demo module."""\nfrom __future__ import annotations\nimport numpy as np\n\n'
        "def first():\n    return np.float64(1.0)",
        "def not_exported():\n    pass",
        "#| export other\ndef elsewhere():\n    return 2",
    ])
    modules = export.build(tmp_path)
    assert sorted(modules) == ["demo", "other"]
    demo = modules["demo"]
    lines = demo.splitlines()
    assert lines[:3] == [f"{export.MARKER} from:", "#   00-a/01-first.ipynb", "#   01-b/01-later.ipynb"]
    assert lines[4] == '"""The demo module."""', "the first cell's docstring leads the module"
    assert demo.index("from __future__") < demo.index("import numpy as np") < demo.index("import math")
    assert demo.count("import numpy as np") == 1
    assert "from mlmath.demo import" not in demo, "a module's import of itself is dropped"
    assert demo.index("def first") < demo.index("def second"), "folders in order, then notebooks"
    assert "not_exported" not in demo and "elsewhere" not in demo
    namespace = {}
    exec(compile(demo, "demo.py", "exec"), namespace)
    assert abs(namespace["second"]() - (1 + 3.141592653589793)) < 1e-12
    assert "def elsewhere" in modules["other"]


def test_the_check_reports_a_stale_and_an_orphaned_module(tmp_path):
    write_notebook(tmp_path / "00-a/01-x.ipynb", ["#| default_exp demo", "#| export\nX = 1"])
    (tmp_path / "mlmath").mkdir()
    (tmp_path / "mlmath/demo.py").write_text(f"{export.MARKER} from 00-a/01-x.ipynb.\nX = 0\n")
    (tmp_path / "mlmath/gone.py").write_text(f"{export.MARKER} from 00-a/02-y.ipynb.\n")
    (tmp_path / "mlmath/__init__.py").write_text('"""hand-written"""\n')
    assert export.stale(tmp_path) == ["mlmath/demo.py is out of date", "mlmath/gone.py has no export cells left"]
    (tmp_path / "mlmath/demo.py").write_text(export.build(tmp_path)["demo"])
    (tmp_path / "mlmath/gone.py").unlink()
    assert export.stale(tmp_path) == []


def test_an_export_cell_without_a_module_is_an_error(tmp_path):
    write_notebook(tmp_path / "00-a/01-x.ipynb", ["#| export\nX = 1"])
    try:
        export.build(tmp_path)
    except SystemExit as exc:
        assert "default_exp" in str(exc)
    else:
        raise AssertionError("an export cell with no module must stop the export")


def test_a_name_defined_twice_in_one_module_is_an_error(tmp_path):
    write_notebook(tmp_path / "00-a/01-x.ipynb", ["#| default_exp demo", "#| export\ndef helper():\n    return 1"])
    write_notebook(tmp_path / "00-a/02-y.ipynb", ["#| default_exp demo", "#| export\ndef helper():\n    return 2"])
    try:
        export.build(tmp_path)
    except SystemExit as exc:
        assert "'helper' is defined in 00-a/01-x.ipynb and again in 00-a/02-y.ipynb" in str(exc)
    else:
        raise AssertionError("a second definition of a name in one module must stop the export")
