"""Checks the chapter tests make of every figure (a suptitle, every panel titled, axes labelled) and of every
explorer (a picture to start with, then the message each setting of its controls gives).

Imported as ``from figure_checks import titled_and_labelled, explorer_says`` (tests/ is on sys.path, as for
pipeline_helpers). Each chapter says once which axes are its data panels and how strictly they are labelled,
e.g. ``_titled_and_labelled = partial(titled_and_labelled, draws=("images",))``.
"""
from __future__ import annotations


def data_panels(fig, draws=()) -> list:
    """The axes of ``fig`` that are not colour bars and, if ``draws`` names artist lists ('images', 'lines',
    'collections', 'patches'), that draw something in at least one of them."""
    return [ax for ax in fig.axes
            if ax.get_label() != "<colorbar>" and (not draws or any(getattr(ax, d) for d in draws))]


def titled_and_labelled(fig, draws=(), labels: str = "some") -> None:
    """Assert that ``fig`` has a suptitle and every data panel (:func:`data_panels`) a title, and its labels.

    ``labels``: ``'some'``, some panel has an x label and some panel a y label; ``'x'``, every panel has an
    x label (and some panel a y label); ``'each'``, every panel has both. A figure without data panels fails.
    """
    assert fig._suptitle is not None and fig._suptitle.get_text()
    panels = data_panels(fig, draws)
    assert panels, "the figure has data panels"
    for ax in panels:
        assert ax.get_title(), "every panel has a title"
        if labels == "each":
            assert ax.get_xlabel() and ax.get_ylabel(), f"panel {ax.get_title()!r} has both axis labels"
        elif labels == "x":
            assert ax.get_xlabel(), "every panel has an x label"
    if labels != "each":
        assert any(ax.get_xlabel() for ax in panels) and any(ax.get_ylabel() for ax in panels)


def explorer_says(explorer, *steps) -> None:
    """Assert that ``explorer`` starts with a picture and no message, then drive it through ``steps``.

    Each step is ``(controls, expected)``: set the controls (a dict, in its order), then the message must
    contain ``expected`` (a text, or a tuple of texts that must all be there), or be empty when it is ``""``.
    """
    assert explorer.message.value == "" and len(explorer.image.value) > 0
    for controls, expected in steps:
        for name, value in controls.items():
            explorer.controls[name].value = value
        message = explorer.message.value
        if expected == "":
            assert message == "", f"after {controls}: no message expected, but got {message!r}"
        for text in (expected,) if isinstance(expected, str) else expected:
            assert text in message, f"after {controls}: {text!r} not in {message!r}"
