"""The curriculum in a real JupyterLab, driven in a real (headless) Chromium.

A student's path, end to end: open chapter 1, run every cell, move the explorer's slider and see its figure
change; open the exercise, type a correct answer into the first answer cell, run its check and see it pass.
Screenshots go to ``artifacts/browser/``.

The browser is Debian's ``chromium`` (``make test`` installs it when it can), driven by Playwright for
Python through ``executable_path``: nothing is downloaded at run time. Without a Chromium the test is
skipped with the reason, unless ``CONVZOO_REQUIRE_BROWSER=1`` (set by ``make test`` when it installed one),
in which case a missing browser is a failure.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHAPTER = "01_convolution_vs_cross_correlation.ipynb"


def _chromium() -> str | None:
    for name in (os.environ.get("CONVZOO_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and (path := shutil.which(name)):
            return path
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser_path():
    path = _chromium()
    if path is None:
        message = ("no Chromium found (install Debian's `chromium` package, or set CONVZOO_CHROMIUM to a "
                   "Chromium/Chrome binary)")
        if os.environ.get("CONVZOO_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    pytest.importorskip("playwright.sync_api")
    return path


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser_path):
    """A JupyterLab server on a free port, token off, serving a scratch copy of one chapter and its exercise."""
    work = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "notebooks" / CHAPTER, work / CHAPTER)
    shutil.copy(ROOT / "exercises" / CHAPTER, work / ("exercise_" + CHAPTER))
    port = _free_port()
    # Render every cell (JupyterLab 4 otherwise only renders the cells in view), no news pop-up.
    settings = work / ".settings"
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}')
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    env = dict(os.environ, IPYTHONDIR=str(ROOT / ".ipython"), JUPYTER_CONFIG_DIR=str(work / ".jupyter"),
               JUPYTER_RUNTIME_DIR=str(work / ".runtime"), JUPYTERLAB_SETTINGS_DIR=str(settings))
    env.pop("MPLBACKEND", None)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={work}",
           "--LabApp.news_url=", "--LabServerApp.announcements_url=", "--ServerApp.disable_check_xsrf=True"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        cmd.append("--allow-root")
    log = open(work / "lab.log", "w")
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited at start:\n{(work / 'lab.log').read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url + "/api/status", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"JupyterLab did not answer within 90 s:\n{(work / 'lab.log').read_text()[-3000:]}")
    yield url, work
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def page(lab, browser_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        yield pg
        context.close()
        browser.close()


def _open(page, url: str, name: str):
    page.goto(f"{url}/lab/tree/{name}?reset")   # ?reset: a fresh workspace, only this notebook open
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    # A fresh JupyterLab may ask which kernel to start; the notebook's own (Python 3) is the default choice.
    select = page.locator(".jp-Dialog button", has_text=re.compile("^Select$"))
    try:
        select.wait_for(timeout=5_000)
        select.click()
    except Exception:  # no dialog: the kernel started on its own
        pass
    # Wait for the kernel to be ready before running anything.
    page.wait_for_function(
        "() => { const s = document.querySelector('.jp-Notebook-ExecutionIndicator');"
        " return s && s.getAttribute('data-status') === 'idle'; }", timeout=90_000)


def _menu(page, menu: str, item: str):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def _clear_outputs(page):
    """Clear the stored outputs, so that an output seen later comes from this run."""
    _menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function("() => document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length === 0")


def _wait_ran(page, cell, timeout_ms: int = 120_000):
    """Wait until ``cell`` (a locator; it must print something) has an output again after the clearing."""
    cell.locator(".jp-OutputArea-output").first.wait_for(timeout=timeout_ms)


def test_chapter_runs_and_its_explorer_redraws(lab, page, shot_on_failure):
    url, _ = lab
    _open(page, url, CHAPTER)
    _clear_outputs(page)
    _menu(page, "Run", "Run All Cells")
    _wait_ran(page, page.locator(".jp-Notebook .jp-CodeCell").last)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                          has_text="Traceback")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    explorer_image = page.locator(".widget-vbox .widget-image").last
    explorer_image.scroll_into_view_if_needed()
    explorer_image.wait_for(state="visible")
    before = explorer_image.get_attribute("src")
    page.screenshot(path=str(ARTIFACTS / "chapter01_before.png"))
    assert before and before.startswith("blob:") or before.startswith("data:"), before
    slider = page.locator(".widget-vbox .widget-slider .noUi-handle, .widget-vbox .widget-slider input[type=range]").last
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, old]) => el.getAttribute('src') !== old", arg=[explorer_image.element_handle(), before],
                           timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "chapter01_after_slider.png"))
    assert explorer_image.get_attribute("src") != before


@pytest.fixture
def shot_on_failure(page, request):
    """Keep a screenshot of the page as it was when a step failed."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is None or report.failed:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}_failed.png"))


def test_exercise_answer_typed_in_the_browser_passes_its_check(lab, page, shot_on_failure):
    url, work = lab
    name = "exercise_" + CHAPTER
    _open(page, url, name)
    _clear_outputs(page)
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    # Run the import cell, then replace the first stub with a correct answer and run it and its check.
    imports = cells.filter(has_text="import convzoo").first
    imports.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    answer = cells.filter(has_text="NotImplementedError").first
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("conv_by_hand = [2, 4, 1, 2]")
    page.keyboard.press("Shift+Enter")   # runs the answer, moves to the check cell
    page.keyboard.press("Shift+Enter")   # runs the check
    check = cells.filter(has_text="# CHECK task 1").first
    _wait_ran(page, check)
    check.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "exercise01_task1.png"))
    output = check.locator(".jp-OutputArea").inner_text()
    assert "task 1: correct" in output, output
    assert "AssertionError" not in output, output
    # The student's file is the scratch copy; the repository's exercise is untouched.
    assert (ROOT / "exercises" / CHAPTER).read_bytes() != b""
