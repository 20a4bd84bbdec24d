"""The grader on a class of submissions of the tiny fixture exercise: good, wrong, tampered and broken ones.

One grading run (the class-scoped fixture) serves most tests; its CSV must equal the committed
``tests/fixtures/expected_grades.csv`` byte for byte. A second, independent run of the same submissions
(``test_grading_the_same_submissions_twice_gives_identical_csvs``, on the other xdist worker) must give the
same bytes too, so two gradings in one test session agree, timeouts and dead kernels included.
"""
import copy
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from convzoo import grading
from convzoo.authoring import make_exercise, notebook_text
from convzoo.grading import check_notebook, grade, merge_answers
from pipeline_helpers import (FIXTURES, TINY_SOLUTION, cells_with_role, exercise_of, read, with_answer,
                              with_solution_answers)

CELL_TIMEOUT = 8
EXPECTED_CSV = FIXTURES / "expected_grades.csv"


def make_class(folder: Path):
    """Write one submission per situation a teacher meets; return the released exercise's path."""
    sol, _, ex = exercise_of(TINY_SOLUTION)
    released = folder / "released" / "99_tiny.ipynb"
    released.parent.mkdir(parents=True)
    released.write_text(notebook_text(ex))
    good = with_solution_answers(ex, sol)
    subs = folder / "submissions"
    subs.mkdir()

    def put(name, nb):
        (subs / name).write_text(notebook_text(nb) if not isinstance(nb, str) else nb, encoding="utf-8")

    put("correct.ipynb", good)
    put("wrong.ipynb", with_answer(good, 1, "def double(x):\n    return x + 1"))
    # tampered: no answers, but check cells rewritten to print the expected output without asserting,
    # and the stored outputs made to match
    tampered = copy.deepcopy(ex)
    for cell in tampered.cells:
        if cell.metadata.get("convzoo", {}).get("role") == "check":
            cell.source = "# NBVAL_CHECK_OUTPUT\n" + "".join(f"print({o['text']!r}, end='')\n" for o in cell.outputs)
            cell.metadata["editable"] = True
    put("tampered.ipynb", tampered)
    put("unanswered.ipynb", ex)
    put("broken.ipynb", notebook_text(good)[:200])
    put("empty.ipynb", "")
    put("endless_loop.ipynb", with_answer(good, 1, "def double(x):\n    while True:\n        pass"))
    put("kills_kernel.ipynb", with_answer(good, 1, "import os\nos._exit(1)"))
    put("ignores_interrupt.ipynb", with_answer(good, 1, (
        "def double(x):\n    while True:\n        try:\n            print('spam' * 20)\n"
        "        except BaseException:\n            pass")))
    put("huge_output.ipynb", with_answer(good, 2, "print('y' * 30_000_000)\ntotal = 30"))
    missing = copy.deepcopy(good)
    missing.cells = [c for c in missing.cells
                     if not (c.metadata.get("convzoo") == {"role": "answer", "task": 2} and c.cell_type == "code")]
    put("deleted_answer.ipynb", missing)
    other = copy.deepcopy(good)
    other.metadata["convzoo"]["chapter"] = "02_multichannel_convolution"
    for cell in other.cells:
        cell["id"] = "other-" + cell["id"]
    put("other_chapter.ipynb", other)
    (subs / "nested").mkdir()
    put("nested/late.ipynb", with_answer(good, 2, "total = sum(k * k for k in range(4))"))
    # tampered stored outputs only (check cells' code untouched): task 1 is wrong and its check cell's stored
    # output is made to be what the wrong answer prints; task 2 is right and its stored output is garbage.
    # Neither may count: the expected outputs come from the released exercise, never from the submission.
    outputs = with_answer(good, 1, "def double(x):\n    return x + 1")
    for cell in cells_with_role(outputs, "check"):
        text = "[1 2 3 4]\n" if cell.metadata["convzoo"]["task"] == 1 else "garbage, not 30\n"
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        cell.execution_count = 7
    put("tampered_outputs.ipynb", outputs)
    # cells reordered: the whole notebook upside down (answer cells keep their ids)
    reordered = copy.deepcopy(good)
    reordered.cells = reordered.cells[::-1]
    put("reordered.ipynb", reordered)
    # answers moved around as a student does with cut and paste: new ids, task 2's answer first, task 1's last
    moved = copy.deepcopy(good)
    a1, a2 = (c for c in cells_with_role(moved, "answer") if c.cell_type == "code")
    moved.cells = [c for c in moved.cells if c is not a1 and c is not a2]
    a1["id"], a2["id"] = "pasted-1", "pasted-2"
    moved.cells = [a2] + moved.cells + [a1]
    put("moved_answers.ipynb", moved)
    # each answer typed into the other task's cell: graded where it stands (task 1's check finds no double)
    swapped = with_answer(with_answer(good, 1, "total = sum(k * k for k in range(5))"), 2,
                          "def double(x):\n    return 2 * x")
    put("swapped_answers.ipynb", swapped)
    return released, subs


