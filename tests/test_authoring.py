"""The exercise generator on a tiny solution notebook: what it keeps, what it hides, what it refuses."""
import copy
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from convzoo import authoring
from convzoo.authoring import ExerciseFormatError, build_exercises, exercise_text, make_exercise, parse_solution
from convzoo.grading import IPYTHON_CONFIG
from pipeline_helpers import ROOT, TINY_SOLUTION, cells_with_role, read


@pytest.fixture(scope="module")
def tiny():
    sol = read(TINY_SOLUTION)
    return sol, make_exercise(sol, "99_tiny")


def test_parse_finds_tasks_answers_checks_and_mistakes():
    sol = parse_solution(read(TINY_SOLUTION), "99_tiny")
    assert [(t.number, t.title, t.points) for t in sol.tasks] == [(1, "Double it", 2), (2, "Sum of squares", 3)]
    assert len(sol.cells("answer", 1)) == 1 and len(sol.cells("answer", 2)) == 2  # task 2 also asks "why"
    assert len(sol.cells("check", 1)) == 1 and len(sol.cells("check", 2)) == 1
    assert sol.mistakes[1][0][0] == "adds one instead of doubling"
    assert "return x + 1" in sol.mistakes[1][0][1]


def test_answers_become_stubs_and_lose_their_outputs(tiny):
    _, ex = tiny
    code = [c for c in cells_with_role(ex, "answer") if c.cell_type == "code"]
    assert [c.source for c in code] == [
        'def double(x):\n    """Return 2 * x."""\n    # YOUR CODE HERE\n'
        '    raise NotImplementedError("Task 1: replace these two lines with your answer")',
        '# YOUR CODE HERE\nraise NotImplementedError("Task 2: replace these two lines with your answer")',
    ]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    text = [c for c in cells_with_role(ex, "answer") if c.cell_type == "markdown"]
    assert text[0].source == "Why is `range(5)` right here? (not graded automatically)\n\nYOUR ANSWER HERE"


def test_no_solution_or_mistake_reaches_the_exercise(tiny):
    sol, ex = tiny
    released = authoring.notebook_text(ex)
    for secret in ("return 2 * x", "range(5))", "x + 1", "k in range(4)", "MISTAKE", "BEGIN SOLUTION", "stops before 5"):
        assert secret not in released
    assert all(c.cell_type != "raw" for c in ex.cells)


def test_checks_keep_code_and_expected_output_and_are_locked(tiny):
    sol, ex = tiny
    by_id = {c.id: c for c in sol.cells}
    checks = cells_with_role(ex, "check")
    assert [c.metadata["convzoo"] for c in checks] == [{"role": "check", "task": 1}, {"role": "check", "task": 2}]
    for c in checks:
        assert c.source == by_id[c.id].source
        assert c.outputs == by_id[c.id].outputs and c.outputs
        assert c.execution_count is not None  # nbval compares only cells that were run
        assert c.metadata["editable"] is False and c.metadata["deletable"] is False


def test_other_cells_keep_outputs_and_ids_are_the_solutions(tiny):
    sol, ex = tiny
    kept = {c.id for c in sol.cells if c.cell_type != "raw"}
    assert [c.id for c in ex.cells] == [c.id for c in sol.cells if c.id in kept]
    setup = next(c for c in ex.cells if c.id == "setup")
    assert setup.outputs[0]["text"] == "ready\n"
    assert ex.metadata["convzoo"] == {
        "chapter": "99_tiny", "source": "solutions/99_tiny.ipynb",
        "tasks": [{"task": 1, "title": "Double it", "points": 2}, {"task": 2, "title": "Sum of squares", "points": 3}],
    }


def test_generation_is_deterministic_and_formatted_as_nbformat_writes(tmp_path):
    first = exercise_text(TINY_SOLUTION)
    assert first == exercise_text(TINY_SOLUTION)
    out = tmp_path / "x.ipynb"
    nbformat.write(nbformat.reads(first, as_version=4), str(out))
    assert out.read_text(encoding="utf-8") == first
    assert json.loads(first)["nbformat_minor"] >= 5


def test_missing_ids_are_made_deterministic():
    sol = read(TINY_SOLUTION)
    for cell in sol.cells:
        del cell["id"]
    sol.nbformat_minor = 4
    a = authoring.notebook_text(make_exercise(copy.deepcopy(sol), "99_tiny"))
    b = authoring.notebook_text(make_exercise(copy.deepcopy(sol), "99_tiny"))
    assert a == b and '"id": "cell-001"' in a


def test_volatile_metadata_is_dropped():
    sol = read(TINY_SOLUTION)
    sol.cells[1].metadata["execution"] = {"iopub.execute_input": "2024-01-01T00:00:00Z"}
    sol.metadata["widgets"] = {"state": {}}
    text = authoring.notebook_text(make_exercise(sol, "99_tiny"))
    assert "iopub.execute_input" not in text and '"widgets"' not in text


def _solution(*cells):
    nb = new_notebook(cells=list(cells))
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"
    return nb


