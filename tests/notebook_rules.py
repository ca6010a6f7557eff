"""The house rules for a course notebook, as code (CONVENTIONS §2 and §4).

``problems(path)`` lists every rule a notebook breaks, as sentences a writer
can act on; ``tests/test_notebooks.py`` runs it over every course notebook and
over the fixtures in ``tests/fixtures/``, one per rule, which prove that each
rule really catches what it is meant to.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Every syllabus topic, by folder: a topic is taught when an H2 names it and
# has the five steps below. Names are matched case-insensitively, a plural
# allowed, longer names first ("Partial derivatives" is not "Derivatives").
TOPICS = {
    "00-prerequisites": [
        "Python basics for math", "NumPy arrays and operations", "Broadcasting",
        "Mathematical notation used in ML", "Plotting basics with Matplotlib",
    ],
    "01-linear-algebra": [
        "Scalars, vectors and matrices", "Vector and matrix operations", "Matrix multiplication",
        "Dot product", "Norms and distances", "Linear combinations", "Span, basis and dimension",
        "Linear independence", "Linear transformations", "Systems of linear equations",
        "Matrix rank", "Determinant", "Inverse matrices", "LU decomposition", "QR decomposition",
        "Eigenvalues and eigenvectors", "Diagonalization", "Orthogonality and projections",
        "Singular value decomposition", "PCA foundations", "Tensor operations",
    ],
    "02-calculus": [
        "Functions and limits", "Derivatives", "Rules of differentiation", "Partial derivatives",
        "Gradients", "Chain rule", "Multivariable functions", "Jacobian", "Hessian matrix",
        "Taylor series", "Optimization intuition", "Matrix calculus", "Backpropagation", "Integration",
    ],
    "03-probability": [
        "Probability basics", "Random variables", "Probability distributions",
        "Expectation and variance", "Covariance", "Joint and conditional probability",
        "Bayes' theorem", "Law of large numbers", "Central limit theorem", "Sampling methods",
    ],
    "04-statistics": [
        "Descriptive statistics", "Sampling techniques", "Parameter estimation",
        "Maximum likelihood estimation", "Hypothesis testing", "Confidence intervals",
        "Correlation vs covariance", "Bias-variance tradeoff", "A/B testing", "Bayesian inference",
        "Analysis of a real dataset",
    ],
    "05-optimization": [
        "Loss functions", "Gradient descent", "Stochastic gradient descent", "Momentum", "RMSProp",
        "Adam", "Learning rate strategies", "Regularization", "Convex optimization",
        "Newton's method", "Quasi-Newton methods", "Lagrange multipliers",
    ],
    "06-information-theory": [
        "Entropy", "Cross-entropy", "KL divergence", "Mutual information", "Information gain",
        "Entropy and data compression", "Fisher information", "Optimal transport",
    ],
    "07-numerical-methods": ["Floating-point errors", "Numerical stability", "Matrix conditioning"],
    "08-ml-math-case-studies": [
        "Linear regression from scratch", "Logistic regression from scratch",
        "Gradient descent visualization", "PCA from scratch", "Neural network math",
        "Decision tree from information gain", "Math of deep learning architectures",
    ],
}
STEPS = {"Concept": ("concept",), "The math": ("the math",), "Visualization": ("visualiz", "visualis"),
         "From scratch in NumPy": ("from scratch",), "Connection to ML": ("connection to ml",)}
NAME = re.compile(r"^\d\d-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$")
GLOBAL_RNG = re.compile(r"np\.random\.(rand|randn|randint|random_sample|seed|normal|uniform|choice"
                        r"|shuffle|permutation|random)\(")
LEAKS = [(re.compile(r"(?<![\w.])/(root|home|tmp|Users|work|opt|var|usr|private)/"), "an absolute path"),
         (re.compile(r"\b0x[0-9a-fA-F]{6,}"), "a memory address")]
BARE_REPRS = re.compile(r"<Figure size \d+(\.\d+)?x\d+|<matplotlib\.[\w.]+ (at|object)|\[<matplotlib\.")
WIDGETS = re.compile(r"\binteract(ive)?\(|\bwidgets\.\w+\(")
CHECK = re.compile(r"\bassert\b|\braise\b|assert_allclose|assert_array")
PASSED = re.compile(r"^Exercise \d+[a-z]? passed\.\n?$")


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return re.sub(r"\s+", " ", re.sub(r"\btrade[- ]off", "tradeoff", text)).strip()


def headings(cells: list[dict]) -> list[tuple[int, str, float]]:
    """(level, normalised text, position) of each markdown heading outside code fences.

    The position is the cell index plus a fraction for the line, so that two
    headings in one cell ("### Connection to ML" ... "## Exercises") keep their order.
    """
    found = []
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        fenced = False
        lines = source(cell).splitlines()
        for j, line in enumerate(lines):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            elif not fenced and (m := re.match(r"(#{1,6})\s+(.*)", line)):
                found.append((len(m.group(1)), normalise(m.group(2)), i + j / (len(lines) + 1)))
    return found


def topics_named(heading: str, topics: list[str]) -> list[str]:
    """The topics an H2 names; a longer name claims its words first."""
    taken: list[tuple[int, int]] = []
    named = []
    for topic in sorted(topics, key=len, reverse=True):
        pattern = re.escape(normalise(topic)).replace("matrix$", "matri(?:x|ces)")
        for m in re.finditer(r"(?<![\w-])" + pattern + r"(?:e?s)?(?![\w-])", heading):
            if all(m.end() <= a or m.start() >= b for a, b in taken):
                taken.append(m.span())
                named.append(topic)
                break
    return named


def sections(cells: list[dict]) -> list[tuple[str, float, float]]:
    """(H2 text, start position, end position) of each H2 section; code cell i lies at position i."""
    h2 = [(text, i) for level, text, i in headings(cells) if level == 2]
    ends = [i for _, i in h2[1:]] + [len(cells)]
    return [(text, start, end) for (text, start), end in zip(h2, ends, strict=True)]


def step_name(h3: str) -> str | None:
    text = re.sub(r"^(step\s*)?\d+[.):]?\s*", "", h3)
    return next((step for step, prefixes in STEPS.items() if text.startswith(prefixes)), None)


def is_self_assessment(path: Path) -> bool:
    return path.name.endswith("self-assessment.ipynb")


def raises_on_purpose(cell: dict) -> bool:
    return "raises-exception" in cell.get("metadata", {}).get("tags", [])


def collapsed(cell: dict) -> bool:
    return bool(cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"))


def output_text(out: dict) -> str:
    data = out.get("data", {})
    parts = [out.get("text", ""), data.get("text/plain", ""), data.get("text/html", ""),
             out.get("evalue", ""), "\n".join(out.get("traceback", []))]
    text = "".join("".join(p) if isinstance(p, list) else str(p) for p in parts)
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def structure_problems(path: Path, cells: list[dict], topics: list[str]) -> list[str]:
    """Topic sections, Exercises and Summary (CONVENTIONS §2)."""
    problems = []
    heads = headings(cells)
    for title, start, end in sections(cells):
        if title.startswith(("exercises", "summary")):
            continue
        named = topics_named(title, topics)
        if named:
            steps = {step_name(text) for level, text, i in heads if level == 3 and start <= i < end}
            missing = [s for s in STEPS if s not in steps]
            if missing:
                problems.append(f"section '{title}' lacks ### " + ", ### ".join(missing))
    if not any(topics_named(t, topics) for t, _, _ in sections(cells)):
        problems.append("no H2 names a syllabus topic of this folder")
    for want in ("exercises", "summary"):
        if not any(t.startswith(want) for t, _, _ in sections(cells)):
            problems.append(f"no '## {want.capitalize()}' section")
    exercises = next(((s, e) for t, s, e in sections(cells) if t.startswith("exercises")), None)
    if exercises:
        code = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and exercises[0] < i < exercises[1]]
        solutions = [i for i in code if collapsed(cells[i])]
        if len(solutions) < 2:
            problems.append(f"{len(solutions)} collapsed solution cells under Exercises (want 2 or more)")
        for i in solutions:
            if source(cells[i]).strip().splitlines()[:1] != ["# Solution"]:
                problems.append(f"cell {i}: a collapsed solution's first line is not '# Solution'")
            if cells[i].get("outputs"):
                problems.append(f"cell {i}: a solution cell prints or shows something")
            check = next((j for j in code if j > i), None)
            if check is None or collapsed(cells[check]) or not CHECK.search(source(cells[check])):
                problems.append(f"cell {i}: the solution is not followed by a check cell (assert)")
                continue
            printed = [o for o in cells[check].get("outputs", [])]
            if len(printed) != 1 or not PASSED.match(output_text(printed[0])):
                problems.append(f"cell {check}: a check cell must print one line, 'Exercise N passed.'")
    return problems


def output_problems(cells: list[dict], figures_required: bool) -> list[str]:
    """Stored outputs that nbval cannot reproduce or that a reader should not see (§4)."""
    problems = []
    code = [c for c in cells if c["cell_type"] == "code"]
    outputs = [(c, o) for c in code for o in c.get("outputs", [])]
    if figures_required and not any("image/png" in o.get("data", {}) for _, o in outputs):
        problems.append("no stored PNG figure")
    if any("image/svg+xml" in o.get("data", {}) for _, o in outputs):
        problems.append("an SVG figure is stored (nbval compares its text, which holds ids): use PNG")
    counts = [c.get("execution_count") for c in code if source(c).strip()]
    if counts != list(range(1, len(counts) + 1)):
        problems.append("execution counts are not 1..n: store outputs from one fresh run (make outputs)")
    for cell, out in outputs:
        kind = out.get("output_type")
        if kind == "error" and not raises_on_purpose(cell):
            problems.append(f"an error ({out.get('ename')}) is stored in a cell not tagged raises-exception")
        if kind == "stream" and out.get("name") == "stderr":
            problems.append("a stderr output (a warning?) is stored: " + output_text(out)[:80].strip())
        text = output_text(out)
        problems += [f"an output holds {what}" for rx, what in LEAKS if rx.search(text)]
        if kind == "execute_result" and BARE_REPRS.search(text):
            problems.append("a bare figure or artist repr is a cell's value: end the cell with plt.show() or ';'")
    return problems


def source_problems(cells: list[dict], style_required: bool) -> list[str]:
    problems = []
    code = [source(c) for c in cells if c["cell_type"] == "code"]
    if any(GLOBAL_RNG.search(s) for s in code):
        problems.append("uses NumPy's global random state: use rng = np.random.default_rng(seed)")
    for s in code:
        if WIDGETS.search(s) and not s.startswith("# NBVAL_IGNORE_OUTPUT"):
            problems.append("a cell that shows a widget does not start with '# NBVAL_IGNORE_OUTPUT'")
    if style_required and not any("use_style()" in s for s in code):
        problems.append("the setup cell does not call mlmath.plotting.use_style()")
    return problems


def problems(path: Path, topics: list[str] | None = None) -> list[str]:
    """Every rule the notebook at ``path`` breaks (an empty list when none)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = nb.get("cells", [])
    if topics is None:
        topics = TOPICS.get(Path(path).resolve().parent.name, [])
    found = []
    if not NAME.match(path.name):
        found.append("name is not NN-short-name.ipynb (lower case, hyphens)")
    heads = headings(cells)
    if not heads or heads[0][0] != 1 or heads[0][2] >= 1:
        found.append("the first cell is not a '# Title' markdown cell")
    if nb.get("metadata", {}).get("kernelspec", {}).get("name") != "python3":
        found.append("the kernelspec is not 'python3'")
    assessment = is_self_assessment(path)
    if not assessment:
        found += structure_problems(path, cells, topics)
    found += output_problems(cells, figures_required=not assessment)
    found += source_problems(cells, style_required=not assessment)
    return sorted(set(found))


def course_notebooks() -> list[Path]:
    return sorted(ROOT.glob("[0-9][0-9]-*/*.ipynb"))
