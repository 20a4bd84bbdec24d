"""Exercise notebooks generated from solution notebooks, and notebooks re-executed with stable outputs.

The source of truth for an exercise is ``solutions/NN_<topic>.ipynb``, written in the format that
CONTRIBUTING.md describes:

- ``## Task N: title (P points)`` (a markdown cell) opens task ``N``;
- an **answer cell** holds the student's part between ``### BEGIN SOLUTION`` and ``### END SOLUTION``;
- a **check cell** starts with ``# NBVAL_CHECK_OUTPUT`` and ``# CHECK task N``, prints what nbval compares
  and asserts it with a message for a student who got it wrong;
- optionally, a **mistake cell** (a *raw* cell, never run) starting with ``# MISTAKE task N: what is wrong``
  holds a typical wrong answer cell; the test suite puts it in place of the task's answer and proves that
  the check catches it with a helpful message. Mistake cells do not reach the exercise.

:func:`make_exercise` turns a solution into the released exercise: each answer region becomes a stub
(``raise NotImplementedError`` in code, "YOUR ANSWER HERE" in markdown) and loses its outputs; check cells
keep their code and the solution's output, which becomes the expected output; every other cell keeps its
stored output (the figures). Cells carry ``metadata.convzoo = {"role": "answer"|"check", "task": N}``, the
notebook ``metadata.convzoo = {"chapter", "source", "tasks"}``. The result is a pure function of the
solution file, so a committed exercise can be compared byte for byte with a fresh generation.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "BEGIN",
    "END",
    "Task",
    "Solution",
    "ExerciseFormatError",
    "parse_solution",
    "make_exercise",
    "exercise_text",
    "build_exercises",
    "notebook_text",
    "stub_source",
    "execute_notebook",
]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
CODE_STUB = ("# YOUR CODE HERE", 'raise NotImplementedError("Task {task}: replace these two lines with your answer")')
TEXT_STUB = "YOUR ANSWER HERE"
EXPLORER_PLACEHOLDER = ("An interactive explorer: run this cell in JupyterLab to use it. A stored notebook "
                        "(on GitHub, say) cannot run widgets; the chapter's static figures show what it draws.")

_TASK_RE = re.compile(r"^##\s+Task\s+(\d+)\s*:\s*(.*?)\s*\((\d+)\s+points?\)\s*$")
_CHECK_RE = re.compile(r"\A# NBVAL_CHECK_OUTPUT[ \t]*\n# CHECK task (\d+)[ \t]*(\n|\Z)")
_CHECK_LOOSE_RE = re.compile(r"^#\s*CHECK\s+task", re.IGNORECASE | re.MULTILINE)
_MISTAKE_RE = re.compile(r"\A# MISTAKE task (\d+)\s*:?[ \t]*(.*)")
STANDARD_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
_ID_RE = re.compile(r"^[a-zA-Z0-9-_]{1,64}$")
# cell metadata written by tools, which changes from run to run and must not reach a committed file
_VOLATILE_CELL_METADATA = ("execution", "ExecuteTime")


class ExerciseFormatError(ValueError):
    """A solution notebook does not follow the exercise format (the message says where and why)."""


@dataclass(frozen=True)
class Task:
    number: int
    title: str
    points: int

    def as_dict(self) -> dict:
        return {"task": self.number, "title": self.title, "points": self.points}


@dataclass
class Solution:
    """What :func:`parse_solution` found in a solution notebook.

    Attributes
    ----------
    name : str
        The chapter's file stem, e.g. ``"01_convolution_vs_cross_correlation"``.
    tasks : list of Task
    roles : dict
        Cell index -> ``("answer" | "check" | "mistake", task number)``.
    mistakes : dict
        Task number -> list of ``(description, source of a wrong answer cell)``.
    """

    name: str
    tasks: list = field(default_factory=list)
    roles: dict = field(default_factory=dict)
    mistakes: dict = field(default_factory=dict)

    def cells(self, role: str, task: int | None = None) -> list[int]:
        return [i for i, (r, t) in sorted(self.roles.items()) if r == role and (task is None or t == task)]


def _where(name: str, index: int, cell) -> str:
    cid = cell.get("id")
    return f"{name}, cell {index + 1}" + (f" (id {cid})" if cid else "")


def _split_regions(source: str, where: str):
    """Yield ``("text", line)`` and ``("region", indent, [lines])`` pieces of a cell's source."""
    pieces, region, indent = [], None, ""
    for line in source.split("\n"):
        s = line.strip()
        if s == BEGIN:
            if region is not None:
                raise ExerciseFormatError(f"{where}: '{BEGIN}' inside an open solution region (missing '{END}')")
            region, indent = [], line[: len(line) - len(line.lstrip())]
        elif s == END:
            if region is None:
                raise ExerciseFormatError(f"{where}: '{END}' without a '{BEGIN}' before it")
            pieces.append(("region", indent, region))
            region = None
        elif region is not None:
            region.append(line)
        else:
            if BEGIN.lower() in s.lower() or END.lower() in s.lower():
                raise ExerciseFormatError(f"{where}: a solution marker must stand alone on its line, exactly "
                                          f"'{BEGIN}' or '{END}'; found {line.strip()!r}")
            pieces.append(("text", line))
    if region is not None:
        raise ExerciseFormatError(f"{where}: '{BEGIN}' is never closed by '{END}'")
    return pieces


