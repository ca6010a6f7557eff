"""The repository builds under repo2docker: its postBuild step succeeds on a clean copy."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_postbuild_succeeds_on_a_clean_copy(tmp_path):
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    if not files:
        pytest.skip("not a git checkout")
    for name in files:
        if (ROOT / name).is_file():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tmp_path / name)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    out = subprocess.run(["bash", str(tmp_path / "postBuild")], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "postBuild: mlmath ready" in out.stdout and "linalg" in out.stdout
