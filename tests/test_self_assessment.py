"""The self-assessment (00-prerequisites/00-self-assessment.ipynb) scores answers correctly.

The notebook's answer cells (tagged ``answer``) start as ``answer_2a = None``; the
tests fill them in, execute the notebook in a fresh kernel and read its report.
The correct answers below are computed here, independently of the notebook's
answer key, with NumPy and SciPy.
"""
import math
import re
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from scipy import special, stats

NOTEBOOK = Path(__file__).resolve().parent.parent / "00-prerequisites" / "00-self-assessment.ipynb"
REPORT_LINE = re.compile(r"^Week\s+(\d+) \((.+)\):\s+(\d+)/(\d+)\s+(skim|study closely)$", re.MULTILINE)
QUESTION_LINE = re.compile(r"^Question (\d+[a-z]): (correct|not correct|not answered yet)$", re.MULTILINE)
ANSWER_START = re.compile(r"^(answer_(\d+)[a-z]) = None(\s|$)")


def _source(value) -> str:
    """Python source for a value: plain ints, floats, tuples and nested lists."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    elif isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def _correct_answers() -> dict[str, str]:
    A_shape, B_shape = (4,), (3,)
    M = np.array([[1, 2, 3], [4, 5, 6]])
    u, v = np.array([1, -2, 3]), np.array([4, 1, 2])
    A2, x2 = np.array([[2, 1], [0, 3]]), np.array([1, 2])
    B3 = np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]])
    S3 = np.array([[2.0, 1.0], [1.0, 2.0]])
    # d/dx x^3 sin x and d/dx (1 + x^2)^3, by a central difference (h = 1e-5 gives ~1e-10)
    h = 1e-5

    def f4(x):
        return x**3 * math.sin(x)

    def g4(x):
        return (1 + x**2) ** 3

    def f5(p):
        return p[0] ** 2 * p[1] + 3 * p[1]

    def g5(p):
        return np.array([p[0] * p[1], p[0] + p[1] ** 2])

    p5 = np.array([2.0, 1.0])
    grad5 = [(f5(p5 + h * e) - f5(p5 - h * e)) / (2 * h) for e in np.eye(2)]
    q5 = np.array([3.0, 2.0])
    jac5 = np.column_stack([(g5(q5 + h * e) - g5(q5 - h * e)) / (2 * h) for e in np.eye(2)])
    counts = np.array([[30, 10], [5, 55]])  # rows: spam, not spam; columns: free, no free
    die = np.arange(1, 7)
    data7 = np.array([2, 4, 4, 4, 5, 5, 7, 9])
    w8 = np.array([1.0, 1.0])
    A8, b8 = np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([1.0, 0.0])
    eig10 = np.array([5, 3, 1.5, 0.5])
    values = {
        "answer_1a": (np.zeros(A_shape)[:, None] - np.zeros(B_shape)).shape,
        "answer_1b": M.mean(axis=0),
        "answer_2a": float(u @ v),
        "answer_2b": A2 @ x2,
        "answer_3a": int(np.linalg.matrix_rank(B3)),
        "answer_3b": np.linalg.eigvalsh(S3),
        "answer_4a": (f4(1 + h) - f4(1 - h)) / (2 * h),
        "answer_4b": (g4(1 + h) - g4(1 - h)) / (2 * h),
        "answer_5a": np.array(grad5),
        "answer_5b": jac5,
        "answer_6a": counts[0, 0] / counts[:, 0].sum(),
        "answer_6b": float(np.var(die)),
        "answer_7a": float(np.std(data7, ddof=1)),
        "answer_7b": float(stats.norm.ppf(0.975) * 15 / np.sqrt(100)),
        "answer_8a": w8 - 0.1 * np.array([2 * w8[0], 6 * w8[1]]),
        "answer_8b": np.linalg.solve(A8, b8),
        "answer_9a": float(stats.entropy([0.5, 0.25, 0.25], base=2)),
        "answer_9b": float(special.logsumexp([1000.0, 1000.0])),
        "answer_10a": 64 * 32 + 32 + 32 * 10 + 10,
        "answer_10b": float(eig10[:2].sum() / eig10.sum()),
    }
    return {name: f"{name} = {_source(value)}" for name, value in values.items()}


# answer variable -> the correct answer as Python source
CORRECT = _correct_answers()

# Right answers in other forms a learner may write: a list for a tuple, a column
# vector, another order for a set of eigenvalues, rounded decimals, NumPy scalars.
OTHER_FORMS = {
    "answer_1a": "answer_1a = [4, 3]",
    "answer_1b": "answer_1b = np.array([[1, 2, 3], [4, 5, 6]]).mean(axis=0)",
    "answer_2a": "answer_2a = np.int64(8)",
    "answer_2b": "answer_2b = np.array([[4], [6]])",
    "answer_3a": "answer_3a = np.linalg.matrix_rank(np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]]))",
    "answer_3b": "answer_3b = (3.0, 1.0)",
    "answer_4a": "answer_4a = 3.065",
    "answer_4b": "answer_4b = 24",
    "answer_5a": "answer_5a = (4, 7)",
    "answer_5b": "answer_5b = np.array([[2.0, 3.0], [1.0, 4.0]])",
    "answer_6a": "answer_6a = 0.857",
    "answer_6b": "answer_6b = 2.917",
    "answer_7a": "answer_7a = np.std([2, 4, 4, 4, 5, 5, 7, 9], ddof=1)",
    "answer_7b": "answer_7b = 1.96 * 15 / 10",
    "answer_8a": "answer_8a = np.array([0.8, 0.4])",
    "answer_8b": "answer_8b = [2 / 5, -1 / 5]",
    "answer_9a": "answer_9a = 1.5",
    "answer_9b": "answer_9b = np.logaddexp(1000, 1000)",
    "answer_10a": "answer_10a = 2410.0",
    "answer_10b": "answer_10b = 8 / 10",
}

# The common wrong answer to each question, and what it gets wrong.
WRONG = {
    "answer_1a": "answer_1a = (3, 4)",  # the axes swapped
    "answer_1b": "answer_1b = [2.0, 5.0]",  # row means (axis=1)
    "answer_2a": "answer_2a = [4, -2, 6]",  # the elementwise product, not summed
    "answer_2b": "answer_2b = [2, 7]",  # x^T A instead of A x
    "answer_3a": "answer_3a = 3",  # full rank assumed
    "answer_3b": "answer_3b = [2, 2]",  # the diagonal
    "answer_4a": "answer_4a = 3 * np.cos(1.0)",  # the derivatives of the factors multiplied
    "answer_4b": "answer_4b = 12",  # the chain rule's inner derivative forgotten
    "answer_5a": "answer_5a = [7, 4]",  # the partial derivatives swapped
    "answer_5b": "answer_5b = [[2, 1], [3, 4]]",  # the transposed Jacobian
    "answer_6a": "answer_6a = 0.75",  # P(free | spam)
    "answer_6b": "answer_6b = 3.5",  # the faces' sample variance (ddof=1)
    "answer_7a": "answer_7a = 2.0",  # ddof=0
    "answer_7b": "answer_7b = 5.88",  # the full width
    "answer_8a": "answer_8a = [1.2, 1.6]",  # a step uphill
    "answer_8b": "answer_8b = [-0.4, 0.2]",  # the sign of b lost
    "answer_9a": "answer_9a = 1.0397",  # nats instead of bits
    "answer_9b": "answer_9b = float('inf')",  # the naive overflow
    "answer_10a": "answer_10a = 2368",  # the biases forgotten
    "answer_10b": "answer_10b = 0.5",  # the first component only
}

# Answers a check cannot even read: each must count as wrong, never stop the notebook.
UNREADABLE = ["'a string'", "{'x': 1}", "[[1, 2], [3]]", "float('nan')", "object()", "[]", "print",
              "np.array(['4', 'x'])"]


def _answer_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and "answer" in c.metadata.get("tags", [])]


def _answer_name(cell) -> str:
    m = re.match(r"^(answer_\d+[a-z])\b", cell.source)
    assert m, f"an answer cell does not start with an answer variable: {cell.source[:60]!r}"
    return m.group(1)


def _stdout(nb) -> str:
    return "".join(out.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for out in c.get("outputs", []) if out.get("output_type") == "stream")


def _report(text: str) -> dict[int, str]:
    """Week number -> 'skim' or 'study closely', from the printed report."""
    lines = REPORT_LINE.findall(text)
    weeks = [int(w) for w, *_ in lines]
    assert weeks == list(range(1, 11)), f"expected one report line for each of weeks 1..10, got {weeks}"
    for week, _name, correct, total, verdict in lines:
        assert (verdict == "skim") == (correct == total), f"week {week}: {correct}/{total} but {verdict!r}"
    return {int(w): verdict for w, _name, _c, _t, verdict in lines}


def _questions(text: str) -> dict[str, str]:
    return dict(QUESTION_LINE.findall(text))


def _scoring_namespace() -> dict:
    """The notebook's setup and answer-key cells, run in this process (no kernel)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    setup = next(s for s in code if "def record(" in s)
    key = next(s for s in code if "KEY = {" in s)
    namespace: dict = {}
    with matplotlib.rc_context():
        exec(compile(setup + "\n" + key, str(NOTEBOOK), "exec"), namespace)
    return namespace


