#!/usr/bin/env python3
"""Re-execute notebooks in place so that their stored outputs are true.

    python tools/outputs.py                      every course notebook
    python tools/outputs.py 02-calculus/03-x.ipynb 00-prerequisites

Each notebook runs top to bottom in a fresh kernel, in its own folder, through
nbclient with ``record_timing=False``. A cell tagged ``raises-exception`` may
raise (nbclient runs on past it); any other error stops the run and leaves the
file untouched. Then what would churn on every run is normalised, so that
running this twice on an unchanged notebook leaves ``git diff`` empty:

* widget state is dropped from the metadata, and a cell that displays an
  ipywidgets control keeps no outputs (its execution count stays);
* ``language_info.version`` keeps major.minor only;
* consecutive prints to one stream are joined into one output;
* the repository's absolute path in tracebacks becomes a relative one.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def course_notebooks(targets: list[str]) -> list[Path]:
    """The notebooks named (files or folders), or every course notebook."""
    if not targets:
        return sorted(ROOT.glob("[0-9][0-9]-*/*.ipynb"))
    found = []
    for t in targets:
        p = Path(t).resolve()
        if p.is_dir():
            found += sorted(p.glob("*.ipynb"))
        elif p.suffix == ".ipynb" and p.exists():
            found.append(p)
        else:
            raise SystemExit(f"not a notebook or folder: {t}")
    return found


def normalise(nb: nbformat.NotebookNode) -> None:
    """Remove what changes between two runs of the same notebook."""
    nb.metadata.pop("widgets", None)
    info = nb.metadata.get("language_info", {})
    if "version" in info:
        info["version"] = ".".join(info["version"].split(".")[:2])
    root = re.escape(str(ROOT) + os.sep)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if any(WIDGET_VIEW in out.get("data", {}) for out in cell.outputs):
            cell.outputs = []
            continue
        cell.outputs = coalesce_streams(cell.outputs)
        for out in cell.outputs:
            if out.output_type == "error":
                out.traceback = [re.sub(root, "", line) for line in out.traceback]


def coalesce_streams(outputs: list) -> list:
    """Join consecutive prints to the same stream: how they were split is a matter of timing."""
    merged = []
    for out in outputs:
        previous = merged[-1] if merged else None
        if (out.output_type == "stream" and previous is not None and previous.output_type == "stream"
                and previous.name == out.name):
            previous.text += out.text
        else:
            merged.append(out)
    return merged


def run(path: Path, timeout: int) -> float:
    """Execute one notebook in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as sockets:
        # IPC sockets in a private folder: no TCP ports to collide when several kernels start at once.
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
        client = NotebookClient(nb, km=km, timeout=timeout, record_timing=False, raise_on_iopub_timeout=True,
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    normalise(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("targets", nargs="*", help="notebooks or folders (default: all)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell")
    args = ap.parse_args()
    failed = []
    for path in course_notebooks(args.targets):
        name = path.relative_to(ROOT)
        try:
            seconds = run(path, args.timeout)
        except Exception as exc:  # report every failing notebook, then fail
            failed.append(name)
            print(f"FAILED {name}: {type(exc).__name__}: {str(exc).strip()[-2000:]}", file=sys.stderr)
            continue
        print(f"{seconds:6.1f} s  {name}")
    if failed:
        print(f"{len(failed)} notebook(s) failed and were left unchanged", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
