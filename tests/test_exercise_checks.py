"""Exercise check cells reject the likely wrong answers, with the message that names the mistake.

nbval runs every notebook with its own solutions, so it shows that a check accepts a right answer.
These tests show the other half for fifteen exercises whose checks once let a wrong answer pass, or
answered it with the wrong hint: each runs a notebook's code cells in order, in one namespace, with
one `# Solution` cell replaced by a wrong answer, and expects the check cell right after it to fail
with an AssertionError whose message contains the given words.
"""
import contextlib
import io
import json
import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# (notebook, which `# Solution` cell (0-based), the wrong answer, words of the expected message)
WRONG_ANSWERS = [
    ("01-linear-algebra/07-lu-decomposition.ipynb", 1,
     "y_ex = solve_triangular(L_ex, P_ex @ b_ex, lower=True, unit_diagonal=True)\nx_ex = solve_triangular(U_ex, y_ex)",
     "applied P instead of P^T"),
    ("01-linear-algebra/08-qr-decomposition-and-projections.ipynb", 0,
     "p_ex = (a_ex @ a_ex) / (a_ex @ b_ex) * a_ex", "orthogonal to a"),
    ("02-calculus/02-derivatives.ipynb", 2,
     "def dL_db(b, w=0.5):\n    return 2 * b", "2b is right only for centred data"),
    ("03-probability/03-expectation-variance-and-covariance.ipynb", 3,
     "import math\nk_needed = math.ceil(0.8 / (0.3 - 0.2))", "already suffice"),
    ("04-statistics/01-descriptive-statistics-and-sampling.ipynb", 0,
     "s6 = X_dia[:, names.index('s6')]\nq1_b, q3_b = np.quantile(s6, [0.25, 0.75])\n"
     "n_outliers = int(np.sum(s6 > q3_b + 1.5 * (q3_b - q1_b)))", "both fences"),
    ("04-statistics/04-confidence-intervals.ipynb", 2,
     "n_needed = math.ceil((2 * normal_ppf(0.975) * 3 / 0.5) ** 2)", "whole width"),
    ("04-statistics/08-bayesian-inference.ipynb", 2,
     "pa_post = (48.0, 952.0)\npb_post = (63.0, 937.0)\n"
     "prob_b_wins = float(np.mean(rng.beta(*pb_post, 400_000) > rng.beta(*pa_post, 400_000)))",
     "Beta(1, 1) prior"),
    ("05-optimization/09-lagrange-multipliers.ipynb", 0,
     "lam_ex = 0.5\nx_max_ex = np.array([2.0, 4.0])", "factor 2 is missing"),
    ("06-information-theory/04-fisher-information-and-optimal-transport.ipynb", 1,
     "def w1_histograms(x, a, b):\n    return float(np.sum(np.abs(np.cumsum(a) - np.cumsum(b))[:-1]))",
     "multiply by np.diff(x)"),
    ("00-prerequisites/03-broadcasting.ipynb", 0,
     "M -= M.mean(axis=1, keepdims=True)\nM_centred = M", "M was changed"),
    ("01-linear-algebra/03-norms-and-distances.ipynb", 2,
     "x_low = np.array([1e-9, 1e-9, 0.0, 0.0, 0.0])\nx_high = np.array([1e-9, 1e-9, 1e-9, 1e-9, 1e-9])",
     "keep only one"),
    ("03-probability/05-law-of-large-numbers-and-clt.ipynb", 0,
     "n_needed = int(0.25 / (0.01 * 0.06**2))", "round up"),
    ("05-optimization/08-newton-and-quasi-newton-methods.ipynb", 2,
     "f_arr = lambda v: float(np.sqrt(1 + v[0] ** 2))\nxs_damped_ex = [3.0]\nfor _ in range(50):\n"
     "    x_d = np.array([xs_damped_ex[-1]])\n    g_d = np.array([df_sq(x_d[0])])\n"
     "    if abs(g_d[0]) < 1e-12:\n        break\n"
     "    alpha_d, _ = backtracking_line_search(f_arr, x_d, -g_d, g_d)\n"
     "    xs_damped_ex.append(float(x_d[0] - alpha_d * g_d[0]))",
     "the Newton direction is -f'(x)/f''(x)"),
    ("08-ml-math-case-studies/02-logistic-regression-from-scratch.ipynb", 1,
     "t0 = 4 * (y_pet - 0.5)\n"
     "theta_1 = lstsq(np.vstack([0.5 * A_cm, 3.0 * np.eye(3)]), np.r_[0.5 * t0, np.zeros(3)])",
     "the intercept is not penalised"),
    ("08-ml-math-case-studies/03-gradient-descent-visualization.ipynb", 1,
     "kappa_ex = 100.0\nrho_momentum = 9 / 11\nbeta_best = rho_momentum**2\n"
     "speedup = np.log(99 / 101) / np.log(rho_momentum)", "upside down"),
]


def run_until_check(notebook, solution_number, replacement):
    """Run the code cells up to the check after the chosen `# Solution` cell; return its AssertionError or None."""
    path = ROOT / notebook
    cells = json.loads(path.read_text())["cells"]
    solutions = [i for i, c in enumerate(cells)
                 if c["cell_type"] == "code" and "".join(c["source"]).startswith("# Solution")]
    target = solutions[solution_number]
    check = next(i for i in range(target + 1, len(cells)) if cells[i]["cell_type"] == "code")
    namespace = {"__name__": "__exercise__"}
    old_cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        for i, cell in enumerate(cells[:check + 1]):
            source = "".join(cell["source"])
            if cell["cell_type"] != "code" or "ipywidgets" in source or "interact(" in source:
                continue                                  # widgets need a front end
            if i == target:
                source = replacement
            expect_error = "raises-exception" in cell.get("metadata", {}).get("tags", [])
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(source, f"{notebook} cell {i}", "exec"), namespace)
            except AssertionError as error:
                if i == check:
                    return error
                raise
            except Exception:
                if not expect_error:
                    raise
            finally:
                plt.close("all")
    finally:
        os.chdir(old_cwd)
    return None


@pytest.mark.parametrize(("notebook", "solution_number", "wrong", "words"), WRONG_ANSWERS,
                         ids=[f"{Path(nb).stem}-{k}" for nb, k, _, _ in WRONG_ANSWERS])
def test_check_rejects_the_wrong_answer_and_names_the_mistake(notebook, solution_number, wrong, words):
    error = run_until_check(notebook, solution_number, wrong)
    assert error is not None, "the check accepted a wrong answer"
    assert words in str(error), f"the check failed with another message: {error}"


def test_the_harness_accepts_the_notebooks_own_solution():
    notebook, number = WRONG_ANSWERS[0][:2]
    cells = json.loads((ROOT / notebook).read_text())["cells"]
    solution = ["".join(c["source"]) for c in cells
                if c["cell_type"] == "code" and "".join(c["source"]).startswith("# Solution")][number]
    assert run_until_check(notebook, number, solution) is None
