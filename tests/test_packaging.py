"""The project's metadata: the two dependency lists agree, the pins that protect us are in place."""
import pathlib
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def environment_pip_list():
    yaml = pytest.importorskip("yaml")
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = [d for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip) == 1, "environment.yml must have exactly one pip: section"
    return [req for req in pip[0]["pip"] if req != "-e ."]


def test_environment_yml_matches_pyproject():
    meta = pyproject()["project"]
    wanted = sorted(meta["dependencies"] + meta["optional-dependencies"]["dev"])
    assert sorted(environment_pip_list()) == wanted


def test_environment_yml_installs_the_project_itself():
    yaml = pytest.importorskip("yaml")
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip


def test_nbval_is_pinned_exactly_and_the_rest_by_range():
    deps = pyproject()["project"]["dependencies"] + pyproject()["project"]["optional-dependencies"]["dev"]
    assert "nbval==0.11.0" in deps
    for dep in deps:
        if not dep.startswith("nbval"):
            assert ">=" in dep and "<" in dep, f"{dep} should be pinned by a range (>=low,<high)"


def test_numerical_core_imports_numpy_only():
    """The library's numerical modules must not need matplotlib or ipywidgets at import time."""
    import subprocess
    import sys

    code = ("import sys, convzoo; bad = [m for m in ('matplotlib', 'ipywidgets', 'scipy', 'torch') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"import convzoo pulled in {result.stdout.strip()}"


def test_ci_runs_the_readme_command_only():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert commands[-1].strip() == "exec make test"
    assert "make test" in (ROOT / "README.md").read_text()


def test_every_public_function_has_a_shape_section_and_an_example():
    import inspect

    import convzoo as cz

    lacking = []
    for name in cz.__all__ if hasattr(cz, "__all__") else dir(cz):
        obj = getattr(cz, name)
        if name.startswith("_") or not inspect.isfunction(obj):
            continue  # result types (NamedTuples) document their fields instead
        doc = inspect.getdoc(obj) or ""
        if "Shape\n-----" not in doc or ">>>" not in doc:
            lacking.append(name)
    assert not lacking, f"public functions without a numpy-style Shape section or a doctest: {lacking}"


def test_explorer_keeps_recent_pictures_and_redraws_only_new_settings():
    W = pytest.importorskip("ipywidgets")
    from convzoo.figures.common import new_figure
    from convzoo.widgets.common import explorer

    calls = []

    def draw(n):
        calls.append(n)
        if n == 0:
            raise ValueError("n must be positive")
        fig, ax = new_figure(size=(1.5, 1.5))
        ax.plot(range(n + 1))
        return fig

    e = explorer(draw, n=W.IntSlider(value=2, min=0, max=5))
    first = e.image.value
    e.controls["n"].value = 3
    e.controls["n"].value = 2           # back: the kept picture, no new draw
    assert calls == [2, 3] and e.image.value == first
    e.controls["n"].value = 0           # an invalid setting is answered every time, never cached
    e.controls["n"].value = 2
    e.controls["n"].value = 0
    assert calls == [2, 3, 0, 0] and "positive" in e.message.value
    e.CACHE_SIZE = 1
    e.controls["n"].value = 4
    e.controls["n"].value = 5
    e.controls["n"].value = 4           # pushed out by 5: drawn again
    assert calls[-3:] == [4, 5, 4]
