"""The repository builds under repo2docker: its postBuild step succeeds on a clean copy.

repo2docker installs requirements.txt (which installs mlmath from the repository folder, -e .) and then
runs ./postBuild, both in the repository folder. The first test runs postBuild with this environment;
the second repeats both steps in a new virtual environment, downloading every requirement from the
package index, so it runs only when asked:

    MLMATH_FRESH_VENV=1 .venv/bin/python -m pytest -p no:cacheprovider tests/test_postbuild.py
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRESH_VENV = os.environ.get("MLMATH_FRESH_VENV") == "1"


def copy_tracked_files(dest: Path) -> None:
    """Copy the repository's tracked files (as they are in the work tree) to dest: no venv, no caches."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True)
    files = [name for name in out.stdout.split("\0") if name] if out.returncode == 0 else []
    if not files:
        pytest.skip("not a git checkout")
    for name in files:
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)


def run(cmd: list, cwd: Path, env: dict, timeout: int) -> subprocess.CompletedProcess:
    out = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.mark.slow
def test_postbuild_succeeds_on_a_clean_copy(tmp_path):
    copy_tracked_files(tmp_path)
    # This environment has mlmath installed from the work tree; PYTHONPATH stands for installing the copy.
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=str(tmp_path))
    out = run(["bash", tmp_path / "postBuild"], cwd=tmp_path, env=env, timeout=300)
    assert "postBuild: mlmath ready" in out.stdout and "linalg" in out.stdout
    assert out.stdout.rstrip().endswith(f"from {tmp_path / 'mlmath'}"), out.stdout


@pytest.mark.skipif(not FRESH_VENV, reason="downloads and installs requirements.txt into a new venv (a minute "
                    "or more); run it with MLMATH_FRESH_VENV=1 .venv/bin/python -m pytest -p no:cacheprovider "
                    "tests/test_postbuild.py")
def test_postbuild_succeeds_in_a_fresh_venv(tmp_path):
    repo, venv, elsewhere = tmp_path / "repo", tmp_path / "venv", tmp_path / "elsewhere"
    copy_tracked_files(repo)
    elsewhere.mkdir()
    copied = {p.name: p.read_text(encoding="utf-8") for p in sorted((repo / "mlmath").glob("*.py"))}
    # A new venv from the interpreter running the tests, with nothing installed in it but pip.
    base = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path, env=base, timeout=300)
    bin_dir = venv / "bin"
    env = dict(base, VIRTUAL_ENV=str(venv), PATH=f"{bin_dir}{os.pathsep}{base['PATH']}")
    # What repo2docker runs, in this order, in the repository folder (its pip, the environment's bin first on PATH).
    run([bin_dir / "pip", "install", "--no-cache-dir", "-r", "requirements.txt"], cwd=repo, env=env, timeout=1800)
    out = run([repo / "postBuild"], cwd=repo, env=env, timeout=600)
    assert out.stdout.rstrip().endswith(f"from {repo / 'mlmath'}"), out.stdout

    # A notebook in any folder imports the package installed from the copy.
    check = ("import mlmath, mlmath.linalg, mlmath.models; from pathlib import Path; "
             "print(Path(mlmath.__file__).parent)")
    out = run([bin_dir / "python", "-c", check], cwd=elsewhere, env=env, timeout=300)
    assert out.stdout.strip() == str(repo / "mlmath")

    # postBuild regenerated mlmath/ from the notebooks: the same modules, the same text as the repository's
    # (as copied: the work tree may change while the test runs).
    generated = {p.name: p.read_text(encoding="utf-8") for p in sorted((repo / "mlmath").glob("*.py"))}
    assert sorted(generated) == sorted(copied)
    assert [name for name in generated if generated[name] != copied[name]] == []


def test_runtime_txt_asks_repo2docker_for_a_python_the_package_supports():
    """repo2docker builds with an older Python unless runtime.txt names one; pyproject needs >= 3.11."""
    import re
    import tomllib

    wanted = (ROOT / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", wanted)
    assert match, f"runtime.txt must read python-X.Y, got {wanted!r}"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    low = re.fullmatch(r">=\s*(\d+)\.(\d+)", requires)
    assert low, f"expected requires-python of the form >=X.Y, got {requires!r}"
    assert tuple(map(int, match.groups())) >= tuple(map(int, low.groups())), (wanted, requires)