def stub_source(source: str, cell_type: str, task: int, where: str = "cell") -> str:
    """The source with every solution region replaced by the student's stub.

    Examples
    --------
    >>> print(stub_source("def f(x):\\n    ### BEGIN SOLUTION\\n    return 2 * x\\n    ### END SOLUTION",
    ...                   "code", 1))
    def f(x):
        # YOUR CODE HERE
        raise NotImplementedError("Task 1: replace these two lines with your answer")
    >>> stub_source("Because ...\\n### BEGIN SOLUTION\\nthe flip\\n### END SOLUTION", "markdown", 2)
    'Because ...\\nYOUR ANSWER HERE'
    """
    out = []
    for piece in _split_regions(source, where):
        if piece[0] == "text":
            out.append(piece[1])
        elif cell_type == "code":
            out.extend(piece[1] + line.format(task=task) for line in CODE_STUB)
        else:
            out.append(piece[1] + TEXT_STUB)
    return "\n".join(out)


def _has_region(source: str) -> bool:
    """Does the source mention a solution marker at all (well-formed or not: the parser then says which)."""
    return "BEGIN SOLUTION" in source or "END SOLUTION" in source


def parse_solution(nb, name: str = "solution") -> Solution:
    """Find the tasks, answer cells, check cells and mistake cells of a solution notebook.

    Raises
    ------
    ExerciseFormatError
        Naming the cell and the rule it breaks: tasks numbered 1, 2, ... in order; every answer cell after
        its task's heading; every task with at least one answer cell and one check cell; check cells
        executed (their output is the expected output) and asserting; solution markers balanced.
    """
    sol = Solution(name=name)
    current = None
    for i, cell in enumerate(nb.cells):
        where = _where(name, i, cell)
        src = cell.source
        ctype = cell.cell_type
        if ctype == "markdown":
            first = src.strip().split("\n", 1)[0] if src.strip() else ""
            m = _TASK_RE.match(first)
            if m:
                number, title, points = int(m.group(1)), m.group(2), int(m.group(3))
                if number != len(sol.tasks) + 1:
                    raise ExerciseFormatError(f"{where}: task {number} follows task {len(sol.tasks)}; "
                                              f"number the tasks 1, 2, 3, ... in order")
                if not title:
                    raise ExerciseFormatError(f"{where}: task {number} has no title")
                if points < 1:
                    raise ExerciseFormatError(f"{where}: task {number} is worth {points} points; at least 1")
                sol.tasks.append(Task(number, title, points))
                current = number
                if _has_region(src):
                    raise ExerciseFormatError(f"{where}: a task heading cell cannot also be an answer cell")
                continue
            if first.startswith("## Task") or first.startswith("# Task"):
                raise ExerciseFormatError(f"{where}: this looks like a task heading but is not "
                                          f"'## Task N: title (P points)': {first!r}")
        elif ctype == "code":
            m = _CHECK_RE.match(src)
            if m:
                task = int(m.group(1))
                if current is None or task > current:
                    raise ExerciseFormatError(f"{where}: check cell for task {task} comes before that task's "
                                              f"heading")
                if _has_region(src):
                    raise ExerciseFormatError(f"{where}: a check cell cannot hold a solution region")
                if not re.search(r"\bassert", src):
                    raise ExerciseFormatError(f"{where}: check cell for task {task} must assert the result with "
                                              f"a message for the student, not only print it")
                if cell.get("execution_count") is None or not cell.get("outputs"):
                    raise ExerciseFormatError(f"{where}: check cell for task {task} has no stored output; "
                                              f"run `make execute` so its output becomes the expected output")
                if any(o.get("output_type") == "error" for o in cell.outputs):
                    raise ExerciseFormatError(f"{where}: check cell for task {task} stored an error; the "
                                              f"solution must pass its own checks")
                sol.roles[i] = ("check", task)
                continue
            if _CHECK_LOOSE_RE.search(src.split("\n", 3)[0] + "\n" + "\n".join(src.split("\n")[1:2])):
                raise ExerciseFormatError(f"{where}: a check cell must start with exactly the two lines "
                                          f"'# NBVAL_CHECK_OUTPUT' and '# CHECK task N'")
        elif ctype == "raw":
            m = _MISTAKE_RE.match(src)
            if m:
                task = int(m.group(1))
                body = src.split("\n", 1)[1] if "\n" in src else ""
                if not body.strip():
                    raise ExerciseFormatError(f"{where}: mistake cell for task {task} holds no code")
                sol.roles[i] = ("mistake", task)
                sol.mistakes.setdefault(task, []).append((m.group(2).strip(), body))
        # A markdown or code cell that is none of the above is an answer cell if it holds a solution region.
        if ctype in ("markdown", "code") and _has_region(src):
            _split_regions(src, where)
            if current is None:
                raise ExerciseFormatError(f"{where}: answer cell before the first '## Task N: ...' heading")
            sol.roles[i] = ("answer", current)
    if not sol.tasks:
        raise ExerciseFormatError(f"{name}: no task found; a task opens with a markdown cell "
                                  f"'## Task 1: title (P points)'")
    numbers = {t.number for t in sol.tasks}
    for i, (role, task) in sol.roles.items():
        if task not in numbers:
            raise ExerciseFormatError(f"{_where(name, i, nb.cells[i])}: {role} cell for task {task}, but the "
                                      f"notebook has tasks {sorted(numbers)}")
    for t in sol.tasks:
        if not sol.cells("answer", t.number):
            raise ExerciseFormatError(f"{name}: task {t.number} has no answer cell (a cell with '{BEGIN}')")
        if not sol.cells("check", t.number):
            raise ExerciseFormatError(f"{name}: task {t.number} has no check cell ('# NBVAL_CHECK_OUTPUT' "
                                      f"then '# CHECK task {t.number}')")
        if t.number in sol.mistakes and not [i for i in sol.cells("answer", t.number)
                                             if nb.cells[i].cell_type == "code"]:
            raise ExerciseFormatError(f"{name}: task {t.number} has a mistake cell but no code answer cell "
                                      f"to put it in")
    return sol


