"""JupyterLab in a real browser: Run All on one notebook per week folder, then look at what a learner sees.

A JupyterLab server (isolated settings, a temporary copy of the notebooks with
their outputs cleared) is driven by headless Chromium through Playwright. For
each notebook: wait for the kernel to be idle, Run ▸ Run All Cells, wait until
the run is over, then check that every code cell has a numbered prompt, that no
error or warning is shown outside cells tagged ``raises-exception``, and that a
figure was drawn. One notebook's ipywidgets slider is moved and its figure must
change; a fixture notebook that raises proves that the check catches an error.
Screenshots go to tests/e2e/screenshots/ (ignored by git).

    make e2e                                       (needs /usr/bin/chromium)
    python -m pytest -rs -m e2e tests/e2e          (pyproject.toml deselects marker e2e by default)
"""
from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCREENSHOTS = HERE / "screenshots"
FIXTURE = HERE / "fixtures" / "01-fails.ipynb"
WIDGET_NOTEBOOK = "00-prerequisites/05-plotting-basics.ipynb"
NUMBERED = re.compile(r"^\[\d+\]:$")
ERROR_LINE = re.compile(r"(Error|Exception|Warning)\b")  # the line of a traceback or warning that says what

# Timeouts (ms): generous for a loaded 2-core machine; every wait ends as soon as its condition holds.
SERVER_START_S = 90
PAGE_LOAD_MS = 90_000
KERNEL_IDLE_MS = 90_000
RUN_ALL_MS = 180_000
WIDGET_MS = 30_000

ERRORS = ('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
          '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')
FIGURES = ".jp-RenderedImage img"

# The kernel status item of the status bar reads "Python 3 (ipykernel) | Idle". The toolbar's
# execution indicator turns idle before the kernel is ready, and a Run All clicked then is lost.
KERNEL_IDLE_JS = """() => Array.from(document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem'))
    .some(e => /\\|\\s*Idle\\s*$/.test(e.textContent))"""

# One record per code cell, in notebook order: its prompt (null when the input is collapsed: JupyterLab
# then shows a placeholder without a prompt), its error outputs and its number of figures.
CELLS_JS = """(sel) => Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-CodeCell')).map(c => {
    const prompt = c.querySelector('.jp-InputArea-prompt');
    return {
        prompt: prompt === null ? null : prompt.textContent.trim(),
        errors: Array.from(c.querySelectorAll(sel.errors)).map(e => e.textContent.trim()),
        figures: c.querySelectorAll(sel.figures).length,
    };
})"""

# The run is over when the kernel is idle, no cell waits ("[*]:"), and either every non-empty code
# cell with a visible prompt is numbered or an error stopped the run.
RUN_OVER_JS = """([wanted, sel]) => {
    const idle = (""" + KERNEL_IDLE_JS + """)();
    const prompts = Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-CodeCell'))
        .map(c => c.querySelector('.jp-InputArea-prompt')).map(p => p === null ? null : p.textContent.trim());
    if (!idle || prompts.some(p => p !== null && p.includes('*'))) return false;
    const numbered = wanted.every(i => prompts[i] === null || /^\\[\\d+\\]:$/.test(prompts[i]));
    return numbered || document.querySelector(sel.errors) !== null;
}"""
SELECTORS = {"errors": ERRORS, "figures": FIGURES}

# How many pixels taller the window must be to show the whole notebook (its cells and footer; the
# notebook also scrolls past its end by a window's height, which must not count).
NOTEBOOK_SCROLLER = ".jp-NotebookPanel .jp-WindowedPanel-outer"
MISSING_HEIGHT_JS = """() => {
    const outer = document.querySelector('""" + NOTEBOOK_SCROLLER + """');
    if (outer === null) return 0;
    const content = Array.from(outer.children).reduce((h, e) => h + e.scrollHeight, 0);
    return Math.ceil(content + 8 - outer.clientHeight);
}"""
SCREENSHOT_MAX_HEIGHT = 16_000


def first_notebooks() -> dict[str, str]:
    """Folder -> its first notebook that is not the self-assessment, for every week folder with notebooks."""
    found = {}
    for folder in sorted(p for p in ROOT.glob("[0-9][0-9]-*") if p.is_dir()):
        names = [p.name for p in sorted(folder.glob("*.ipynb")) if not p.name.endswith("self-assessment.ipynb")]
        if names:
            found[folder.name] = names[0]
    return found


FIRST = first_notebooks()


# ---------------------------------------------------------------- the server

