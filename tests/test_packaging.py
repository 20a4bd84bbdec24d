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


def test_explorer_updates_a_live_figure_in_place_and_lays_it_out_only_when_asked():
    W = pytest.importorskip("ipywidgets")
    from convzoo.figures.common import LiveFigure, new_figure
    from convzoo.widgets.common import explorer

    class Steps(LiveFigure):
        def __init__(self):
            fig, self.ax = new_figure(size=(2, 2), title="steps")
            (self.line,) = self.ax.plot([0, 1], [0, 1])
            self.updates, self.layouts = [], 0
            super().__init__(fig)

        def update(self, n=1):
            if n < 1:
                raise ValueError(f"n must be at least 1, got {n}")
            self.updates.append(n)
            self.line.set_data(range(n + 1), range(n + 1))
            self.ax.set_xlim(0, n)
            return n == 3  # pretend a margin text changed

    live = Steps()
    figure = live.figure
    e = explorer(live, n=W.IntSlider(value=1, min=0, max=5))
    engine = e._live._layout
    laid_out = []
    original = engine.execute
    engine.execute = lambda fig: (laid_out.append(fig), original(fig))
    first = e.image.value
    e.controls["n"].value = 2
    assert live.figure is figure and live.updates == [1, 2] and laid_out == []   # updated, not rebuilt
    assert e.image.value != first and list(live.line.get_xdata()) == [0, 1, 2]
    e.controls["n"].value = 3
    assert laid_out == [figure]
    e.controls["n"].value = 0
    assert "at least 1" in e.message.value and e.image.layout.opacity == "0.35" and live.updates == [1, 2, 3]
    e.controls["n"].value = 1
    assert e.image.value == first and e.message.value == ""   # the kept picture of the first setting


def test_cached_text_draws_the_same_picture_as_plain_agg():
    """The text cache stamps Agg's own rasterisation, so labels look the same: the two pictures differ only
    where a string lands a fraction of a pixel away (antialiased edges), never by a missing, extra or
    misplaced label."""
    np_ = pytest.importorskip("numpy")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from convzoo.figures.common import draw_grid, new_figure
    from convzoo.widgets.render import CachedTextCanvas

    def pixels(canvas_class, grid):
        fig, ax = new_figure(size=(3, 3), title="cached text")
        values = np_.arange(-12, 13).reshape(5, 5) / 4
        if grid:
            draw_grid(ax, values, fmt="{:.2f}", title="a 5x5 grid")
        else:  # black text on white: its ink is the text alone
            for (i, j), v in np_.ndenumerate(values):
                ax.text(j, i, f"{v:.2f}", ha="center", va="center")
            ax.set(xlim=(-0.5, 4.5), ylim=(4.5, -0.5), title="text only")
        canvas = canvas_class(fig)
        canvas.draw()
        return np_.asarray(canvas.buffer_rgba())[..., :3].astype(int)

    for grid in (True, False):
        plain, cached = pixels(FigureCanvasAgg, grid), pixels(CachedTextCanvas, grid)
        assert (cached == pixels(CachedTextCanvas, grid)).all()   # deterministic
        far = np_.abs(plain - cached).max(-1) > 128               # pixels that changed a lot, not an edge's shade
        assert far.mean() < 0.01
    ink = lambda p: (255 - p).sum()                               # total darkness of the text
    assert abs(ink(plain) - ink(cached)) <= 0.03 * ink(plain)


def test_explorer_pngs_decode_to_the_canvas_pixels():
    """render.png_bytes writes its own PNG (no row filters): Pillow, an independent decoder, must read back
    exactly the canvas's pixels."""
    import io

    np_ = pytest.importorskip("numpy")
    Image = pytest.importorskip("PIL.Image")
    from convzoo.figures.common import draw_grid, new_figure
    from convzoo.widgets.render import CachedTextCanvas, png_bytes

    fig, ax = new_figure(size=(3.1, 2.3), title="pixels")
    draw_grid(ax, np_.arange(-6, 6).reshape(3, 4) / 3, fmt="{:.2f}")
    canvas = CachedTextCanvas(fig)
    canvas.draw()
    decoded = np_.asarray(Image.open(io.BytesIO(png_bytes(canvas))))
    assert decoded.shape == np_.asarray(canvas.buffer_rgba())[..., :3].shape
    assert (decoded == np_.asarray(canvas.buffer_rgba())[..., :3]).all()
