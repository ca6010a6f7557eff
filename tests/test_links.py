"""Every notebook is reachable from its folder README, and every relative link resolves."""
import json
import re
from pathlib import Path

import pytest

from notebook_rules import course_notebooks, source

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
IGNORED_DIRS = {".venv", ".git", "node_modules", "practice", "build"}
# The one kind of relative link that is not a file: the top-level README's workflow status badges,
# ../../actions/workflows/<file>.yml and its /badge.svg. GitHub shows the README at
# /<owner>/<repo>/blob/<branch>/README.md, so ../../ is /<owner>/<repo>/: the badge shows the runs of
# whichever fork renders it. Accepted from README.md only, and only when .github/workflows/<file>.yml exists.
GITHUB_WORKFLOW_PAGE = re.compile(r"\.\./\.\./actions/workflows/([\w-]+\.ya?ml)(/badge\.svg)?")


def documents():
    """Every README and GLOSSARY in the repository, and every course notebook."""
    docs = [p for p in ROOT.rglob("*.md") if not IGNORED_DIRS & set(p.relative_to(ROOT).parts)]
    return sorted(docs) + course_notebooks()


def markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def relative_links(text: str) -> list[str]:
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)  # code blocks hold no links
    targets = [m.group(1) for m in LINK.finditer(text)]
    return [t for t in targets if not re.match(r"^([a-z][a-z0-9+.-]*:|#)", t, re.IGNORECASE)]


def is_workflow_page(doc: Path, target: str) -> bool:
    """A link of the top-level README to GitHub's page or badge of one of this repository's workflows."""
    m = GITHUB_WORKFLOW_PAGE.fullmatch(target)
    return doc == ROOT / "README.md" and m is not None and (ROOT / ".github" / "workflows" / m.group(1)).is_file()


def broken_links(doc: Path, text: str) -> list[str]:
    """The relative links of `text` (the markdown of `doc`) that resolve to no file."""
    return [t for t in relative_links(text)
            if not (doc.parent / t.split("#")[0]).exists() and not is_workflow_page(doc, t)]


@pytest.mark.parametrize("doc", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(doc):
    broken = broken_links(doc, markdown_of(doc))
    assert not broken, f"{doc.relative_to(ROOT)} links to missing files: {broken}"


def test_only_the_readme_links_to_github_pages_of_its_workflows():
    readme, notebook = ROOT / "README.md", ROOT / "01-linear-algebra" / "01-vectors-and-matrices.ipynb"
    badge = "[![p](../../actions/workflows/progress.yml/badge.svg)](../../actions/workflows/progress.yml)"
    assert broken_links(readme, badge) == []
    assert broken_links(readme, "[w](../../actions/workflows/progress.yml)") == []
    for target in ["../../nonexistent.md", "../../actions", "../../actions/runs/1",
                   "../../actions/workflows/missing.yml/badge.svg",
                   "../../actions/workflows/progress.yml/badge.svg?branch=main"]:
        assert broken_links(readme, f"[x]({target})") == [target], target
    for doc in [notebook, ROOT / "01-linear-algebra" / "README.md"]:
        for target in ["../../actions", "../../actions/workflows/progress.yml/badge.svg"]:
            assert broken_links(doc, f"[x]({target})") == [target], (doc, target)


@pytest.mark.parametrize("nb", course_notebooks(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_notebook_is_linked_from_its_folder_readme(nb):
    readme = nb.parent / "README.md"
    assert readme.exists(), f"{nb.parent.name}/README.md is missing"
    links = [t.split("#")[0].removeprefix("./") for t in relative_links(readme.read_text(encoding="utf-8"))]
    assert nb.name in links, f"{nb.parent.name}/README.md does not link {nb.name}"


def test_every_course_folder_has_a_readme_linked_from_the_top_readme():
    top = relative_links((ROOT / "README.md").read_text(encoding="utf-8"))
    for folder in sorted(p for p in ROOT.glob("[0-9][0-9]-*") if p.is_dir()):
        assert (folder / "README.md").exists(), f"{folder.name}/README.md is missing"
        assert any(t.rstrip("/").startswith(folder.name) for t in top), f"README.md does not link {folder.name}"


def test_the_link_finder_sees_relative_links_and_skips_the_rest():
    text = "[a](01-x.ipynb) [b](https://example.org) [c](#top) [d](../README.md#week-2)\n```\n[e](f.md)\n```"
    assert relative_links(text) == ["01-x.ipynb", "../README.md#week-2"]