def _check(task=1, src="print(1)\nassert True, 'x'", run=True):
    cell = new_code_cell(f"# NBVAL_CHECK_OUTPUT\n# CHECK task {task}\n{src}")
    if run:
        cell.execution_count = 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    return cell


HEAD = new_markdown_cell("## Task 1: One (1 point)")
ANSWER = new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")


@pytest.mark.parametrize("cells, message", [
    ([HEAD, new_code_cell("### BEGIN SOLUTION\nx = 1"), _check()], "never closed"),
    ([HEAD, new_code_cell("x = 1\n### END SOLUTION"), _check()], "without a '### BEGIN SOLUTION'"),
    ([HEAD, new_code_cell("x = 1  ### BEGIN SOLUTION"), _check()], "stand alone on its line"),
    ([ANSWER, HEAD, _check()], "before the first '## Task N"),
    ([_check(), HEAD, ANSWER], "comes before that task's heading"),
    ([HEAD, ANSWER, _check(src="print(1)")], "must assert"),
    ([HEAD, ANSWER, _check(run=False)], "make execute"),
    ([HEAD, ANSWER], "task 1 has no check cell"),
    ([HEAD, _check()], "task 1 has no answer cell"),
    ([new_markdown_cell("## Task 2: Two (1 point)"), ANSWER, _check(2)], "number the tasks 1, 2, 3"),
    ([new_markdown_cell("## Task 1: One"), ANSWER, _check()], "is not '## Task N: title (P points)'"),
    ([HEAD, ANSWER, new_code_cell("# CHECK task 1\nassert x == 1, 'x'")], "exactly the two lines"),
    ([new_markdown_cell("no tasks here")], "no task found"),
    ([HEAD, ANSWER, _check(), _check(3)], "check cell for task 3 comes before"),
])
def test_format_errors_name_the_cell_and_the_rule(cells, message):
    with pytest.raises(ExerciseFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_exercise(_solution(*[copy.deepcopy(c) for c in cells]), "00_bad")


def test_format_error_says_which_file_and_cell():
    with pytest.raises(ExerciseFormatError, match=r"00_bad, cell 3 \(id c2\)"):
        make_exercise(_solution(HEAD, copy.deepcopy(ANSWER), _check(src="print(1)")), "00_bad")


def test_build_exercises_writes_then_reports_up_to_date_and_finds_stale_or_orphan_files(tmp_path):
    sols, exs = tmp_path / "solutions", tmp_path / "exercises"
    sols.mkdir()
    (sols / "99_tiny.ipynb").write_bytes(TINY_SOLUTION.read_bytes())
    assert build_exercises(sols, exs, check=True) == [exs / "99_tiny.ipynb"]
    assert build_exercises(sols, exs) == [exs / "99_tiny.ipynb"]
    assert build_exercises(sols, exs, check=True) == []
    (exs / "99_tiny.ipynb").write_text((exs / "99_tiny.ipynb").read_text().replace("Double it", "Double"))
    (exs / "98_orphan.ipynb").write_text("{}")
    assert build_exercises(sols, exs, check=True) == [exs / "99_tiny.ipynb", exs / "98_orphan.ipynb"]


def test_command_line_builds_and_checks(tmp_path):
    sols = TINY_SOLUTION.parent
    run = lambda *a: subprocess.run([sys.executable, "-m", "convzoo", *a], capture_output=True, text=True)
    r = run("build-exercises", "--solutions", str(sols), "--exercises", str(tmp_path), "--check")
    assert r.returncode == 1 and "out of date" in r.stderr
    r = run("build-exercises", "--solutions", str(sols), "--exercises", str(tmp_path))
    assert r.returncode == 0 and "wrote" in r.stdout
    r = run("build-exercises", "--solutions", str(sols), "--exercises", str(tmp_path), "--check")
    assert r.returncode == 0, r.stderr
    script = Path(sys.executable).parent / "convzoo"
    if script.exists():  # the console script declared in pyproject
        r = subprocess.run([str(script), "--help"], capture_output=True, text=True)
        assert r.returncode == 0 and "build-exercises" in r.stdout and "grade" in r.stdout


def test_execute_stores_outputs_without_timings_or_widget_state(tmp_path):
    nb = new_notebook(cells=[new_code_cell("print(6 * 7)"),
                             new_code_cell("import ipywidgets as W\nW.IntSlider(value=3)")])
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, str(path))
    authoring.execute_notebook(path, timeout=120)
    text = path.read_text()
    done = nbformat.reads(text, as_version=4)
    assert done.cells[0].outputs[0]["text"] == "42\n"
    assert done.cells[1].outputs[0]["data"] == {"text/plain": authoring.EXPLORER_PLACEHOLDER}
    assert "iopub" not in text and "widget-state" not in text and "model_id" not in text
    assert done.metadata["kernelspec"]["name"] == "python3" and "version" not in done.metadata["language_info"]
    assert all(c.get("id") for c in done.cells)


def test_repository_ipython_profile_is_the_graders():
    assert (ROOT / ".ipython" / "profile_default" / "ipython_config.py").read_text() == IPYTHON_CONFIG
