#!/usr/bin/env python3
"""Refresh the README's pictures of JupyterLab from the browser test's screenshots.

    make screenshot      (runs make e2e, then this)

Crops the top of a notebook page and copies the slider picture into docs/.
"""
import sys
from pathlib import Path

import matplotlib.image as mpimg

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "e2e" / "screenshots"
PICTURES = {  # docs/ file -> (screenshot, rows kept from the top)
    "jupyterlab.png": ("01-linear-algebra--01-vectors-and-matrices.png", 1000),
    "jupyterlab-slider.png": ("00-prerequisites--05-plotting-basics-slider.png", None),
}


def main() -> int:
    (ROOT / "docs").mkdir(exist_ok=True)
    for target, (shot, rows) in PICTURES.items():
        source = SHOTS / shot
        if not source.exists():
            print(f"missing {source.relative_to(ROOT)}: run make e2e first", file=sys.stderr)
            return 1
        image = mpimg.imread(source)
        mpimg.imsave(ROOT / "docs" / target, image[:rows] if rows else image)
        print(f"wrote docs/{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
