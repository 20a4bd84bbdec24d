"""Grading exercise notebooks, and the same check for a student on their own notebook.

For each submission the grader

1. reads it (an empty file, invalid JSON, a file over the size limit or a notebook of another chapter is
   reported on its row, and grading goes on with the next one);
2. copies **only the answer cells** (matched by cell id, else by their ``convzoo`` metadata) into a fresh
   copy of the released exercise, in a temporary folder: edited check cells, edited expected outputs,
   extra cells and stored outputs of the submission are never used, and the student's file is never
   written;
3. runs that notebook under nbval (``--nbval-lax``: the check cells are compared with the expected output)
   in a separate process, with a time limit per cell; a watchdog stops a kernel that ignores the interrupt,
   and a kernel that dies is noticed at once;
4. maps the result of every check cell to its task: a task passes when all its check cells pass, and earns
   its points.

:func:`grade` returns the results, writes a CSV (``student, task, points, max_points, passed, message``,
sorted, nothing in it that varies between runs) and prints a table. :func:`check_notebook` is the same for
one notebook, for a student, from the shell (``convzoo check``) or from a notebook cell.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "TaskResult",
    "NotebookResult",
    "GradingError",
    "grade",
    "check_notebook",
    "merge_answers",
    "run_nbval",
    "write_csv",
    "format_table",
    "find_exercise",
    "released_exercise",
    "describe_mismatch",
    "SANITIZE_FILE",
    "IPYTHON_CONFIG",
]

SANITIZE_FILE = Path(__file__).resolve().parent / "nbval" / "sanitize.cfg"
"""The nbval sanitize patterns shared by ``make test`` and the grader."""

IPYTHON_CONFIG = """\
# IPython profile for runs whose outputs are stored or compared: `make test`, `make execute` (the Makefile
# sets IPYTHONDIR to this folder) and the grader (which writes this same text into its own temporary
# profile; tests/test_grading.py keeps the two equal).
# No colours, so tracebacks and messages hold no escape codes; no history database, so parallel kernels
# never wait for each other's sqlite lock; PNG figures only, so stored outputs are the same everywhere.
c = get_config()  # noqa: F821
c.InteractiveShell.colors = "nocolor"
c.HistoryManager.enabled = False
c.InlineBackend.figure_formats = {"png"}
"""

MAX_FILE_BYTES = 20_000_000
"""A submission larger than this is not read (exercise notebooks are well under 1 MB)."""
MAX_MESSAGE = 300
DEFAULT_CELL_TIMEOUT = 60.0
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_REPO = Path(__file__).resolve().parents[2]
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit|Warning)\b")


class GradingError(Exception):
    """Grading cannot start at all (e.g. the released exercise is not found); a bad submission is not one."""


@dataclass
class TaskResult:
    task: int
    title: str
    points: int
    max_points: int
    passed: bool
    message: str = ""


@dataclass
class NotebookResult:
    """The grade of one submission: one :class:`TaskResult` per task of its chapter.

    ``problem`` is set when the submission could not be graded at all (then every task has 0 points and
    carries the problem as its message).
    """

    student: str
    chapter: str
    tasks: list = field(default_factory=list)
    problem: str = ""

    @property
    def points(self) -> int:
        return sum(t.points for t in self.tasks)

    @property
    def max_points(self) -> int:
        return sum(t.max_points for t in self.tasks)

    @property
    def passed(self) -> bool:
        return bool(self.tasks) and all(t.passed for t in self.tasks)

    def report(self) -> str:
        """A student's view: one line per task, then the total."""
        lines = [f"{self.student} ({self.chapter})"]
        if self.problem:
            lines.append(f"  could not be graded: {self.problem}")
        for t in self.tasks:
            mark = "passed" if t.passed else "FAILED"
            line = f"  Task {t.task}: {t.title} - {mark} ({t.points}/{t.max_points} points)"
            if not t.passed and t.message and t.message != self.problem:
                line += f"\n      {t.message}"
            lines.append(line)
        lines.append(f"  total: {self.points}/{self.max_points} points")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()

    def _repr_pretty_(self, p, cycle):  # IPython shows the report when a cell returns the result
        p.text(self.report())


# --------------------------------------------------------------------------------------------------
# for check cells


