"""The exercise proof for every chapter, found by glob: ``solutions/NN_*.ipynb`` is all it takes.

For each chapter (one test class each, so ``--dist loadscope`` spreads chapters over the workers):

- the committed ``exercises/NN_*.ipynb`` is exactly what the generator makes from the solution;
- the solution follows the exercise format, with 3-6 tasks and a typical mistake for every task;
- the released exercise fails at **every** check cell;
- the exercise with the solution's answer cells copied in passes nbval (every cell);
- the exercise with each task's typical mistake fails that task's check with the check's own assertion
  message (a message written for the student, not a bare error).

The nbval runs here go through the grader's runner (:func:`convzoo.grading.run_nbval`): a fresh kernel,
``--nbval-lax``, the shared sanitize file, a time limit per cell. The chapter notebooks and the solutions
themselves run under nbval in the main pytest session (``make test`` passes ``notebooks solutions`` with
``--nbval-lax``).
"""
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from convzoo.authoring import build_exercises, exercise_text
from convzoo.grading import run_nbval
from pipeline_helpers import ROOT, cells_with_role, exercise_of, with_mistakes, with_solution_answers

SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 300
_RUNS: dict = {}


def test_every_exercise_is_generated_from_a_solution():
    stale = build_exercises(ROOT / "solutions", ROOT / "exercises", check=True)
    assert not stale, f"out of date or without a solution: {[str(p.relative_to(ROOT)) for p in stale]}; " \
                      f"run `make exercises` (and never edit exercises/ by hand)"


def test_make_test_runs_every_notebook_under_nbval():
    recipe = (ROOT / "Makefile").read_text().split("\ntest:", 1)[1].split("\n\n", 1)[0]
    for needed in ("--nbval-lax", "--nbval-sanitize-with", "--nbval-cell-timeout", "--dist loadscope",
                   "notebooks", "solutions", "tests", "lib/convzoo"):
        assert needed in recipe, f"`make test` should pass {needed}"


class _ChapterProof:
    solution_path: Path

    @classmethod
    def _runs(cls, tmp_root: Path) -> dict:
        """Run the released exercise, the solved one and the mistaken one, at the same time, once per class."""
        if cls.solution_path not in _RUNS:
            sol, parsed, ex = exercise_of(cls.solution_path)
            variants = {"released": ex, "solved": with_solution_answers(ex, sol),
                        "mistaken": with_mistakes(ex, sol, parsed)}
            with ThreadPoolExecutor(max_workers=3) as pool:
                futures = {k: pool.submit(run_nbval, nb, tmp_root / k, CELL_TIMEOUT) for k, nb in variants.items()}
                outcomes = {k: f.result() for k, f in futures.items()}
            _RUNS[cls.solution_path] = dict(solution=sol, parsed=parsed, exercise=ex, **outcomes)
        return _RUNS[cls.solution_path]

    @pytest.fixture
    def runs(self, tmp_path_factory):
        return self._runs(tmp_path_factory.mktemp(self.solution_path.stem[:2]))

    def test_committed_exercise_is_a_fresh_generation(self):
        committed = ROOT / "exercises" / self.solution_path.name
        assert committed.exists(), f"{committed.relative_to(ROOT)} is missing: run `make exercises`"
        assert committed.read_text(encoding="utf-8") == exercise_text(self.solution_path), (
            f"{committed.relative_to(ROOT)} differs from a fresh generation from "
            f"{self.solution_path.relative_to(ROOT)}: run `make exercises`; never edit exercises/ by hand")

    def test_solution_has_three_to_six_tasks_each_with_a_typical_mistake(self):
        _, parsed, ex = exercise_of(self.solution_path)
        assert 3 <= len(parsed.tasks) <= 6, f"{len(parsed.tasks)} tasks; a chapter has 3 to 6"
        missing = [t.number for t in parsed.tasks if t.number not in parsed.mistakes]
        assert not missing, (f"tasks {missing} have no mistake cell: add a raw cell '# MISTAKE task N: what is "
                             f"wrong' holding a typical wrong answer cell, so the suite proves the check catches it")
        for cell in cells_with_role(ex, "check"):
            printed = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            assert printed.strip(), f"check cell {cell.id} prints nothing for nbval to compare"

    def test_released_exercise_fails_at_every_check(self, runs):
        for cell in cells_with_role(runs["exercise"], "check"):
            outcome, message = runs["released"][cell.id]
            assert outcome != "passed", f"check cell {cell.id} (task {cell.metadata['convzoo']['task']}) passes " \
                                        f"without an answer"

    def test_solved_exercise_passes_every_cell(self, runs):
        failed = {cid: r for cid, r in runs["solved"].items() if r[0] != "passed"}
        assert not failed, f"with the solution's answers, these cells fail: {failed}"

    def test_each_typical_mistake_fails_its_check_with_a_helpful_message(self, runs):
        for task, mistakes in sorted(runs["parsed"].mistakes.items()):
            results = [runs["mistaken"][c.id] for c in cells_with_role(runs["exercise"], "check", task)]
            failed = [m for outcome, m in results if outcome != "passed"]
            assert failed, f"task {task}: the mistake '{mistakes[0][0]}' passes every check"
            message = failed[0]
            assert message.startswith("AssertionError: ") and len(message) > len("AssertionError: ") + 15, (
                f"task {task}: the mistake '{mistakes[0][0]}' should fail the check's assert with a message "
                f"that helps the student, but the check says: {message!r}")


for _path in SOLUTIONS:
    _name = "TestChapter" + _path.stem.split("_", 1)[0]
    globals()[_name] = type(_name, (_ChapterProof,), {"solution_path": _path,
                                                      "__doc__": f"The exercise proof of {_path.name}."})
