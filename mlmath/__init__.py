"""mlmath: the from-scratch NumPy code that the course's notebooks derive.

Each submodule is generated from the notebooks by ``make export`` (see
``tools/export.py``) and imported on its own, e.g. ``from mlmath import linalg``
or ``from mlmath.plotting import use_style``. This file is written by hand and
imports no submodule, so ``import mlmath`` works while only some weeks exist.
"""

__version__ = "0.1.0"
