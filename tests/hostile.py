"""Crafted submissions for the grading-integrity tests, built from the correct sample.

Each maker takes the correct notebook and the paths a cheater might aim at, and
returns (notebook, the test cells expected to score 0). Behaviour is injected by
appending code to an answer cell, so the rest of the answer stays correct.
"""
import copy

import nbformat

from conftest import ROOT

CORRECT = ROOT / "submitted" / "sample-correct" / "seminar1" / "seminar1.ipynb"
LINEAR = ["linear_init", "linear_forward", "linear_backward", "linear_step", "linear_init_hidden",
          "linear_forward_hidden", "linear_backward_hidden", "linear_step_hidden"]
SIGMOID = ["sigmoid_values", "sigmoid_hidden", "sigmoid_stability_hidden"]
NLL = ["nll_loss_values", "nll_loss_forward_hidden", "nll_loss_backward_hidden",
       "nll_loss_stability_hidden"]
MSE = ["mse_loss_values", "mse_loss_hidden"]
CHECK_GRADIENT = ["check_gradient_square", "check_gradient_hidden"]
CONVERGES = ["train_converges"]


def correct():
    return nbformat.read(CORRECT, as_version=4)


def without_the_later_experiments(nb):
    """The notebook without the experiments after its last training test (the learning-rate sweep, the
    rings, MSE against NLL: 7 of the 9 seconds of a solved notebook's run-all). Every answer, test and
    written answer stays, so grading and Validate see the same cells; for tests about those, not about
    the experiments' own cells."""
    last_training_test = next(index for index, c in enumerate(nb.cells)
                              if c.metadata.get("nbgrader", {}).get("grade_id") == "train_converges")
    nb.cells = [c for index, c in enumerate(nb.cells)
                if index <= last_training_test or c.cell_type != "code" or "nbgrader" in c.metadata]
    return nb


def cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def append(nb, grade_id, code):
    target = cell(nb, grade_id)
    target.source += "\n\n" + code.strip("\n")
    return nb


def override(nb, grade_id, cls, method, body):
    """Replace one method of the answer's class by `body` (the method's code, indented 4)."""
    return append(nb, grade_id, f"def _replacement{body}\n{cls}.{method} = _replacement")


# ---------------------------------------------------------------- hangs and crashes

def hang_loop(paths):
    nb = override(correct(), "mse_loss", "MSELoss", "forward", "(self, X, Y):\n    while True:\n        pass")
    return nb, MSE


def hang_ignoring_sigint(paths):
    nb = override(correct(), "nll_loss", "NLLLoss", "backward", """(self):
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        pass""")
    return nb, ["nll_loss_values", "nll_loss_backward_hidden", "nll_loss_stability_hidden"] + CONVERGES


def sleeps(paths):
    nb = override(correct(), "sigmoid", "Sigmoid", "backward",
                  "(self, dLdy):\n    import time\n    time.sleep(1000)")
    return nb, SIGMOID + CONVERGES


def os_exit(paths):
    nb = override(correct(), "mse_loss", "MSELoss", "backward", "(self):\n    import os\n    os._exit(3)")
    return nb, MSE


def sys_exit(paths):
    nb = append(correct(), "check_gradient", """
def check_gradient(func, X, gradient):
    import sys
    sys.exit("bye")""")
    return nb, CHECK_GRADIENT


def segfault(paths):
    nb = override(correct(), "linear", "Linear", "step",
                  "(self, learning_rate):\n    import ctypes\n    ctypes.string_at(0)")
    return nb, ["linear_step", "linear_step_hidden"] + CONVERGES


def dies_while_loading(paths):
    nb = append(correct(), "mse_loss", "import os\nos._exit(1)")
    return nb, MSE


KILL_EVERYTHING = """
import os, signal
for _pid in [os.getppid(), -1] + [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]:
    if _pid not in (os.getpid(), 0):
        try:
            os.kill(_pid, signal.SIGKILL)
        except OSError:
            pass
"""


def kills_everything(paths):
    """A correct Linear whose cell, when it loads, kills its parent and every process it can see:
    every part's process loads it, and it must cost nothing (it can reach no other process)."""
    return append(correct(), "linear", KILL_EVERYTHING), []


def hangs_while_loading(paths):
    nb = append(correct(), "sigmoid", "while True:\n    pass")
    return nb, SIGMOID + CONVERGES


# ---------------------------------------------------------------- monkeypatching and borrowing