def _normalise_ids(nb, name: str) -> None:
    """Give every cell an id (deterministic where one is missing or invalid) and mark the file nbformat 4.5."""
    seen = set()
    for i, cell in enumerate(nb.cells):
        cid = cell.get("id")
        if not cid or not _ID_RE.match(str(cid)) or cid in seen:
            cid = f"cell-{i:03d}"
            while cid in seen:
                cid += "x"
            cell["id"] = cid
        seen.add(cid)
    nb.nbformat = 4
    nb.nbformat_minor = max(5, nb.get("nbformat_minor", 0))


def _clean_metadata(nb) -> None:
    for cell in nb.cells:
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
    nb.metadata.pop("widgets", None)


def make_exercise(solution_nb, name: str):
    """The released exercise for a solution notebook (a new notebook; the solution is not changed).

    Parameters
    ----------
    solution_nb : nbformat.NotebookNode
    name : str
        The chapter's file stem, recorded in the exercise's metadata.

    Returns
    -------
    nbformat.NotebookNode
    """
    sol = parse_solution(solution_nb, name)
    nb = copy.deepcopy(solution_nb)
    _normalise_ids(nb, name)
    _clean_metadata(nb)
    keep = []
    for i, cell in enumerate(nb.cells):
        role = sol.roles.get(i)
        cell.metadata.pop("convzoo", None)
        if role is None:
            keep.append(cell)
            continue
        kind, task = role
        if kind == "mistake":
            continue
        cell.metadata["convzoo"] = {"role": kind, "task": task}
        if kind == "answer":
            cell.source = stub_source(cell.source, cell.cell_type, task, _where(name, i, cell))
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        else:  # check: JupyterLab then refuses to edit or delete it (the grader ignores edits anyway)
            cell.metadata["editable"] = False
            cell.metadata["deletable"] = False
        keep.append(cell)
    nb.cells = keep
    nb.metadata["convzoo"] = {
        "chapter": name,
        "source": f"solutions/{name}.ipynb",
        "tasks": [t.as_dict() for t in sol.tasks],
    }
    return nb


