"""Every course notebook keeps the house rules; each rule is proved by a fixture that breaks it."""
from pathlib import Path

import pytest

from notebook_rules import TOPICS, course_notebooks, problems

FIXTURES = Path(__file__).parent / "fixtures"
WEEK1 = TOPICS["00-prerequisites"]

# fixture file -> the words of the one problem it must be reported with
BROKEN = {
    "Bad Name.ipynb": "name is not NN-short-name.ipynb",
    "01-no-title.ipynb": "the first cell is not a '# Title' markdown cell",
    "01-wrong-kernel.ipynb": "the kernelspec is not 'python3'",
    "01-missing-step.ipynb": "lacks ### Connection to ML",
    "01-no-topic.ipynb": "no H2 names a syllabus topic",
    "01-no-exercises.ipynb": "no '## Exercises' section",
    "01-no-summary.ipynb": "no '## Summary' section",
    "01-one-solution.ipynb": "1 collapsed solution cells under Exercises",
    "01-solution-first-line.ipynb": "first line is not '# Solution'",
    "01-solution-unchecked.ipynb": "is not followed by a check cell",
    "01-solution-prints.ipynb": "a solution cell prints or shows something",
    "01-check-prints-more.ipynb": "a check cell must print one line, 'Exercise N passed.'",
    "01-no-figure.ipynb": "no stored PNG figure",
    "01-svg-figure.ipynb": "an SVG figure is stored",
    "01-execution-counts.ipynb": "execution counts are not 1..n",
    "01-stderr.ipynb": "a stderr output",
    "01-error-output.ipynb": "an error (ZeroDivisionError) is stored",
    "01-absolute-path.ipynb": "an output holds an absolute path",
    "01-memory-address.ipynb": "an output holds a memory address",
    "01-bare-figure-repr.ipynb": "a bare figure or artist repr",
    "01-global-random-state.ipynb": "uses NumPy's global random state",
    "01-widget-not-ignored.ipynb": "a cell that shows a widget does not start with '# NBVAL_IGNORE_OUTPUT'",
    "01-no-style.ipynb": "does not call mlmath.plotting.use_style()",
}


@pytest.mark.parametrize("path", course_notebooks(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_course_notebook_keeps_the_conventions(path):
    found = problems(path)
    assert not found, f"{path.parent.name}/{path.name}:\n  - " + "\n  - ".join(found)


def test_a_notebook_that_keeps_every_rule_passes():
    assert problems(FIXTURES / "01-good.ipynb", WEEK1) == []


def test_a_traceback_in_a_cell_tagged_raises_exception_is_allowed():
    assert problems(FIXTURES / "01-raises-on-purpose.ipynb", WEEK1) == []


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_rule_catches_the_fixture_that_breaks_it(name):
    found = problems(FIXTURES / name, WEEK1)
    assert len(found) == 1 and BROKEN[name] in found[0], f"{name}: expected only {BROKEN[name]!r}, got {found}"


def test_every_fixture_is_checked():
    on_disk = {p.name for p in FIXTURES.glob("*.ipynb")}
    assert on_disk == set(BROKEN) | {"01-good.ipynb", "01-raises-on-purpose.ipynb"}


def test_the_topic_list_covers_every_course_folder():
    folders = {p.name for p in Path(__file__).resolve().parent.parent.glob("[0-9][0-9]-*") if p.is_dir()}
    assert folders == set(TOPICS)