def describe_mismatch(got, expected, name: str = "your result", atol: float = 0.0) -> str:
    """Why ``got`` is not ``expected``, in words a student can act on; ``""`` when they match.

    Check cells use it to build their assertion messages: the shapes when they differ, else the first
    position that differs with both values (and, for ``atol > 0``, the largest error).

    Examples
    --------
    >>> describe_mismatch([1, 2, 3], [1, 2, 3])
    ''
    >>> describe_mismatch([1, 2], [1, 2, 3], "out")
    'out has shape (2,) but shape (3,) is expected'
    >>> describe_mismatch([1, 5, 3], [1, 2, 3], "out")
    'out differs from the expected result at index 1: got 5, expected 2'
    >>> describe_mismatch([[1.0, 2.5]], [[1.0, 2.0]], "y", atol=1e-6)
    'y differs from the expected result at index (0, 1): got 2.5, expected 2 (largest error 0.5, tolerance 1e-06)'
    >>> describe_mismatch(None, [1], "w")
    'w is None: did you assign it (and return it from your function)?'
    """
    import numpy as np

    if got is None:
        return f"{name} is None: did you assign it (and return it from your function)?"
    try:
        g = np.asarray(got)
    except Exception:
        return f"{name} should be an array of numbers, but it is a {type(got).__name__}"
    e = np.asarray(expected)
    if g.dtype.kind not in "biuf":
        return f"{name} should hold numbers, but it holds {g.dtype} values"
    if g.shape != e.shape:
        return f"{name} has shape {tuple(g.shape)} but shape {tuple(e.shape)} is expected"
    if g.size == 0:
        return ""
    if not np.all(np.isfinite(g)):
        first = tuple(int(i) for i in np.argwhere(~np.isfinite(g))[0])
        return f"{name} has a non-finite value (nan or inf) at index {first[0] if len(first) == 1 else first}"
    err = np.abs(g.astype(float) - e.astype(float))
    bad = err > atol
    if not bad.any():
        return ""
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    where = first[0] if len(first) == 1 else first
    fmt = lambda v: f"{float(v):g}"
    msg = f"{name} differs from the expected result at index {where}: got {fmt(g[first])}, expected {fmt(e[first])}"
    if atol > 0:
        msg += f" (largest error {fmt(err.max())}, tolerance {atol:g})"
    return msg


# --------------------------------------------------------------------------------------------------
# finding the released exercise


def _read_notebook(path: Path):
    """Read a submission; return ``(notebook, None)`` or ``(None, reason it cannot be read)``."""
    import nbformat

    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror}"
    if size == 0:
        return None, "the file is empty"
    if size > MAX_FILE_BYTES:
        return None, (f"the file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit "
                      f"(clear the outputs: Edit > Clear Outputs of All Cells, then save)")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, "not a notebook: the file is not UTF-8 text"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"not a notebook: invalid JSON ({exc.msg}: line {exc.lineno}, column {exc.colno})"
    if not isinstance(raw, dict) or "cells" not in raw or not isinstance(raw.get("cells"), list):
        return None, "not a notebook: the JSON has no list of cells"
    try:
        with _quiet():
            nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # any nbformat complaint about the structure
        return None, f"not a notebook: {_one_line(str(exc))}"
    for cell in nb.cells:
        if not isinstance(cell, dict) or not isinstance(cell.get("source", ""), str):
            return None, "not a notebook: a cell is malformed"
    return nb, None


class _quiet:
    """Silence nbformat's validation warnings while reading student files."""

    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self._w.__exit__(*exc)


def _chapter_of(nb) -> str | None:
    meta = nb.metadata.get("convzoo") if isinstance(nb.metadata, dict) else None
    if isinstance(meta, dict) and isinstance(meta.get("chapter"), str):
        return meta["chapter"]
    return None


def _graded_ids(ex) -> set:
    return {c.get("id") for c in ex.cells if _role(c) is not None}


def _role(cell):
    meta = cell.get("metadata", {}).get("convzoo") if isinstance(cell.get("metadata"), dict) else None
    if isinstance(meta, dict) and meta.get("role") in ("answer", "check") and isinstance(meta.get("task"), int):
        return meta["role"], meta["task"]
    return None