def patches_numpy(paths):
    """A wrong Sigmoid (ignores the upstream gradient) that disables numpy's comparisons."""
    nb = override(correct(), "sigmoid", "Sigmoid", "backward", "(self, dLdy):\n    return self.Y * (1 - self.Y)")
    append(nb, "sigmoid", """
import builtins
import numpy.testing
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.array_equal = lambda *args, **kwargs: True
for _name in dir(np.testing):
    if _name.startswith("assert"):
        setattr(np.testing, _name, lambda *args, **kwargs: None)
builtins.abs = lambda value: 0.0
builtins.all = lambda values: True
builtins.AssertionError = type("Harmless", (Exception,), {})""")
    # sigmoid_stability_hidden passes: with an upstream gradient of ones the bug is invisible.
    return nb, ["sigmoid_values", "sigmoid_hidden"] + CONVERGES


def patches_grader(paths):
    """A wrong MSE whose cell tries to switch off the grader and the reference."""
    nb = override(correct(), "mse_loss", "MSELoss", "backward", "(self):\n    return self.diff")
    append(nb, "mse_loss", """
import sys, types
try:
    import checks.seminar1
    checks.seminar1.grade = lambda *args, **kwargs: None
except ImportError:
    pass
fake = types.ModuleType("checks")
fake.seminar1 = types.SimpleNamespace(grade=lambda *args, **kwargs: None)
sys.modules["checks"] = sys.modules["checks.seminar1"] = fake""")
    return nb, MSE


def borrows_reference(paths):
    nb = correct()
    cell(nb, "linear").source = "from solutions import Linear"
    cell(nb, "sigmoid").source = ("from solutions.seminar1.layers import Sigmoid as Reference\n\n\n"
                                  "class Sigmoid(Reference):\n    pass")
    cell(nb, "nll_loss").source = ('reference = __import__("sol" + "utions")\n\n\n'
                                   "class NLLLoss(reference.NLLLoss):\n    pass")
    return nb, LINEAR + SIGMOID + NLL + CONVERGES


# ---------------------------------------------------------------- cell tampering

def tampers_correct(paths):
    """Correct answers, tampered cells: nothing may be lost."""
    nb = correct()
    cell(nb, "linear_forward").source = ""
    cell(nb, "linear_backward").source = "pass"
    nb.cells.remove(cell(nb, "sigmoid_hidden"))
    cell(nb, "nll_loss_values").metadata["tags"] = ["skip-execution", "raises-exception"]
    cell(nb, "mse_loss_values").metadata["nbgrader"]["points"] = 50
    moved = cell(nb, "mse_loss")
    nb.cells.remove(moved)
    nb.cells.insert(1, moved)
    cell(nb, "train").metadata["nbgrader"]["grade_id"] = "my_train"
    nb.cells.append(nbformat.v4.new_code_cell("raise SystemExit('stop here')"))
    nb.cells.append(nbformat.v4.new_code_cell("np.allclose = lambda *a, **k: True"))
    return nb, []


def tampers_wrong(paths):
    """A wrong MSE whose test cells are emptied, re-tagged and re-labelled: no gain."""
    nb = override(correct(), "mse_loss", "MSELoss", "backward", "(self):\n    return self.diff")
    cell(nb, "mse_loss_values").source = "print('all good')"
    cell(nb, "mse_loss_hidden").metadata["tags"] = ["skip-execution"]
    cell(nb, "mse_loss_hidden").metadata["nbgrader"].update(grade=False, points=0)
    return nb, MSE


# ---------------------------------------------------------------- reading the tests

def reads_tests(paths):
    """Looks for the hidden tests everywhere it can; returns garbage if it finds them."""
    targets = [str(p) for p in paths["secrets"]]
    nb = override(correct(), "linear", "Linear", "forward", f"""(self, X):
    import inspect, os, sys
    Linear.probes = getattr(Linear, "probes", 0) + 1
    if Linear.probes > 20:  # probing is slow: the first calls of each process suffice
        self.X = X
        return X @ self.W + self.b
    found = []
    for path in {targets!r}:
        try:
            with open(path, "rb") as file:
                found.append(path + ": " + repr(file.read(60)))
        except OSError:
            pass
    for frame_info in inspect.stack():
        text = repr(frame_info.frame.f_globals.keys()) + repr(frame_info.frame.f_locals.keys())
        if "grade" in text or "HIDDEN" in text or "checks" in text:
            found.append("frame " + frame_info.function + " " + text[:80])
    user_ns = getattr(globals().get("get_ipython", lambda: None)(), "user_ns", {{}})
    if "In" in globals() or "In" in user_ns:
        found.append("In")
    if os.environ.get("NBGRADER_EXECUTION"):
        found.append("NBGRADER_EXECUTION")
    for name in ("checks", "solutions"):
        if name in sys.modules:
            found.append("module " + name)
    if found:
        raise RuntimeError("FOUND " + "; ".join(found))
    self.X = X
    return X @ self.W + self.b""")
    return nb, []


