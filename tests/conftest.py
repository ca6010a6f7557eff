import sys
from pathlib import Path

# Let the tests import their helpers (notebook_rules) and the tools (export, outputs).
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tools")]
