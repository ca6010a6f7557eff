#!/usr/bin/env python3
"""Write the previous / contents / next line at the end of every course notebook's title cell.

    python tools/nav.py                  every notebook under the repository's week folders
    python tools/nav.py --root DIR       the week folders under DIR instead (a copy, for trying it out)
    python tools/nav.py --check          write nothing; exit 1 if a notebook's line is missing or stale

The reading order is the course's: week folders in order, notebooks by file
name within a folder, and across folders from the last notebook of one to the
first of the next. The line sits between two marker comments, which JupyterLab
does not show, and replaces the block already there, so running this twice
changes nothing the second time:

    <!-- nav -->
    [← Previous: <title>](<link>) | [Contents](README.md) | [Next: <title> →](<link>)
    <!-- /nav -->

Titles are the notebooks' H1s; the very first notebook has no previous link and
the last no next. Notebooks are written with nbformat, as the course stores
them; only the first cell's source changes. tests/test_nav.py fails with "run
make nav" when a notebook's block differs from what this would write.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- nav -->", "<!-- /nav -->"
BLOCK = re.compile(r"\s*" + re.escape(START) + r".*?" + re.escape(END) + r"[ \t]*", re.DOTALL)
H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")


def course_notebooks(root: Path) -> list[Path]:
    """Every course notebook in reading order: folders in order, then file names."""
    return sorted(root.glob("[0-9][0-9]-*/*.ipynb"))


def title_of(path: Path, nb: nbformat.NotebookNode | None = None) -> str:
    """The notebook's H1, from its first cell."""
    nb = nb if nb is not None else nbformat.read(path, as_version=4)
    first = nb.cells[0] if nb.cells else None
    lines = first.source.strip().splitlines() if first is not None and first.cell_type == "markdown" else []
    match = H1.match(lines[0]) if lines else None
    if match is None:
        raise SystemExit(f"{path}: the first cell is not a markdown cell starting with '# Title'")
    return match.group(1).strip()


def link(title: str, source: Path, target: Path) -> tuple[str, str]:
    """Link text with its brackets escaped, and the POSIX relative path from one notebook to another."""
    text = title.replace("[", r"\[").replace("]", r"\]")
    return text, Path(os.path.relpath(target, source.parent)).as_posix()


def nav_line(prev: tuple[Path, str] | None, here: Path, nxt: tuple[Path, str] | None) -> str:
    parts = []
    if prev is not None:
        text, href = link(prev[1], here, prev[0])
        parts.append(f"[← Previous: {text}]({href})")
    parts.append("[Contents](README.md)")
    if nxt is not None:
        text, href = link(nxt[1], here, nxt[0])
        parts.append(f"[Next: {text} →]({href})")
    return " | ".join(parts)


def blocks(root: Path = ROOT) -> dict[Path, str]:
    """Notebook -> the nav block its first cell must end with, for every course notebook under root."""
    paths = course_notebooks(root)
    titles = [(p, title_of(p)) for p in paths]
    found = {}
    for i, path in enumerate(paths):
        prev = titles[i - 1] if i > 0 else None
        nxt = titles[i + 1] if i + 1 < len(paths) else None
        found[path] = f"{START}\n{nav_line(prev, path, nxt)}\n{END}"
    return found


def with_block(source: str, block: str) -> str:
    """The first cell's source with any nav block removed and this one appended after a blank line."""
    return BLOCK.sub("", source).rstrip() + "\n\n" + block


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="the folder holding the week folders (default: repo)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a notebook would change")
    args = ap.parse_args(argv)
    root = args.root.resolve()
    wanted = blocks(root)
    if not wanted:
        raise SystemExit(f"no notebooks under {root}/[0-9][0-9]-*/")
    stale = []
    for path, block in wanted.items():
        text = path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
        if text != nbformat.writes(nb) + "\n":
            print(f"note: {path.relative_to(root)} is not stored as nbformat writes it; writing it reformats more "
                  "than its first cell")
        first = nb.cells[0]
        new = with_block(first.source, block)
        if new == first.source:
            continue
        stale.append(path)
        if not args.check:
            first.source = new
            nbformat.write(nb, path)
    rel = [str(p.relative_to(root)) for p in stale]
    if args.check:
        if stale:
            print("navigation missing or stale (run make nav):\n  " + "\n  ".join(rel))
        return 1 if stale else 0
    print(f"nav: {len(stale)} of {len(wanted)} notebooks updated" + (":\n  " + "\n  ".join(rel) if rel else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