def find_exercise(chapter: str, exercises_dir=None, avoid=None) -> Path | None:
    """The released exercise file of ``chapter`` (file stem like ``01_convolution_vs_cross_correlation``)."""
    folder = Path(exercises_dir) if exercises_dir else _REPO / "exercises"
    candidate = folder / f"{chapter}.ipynb"
    if candidate.is_file() and not (avoid is not None and Path(avoid).exists() and candidate.samefile(avoid)):
        return candidate
    return None


def released_exercise(chapter: str, avoid=None, exercises_dir=None):
    """The pristine released exercise notebook of ``chapter``, for a student's self-check.

    The student usually edits ``exercises/NN_*.ipynb`` itself, so that file cannot be the reference: the
    exercise is then rebuilt from ``solutions/`` (equal to the released file: the test suite proves it),
    or read from the last commit with git. Returns ``(notebook, where it came from)``.
    """
    import nbformat

    path = find_exercise(chapter, exercises_dir, avoid=avoid)
    if path is not None:
        return nbformat.read(str(path), as_version=4), str(path)
    solution = _REPO / "solutions" / f"{chapter}.ipynb"
    if solution.is_file():
        from .authoring import make_exercise

        return make_exercise(nbformat.read(str(solution), as_version=4), chapter), f"{solution} (rebuilt)"
    try:
        text = subprocess.run(["git", "show", f"HEAD:exercises/{chapter}.ipynb"], cwd=_REPO, capture_output=True,
                              text=True, check=True, timeout=30).stdout
        return nbformat.reads(text, as_version=4), f"exercises/{chapter}.ipynb at git HEAD"
    except (OSError, subprocess.SubprocessError):
        pass
    raise GradingError(f"cannot find the released exercise of chapter {chapter}: pass it with --exercise "
                       f"(a fresh copy of the file you were given)")


# --------------------------------------------------------------------------------------------------
# merging a submission's answers into the pristine exercise


def merge_answers(exercise, submission):
    """A copy of ``exercise`` whose answer cells hold the submission's answer cells' sources.

    An answer cell is found in the submission by its cell id; failing that (a cell copied and pasted gets
    a new id) by its ``convzoo`` metadata: the k-th answer cell of task N. Nothing else of the submission is
    used: not its check cells, not its outputs, not cells it added.

    Returns
    -------
    (nbformat.NotebookNode, dict)
        The notebook to run, and task -> list of problems found while merging (e.g. a deleted answer cell).
    """
    import copy

    merged = copy.deepcopy(exercise)
    by_id = {}
    by_task: dict = {}
    for cell in submission.cells:
        cid = cell.get("id")
        if cid and cid not in by_id:
            by_id[cid] = cell
        role = _role(cell)
        if role and role[0] == "answer":
            by_task.setdefault(role[1], []).append(cell)
    problems: dict = {}
    used = set()
    kth: dict = {}
    for cell in merged.cells:
        role = _role(cell)
        if not role or role[0] != "answer":
            continue
        task = role[1]
        k = kth.get(task, 0)
        kth[task] = k + 1
        found = by_id.get(cell.get("id"))
        if found is None or id(found) in used:
            candidates = [c for c in by_task.get(task, []) if id(c) not in used and c.get("cell_type") == cell.cell_type]
            found = candidates[0] if candidates else None
        if found is None:
            problems.setdefault(task, []).append(
                f"the answer cell of task {task} is missing from the notebook (deleted?); it was graded as "
                f"unanswered")
            continue
        used.add(id(found))
        if found.get("cell_type") != cell.cell_type:
            problems.setdefault(task, []).append(
                f"the answer cell of task {task} was turned into a {found.get('cell_type')} cell; it must stay a "
                f"{cell.cell_type} cell")
            continue
        cell.source = found.get("source", "")
    return merged, problems


# --------------------------------------------------------------------------------------------------
# running nbval in a separate process


def _one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    text = _ANSI.sub("", str(text))
    text = " ".join(part.strip() for part in text.strip().splitlines() if part.strip())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _error_line(traceback: str) -> str:
    """The last line of a kernel traceback: ``AssertionError: Task 2: ...``."""
    lines = [ln for ln in _ANSI.sub("", traceback or "").splitlines() if ln.strip()]
    if not lines:
        return ""
    # an exception message may span several lines: take from the last line that starts "SomeError:"
    for i in range(len(lines) - 1, -1, -1):
        if _EXCEPTION_LINE.match(lines[i]):
            return " ".join(ln.strip() for ln in lines[i:])
    return lines[-1].strip()


