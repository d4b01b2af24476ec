"""A real JupyterLab and a real headless Chromium, for the tests of what students and
instructors see in the browser.

Needs Debian's `chromium` and `chromium-driver` (as root, `python3 tasks.py test` installs
them) and selenium (in the test extra). Nothing is downloaded: selenium is given the
system's chromedriver. The browser is offline: every host name but the local machine's fails
to resolve, so a page that needs the network shows it here as it would in a classroom without.
"""
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "browser-screenshots"  # what a failed browser test saw
MISSING = ("headless Chromium is not installed: install the Debian packages `chromium` and "
           "`chromium-driver`, or run `python3 tasks.py test` as root, which installs them")
# What a student's JupyterLab leaves out: the instructor's and the exchange's parts of nbgrader.
# The README gives students the same commands.
STUDENT_DISABLED_LAB = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                        "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:assignment-list",
                        "@jupyter/nbgrader:menu")
STUDENT_DISABLED_SERVER = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.assignment_list",
                           "nbgrader.server_extensions.course_list")


def available():
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return bool(CHROMIUM and CHROMEDRIVER)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class JupyterLab:
    """`jupyter lab` serving `root`, started in `root` (whose nbgrader_config.py, if any, it reads)."""

    def __init__(self, root, config_dir, student=False):
        self.root, self.token, self.port = Path(root), secrets.token_hex(12), _free_port()
        settings = Path(config_dir) / "lab-settings"
        self.env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
                        JUPYTER_CONFIG_DIR=str(config_dir), JUPYTERLAB_SETTINGS_DIR=str(settings))
        # No "get Jupyter news?" prompt over what the tests look at and photograph (offline anyway).
        news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        news.parent.mkdir(parents=True, exist_ok=True)
        news.write_text('{"fetchNews": "false"}')
        if student:
            for extension in STUDENT_DISABLED_LAB:
                subprocess.run([BIN / "jupyter", "labextension", "disable", "--level=user", extension],
                               env=self.env, capture_output=True, check=True)
            for extension in STUDENT_DISABLED_SERVER:
                subprocess.run([BIN / "jupyter", "server", "extension", "disable", "--user", extension],
                               env=self.env, capture_output=True, check=True)
        self.log_path = Path(config_dir) / "server.log"
        self.process = subprocess.Popen(
            [BIN / "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}", "--allow-root",
             f"--IdentityProvider.token={self.token}", "--expose-app-in-browser",
             f"--ServerApp.root_dir={self.root}"],
            cwd=self.root, env=self.env, stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"JupyterLab did not start:\n{self.log()[-3000:]}") from None
                time.sleep(0.2)

    def url(self, path):
        return f"{self.base}/{path.lstrip('/')}?token={self.token}"

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def chromium(user_data_dir):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1400,1000", f"--user-data-dir={user_data_dir}",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def wait_for(condition, timeout=60, every=0.25, what="the page"):
    """condition() until it is truthy; its value, or TimeoutError naming what never came."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout} s for {what}")
        time.sleep(every)


def texts(driver, selector):
    """The text of every element the selector finds that is shown, read in one call: pages that
    re-render (the formgrader's tables, JupyterLab's dialogs) leave no stale element to read."""
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].filter(e => e.getClientRects().length > 0)"
        ".map(e => e.innerText.trim());", selector)


def click_in_row(driver, words, selector):
    """Click the element `selector` in the table row that holds every one of `words`, found and clicked
    in one call (a table the page re-renders leaves no stale row); False while there is none."""
    return driver.execute_script(
        "const row = [...document.querySelectorAll('tr')].find(r => arguments[0].every(w => r.innerText.includes(w)));"
        "const target = row && row.querySelector(arguments[1]);"
        "if (!target) return false; target.click(); return true;", words, selector)


class Notebook:
    """The notebook open in JupyterLab, driven through JupyterLab's own application object."""

    def __init__(self, driver, path):
        """Wait until the notebook at `path` (relative to the server's root) is the current tab, with
        its kernel: JupyterLab restores the tabs of the last visit, and one of those may show first."""
        self.driver = driver
        wait_for(lambda: driver.execute_script(
            "const p = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            "return !!(p && p.context && p.context.path === arguments[0] && p.content && p.content.widgets"
            " && p.content.widgets.length > 3 && p.sessionContext && p.sessionContext.session"
            " && p.sessionContext.session.kernel);", str(path)), what=f"the notebook {path} and its kernel")

    def index(self, grade_id):
        index = self.driver.execute_script(
            "return window.jupyterapp.shell.currentWidget.content.widgets.findIndex("
            "w => (w.model.getMetadata('nbgrader') || {}).grade_id === arguments[0]);", grade_id)
        assert index >= 0, f"no cell {grade_id}"
        return index

    def source(self, index):
        return self.driver.execute_script(
            "return window.jupyterapp.shell.currentWidget.content.widgets[arguments[0]].model.sharedModel"
            ".getSource();", index)

    def edit(self, index, source):
        """What typing does: the cell's text in JupyterLab's model changes."""
        self.driver.execute_script(
            "window.jupyterapp.shell.currentWidget.content.widgets[arguments[0]].model.sharedModel"
            ".setSource(arguments[1]);", index, source)

    def run(self, index):
        self.driver.execute_script(
            "const panel = window.jupyterapp.shell.currentWidget; panel.content.activeCellIndex = arguments[0];"
            "return window.jupyterapp.commands.execute('notebook:run-cell');", index)

    def output(self, index, timeout=60):
        """The text the cell shows below it, once the kernel has run it."""
        return wait_for(lambda: self.driver.execute_script(
            "const w = window.jupyterapp.shell.currentWidget.content.widgets[arguments[0]];"
            "const busy = w.model.executionCount === null || w.node.querySelector('.jp-InputPrompt').innerText.includes('*');"
            "return busy ? '' : (w.outputArea ? w.outputArea.node.innerText : '');", index),
            timeout, what=f"the output of cell {index}")


# ---------------------------------------------------------------- the fixtures of the browser tests

@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    """One headless Chromium per test module."""
    chrome = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.quit()


@pytest.fixture
def screenshot_on_failure(request, driver):
    """On a failed test, what the browser showed, in build/browser-screenshots/<test>.png."""
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}.png"
        driver.save_screenshot(str(path))
        print(f"screenshot: {path}")
