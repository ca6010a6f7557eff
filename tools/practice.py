#!/usr/bin/env python3
"""Practice copies of the notebooks, and a learner's progress through their exercises.

    python tools/practice.py create              make practice/: every notebook, solutions blanked
    python tools/practice.py progress [PATHS]    run the checks in practice/ and print solved/total

`create` copies each course notebook to practice/<folder>/<name>.ipynb with its
outputs cleared and each solution cell (a collapsed cell starting "# Solution")
replaced by a stub that raises NotImplementedError. It never overwrites a
practice notebook that exists, so a learner's work survives `git pull` and a
second `make practice`: new notebooks are added, and the ones whose original
changed since they were copied are listed.

`progress` executes each practice notebook in a fresh kernel, running on past
errors, so an unsolved exercise does not stop the later ones from counting. An
exercise is solved when its check cell (the first code cell after its solution
cell) runs without an error, whatever the solution prints.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
PRACTICE = ROOT / "practice"
KEY = "mlmath_practice"  # notebook metadata: which original a practice copy came from


def course_notebooks(root: Path) -> list[Path]:
    return sorted(root.glob("[0-9][0-9]-*/[0-9][0-9]-*.ipynb"))


def is_solution(cell) -> bool:
    """A solution cell: code whose first line is "# Solution" (collapsed in the course, open in practice)."""
    return cell.cell_type == "code" and cell.source.lstrip().startswith("# Solution")


def exercise_labels(nb) -> list[str]:
    """The label of each solution cell's exercise ("3", "2b"), from the nearest prompt above it."""
    labels, last_prompt, count = [], None, 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = re.findall(r"Exercise\s+(\d+[a-z]?)", cell.source)
            if found:
                last_prompt = found[-1]
        elif is_solution(cell):
            count += 1
            labels.append(last_prompt or str(count))
            last_prompt = None
    return labels


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def practice_copy(path: Path, root: Path):
    """The practice version of one course notebook: solutions stubbed, outputs cleared."""
    nb = nbformat.read(path, as_version=4)
    labels = iter(exercise_labels(nb))
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        if is_solution(cell):
            label = next(labels)
            cell.source = f'# Solution\nraise NotImplementedError("Exercise {label}: your code here")'
            cell.metadata.pop("jupyter", None)  # open, not collapsed: this is where the learner writes
    nb.metadata[KEY] = {"original": path.relative_to(root).as_posix(), "fingerprint": fingerprint(path)}
    return nb


def create(root: Path, dest: Path) -> int:
    added, changed = [], []
    for path in course_notebooks(root):
        target = dest / path.relative_to(root)
        if target.exists():
            copied = nbformat.read(target, as_version=4).metadata.get(KEY, {}).get("fingerprint")
            if copied != fingerprint(path):
                changed.append(target.relative_to(dest.parent))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(practice_copy(path, root), target)
        added.append(target.relative_to(dest.parent))
    print(f"{len(added)} practice notebook(s) added under {dest.name}/" + ("" if added else " (all existed)"))
    for p in added:
        print(f"  + {p}")
    if changed:
        print("These practice notebooks have a newer original (yours are kept; compare with the original):")
        for p in changed:
            print(f"  ~ {p}")
    return 0


def exercise_results(path: Path, timeout: int = 300) -> list[tuple[str, bool]]:
    """(exercise label, solved) for each exercise of one practice notebook, by running it."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    labels = exercise_labels(nb)
    with tempfile.TemporaryDirectory() as sockets:
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
        NotebookClient(nb, km=km, timeout=timeout, allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    results = []
    for label, i in zip(labels, [i for i, c in enumerate(code) if is_solution(c)], strict=True):
        check = code[i + 1] if i + 1 < len(code) else None
        solved = check is not None and not any(o.output_type == "error" for o in check.outputs)
        results.append((label, solved))
    return results


def progress(paths: list[Path], dest: Path, strict: bool = False) -> int:
    notebooks = []
    for p in paths or [dest]:
        notebooks += sorted(p.glob("[0-9][0-9]-*/*.ipynb")) + sorted(p.glob("*.ipynb")) if p.is_dir() else [p]
    if not notebooks:
        print(f"no practice notebooks in {dest.name}/: run `make practice` first")
        return 1
    by_folder: dict[str, list[tuple[str, int, int, list[str]]]] = {}
    for path in notebooks:
        results = exercise_results(path)
        solved = [label for label, ok in results if ok]
        todo = [label for label, ok in results if not ok]
        by_folder.setdefault(path.parent.name, []).append((path.name, len(solved), len(results), todo))
    print(f"{'notebook':58s} solved")
    total_solved = total = 0
    next_step = None
    for folder, rows in by_folder.items():
        s, n = sum(r[1] for r in rows), sum(r[2] for r in rows)
        total_solved, total = total_solved + s, total + n
        print(f"{folder + '/':58s} {s:3d}/{n:<3d} {'done' if s == n else ''}")
        for name, s_nb, n_nb, todo in rows:
            print(f"  {name:56s} {s_nb:3d}/{n_nb:<3d}" + (f" to do: {', '.join(todo)}" if todo else ""))
            if todo and next_step is None:
                next_step = f"{folder}/{name}, exercise {todo[0]}"
    print(f"{'all':58s} {total_solved:3d}/{total:<3d}")
    print(f"next: {next_step}" if next_step else "every exercise is solved")
    return 1 if strict and next_step else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["create", "progress"])
    ap.add_argument("paths", nargs="*", type=Path, help="progress: practice notebooks or folders (default: all)")
    ap.add_argument("--root", type=Path, default=ROOT, help="the course (default: this repository)")
    ap.add_argument("--dest", type=Path, default=None, help="the practice folder (default: ROOT/practice)")
    ap.add_argument("--strict", action="store_true", help="progress: exit 1 unless every exercise is solved")
    args = ap.parse_args()
    dest = args.dest or args.root / "practice"
    if args.command == "create":
        return create(args.root, dest)
    return progress(args.paths, dest, args.strict)


if __name__ == "__main__":
    sys.exit(main())
