"""make practice / make progress: stubs replace solutions, a learner's work is never overwritten,
and progress counts exactly the exercises whose checks pass."""
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import practice

ROOT = Path(__file__).resolve().parent.parent


def tiny_course(root: Path) -> Path:
    """A one-notebook course with two exercises; returns the notebook's path."""
    nb = nbformat.v4.new_notebook()
    hidden = {"jupyter": {"source_hidden": True}}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tiny\n\n## Exercises\n\n**Exercise 1.** Set `a = 1`."),
        nbformat.v4.new_code_cell("# Solution\na = 1", metadata=hidden),
        nbformat.v4.new_code_cell("assert a == 1, 'a should be 1'\nprint('Exercise 1 passed.')"),
        nbformat.v4.new_markdown_cell("**Exercise 2.** Set `b = 2`."),
        nbformat.v4.new_code_cell("# Solution\nb = 2", metadata=hidden),
        nbformat.v4.new_code_cell("assert b == 2, 'b should be 2'\nprint('Exercise 2 passed.')"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = root / "00-tiny" / "01-tiny.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    return path


def run(*args, root):
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "practice.py"), *args, "--root", str(root)],
                         capture_output=True, text=True, check=True)
    return out.stdout


def test_every_solution_of_the_course_becomes_a_stub_with_outputs_cleared(tmp_path):
    for folder in sorted(ROOT.glob("[0-9][0-9]-*"))[:2]:
        shutil.copytree(folder, tmp_path / folder.name)
    practice.create(tmp_path, tmp_path / "practice")
    originals = practice.course_notebooks(tmp_path)
    assert originals
    for original in originals:
        copy = nbformat.read(tmp_path / "practice" / original.relative_to(tmp_path), as_version=4)
        source = nbformat.read(original, as_version=4)
        stubs = [c.source for c in copy.cells if practice.is_solution(c)]
        solutions = [c for c in source.cells if practice.is_solution(c)]
        assert len(stubs) == len(solutions)
        assert all("raise NotImplementedError(\"Exercise " in s for s in stubs)
        assert all(c.get("outputs", []) == [] for c in copy.cells if c.cell_type == "code")
        assert copy.metadata[practice.KEY]["original"] == original.relative_to(tmp_path).as_posix()


def test_a_second_create_keeps_the_learners_work_and_names_changed_originals(tmp_path):
    original = tiny_course(tmp_path)
    assert "1 practice notebook(s) added" in run("create", root=tmp_path)
    copy = tmp_path / "practice" / "00-tiny" / "01-tiny.ipynb"
    work = nbformat.read(copy, as_version=4)
    work.cells[1].source = "# Solution\na = 1  # my answer"
    nbformat.write(work, copy)
    changed = nbformat.read(original, as_version=4)
    changed.cells[0].source += "\n\nA clarified prompt."
    nbformat.write(changed, original)
    out = run("create", root=tmp_path)
    assert "0 practice notebook(s) added" in out and "~ practice/00-tiny/01-tiny.ipynb" in out
    assert nbformat.read(copy, as_version=4).cells[1].source == "# Solution\na = 1  # my answer"


@pytest.mark.slow
def test_progress_counts_exactly_the_solved_exercise(tmp_path):
    tiny_course(tmp_path)
    run("create", root=tmp_path)
    out = run("progress", root=tmp_path)
    assert "0/2" in out and "to do: 1, 2" in out and "next: 00-tiny/01-tiny.ipynb, exercise 1" in out
    copy = tmp_path / "practice" / "00-tiny" / "01-tiny.ipynb"
    work = nbformat.read(copy, as_version=4)
    work.cells[4].source = "# Solution\nb = 2"  # exercise 2 solved, exercise 1 still a stub
    nbformat.write(work, copy)
    out = run("progress", root=tmp_path)
    assert "1/2" in out and "to do: 1\n" in out