def notebook_text(nb) -> str:
    """The exact text ``nbformat.write`` would put in a file (sorted keys, one-space indent, final newline)."""
    import nbformat

    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def exercise_text(solution_path) -> str:
    """The text of the exercise generated from ``solution_path`` (what ``exercises/<same name>`` must hold)."""
    import nbformat

    path = Path(solution_path)
    nb = nbformat.read(str(path), as_version=4)
    return notebook_text(make_exercise(nb, path.stem))


def build_exercises(solutions_dir="solutions", exercises_dir="exercises", check: bool = False,
                    only=None) -> list[Path]:
    """Write ``exercises/NN_*.ipynb`` for every ``solutions/NN_*.ipynb``; return the files that changed.

    With ``check=True`` nothing is written: the returned list names the exercises that are stale.
    Exercises without a solution are stale too (an exercise is never written by hand).
    """
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    sources = sorted(solutions_dir.glob("[0-9][0-9]_*.ipynb"))
    if only:
        sources = [p for p in sources if any(p.name.startswith(o) or p.stem == o for o in only)]
    changed = []
    for src in sources:
        target = exercises_dir / src.name
        text = exercise_text(src)
        old = target.read_text(encoding="utf-8") if target.exists() else None
        if old != text:
            changed.append(target)
            if not check:
                exercises_dir.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    if not only:
        names = {p.name for p in sources}
        changed += [p for p in sorted(exercises_dir.glob("[0-9][0-9]_*.ipynb")) if p.name not in names]
    return changed


def _settle_outputs(nb) -> None:
    """Make stored outputs the same on every run: explorers become a short note (a widget's model id is
    random and its state would not render on GitHub anyway)."""
    widget_mime = "application/vnd.jupyter.widget-view+json"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") in ("display_data", "execute_result") and widget_mime in out.get("data", {}):
                out["data"] = {"text/plain": EXPLORER_PLACEHOLDER}
                out["metadata"] = {}


def execute_notebook(path, timeout: int = 600) -> None:
    """Run a notebook top to bottom in a fresh kernel of this Python and store its outputs in place.

    Stable by construction: no timing metadata, no widget state, ids kept (missing ones made
    deterministic), explorer outputs replaced by a note. Run it under the test environment
    (``make execute`` sets ``IPYTHONDIR`` to the repository's no-colour profile and unsets ``MPLBACKEND``).
    """
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager
    from traitlets import default

    class CurrentEnvKernelManager(AsyncKernelManager):
        """Runs ipykernel of this very Python, whatever kernels the user has installed elsewhere."""

        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self):
            return NbvalKernelspecManager(data_dir=self.data_dir)

    path = Path(path)
    nb = nbformat.read(str(path), as_version=4)
    _normalise_ids(nb, path.stem)
    client = NotebookClient(nb, kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_manager_class=CurrentEnvKernelManager,
                            timeout=timeout, record_timing=False, store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    client.execute()
    _clean_metadata(nb)
    _settle_outputs(nb)
    nb.metadata["kernelspec"] = dict(STANDARD_KERNELSPEC)
    # the Python version of whoever ran it last is noise in a diff
    nb.metadata.get("language_info", {}).pop("version", None)
    path.write_text(notebook_text(nb), encoding="utf-8")