# ---------------------------------------------------------------- warnings, resources, global state

def warns(paths):
    nb = override(correct(), "linear", "Linear", "forward", """(self, X):
    import sys, warnings
    warnings.warn("this API is deprecated", DeprecationWarning)
    warnings.warn("something harmless")
    print("debug: forward called", file=sys.stderr)
    np.log(np.zeros(1))  # RuntimeWarning: divide by zero
    self.X = X
    return X @ self.W + self.b""")
    return nb, []


def floods_output(paths):
    nb = append(correct(), "linear", 'print("x" * 30_000_000)')
    override(nb, "sigmoid", "Sigmoid", "forward", """(self, X):
    print("forward!" * 1000)
    exp_neg_abs = np.exp(-np.abs(X))
    self.Y = np.where(X >= 0, 1 / (1 + exp_neg_abs), exp_neg_abs / (1 + exp_neg_abs))
    return self.Y""")
    return nb, []


def allocates(paths):
    nb = append(correct(), "mse_loss", "huge = np.ones(10 * 2**30 // 8)  # 10 GB")
    return nb, []


def spawns(paths):
    nb = append(correct(), "linear", """
import os, subprocess, time
subprocess.Popen(["sleep", "4242"])
if os.fork() == 0:  # a daemon: fork, new session, fork again
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "4243"])
    os._exit(0)
children = 0
try:
    for _ in range(300):
        if os.fork() == 0:
            time.sleep(4244)
            os._exit(0)
        children += 1
except OSError:
    pass
print("started", children, "children")""")
    return nb, []


def changes_global_state(paths):
    nb = correct()
    append(nb, "check_gradient", "EPS = 1e-5  # still a fine step for central differences\nchecks = None\nsolutions = None")
    append(nb, "linear", """
import os, random
os.chdir("/")
np.random.seed(123)
np.random.seed = None
random.seed = None
np.random.default_rng = None""")
    return nb, []


CRAFTED = {
    "hang-loop": hang_loop, "hang-ignoring-sigint": hang_ignoring_sigint, "sleeps": sleeps,
    "os-exit": os_exit, "sys-exit": sys_exit, "segfault": segfault,
    "dies-while-loading": dies_while_loading, "hangs-while-loading": hangs_while_loading,
    "kills-everything": kills_everything,
    "patches-numpy": patches_numpy, "patches-grader": patches_grader,
    "borrows-reference": borrows_reference,
    "tampers-correct": tampers_correct, "tampers-wrong": tampers_wrong,
    "reads-tests": reads_tests,
    "warns": warns, "floods-output": floods_output, "allocates": allocates, "spawns": spawns,
    "changes-global-state": changes_global_state,
}


def write(course, student, nb):
    path = course / "submitted" / student / "seminar1" / "seminar1.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(copy.deepcopy(nb), path)
    return path


# ---------------------------------------------------------------- escaping the sandbox

def escapes(paths):
    """Tries to overwrite the grader's files, read other students' work, fill the disk and
    the memory, reach the network and leave processes behind; the answers stay correct."""
    code = f"""
import os, socket, subprocess
attempts = []
for path in {[str(p) for p in paths["protected"]]!r}:
    for action in ("write", "remove"):
        try:
            if action == "write":
                with open(path, "a") as file:
                    file.write("overwritten by a student")
            else:
                os.remove(path)
            attempts.append(action + " " + path + ": DONE")
        except OSError as error:
            attempts.append(action + " " + path + ": " + type(error).__name__)
for path in {[str(p) for p in paths["others"]]!r}:
    try:
        with open(path) as file:
            attempts.append("read " + path + ": DONE " + file.read(20))
    except OSError as error:
        attempts.append("read " + path + ": " + type(error).__name__)
for folder in ("/tmp", "."):
    try:
        with open(os.path.join(folder, "filler"), "wb") as file:
            for _ in range(1024):
                file.write(b"x" * 2**20)  # 1 GiB
        attempts.append("filled " + folder + ": DONE")
    except OSError as error:
        attempts.append("filled " + folder + ": " + type(error).__name__)
try:
    hog = bytearray(3 * 2**30)
    attempts.append("allocated 3 GiB: DONE")
except MemoryError:
    attempts.append("allocated 3 GiB: MemoryError")
try:
    socket.create_connection(("127.0.0.1", {paths["port"]}), timeout=1).sendall(b"hello")
    attempts.append("network: DONE")
except OSError as error:
    attempts.append("network: " + type(error).__name__)
subprocess.Popen(["sleep", "4245"])
print("ESCAPES", attempts)
"""
    return append(correct(), "linear", code), []