def _stream_text(outputs) -> str:
    parts = []
    for o in outputs or []:
        if o.get("output_type") == "stream":
            parts.append(o.get("text", ""))
        elif o.get("output_type") in ("execute_result", "display_data"):
            parts.append(o.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def _output_difference(expected: str, got: str) -> str:
    exp_lines, got_lines = expected.rstrip("\n").split("\n"), got.rstrip("\n").split("\n")
    for n, (e, g) in enumerate(zip(exp_lines, got_lines), 1):
        if e != g:
            return f"printed output differs from the expected output at line {n}: expected {e!r}, got {g!r}"
    if len(got_lines) != len(exp_lines):
        return (f"printed output has {len(got_lines)} lines where {len(exp_lines)} are expected "
                f"(expected {expected.strip()[:80]!r}, got {got.strip()[:80]!r})")
    return "printed output differs from the expected output"


def _collector(out_path: str, cell_timeout: float, grace: float):
    """The pytest plugin of the worker (made here so that importing this module does not import pytest)."""
    import pytest

    class _Collector:
        """pytest plugin run inside the worker: one JSON line per notebook cell, written as soon as it is known,
        so that whatever happens later, the cells already run are reported."""

        def __init__(self, out_path: str, cell_timeout: float, grace: float):
            self.out = open(out_path, "a", encoding="utf-8")
            self.cell_timeout = cell_timeout
            self.grace = grace
            self.current = None
            self.started = 0.0
            self.killed = set()
            self.details = {}
            self._stop = threading.Event()
            threading.Thread(target=self._watchdog, daemon=True).start()

        # a cell that ignores nbval's interrupt (it catches KeyboardInterrupt, or loops in C while printing)
        # would keep the worker forever: stop its kernel a little after the cell's time limit
        def _watchdog(self):
            while not self._stop.wait(0.5):
                item = self.current
                if item is None or time.monotonic() - self.started < self.cell_timeout + self.grace:
                    continue
                kernel = getattr(item.parent, "kernel", None)
                km = getattr(kernel, "km", None)
                proc = getattr(getattr(km, "provisioner", None), "process", None)
                if proc is not None and item.nodeid not in self.killed:
                    self.killed.add(item.nodeid)
                    try:
                        os.kill(proc.pid, signal.SIGKILL)
                    except OSError:
                        pass

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_call(self, item):
            self.current, self.started = item, time.monotonic()
            try:
                yield
            finally:
                self.current = None

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(self, item, call):
            outcome = yield
            rep = outcome.get_result()
            if call.excinfo is not None and rep.when in ("setup", "call"):
                self.details[item.nodeid] = self._message(item, call.excinfo.value)

        def _message(self, item, exc) -> str:
            cell = getattr(item, "cell", None)
            if item.nodeid in self.killed:
                return (f"the cell ran longer than {self.cell_timeout:g} s and did not stop when interrupted, so its "
                        f"kernel was stopped (an endless loop that catches KeyboardInterrupt?)")
            if isinstance(exc, _KernelDied):
                return "the kernel died while running this cell (did it call exit(), os._exit() or crash Python?)"
            text = str(exc)
            if text.startswith("Kernel dead on test start") or "Kernel dead" in text:
                return "not run: the kernel had died in an earlier cell"
            if text.startswith("Timeout of") or "Timeout" in text and "exceeded" in text:
                return f"the cell ran longer than the limit of {self.cell_timeout:g} s and was stopped (an endless loop?)"
            if text == "Cell outputs differ" and cell is not None:
                expected = _stream_text(getattr(cell, "outputs", []))
                got = _stream_text(getattr(item, "test_outputs", None) or [])
                return _output_difference(expected, got)
            inner = getattr(exc, "inner_traceback", None)
            if inner:
                line = _error_line(inner)
                if line.startswith("KeyboardInterrupt"):
                    return (f"the cell ran longer than the limit of {self.cell_timeout:g} s and was stopped "
                            f"(an endless loop?)")
                return line
            return text

        def pytest_runtest_logreport(self, report):
            if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
                record = {
                    "nodeid": report.nodeid,
                    "when": report.when,
                    "outcome": report.outcome,  # an xpass (run after an earlier timeout) is 'passed': it ran and matched
                    "message": _one_line(self.details.get(report.nodeid, "")) if report.outcome != "passed" else "",
                }
                self.out.write(json.dumps(record) + "\n")
                self.out.flush()

        def pytest_collection_modifyitems(self, items):
            for n, item in enumerate(items):
                cell = getattr(item, "cell", None)
                self.out.write(json.dumps({"nodeid": item.nodeid, "collected": n,
                                           "id": cell.get("id") if cell is not None else None}) + "\n")
            self.out.flush()

        def pytest_sessionfinish(self):
            self._stop.set()

    return _Collector(out_path, cell_timeout, grace)


class _KernelDied(RuntimeError):
    pass


def _patch_nbval_for_dead_kernels():
    """nbval waits the whole cell time limit for the reply of a kernel that has died; ask every second."""
    from queue import Empty

    from nbval.kernel import RunningKernel

    def await_reply(self, msg_id, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = 1.0 if deadline is None else max(0.0, min(1.0, deadline - time.monotonic()))
            try:
                msg = self.get_message(stream="shell", timeout=wait)
            except Empty:
                if not self.km.is_alive():
                    raise _KernelDied("the kernel died") from None
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                if msg["content"]["status"] == "aborted":
                    raise RuntimeError("Kernel aborted execution request")
                return

    RunningKernel.await_reply = await_reply


def _worker_main(argv) -> int:
    """Entry point of the grading subprocess: ``_nbval-worker NOTEBOOK RESULTS CELL_TIMEOUT``."""
    import pytest

    notebook, results, cell_timeout = argv[0], argv[1], float(argv[2])
    _patch_nbval_for_dead_kernels()
    collector = _collector(results, cell_timeout, grace=max(3.0, 0.5 * cell_timeout))
    args = [notebook, "-p", "nbval", "--nbval-lax", "--nbval-current-env", f"--nbval-cell-timeout={cell_timeout:g}",
            "--nbval-kernel-startup-timeout=120", "--nbval-sanitize-with", str(SANITIZE_FILE), "-q", "--color=no",
            "-p", "no:cacheprovider", "-p", "no:randomly", "-W", "ignore::DeprecationWarning",
            "-c", str(Path(notebook).parent / "pytest.ini"), "--rootdir", str(Path(notebook).parent)]
    code = pytest.main(args, plugins=[collector])
    return int(code)


def _grading_env(tmp: Path) -> dict:
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    profile = tmp / "ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "ipython_config.py").write_text(IPYTHON_CONFIG, encoding="utf-8")
    env["IPYTHONDIR"] = str(tmp / "ipython")
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    # the kernel must import this very convzoo, wherever the grader is run from
    lib = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = lib + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_nbval(nb, workdir, cell_timeout: float = DEFAULT_CELL_TIMEOUT, total_timeout: float | None = None):
    """Run notebook ``nb`` under nbval in a separate process; return ``{cell id: (outcome, message)}``.

    ``outcome`` is 'passed', 'failed', 'skipped' or 'not run'. The notebook is written to ``workdir``,
    which becomes its working directory. ``total_timeout`` (default: enough for every code cell to use its
    limit) stops the whole run, process group and all, as a last resort.
    """
    from .authoring import notebook_text

    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "submission.ipynb"
    path.write_text(notebook_text(nb), encoding="utf-8")
    (workdir / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    results = workdir / "results.jsonl"
    results.unlink(missing_ok=True)
    n_code = sum(1 for c in nb.cells if c.cell_type == "code")
    if total_timeout is None:
        total_timeout = 120 + (cell_timeout + 15) * max(n_code, 1)
    cmd = [sys.executable, "-m", "convzoo", "_nbval-worker", str(path), str(results), f"{cell_timeout:g}"]
    env = _grading_env(workdir)
    stopped = ""
    with open(workdir / "worker.log", "wb") as log:
        proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=total_timeout)
        except subprocess.TimeoutExpired:
            stopped = f"not run: grading of this notebook was stopped after {total_timeout:g} s in total"
        finally:
            # the worker and the kernel it started share a new session: stop all that is left of them
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
    by_node, ids = {}, {}
    if results.exists():
        for line in results.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "collected" in rec:
                ids[rec["nodeid"]] = rec["id"]
            else:
                by_node[rec["nodeid"]] = rec
    outcome = {}
    for nodeid, cid in ids.items():
        rec = by_node.get(nodeid)
        if rec is None:
            outcome[cid] = ("not run", stopped or "not run: the grading process stopped before this cell")
        else:
            outcome[cid] = (rec["outcome"], rec["message"])
    if not ids:
        tail = (workdir / "worker.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        reason = stopped or _one_line(_error_line(tail) or "nbval could not run the notebook")
        for cell in nb.cells:
            if cell.cell_type == "code":
                outcome[cell.get("id")] = ("not run", f"not run: {reason}")
    return outcome


# --------------------------------------------------------------------------------------------------
# grading


def _tasks_of(exercise):
    from .authoring import Task

    meta = exercise.metadata.get("convzoo", {})
    tasks = [Task(int(t["task"]), str(t["title"]), int(t["points"])) for t in meta.get("tasks", [])]
    if not tasks:
        raise GradingError("the exercise has no task list in its metadata; is it a generated exercise "
                           "(exercises/NN_*.ipynb, made by `convzoo build-exercises`)?")
    return tasks


def _failed_all(student: str, chapter: str, exercise, problem: str) -> NotebookResult:
    tasks = [TaskResult(t.number, t.title, 0, t.points, False, problem) for t in _tasks_of(exercise)]
    return NotebookResult(student, chapter, tasks, problem)


def _task_message(task: int, exercise, outcome: dict, problems: dict) -> str:
    """Why a task failed, in the words most useful to its student."""
    if problems.get(task):
        return problems[task][0]
    answer_errors, check_errors = [], []
    for cell in exercise.cells:
        role = _role(cell)
        if not role or role[1] != task or cell.cell_type != "code":
            continue
        result, message = outcome.get(cell.get("id"), ("not run", "not run"))
        if result == "passed":
            continue
        (answer_errors if role[0] == "answer" else check_errors).append(message)
    messages = answer_errors + check_errors
    for m in messages:
        if m.startswith("NotImplementedError"):
            return "not answered yet: the answer cell still raises NotImplementedError"
    if answer_errors:
        first = answer_errors[0]
        return f"your answer cell raised {first}" if _EXCEPTION_LINE.match(first) else first
    return check_errors[0] if check_errors else "failed"


def _grade_one(path: Path, label: str, chapter: str, exercise, cell_timeout: float, tmp: Path,
               chapters_by_id: dict) -> NotebookResult:
    submission, problem = _read_notebook(path)
    if problem:
        return _failed_all(label, chapter, exercise, problem)
    own = _chapter_of(submission)
    ids = {c.get("id") for c in submission.cells}
    overlap = ids & _graded_ids(exercise)
    if not overlap:
        other = own if own and own != chapter else None
        if other is None:
            votes = {}
            for cid in ids:
                if cid in chapters_by_id and chapters_by_id[cid] != chapter:
                    votes[chapters_by_id[cid]] = votes.get(chapters_by_id[cid], 0) + 1
            other = max(sorted(votes), key=votes.get) if votes else None
        if other is not None:
            return _failed_all(label, chapter, exercise,
                               f"this is the exercise of chapter {other}, not of chapter {chapter}")
        if not any(_role(c) for c in submission.cells):
            return _failed_all(label, chapter, exercise,
                               f"none of its cells comes from the exercise of chapter {chapter}")
    merged, problems = merge_answers(exercise, submission)
    outcome = run_nbval(merged, tmp, cell_timeout=cell_timeout)
    results = []
    for t in _tasks_of(exercise):
        checks = [c.get("id") for c in exercise.cells if _role(c) == ("check", t.number)]
        ok = bool(checks) and all(outcome.get(cid, ("not run", ""))[0] == "passed" for cid in checks)
        ok = ok and not problems.get(t.number)
        message = "" if ok else _task_message(t.number, exercise, outcome, problems)
        results.append(TaskResult(t.number, t.title, t.points if ok else 0, t.points, ok, _one_line(message)))
    return NotebookResult(label, chapter, results)


def _expand(submissions) -> list[Path]:
    import glob

    if isinstance(submissions, (str, os.PathLike)):
        submissions = [submissions]
    found = []
    for item in submissions:
        p = Path(item)
        if p.is_dir():
            found += [q for q in p.rglob("*.ipynb") if ".ipynb_checkpoints" not in q.parts]
        elif p.exists():
            found.append(p)
        else:
            matches = [Path(m) for m in glob.glob(str(item), recursive=True)]
            if not matches:
                raise GradingError(f"no submission found at {item}")
            for m in matches:
                found += ([q for q in m.rglob("*.ipynb") if ".ipynb_checkpoints" not in q.parts] if m.is_dir()
                          else [m])
    unique = sorted({q.resolve() for q in found})
    if not unique:
        raise GradingError(f"no .ipynb file found in {', '.join(map(str, submissions))}")
    return unique


def _labels(paths: list[Path]) -> dict:
    """Stable names for the CSV: paths relative to the folder that holds all submissions."""
    if len(paths) == 1:
        return {paths[0]: paths[0].name}
    base = Path(os.path.commonpath([str(p.parent) for p in paths]))
    return {p: p.relative_to(base).as_posix() for p in paths}


def _all_exercises(exercises_dir=None) -> dict:
    """cell id -> chapter, over the released exercises (to say which chapter a stray notebook belongs to)."""
    import nbformat

    folder = Path(exercises_dir) if exercises_dir else _REPO / "exercises"
    owner = {}
    for p in sorted(folder.glob("[0-9][0-9]_*.ipynb")) if folder.is_dir() else []:
        try:
            nb = nbformat.read(str(p), as_version=4)
        except Exception:
            continue
        for cid in _graded_ids(nb):
            owner[cid] = p.stem
    return owner


def _choose_chapter(paths, exercises_dir) -> str:
    votes = {}
    owner = _all_exercises(exercises_dir)
    for p in paths:
        nb, problem = _read_notebook(p)
        if problem:
            continue
        chapter = _chapter_of(nb)
        if chapter is None:
            found = [owner[c.get("id")] for c in nb.cells if c.get("id") in owner]
            chapter = max(sorted(set(found)), key=found.count) if found else None
        if chapter:
            votes[chapter] = votes.get(chapter, 0) + 1
    if not votes:
        raise GradingError("cannot tell which exercise these submissions answer; pass it with --exercise")
    best = max(votes.values())
    winners = sorted(c for c, v in votes.items() if v == best)
    if len(winners) > 1:
        raise GradingError(f"the submissions answer different exercises ({', '.join(winners)}) equally often; "
                           f"grade one chapter at a time with --exercise")
    return winners[0]


def grade(submissions, exercise=None, exercises_dir=None, csv_path=None, cell_timeout: float = DEFAULT_CELL_TIMEOUT,
          jobs: int | None = None, out=None, progress=None) -> list[NotebookResult]:
    """Grade one notebook, a folder of notebooks, or a glob, against one released exercise.

    Parameters
    ----------
    submissions : path, glob, or list of them
        Folders are searched recursively for ``*.ipynb`` (checkpoints ignored).
    exercise : path, optional
        The released exercise (default: the chapter most submissions belong to, from ``exercises_dir``).
    exercises_dir : path, optional
        Where released exercises are (default: the repository's ``exercises/``).
    csv_path : path, optional
        Write ``student, task, points, max_points, passed, message`` rows there, sorted by student and task.
    cell_timeout : float
        Seconds each cell may run.
    jobs : int, optional
        Notebooks graded at the same time (default: 2, or 1 on a one-core machine).
    out, progress : file-like, optional
        Where the table goes (default stdout) and the progress lines (default stderr); ``False`` for none.

    Returns
    -------
    list of NotebookResult, sorted by student.
    """
    import nbformat

    paths = _expand(submissions)
    labels = _labels(paths)
    if exercise is None:
        chapter = _choose_chapter(paths, exercises_dir)
        exercise = find_exercise(chapter, exercises_dir)
        if exercise is None:
            raise GradingError(f"the released exercise {chapter}.ipynb is not in "
                               f"{exercises_dir or _REPO / 'exercises'}; pass it with --exercise")
    exercise = Path(exercise)
    try:
        pristine = nbformat.read(str(exercise), as_version=4)
    except Exception as exc:
        raise GradingError(f"cannot read the exercise {exercise}: {exc}") from exc
    chapter = _chapter_of(pristine) or exercise.stem
    _tasks_of(pristine)
    if exercise.resolve() in paths:
        paths.remove(exercise.resolve())
    owner = _all_exercises(exercises_dir)
    progress = sys.stderr if progress is None else progress
    jobs = jobs or min(2, os.cpu_count() or 1)
    done = [0]
    lock = threading.Lock()

    def work(path: Path) -> NotebookResult:
        start = time.monotonic()
        tmp = Path(tempfile.mkdtemp(prefix="convzoo-grade-"))
        try:
            result = _grade_one(path, labels[path], chapter, pristine, cell_timeout, tmp, owner)
        except Exception as exc:  # a bug of ours must not stop the other submissions
            result = _failed_all(labels[path], chapter, pristine, f"grader error: {_one_line(repr(exc))}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        with lock:
            done[0] += 1
            if progress:
                status = result.problem or ", ".join(f"task {t.task} {'ok' if t.passed else 'failed'}"
                                                      for t in result.tasks)
                print(f"[{done[0]}/{len(paths)}] {labels[path]}: {result.points}/{result.max_points} points "
                      f"({status}) in {time.monotonic() - start:.0f} s", file=progress, flush=True)
        return result

    if progress:
        print(f"grading {len(paths)} notebook(s) against {exercise} ({chapter}), {cell_timeout:g} s per cell, "
              f"{jobs} at a time", file=progress, flush=True)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(work, paths))
    results.sort(key=lambda r: r.student)
    if csv_path:
        write_csv(results, csv_path)
    if out is not False:
        print(format_table(results), file=out or sys.stdout)
    return results


def write_csv(results, path) -> None:
    """``student, task, points, max_points, passed, message``: one row per task, sorted; nothing that varies."""
    rows = sorted(((r.student, t.task, t.points, t.max_points, "yes" if t.passed else "no", t.message)
                   for r in results for t in r.tasks), key=lambda row: (row[0], row[1]))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student", "task", "points", "max_points", "passed", "message"])
    writer.writerows(rows)
    Path(path).write_text(buf.getvalue(), encoding="utf-8")


def format_table(results) -> str:
    """A table a teacher reads: one row per student, one column per task, the total; then the reasons."""
    if not results:
        return "no submissions"
    tasks = sorted({t.task for r in results for t in r.tasks})
    name_w = max(len("student"), *(len(r.student) for r in results))
    head = f"{'student':<{name_w}}  " + "  ".join(f"{'task ' + str(n):>7}" for n in tasks) + "    total"
    lines = [head, "-" * len(head)]
    for r in results:
        cells = []
        by = {t.task: t for t in r.tasks}
        for n in tasks:
            t = by.get(n)
            cells.append(f"{(str(t.points) + '/' + str(t.max_points)) if t else '-':>7}")
        lines.append((f"{r.student:<{name_w}}  " + "  ".join(cells) + f"  {r.points:>3}/{r.max_points:<3}").rstrip())
    notes = []
    for r in results:
        if r.problem:
            notes.append(f"{r.student}: {r.problem}")
            continue
        for t in r.tasks:
            if not t.passed:
                notes.append(f"{r.student}, task {t.task}: {t.message}")
    if notes:
        lines += ["", "why points were lost:"] + [f"  {n}" for n in notes]
    return "\n".join(lines)


def check_notebook(path, exercise=None, cell_timeout: float = DEFAULT_CELL_TIMEOUT):
    """Check your own exercise notebook: which tasks pass, and why the others do not.

    It grades the **saved** file (save first), exactly as the teacher's grader does: your answer cells are
    run inside a fresh copy of the released exercise, so it does not matter what you did to the check
    cells. Use it from a shell (``convzoo check exercises/01_....ipynb``) or from a cell of the notebook::

        import convzoo.grading
        convzoo.grading.check_notebook("01_convolution_vs_cross_correlation.ipynb")

    Returns
    -------
    NotebookResult
        Shown as a per-task report in a notebook.
    """
    import nbformat

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no notebook at {path} (current folder: {Path.cwd()})")
    submission, problem = _read_notebook(path)
    if exercise is not None:
        pristine = nbformat.read(str(exercise), as_version=4)
    else:
        chapter = (submission is not None and _chapter_of(submission)) or path.stem
        pristine, _ = released_exercise(chapter, avoid=path)
    chapter = _chapter_of(pristine) or path.stem
    tmp = Path(tempfile.mkdtemp(prefix="convzoo-check-"))
    try:
        result = _grade_one(path, path.name, chapter, pristine, cell_timeout, tmp, {})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result