def _score_here(namespace: dict, name: str, source: str, capsys) -> tuple[bool, str]:
    """Record one answer (given as an answer cell's source) with the notebook's own record()."""
    week, qid = int(re.match(r"answer_(\d+)", name).group(1)), name.removeprefix("answer_")
    cell_ns = {"np": np}
    exec(source, cell_ns)
    namespace["record"](week, qid, cell_ns[name], namespace["KEY"][qid])
    return namespace["RESULTS"][(week, qid)], capsys.readouterr().out


def _run(replacements: dict[str, str]) -> str:
    """Execute the notebook with some answer cells replaced; return everything it printed."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in _answer_cells(nb):
        name = _answer_name(cell)
        if name in replacements:
            cell.source = replacements[name]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    errors = [out for c in nb.cells if c.cell_type == "code" for out in c.get("outputs", [])
              if out.get("output_type") == "error" or out.get("name") == "stderr"]
    assert not errors, f"the notebook wrote errors or warnings: {errors}"
    return _stdout(nb)


def test_the_blank_notebook_says_study_closely_for_every_week():
    text = _stdout(nbformat.read(NOTEBOOK, as_version=4))
    assert set(_report(text).values()) == {"study closely"}
    assert set(_questions(text).values()) == {"not answered yet"}


def test_every_answer_cell_starts_blank_and_has_a_correct_answer_here():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    names = []
    for cell in _answer_cells(nb):
        m = ANSWER_START.match(cell.source)
        assert m, f"an answer cell must start with 'answer_<week><letter> = None': {cell.source[:60]!r}"
        assert "\n" not in cell.source.strip(), f"{m.group(1)}: an answer cell holds one line"
        names.append(m.group(1))
    assert len(names) == len(set(names)), f"an answer variable appears twice: {sorted(names)}"
    assert len(names) >= 20, f"expected about 20 questions, found {len(names)}"
    weeks = {int(re.match(r"answer_(\d+)", n).group(1)) for n in names}
    assert weeks == set(range(1, 11)), f"every week 1..10 needs a question, got weeks {sorted(weeks)}"
    for table in (CORRECT, OTHER_FORMS, WRONG):
        assert set(table) == set(names), (f"answers missing here: {sorted(set(names) - set(table))}; "
                                          f"here but not in the notebook: {sorted(set(table) - set(names))}")
    # every answer is followed by the code cell that records it
    cells = nb.cells
    for i, cell in enumerate(cells):
        if cell in _answer_cells(nb):
            name = _answer_name(cell)
            nxt = cells[i + 1]
            assert nxt.cell_type == "code" and name in nxt.source and "record(" in nxt.source, (
                f"{name}: the cell after an answer cell must record it")


def test_the_answer_key_accepts_every_right_form_and_rejects_wrong_or_unreadable_answers(capsys):
    namespace = _scoring_namespace()
    for name in CORRECT:
        qid = name.removeprefix("answer_")
        for source in (CORRECT[name], OTHER_FORMS[name]):
            ok, out = _score_here(namespace, name, source, capsys)
            assert ok and out == f"Question {qid}: correct\n", f"{source!r} was not accepted: {out!r}"
        ok, out = _score_here(namespace, name, WRONG[name], capsys)
        assert not ok and out == f"Question {qid}: not correct\n", f"{WRONG[name]!r} was accepted"
        ok, out = _score_here(namespace, name, f"{name} = None", capsys)
        assert not ok and out == f"Question {qid}: not answered yet\n", out
        for junk in UNREADABLE:
            ok, out = _score_here(namespace, name, f"{name} = {junk}", capsys)
            assert not ok and out == f"Question {qid}: not correct\n", f"{junk!r} for {name}: {out!r}"


@pytest.mark.slow
def test_correct_answers_make_every_week_skim():
    text = _run(CORRECT)
    assert set(_questions(text).values()) == {"correct"}, _questions(text)
    report = _report(text)
    assert all(v == "skim" for v in report.values()), report
    assert "study closely" not in report.values()


@pytest.mark.slow
def test_correct_answers_in_other_forms_are_accepted():
    text = _run(OTHER_FORMS)
    assert set(_questions(text).values()) == {"correct"}, _questions(text)
    assert set(_report(text).values()) == {"skim"}


@pytest.mark.slow
def test_one_wrong_answer_turns_only_its_week_to_study_closely():
    text = _run({**CORRECT, "answer_7a": WRONG["answer_7a"]})
    verdicts = _questions(text)
    assert verdicts.pop("7a") == "not correct"
    assert set(verdicts.values()) == {"correct"}, verdicts
    report = _report(text)
    assert report[7] == "study closely"
    assert all(report[w] == "skim" for w in report if w != 7), report


@pytest.mark.slow
def test_common_wrong_answers_are_rejected():
    text = _run(WRONG)
    verdicts = _questions(text)
    assert len(verdicts) == len(WRONG)
    accepted = sorted(q for q, v in verdicts.items() if v != "not correct")
    assert not accepted, f"wrong answers accepted for {accepted}"
    assert set(_report(text).values()) == {"study closely"}
