"""Every course notebook's title cell ends with the previous / contents / next line that tools/nav.py writes."""
import json
import shutil

import nbformat
import pytest

import nav
from notebook_rules import ROOT, course_notebooks, source
from test_links import relative_links


def first_cell(path) -> str:
    return source(json.loads(path.read_text(encoding="utf-8"))["cells"][0])


@pytest.fixture(scope="module")
def wanted():
    return nav.blocks(ROOT)


@pytest.mark.parametrize("nb", course_notebooks(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_notebook_ends_its_title_cell_with_the_current_nav_block(nb, wanted):
    if not first_cell(nb).endswith(wanted[nb]):
        pytest.fail(f"{nb.parent.name}/{nb.name}: its first cell does not end with the navigation line of the "
                    f"course order: run make nav\n  expected: {wanted[nb].splitlines()[1]}", pytrace=False)


# ---------------------------------------------------------------- the tool, on a small course of its own

def make_course(root, layout):
    """layout: {folder: [(file name, title), ...]}; each notebook has a title cell and a code cell."""
    for folder, notebooks in layout.items():
        (root / folder).mkdir(parents=True)
        (root / folder / "README.md").write_text(f"# {folder}\n", encoding="utf-8")
        for name, title in notebooks:
            nb = nbformat.v4.new_notebook()
            nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nWhy it matters."),
                        nbformat.v4.new_code_cell("x = 1")]
            for i, cell in enumerate(nb.cells):
                cell["id"] = f"cell-{i}"
            nbformat.write(nb, root / folder / name)


LAYOUT = {
    "00-first": [("00-self-assessment.ipynb", "Where to start"), ("01-a.ipynb", "Alpha")],
    "01-second": [("01-b.ipynb", "Beta [with brackets]"), ("02-c.ipynb", "Gamma")],
    "03-third": [("01-d.ipynb", "Delta")],
}


@pytest.fixture
def course(tmp_path):
    make_course(tmp_path, LAYOUT)
    return tmp_path


def nav_line(path):
    text = first_cell(path)
    assert text.count(nav.START) == 1 and text.count(nav.END) == 1, text
    assert text.endswith(nav.END), text
    return text.split(nav.START)[1].split(nav.END)[0].strip()


def test_links_follow_the_reading_order_across_folders(course):
    assert nav.main(["--root", str(course)]) == 0
    assert nav_line(course / "00-first/00-self-assessment.ipynb") == (
        "[Contents](README.md) | [Next: Alpha →](01-a.ipynb)")
    assert nav_line(course / "00-first/01-a.ipynb") == (
        "[← Previous: Where to start](00-self-assessment.ipynb) | [Contents](README.md) | "
        r"[Next: Beta \[with brackets\] →](../01-second/01-b.ipynb)")
    assert nav_line(course / "01-second/02-c.ipynb") == (
        r"[← Previous: Beta \[with brackets\]](01-b.ipynb) | [Contents](README.md) | "
        "[Next: Delta →](../03-third/01-d.ipynb)")
    assert nav_line(course / "03-third/01-d.ipynb") == (
        "[← Previous: Gamma](../01-second/02-c.ipynb) | [Contents](README.md)")
    for nb in course.glob("*/*.ipynb"):
        links = relative_links(first_cell(nb))
        assert links and all((nb.parent / t).exists() for t in links), (nb, links)


def test_only_the_title_cell_changes_and_the_file_keeps_nbformat_formatting(course):
    before = {p: json.loads(p.read_text(encoding="utf-8")) for p in course.glob("*/*.ipynb")}
    nav.main(["--root", str(course)])
    for path, old in before.items():
        new = json.loads(path.read_text(encoding="utf-8"))
        assert source(new["cells"][0]).startswith(source(old["cells"][0]).rstrip() + "\n\n" + nav.START)
        old["cells"][0]["source"] = new["cells"][0]["source"] = None
        assert new == old, f"{path.name}: more than the first cell's source changed"
        assert path.read_text(encoding="utf-8") == nbformat.writes(nbformat.read(path, as_version=4)) + "\n"


def test_a_second_run_changes_nothing_and_a_changed_title_replaces_the_block(course, capsys):
    nav.main(["--root", str(course)])
    written = {p: p.read_bytes() for p in course.glob("*/*.ipynb")}
    assert nav.main(["--root", str(course)]) == 0
    assert {p: p.read_bytes() for p in written} == written
    assert nav.main(["--root", str(course), "--check"]) == 0

    alpha = course / "00-first/01-a.ipynb"
    nb = nbformat.read(alpha, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("# Alpha", "# Alpha, renamed")
    nbformat.write(nb, alpha)
    capsys.readouterr()
    assert nav.main(["--root", str(course), "--check"]) == 1
    assert "00-first/00-self-assessment.ipynb" in capsys.readouterr().out
    nav.main(["--root", str(course)])
    assert nav_line(course / "00-first/00-self-assessment.ipynb").endswith("[Next: Alpha, renamed →](01-a.ipynb)")
    assert nav.main(["--root", str(course), "--check"]) == 0


def test_a_notebook_without_a_title_cell_is_named(course):
    untitled = course / "01-second/02-c.ipynb"
    nb = nbformat.read(untitled, as_version=4)
    nb.cells[0].source = "## Gamma, an H2\n\n# A later H1 is not the title"
    nbformat.write(nb, untitled)
    with pytest.raises(SystemExit, match="02-c.ipynb: the first cell is not a markdown cell starting with '# Title'"):
        nav.main(["--root", str(course)])


def test_on_a_copy_of_the_course_every_notebook_gets_a_resolving_nav_line(tmp_path):
    """What `make nav` will do to the repository, tried on a copy: only first cells change, every link resolves."""
    for nb in course_notebooks():
        target = tmp_path / nb.parent.name / nb.name
        target.parent.mkdir(exist_ok=True)
        shutil.copy2(nb, target)
        if (nb.parent / "README.md").exists():
            shutil.copy2(nb.parent / "README.md", target.parent / "README.md")
    assert nav.main(["--root", str(tmp_path)]) == 0
    assert nav.main(["--root", str(tmp_path), "--check"]) == 0
    for nb in course_notebooks():
        copy = tmp_path / nb.parent.name / nb.name
        links = relative_links(nav_line(copy))
        assert all((copy.parent / t).exists() for t in links), (nb, links)
        old, new = json.loads(nb.read_text(encoding="utf-8")), json.loads(copy.read_text(encoding="utf-8"))
        old["cells"][0]["source"] = new["cells"][0]["source"] = None
        assert new == old, f"{nb.name}: more than the first cell's source changed"