def fingerprint(folder: Path):
    return {p: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    released, subs = make_class(folder)
    before = fingerprint(subs)
    csv_path = folder / "grades.csv"
    import io

    out, progress = io.StringIO(), io.StringIO()
    results = grade(subs, exercise=released, csv_path=csv_path, cell_timeout=CELL_TIMEOUT, jobs=2,
                    out=out, progress=progress)
    return dict(results={r.student: r for r in results}, csv=csv_path.read_text(), table=out.getvalue(),
                progress=progress.getvalue(), before=before, after=fingerprint(subs))


class TestAClass:
    """Runs on one xdist worker (a class is a --dist loadscope unit) while the rest of the file uses another."""

    def points(self, graded, student):
        return [t.points for t in graded["results"][student].tasks]

    def message(self, graded, student, task):
        return graded["results"][student].tasks[task - 1].message

    def test_csv_is_exactly_the_expected_one(self, graded):
        assert graded["csv"] == EXPECTED_CSV.read_text(), (
            "grades differ from tests/fixtures/expected_grades.csv; if the change is intended, copy the new CSV:\n"
            + graded["csv"])

    def test_correct_submission_gets_every_point(self, graded):
        assert self.points(graded, "correct.ipynb") == [2, 3]
        assert graded["results"]["correct.ipynb"].passed

    def test_wrong_answer_fails_its_task_only_with_the_checks_message(self, graded):
        assert self.points(graded, "wrong.ipynb") == [0, 3]
        assert self.message(graded, "wrong.ipynb", 1) == (
            "AssertionError: Task 1: double(np.arange(4)) should be [0 2 4 6], but it is [1 2 3 4]")
        assert self.points(graded, "nested/late.ipynb") == [2, 0]
        assert "does your range stop at 4?" in self.message(graded, "nested/late.ipynb", 2)

    def test_tampered_checks_and_outputs_do_not_pass(self, graded):
        assert self.points(graded, "tampered.ipynb") == [0, 0]
        assert self.points(graded, "unanswered.ipynb") == [0, 0]
        assert self.message(graded, "unanswered.ipynb", 1) == (
            "not answered yet: the answer cell still raises NotImplementedError")

    def test_unreadable_files_are_reported_on_their_rows(self, graded):
        assert self.points(graded, "broken.ipynb") == [0, 0]
        assert graded["results"]["broken.ipynb"].problem.startswith("not a notebook: invalid JSON")
        assert graded["results"]["empty.ipynb"].problem == "the file is empty"
        assert graded["results"]["other_chapter.ipynb"].problem == (
            "this is the exercise of chapter 02_multichannel_convolution, not of chapter 99_tiny")

    def test_runaway_cells_are_stopped_and_later_tasks_still_graded(self, graded):
        assert self.points(graded, "endless_loop.ipynb") == [0, 3]
        assert "ran longer than the limit of 8 s" in self.message(graded, "endless_loop.ipynb", 1)
        assert self.points(graded, "ignores_interrupt.ipynb") == [0, 0]
        assert "did not stop when interrupted" in self.message(graded, "ignores_interrupt.ipynb", 1)
        assert self.points(graded, "kills_kernel.ipynb") == [0, 0]
        assert "kernel died" in self.message(graded, "kills_kernel.ipynb", 1)
        assert "kernel had died in an earlier cell" in self.message(graded, "kills_kernel.ipynb", 2)

    def test_tampered_stored_outputs_are_ignored(self, graded):
        """Check cells untouched, stored outputs edited: task 1's to what the wrong answer prints, task 2's to garbage."""
        assert self.points(graded, "tampered_outputs.ipynb") == [0, 3]
        assert self.message(graded, "tampered_outputs.ipynb", 1) == self.message(graded, "wrong.ipynb", 1)

    def test_reordered_cells_and_moved_answers_are_graded_as_answered(self, graded):
        assert self.points(graded, "reordered.ipynb") == [2, 3]         # found by cell id, whatever the order
        assert self.points(graded, "moved_answers.ipynb") == [2, 3]     # new ids: found by their metadata
        # an answer typed into another task's cell is graded where it stands, like any notebook would run it
        assert self.points(graded, "swapped_answers.ipynb") == [0, 3]
        assert self.message(graded, "swapped_answers.ipynb", 1) == "NameError: name 'double' is not defined"

    def test_huge_output_and_deleted_cells(self, graded):
        assert self.points(graded, "huge_output.ipynb") == [2, 3]
        assert self.points(graded, "deleted_answer.ipynb") == [2, 0]
        assert "answer cell of task 2 is missing" in self.message(graded, "deleted_answer.ipynb", 2)

    def test_students_files_are_never_written(self, graded):
        assert graded["after"] == graded["before"]

    def test_table_and_progress_are_readable(self, graded):
        table = graded["table"]
        assert table.splitlines()[0].split() == ["student", "task", "1", "task", "2", "total"]
        assert "correct.ipynb" in table and "5/5" in table and "why points were lost:" in table
        lines = graded["progress"].splitlines()
        assert lines[0].startswith("grading 17 notebook(s)")
        assert sum(1 for ln in lines if ln.startswith("[")) == 17 and any("[17/17]" in ln for ln in lines)


def test_grading_the_same_submissions_twice_gives_identical_csvs(tmp_path):
    """A second grading of the class, in another process and folder: the same CSV bytes.

    The class is rebuilt byte for byte (``make_class`` is deterministic, checked here), graded again (its
    notebooks finish in whatever order the two jobs and the timeouts give) and compared with the golden CSV
    that the first run must equal too; the submissions are still byte-identical afterwards.
    """
    import io

    released, subs = make_class(tmp_path / "a")
    _, subs_again = make_class(tmp_path / "b")
    hashes = lambda folder: {p.relative_to(folder): h for p, (_, h) in fingerprint(folder).items()}  # noqa: E731
    assert hashes(subs) == hashes(subs_again)
    before = fingerprint(subs)
    csv_path = tmp_path / "again.csv"
    grade(subs, exercise=released, csv_path=csv_path, cell_timeout=CELL_TIMEOUT, jobs=2, out=io.StringIO(),
          progress=io.StringIO())
    assert csv_path.read_bytes() == EXPECTED_CSV.read_bytes()
    assert fingerprint(subs) == before


def test_merge_uses_ids_then_metadata_and_ignores_everything_else():
    sol, _, ex = exercise_of(TINY_SOLUTION)
    student = with_solution_answers(ex, sol)
    for cell in student.cells:
        if cell.metadata.get("convzoo") == {"role": "answer", "task": 2} and cell.cell_type == "code":
            cell["id"] = "pasted-copy"          # a copied and pasted cell gets a new id, keeps its metadata
        if cell.metadata.get("convzoo", {}).get("role") == "check":
            cell.source = "print('hacked')"      # never copied
    student.cells.append(nbformat.v4.new_code_cell("total = 30  # an extra cell, never copied", id="extra"))
    merged, problems = merge_answers(ex, student)
    assert problems == {}
    sources = {c.id: c.source for c in merged.cells}
    assert sources["task2-answer"] == "### BEGIN SOLUTION\ntotal = sum(k * k for k in range(5))\n### END SOLUTION"
    assert sources["task1-check"] == next(c.source for c in ex.cells if c.id == "task1-check")
    assert "extra" not in sources and [c.id for c in merged.cells] == [c.id for c in ex.cells]


def test_merge_reports_deleted_or_retyped_answer_cells():
    sol, _, ex = exercise_of(TINY_SOLUTION)
    student = with_solution_answers(ex, sol)
    student.cells = [c for c in student.cells if c.id != "task1-answer"]
    retyped = next(c for c in student.cells if c.id == "task2-answer")
    retyped["cell_type"] = "markdown"
    del retyped["outputs"], retyped["execution_count"]
    merged, problems = merge_answers(ex, student)
    assert sorted(problems) == [1, 2]
    assert "missing" in problems[1][0] and "markdown" in problems[2][0]


@pytest.mark.parametrize("content, problem", [
    (b"", "the file is empty"),
    (b"\xff\xfe", "not UTF-8"),
    (b'{"cells": 3}', "no list of cells"),
    (b"[1, 2]", "no list of cells"),
    (b'{"cells": [', "invalid JSON"),
])
def test_unreadable_submissions(tmp_path, content, problem):
    p = tmp_path / "s.ipynb"
    p.write_bytes(content)
    nb, why = grading._read_notebook(p)
    assert nb is None and problem in why


def test_oversized_submission_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(grading, "MAX_FILE_BYTES", 1000)
    p = tmp_path / "big.ipynb"
    p.write_text(notebook_text(read(TINY_SOLUTION)))
    nb, why = grading._read_notebook(p)
    assert nb is None and "over the 0 MB limit" in why and "Clear Outputs" in why


def test_self_check_finds_the_released_exercise_when_the_student_edits_it_in_place(tmp_path, monkeypatch):
    """A student works in exercises/NN_*.ipynb itself: the reference is rebuilt from solutions/."""
    repo = tmp_path / "repo"
    (repo / "solutions").mkdir(parents=True)
    (repo / "exercises").mkdir()
    (repo / "solutions" / "99_tiny.ipynb").write_bytes(TINY_SOLUTION.read_bytes())
    sol, _, ex = exercise_of(TINY_SOLUTION)
    mine = repo / "exercises" / "99_tiny.ipynb"
    mine.write_text(notebook_text(with_answer(ex, 1, "def double(x):\n    return 2 * x")))
    monkeypatch.setattr(grading, "_REPO", repo)
    pristine, where = grading.released_exercise("99_tiny", avoid=mine)
    assert notebook_text(pristine) == notebook_text(make_exercise(sol, "99_tiny")) and "rebuilt" in where
    other_copy = tmp_path / "copy.ipynb"
    other_copy.write_bytes(mine.read_bytes())
    pristine, where = grading.released_exercise("99_tiny", avoid=other_copy)
    assert where == str(repo / "exercises" / "99_tiny.ipynb")
    (repo / "solutions" / "99_tiny.ipynb").unlink()
    monkeypatch.setattr(grading, "_REPO", tmp_path / "nowhere")
    with pytest.raises(grading.GradingError, match="pass it with --exercise"):
        grading.released_exercise("99_tiny", avoid=mine)


def test_check_notebook_reports_each_task(tmp_path):
    sol, _, ex = exercise_of(TINY_SOLUTION)
    released = tmp_path / "released.ipynb"
    released.write_text(notebook_text(ex))
    mine = tmp_path / "99_tiny.ipynb"
    mine.write_text(notebook_text(with_answer(ex, 2, "total = 30")))
    before = mine.read_bytes()
    result = check_notebook(mine, exercise=released, cell_timeout=60)
    assert [t.passed for t in result.tasks] == [False, True]
    report = result.report()
    assert "Task 1: Double it - FAILED (0/2 points)" in report
    assert "not answered yet" in report and "Task 2: Sum of squares - passed (3/3 points)" in report
    assert "total: 3/5 points" in report
    assert mine.read_bytes() == before


def test_command_line_check_and_grade(tmp_path):
    sol, _, ex = exercise_of(TINY_SOLUTION)
    released = tmp_path / "released.ipynb"
    released.write_text(notebook_text(ex))
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "a.ipynb").write_text(notebook_text(with_solution_answers(ex, sol)))
    (subs / "b.ipynb").write_text("not json")
    run = lambda *a: subprocess.run([sys.executable, "-m", "convzoo", *a], capture_output=True, text=True,
                                    cwd=tmp_path)
    r = run("check", "subs/a.ipynb", "--exercise", str(released))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Task 1: Double it - passed" in r.stdout and "total: 5/5 points" in r.stdout
    r = run("grade", "subs/*.ipynb", "--exercise", str(released), "--csv", "out.csv")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out.csv").read_text().splitlines()[1:] == [
        "a.ipynb,1,2,2,yes,", "a.ipynb,2,3,3,yes,",
        'b.ipynb,1,0,2,no,"not a notebook: invalid JSON (Expecting value: line 1, column 1)"',
        'b.ipynb,2,0,3,no,"not a notebook: invalid JSON (Expecting value: line 1, column 1)"']
    assert "[2/2]" in r.stderr and "a.ipynb" in r.stdout
    r = run("grade", "nothing-here/*.ipynb", "--exercise", str(released))
    assert r.returncode == 2 and "no submission found" in r.stderr


