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


def picture_content(fig) -> list:
    """What a reader sees in ``fig``, as plain data: per axes its title, labels, ticks, limits, and every
    visible image, text, patch, line and collection (with their data and colours), plus the suptitle and
    the figure's size. Two figures with equal content show the same picture, whatever their history."""
    import numpy as np
    from matplotlib.colors import to_rgba

    def arr(a):  # blank (NaN or masked) cells as None, which compares equal, unlike NaN
        a = np.ma.filled(np.ma.asarray(a, dtype=float), np.nan) if a is not None else np.zeros(0)
        return np.where(np.isnan(a), None, np.round(a, 6).astype(object)).tolist()

    def colours(c):
        return np.round(np.atleast_2d(np.asarray(c, dtype=float)), 4).tolist() if np.size(c) else []

    def visible(artists):
        return [a for a in artists if a.get_visible()]

    content = [("size", tuple(np.round(fig.get_size_inches(), 3))),
               ("suptitle", fig._suptitle.get_text() if fig._suptitle is not None else None),
               ("figure texts", sorted((t.get_text(), tuple(np.round(t.get_position(), 4))) for t in visible(fig.texts)))]
    for ax in fig.axes:
        if not ax.get_visible():
            content.append(("hidden axes",))
            continue
        content.append(("axes", ax.get_label(), ax.get_title(), ax.get_title("left"), ax.get_title("right"),
                        ax.get_xlabel(), ax.get_ylabel(), np.round(ax.get_xlim(), 4).tolist(),
                        np.round(ax.get_ylim(), 4).tolist(),
                        [(round(float(t), 4), lab.get_text()) for t, lab in zip(ax.get_xticks(), ax.get_xticklabels())],
                        [(round(float(t), 4), lab.get_text()) for t, lab in zip(ax.get_yticks(), ax.get_yticklabels())]))
        for im in visible(ax.images):
            content.append(("image", arr(im.get_array()), np.round(im.get_extent(), 4).tolist(),
                            im.get_cmap().name, im.norm.vmin, im.norm.vmax))
        content.append(("texts", sorted((t.get_text(), tuple(np.round(t.get_position(), 4)), to_rgba(t.get_color()),
                                          t.get_fontsize()) for t in visible(ax.texts) if t.get_text())))
        for p in visible(ax.patches):
            ext = p.get_path().transformed(p.get_patch_transform()).get_extents()
            content.append(("patch", type(p).__name__, np.round(ext.bounds, 4).tolist(), to_rgba(p.get_facecolor()),
                            to_rgba(p.get_edgecolor()), p.get_fill()))
        for line in visible(ax.lines):
            content.append(("line", arr(line.get_xdata()), arr(line.get_ydata()), to_rgba(line.get_color()),
                            line.get_linestyle(), line.get_marker()))
        for c in visible(ax.collections):
            paths = [arr(p.vertices) for p in c.get_paths()]
            content.append(("collection", type(c).__name__, arr(c.get_offsets()), paths,
                            colours(c.get_facecolor()), colours(c.get_edgecolor())))
    return content


def live_matches_fresh(make, settings) -> None:
    """Assert that a LiveFigure updated through ``settings`` (a list of value dicts) shows, after each one,
    exactly what a freshly made one updated only to that setting shows (:func:`picture_content`): an in-place
    update leaves nothing behind from earlier settings and forgets nothing a setting needs."""
    live = make()
    for values in settings:
        live.update(**values)
        fresh = make()
        fresh.update(**values)
        got, want = picture_content(live.figure), picture_content(fresh.figure)
        for a, b in zip(got, want):
            assert a == b, f"after {values}: the live figure shows {a!r} where a fresh one shows {b!r}"
        assert len(got) == len(want), f"after {values}: {len(got)} artists live, {len(want)} fresh"