@dataclass
class Lab:
    url: str
    token: str
    root: Path

    def notebook_url(self, relpath: str) -> str:
        return f"{self.url}/lab/tree/{relpath}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(f"{self.url}/api/{path}?token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_cleared(src: Path, dst: Path) -> None:
    """Copy a notebook with every output, execution count and widget state removed."""
    nb = nbformat.read(src, as_version=4)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    dst.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dst)


def write_settings(settings: Path, config: Path) -> None:
    """No news or update checks (they would fetch from the network), every cell kept in the DOM, no build check."""
    labconfig = config / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    # The build check re-reads every extension on the first page load: many seconds of CPU for nothing here.
    (labconfig / "page_config.json").write_text(json.dumps({"buildCheck": False, "buildAvailable": False}))
    overrides = {
        "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        "notebook-extension/tracker": {"windowingMode": "none"},
    }
    for name, values in overrides.items():
        path = settings / "@jupyterlab" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def wait_for_server(proc: subprocess.Popen, status_url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(status_url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"JupyterLab did not answer {status_url.split('?')[0]} within {SERVER_START_S} s:\n"
                f"{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("jupyterlab")
    root = tmp / "notebooks"
    for folder in FIRST:
        for nb in sorted((ROOT / folder).glob("*.ipynb")):
            copy_cleared(nb, root / folder / nb.name)
    copy_cleared(FIXTURE, root / "e2e-fixtures" / FIXTURE.name)
    write_settings(tmp / "settings", tmp / "config")
    env = dict(os.environ,
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_DATA_DIR=str(tmp / "data"),  # no kernelspec from ~/.local: the venv's own python3
               MPLBACKEND="module://matplotlib_inline.backend_inline")  # inline figures, whatever the shell says
    port, token = free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = tmp / "jupyterlab.log"
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_server(proc, f"{url}/api/status?token={token}", log)
        yield Lab(url, token, root)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(autouse=True)
def shut_down_kernels(request):
    """After each test, shut down its notebook's kernel: idle kernels would pile up in memory."""
    yield
    if "lab" in request.fixturenames:
        lab = request.getfixturevalue("lab")
        for session in lab.api("sessions"):
            lab.api(f"sessions/{session['id']}", method="DELETE")


# ---------------------------------------------------------------- the page

def wait_until(page, js: str, arg, timeout: int, what: str, name: str) -> None:
    """page.wait_for_function, but a time-out fails with what was awaited, the prompts and a screenshot."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(js, arg=arg, timeout=timeout, polling=250)
    except PlaywrightTimeout:
        shot = screenshot(page, name + "-timeout")
        prompts = [c["prompt"] for c in page.evaluate(CELLS_JS, SELECTORS)]
        pytest.fail(f"{name}: {what} not seen within {timeout // 1000} s; code cell prompts {prompts}; see {shot}")


def code_cells(path: Path) -> list[dict]:
    """The file's code cells, in order: whether each is empty and whether it may raise."""
    nb = nbformat.read(path, as_version=4)
    return [{"empty": not c.source.strip(), "may_raise": "raises-exception" in c.metadata.get("tags", [])}
            for c in nb.cells if c.cell_type == "code"]


def open_notebook(page, lab: Lab, relpath: str) -> None:
    """Open a notebook in JupyterLab and wait until its kernel is idle."""
    page.goto(lab.notebook_url(relpath), timeout=PAGE_LOAD_MS)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=PAGE_LOAD_MS)
    wait_until(page, KERNEL_IDLE_JS, None, KERNEL_IDLE_MS, "the kernel status '| Idle'", relpath)


def run_all(page, cells: list[dict], name: str) -> None:
    """Run ▸ Run All Cells, then wait until the run is over (finished, or stopped by an error)."""
    page.locator("#jp-menu-panel .lm-MenuBar-item", has_text="Run").first.click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    wanted = [i for i, c in enumerate(cells) if not c["empty"]]
    wait_until(page, RUN_OVER_JS, [wanted, SELECTORS], RUN_ALL_MS, "the end of Run All", name)


def run_problems(page, cells: list[dict]) -> list[str]:
    """What is wrong after Run All, as nbval would see it; an empty list when all is well.

    Every non-empty code cell must show the prompt of one fresh top-to-bottom run: the k-th
    non-empty cell reads [k]: (JupyterLab does not send an empty cell to the kernel). A collapsed
    solution cell shows no prompt, but the numbers of the cells after it prove that it ran.
    """
    shown = page.evaluate(CELLS_JS, SELECTORS)
    if len(shown) != len(cells):
        return [f"the page shows {len(shown)} code cells, the notebook has {len(cells)}"]
    problems = []
    count = 0
    for k, (cell, dom) in enumerate(zip(cells, shown, strict=True), start=1):
        count += not cell["empty"]
        if not cell["empty"] and dom["prompt"] is not None and dom["prompt"] != f"[{count}]:":
            problems.append(f"code cell {k}: prompt {dom['prompt']!r}, expected '[{count}]:'"
                            + (" (the run stopped before it)" if not NUMBERED.match(dom["prompt"]) else ""))
        if dom["errors"] and not cell["may_raise"]:
            lines = dom["errors"][0].strip().splitlines() or [""]
            said = next((line for line in reversed(lines) if ERROR_LINE.search(line)), lines[-1])
            problems.append(f"code cell {k}: error output: {said.strip()[:200]}")
    if not any(dom["figures"] for dom in shown):
        problems.append(f"no rendered figure ({FIGURES})")
    return problems


def screenshot(page, name: str) -> Path:
    """A screenshot of the whole notebook (up to SCREENSHOT_MAX_HEIGHT px): the window is made as tall first."""
    viewport = page.viewport_size
    missing = page.evaluate(MISSING_HEIGHT_JS)
    if missing > 0:
        height = min(viewport["height"] + missing, SCREENSHOT_MAX_HEIGHT)
        page.set_viewport_size({"width": viewport["width"], "height": height})
        # JupyterLab lays itself out again for the new window: menus, toolbar and status bar keep ~120 px.
        page.wait_for_function("([sel, h]) => window.innerHeight >= h && document.querySelector(sel).clientHeight"
                               " >= h - 300", arg=[NOTEBOOK_SCROLLER, height], timeout=10_000)
    page.evaluate(f"() => {{ const o = document.querySelector('{NOTEBOOK_SCROLLER}'); if (o) o.scrollTop = 0; }}")
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / (name.replace("/", "--").removesuffix(".ipynb") + ".png")
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(viewport)
    return path


def run_notebook(page, lab: Lab, relpath: str) -> list[str]:
    """Open, Run All, screenshot; return the problems found."""
    cells = code_cells(lab.root / relpath)
    open_notebook(page, lab, relpath)
    run_all(page, cells, relpath)
    problems = run_problems(page, cells)
    screenshot(page, relpath)
    return problems


# ---------------------------------------------------------------- the tests

@pytest.mark.parametrize("folder", sorted(FIRST))
def test_run_all_shows_no_error_and_draws_a_figure(page, lab, folder):
    relpath = f"{folder}/{FIRST[folder]}"
    problems = run_notebook(page, lab, relpath)
    assert not problems, f"{relpath} after Run All in JupyterLab:\n  - " + "\n  - ".join(problems)


def test_moving_a_slider_redraws_its_figure(page, lab):
    problems = run_notebook(page, lab, WIDGET_NOTEBOOK)
    assert not problems, f"{WIDGET_NOTEBOOK} after Run All:\n  - " + "\n  - ".join(problems)
    widget = page.locator(".widget-interact").first
    image = widget.locator(FIGURES).first
    readout = widget.locator(".widget-readout").first
    image.wait_for(timeout=WIDGET_MS)
    before, value = image.get_attribute("src"), readout.inner_text()
    handle = widget.locator(".noUi-handle, .ui-slider-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """([sel, before]) => {
            const img = document.querySelector('.widget-interact ' + sel);
            return img !== null && img.getAttribute('src') !== before; }""",
        arg=[FIGURES, before], timeout=WIDGET_MS)
    assert readout.inner_text() != value, "the slider's readout did not change"
    cell = page.locator(".jp-CodeCell", has=page.locator(".widget-interact")).first
    SCREENSHOTS.mkdir(exist_ok=True)
    cell.screenshot(path=SCREENSHOTS / (WIDGET_NOTEBOOK.replace("/", "--").removesuffix(".ipynb") + "-slider.png"))


def test_the_check_reports_an_error_that_a_notebook_raises(page, lab):
    """Negative proof: a notebook whose third code cell raises fails the same check."""
    problems = run_notebook(page, lab, f"e2e-fixtures/{FIXTURE.name}")
    assert any(p.startswith("code cell 3: error output") and "ZeroDivisionError" in p for p in problems), problems
    assert any(p.startswith("code cell 4: prompt") for p in problems), problems
    # The second code cell raises too, but it is tagged raises-exception: Run All went on past it.
    assert not any(p.startswith("code cell 2") for p in problems), problems
    assert not any("no rendered figure" in p for p in problems), problems