def test_grade_finds_the_chapter_of_the_submissions(tmp_path):
    """Without --exercise the grader takes the chapter most submissions belong to."""
    sol, _, ex = exercise_of(TINY_SOLUTION)
    exercises = tmp_path / "exercises"
    exercises.mkdir()
    (exercises / "99_tiny.ipynb").write_text(notebook_text(ex))
    stripped = copy.deepcopy(ex)
    del stripped.metadata["convzoo"]                     # found by its cell ids instead
    assert grading._choose_chapter([_write(tmp_path / "x.ipynb", stripped)], exercises) == "99_tiny"
    with pytest.raises(grading.GradingError, match="cannot tell which exercise"):
        grading._choose_chapter([_write(tmp_path / "y.ipynb", nbformat.v4.new_notebook())], exercises)


def _write(path, nb):
    path.write_text(notebook_text(nb))
    return path


def test_labels_are_relative_to_the_common_folder(tmp_path):
    a, b = tmp_path / "x" / "a.ipynb", tmp_path / "x" / "y" / "b.ipynb"
    assert grading._labels([a, b]) == {a: "a.ipynb", b: "y/b.ipynb"}
    assert grading._labels([b]) == {b: "b.ipynb"}


def test_sanitize_file_ships_with_the_package():
    text = grading.SANITIZE_FILE.read_text()
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns(text)
    assert len(patterns) >= 4
    import re

    subs = lambda s: [s := re.sub(r, rep, s) for r, rep in patterns][-1]
    assert subs("<function f at 0x7f3a2c1d5e50>") == "<function f at 0xADDRESS>"
    assert subs("saved to /tmp/convzoo-grade-abc/x.png") == "saved to TMPPATH"
