"""Helpers of the exercise-pipeline tests: building submissions from a solution and reading nbval results."""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from convzoo.authoring import make_exercise, parse_solution
from convzoo.grading import merge_answers

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
TINY_SOLUTION = FIXTURES / "solutions" / "99_tiny.ipynb"


def read(path):
    return nbformat.read(str(path), as_version=4)


def exercise_of(solution_path):
    """(solution notebook, parsed solution, generated exercise) of a solution file."""
    path = Path(solution_path)
    sol = read(path)
    return sol, parse_solution(sol, path.stem), make_exercise(sol, path.stem)


def with_solution_answers(exercise, solution):
    """The released exercise with the solution's answer cells put back (what a perfect student submits)."""
    merged, problems = merge_answers(exercise, solution)
    assert not problems, problems
    return merged


def with_answer(nb, task, source, kind="code"):
    """A copy of ``nb`` whose first ``kind`` answer cell of ``task`` holds ``source``."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        meta = cell.metadata.get("convzoo", {})
        if meta.get("role") == "answer" and meta.get("task") == task and cell.cell_type == kind:
            cell.source = source
            return nb
    raise AssertionError(f"no {kind} answer cell for task {task}")


def with_mistakes(exercise, solution, parsed):
    """The solution's answers, except that every task with a mistake cell gets its (first) mistake."""
    nb = with_solution_answers(exercise, solution)
    for task, mistakes in sorted(parsed.mistakes.items()):
        nb = with_answer(nb, task, mistakes[0][1])
    return nb


def cells_with_role(nb, role, task=None):
    return [c for c in nb.cells if c.metadata.get("convzoo", {}).get("role") == role
            and (task is None or c.metadata["convzoo"]["task"] == task)]
