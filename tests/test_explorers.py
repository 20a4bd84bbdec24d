"""Every explorer of every chapter, driven through the whole range of each of its controls.

After each move an explorer must show either a fresh picture or a message (a refused setting), never raise,
and back at its first setting it must show what a new explorer shows there (its in-place figure keeps nothing
from the settings in between; only the axes' exact places may differ, as a layout made for one setting is kept
for the next ones whose margins are alike). A sweep, not a unit test: it catches what the chapters' own tests do not
try, e.g. the largest value of one slider with the smallest of another.
"""
import importlib
import inspect
import pkgutil

import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")


def _explorers():
    import convzoo.widgets as widgets

    found = []
    for info in pkgutil.iter_modules(widgets.__path__):
        if info.name in ("common", "render"):
            continue
        mod = importlib.import_module(f"convzoo.widgets.{info.name}")
        found += [(f"{info.name}.{name}", fn) for name, fn in inspect.getmembers(mod, inspect.isfunction)
                  if name.endswith("_explorer") and fn.__module__ == mod.__name__]
    return found


def _range(control) -> list:
    """A control's ends and middle (every option of a dropdown, both states of a check box)."""
    if getattr(control, "options", None):
        return [o[1] if isinstance(o, tuple) else o for o in control.options]
    if isinstance(control.value, bool):
        return [True, False]
    if hasattr(control, "min") and hasattr(control, "max"):
        lo, hi = control.min, control.max
        mid = (lo + hi) // 2 if isinstance(control.value, int) else (lo + hi) / 2
        return [hi, lo, mid]
    return []


EXPLORERS = _explorers()


def test_every_chapter_explorer_is_found():
    assert len(EXPLORERS) >= 15


@pytest.mark.parametrize("name,make", EXPLORERS, ids=[e[0] for e in EXPLORERS])
def test_an_explorer_answers_every_setting_with_a_picture_or_a_message(name, make):
    from figure_checks import picture_content

    from convzoo.figures.common import LiveFigure

    e = make()
    assert isinstance(e.draw, LiveFigure), f"{name} rebuilds its figure on every move (slow: issue 9)"
    assert e.message.value == "" and e.image.value[1:4] == b"PNG"
    first = dict(e.values())
    for control_name, control in e.controls.items():
        start = control.value
        for value in _range(control) + [start]:
            control.value = value     # the explorer redraws; a refused setting shows a message instead
            assert e.image.value[1:4] == b"PNG"
            assert e.message.value == "" or "&#9888;" in e.message.value, f"{name}: {control_name}={value!r}"
        assert control.value == start
    # back at the first setting, drawn anew (not from the picture cache): what a new explorer shows
    e._pictures.clear()
    e.redraw()
    assert dict(e.values()) == first and e.message.value == ""
    got, want = picture_content(e.draw.figure), picture_content(make().draw.figure)
    for a, b in zip(got, want):
        assert a == b, f"{name}: after the sweep the first setting shows {a!r} where a new explorer shows {b!r}"
    assert len(got) == len(want)
