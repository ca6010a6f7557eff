"""tools/outputs.py stores outputs that a second run reproduces exactly."""
import os

import nbformat

import outputs


def executed_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    widget = nbformat.v4.new_code_cell("# NBVAL_IGNORE_OUTPUT\ninteract(f, a=(0, 1))", execution_count=1)
    widget.outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0},
        "text/plain": "interactive(children=...)"})]
    failing = nbformat.v4.new_code_cell("1/0", execution_count=2, metadata={"tags": ["raises-exception"]})
    failing.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    failing.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                              traceback=[f"File {outputs.ROOT}{os.sep}mlmath{os.sep}x.py:3"])]
    plain = nbformat.v4.new_code_cell("print(1)", execution_count=3)
    plain.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n"),
                     nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    nb.cells = [widget, failing, plain]
    return nb


def test_normalise_removes_what_changes_between_runs():
    nb = executed_notebook()
    outputs.normalise(nb)
    assert "widgets" not in nb.metadata
    assert nb.metadata["language_info"]["version"] == "3.11"
    widget, failing, plain = nb.cells
    assert widget.outputs == [] and widget.execution_count == 1, "a widget cell keeps its count, not its view"
    assert failing.outputs[0].traceback == [f"File mlmath{os.sep}x.py:3"]
    assert "execution" not in failing.metadata
    assert len(plain.outputs) == 1 and plain.outputs[0].text == "1\n2\n", "prints split by timing are joined"


def test_normalise_is_idempotent():
    once = executed_notebook()
    outputs.normalise(once)
    twice = nbformat.from_dict(once)
    outputs.normalise(twice)
    assert once == twice
