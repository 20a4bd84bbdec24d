"""The ``convzoo`` command: build exercises, grade a class, check your own notebook, re-run notebooks.

::

    convzoo build-exercises [--check]             exercises/NN_*.ipynb from solutions/NN_*.ipynb
    convzoo check NOTEBOOK                        a student's own check: per task passed/failed, and why
    convzoo grade SUBMISSIONS... [--csv grades.csv] [--exercise FILE]
    convzoo execute NOTEBOOK...                   re-run notebooks in place, storing their outputs

Also ``python -m convzoo ...``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="convzoo", description="Exercises and grading for the convzoo curriculum.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build-exercises", help="generate exercises/ from solutions/",
                       description="Write exercises/NN_*.ipynb for every solutions/NN_*.ipynb: answers become "
                                   "stubs, check cells keep the solution's output as the expected output.")
    b.add_argument("chapters", nargs="*", help="only these chapters (e.g. 01 or 01_convolution_vs_cross_correlation)")
    b.add_argument("--solutions", default="solutions", help="folder of solution notebooks (default: solutions)")
    b.add_argument("--exercises", default="exercises", help="folder to write (default: exercises)")
    b.add_argument("--check", action="store_true", help="write nothing; fail if an exercise is out of date")

    c = sub.add_parser("check", help="check your own exercise notebook (per task: passed or why not)",
                       description="Run your answers inside a fresh copy of the released exercise and report "
                                   "each task. Save the notebook first: the saved file is checked.")
    c.add_argument("notebook", help="your exercise notebook, e.g. exercises/01_convolution_vs_cross_correlation.ipynb")
    c.add_argument("--exercise", help="the released exercise to check against (default: found automatically)")
    c.add_argument("--timeout", type=float, default=60, help="seconds each cell may run (default: 60)")

    g = sub.add_parser("grade", help="grade submitted notebooks into a CSV and a table",
                       description="Grade one notebook, a folder (searched recursively) or a glob of submissions. "
                                   "Only the answer cells of each are run, inside the pristine released "
                                   "exercise; students' files are never changed.")
    g.add_argument("submissions", nargs="+", help="notebooks, folders or globs")
    g.add_argument("--exercise", help="the released exercise (default: exercises/<chapter of the submissions>)")
    g.add_argument("--exercises-dir", help="folder of released exercises (default: the repository's exercises/)")
    g.add_argument("--csv", default="grades.csv", help="where to write the scores (default: grades.csv)")
    g.add_argument("--timeout", type=float, default=60, help="seconds each cell may run (default: 60)")
    g.add_argument("--jobs", type=int, default=None, help="notebooks graded at the same time (default: 2)")

    e = sub.add_parser("execute", help="re-run notebooks in place so their stored outputs are fresh")
    e.add_argument("notebooks", nargs="+")
    e.add_argument("--timeout", type=int, default=600, help="seconds each cell may run (default: 600)")

    w = sub.add_parser("_nbval-worker", help=argparse.SUPPRESS)
    w.add_argument("args", nargs=3)
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 2
    if args.command == "_nbval-worker":
        from .grading import _worker_main

        return _worker_main(args.args)
    if args.command == "build-exercises":
        from .authoring import ExerciseFormatError, build_exercises

        try:
            changed = build_exercises(args.solutions, args.exercises, check=args.check, only=args.chapters or None)
        except ExerciseFormatError as exc:
            print(f"convzoo build-exercises: {exc}", file=sys.stderr)
            return 1
        if args.check:
            for path in changed:
                print(f"out of date: {path} (run `make exercises`)", file=sys.stderr)
            return 1 if changed else 0
        for path in changed:
            print(f"wrote {path}")
        if not changed:
            print("exercises are up to date")
        return 0
    if args.command == "execute":
        from .authoring import execute_notebook

        for nb in args.notebooks:
            print(f"executing {nb}", flush=True)
            execute_notebook(nb, timeout=args.timeout)
        return 0
    from .grading import GradingError, check_notebook, grade

    try:
        if args.command == "check":
            print(f"checking {args.notebook} (the saved file) ...", file=sys.stderr, flush=True)
            result = check_notebook(args.notebook, exercise=args.exercise, cell_timeout=args.timeout)
            print(result.report())
            return 0 if result.passed else 1
        results = grade(args.submissions, exercise=args.exercise, exercises_dir=args.exercises_dir,
                        csv_path=args.csv, cell_timeout=args.timeout, jobs=args.jobs)
        print(f"\nwrote {Path(args.csv)}", file=sys.stderr)
        return 0 if results else 1
    except (GradingError, FileNotFoundError) as exc:
        print(f"convzoo {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
