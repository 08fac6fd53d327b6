"""The live Playground picture: a canvas drawn in the browser from the frame's arrays (``frame.live_frame``).

Drawing in the kernel with matplotlib and sending an image cost most of a frame (measured in
``benchmarks/playground_browser.py``); here the kernel sends the boundary as a ``res × res`` RGBA array (16 KB
at 64²), the unit thumbnails, the thinned curves and the texts, all in one message, and the page scales and
draws them (``canvas_script.SCRIPT``). Even the words the page draws (axes, legends) come from the kernel
(``words``), so they are in the learner's language as every other text is. The page also paces Play: it asks
for a frame every ``interval`` ms but keeps at most three asked for and not yet arrived, so the kernel computes
the next frame while the last one travels, frames never pile up behind a busy kernel, and Pause takes effect
within a frame or two. A click on the boundary sends its coordinates back (``on_click``): that is how you add
your own points.

Imported only when a live Playground is built: ``anywidget`` is needed here and nowhere else.
"""

from collections.abc import Callable

import anywidget
import traitlets

from nncore.widgets.canvas_script import SCRIPT
from nncore.widgets.colours import PALETTE


class LiveView(anywidget.AnyWidget):
    """The picture of a live Playground; ``show(frame)`` sends one frame, ``on_tick``/``on_click`` take callbacks."""

    _esm = SCRIPT
    boundary = traitlets.Bytes(b"").tag(sync=True)          # (res, res, 4) uint8, row 0 at the top
    resolution = traitlets.Int(0).tag(sync=True)
    units = traitlets.Bytes(b"").tag(sync=True)             # hidden-unit thumbnails, (h, w, 4) uint8
    units_shape = traitlets.List([0, 0]).tag(sync=True)
    extent = traitlets.List([-1.0, 1.0, -1.0, 1.0]).tag(sync=True)
    points = traitlets.List([]).tag(sync=True)              # [x1, x2, label, dev]
    colours = traitlets.List(list(PALETTE)).tag(sync=True)
    curves = traitlets.Dict({}).tag(sync=True)
    header = traitlets.Unicode("").tag(sync=True)
    settings = traitlets.Unicode("").tag(sync=True)
    rule = traitlets.Unicode("").tag(sync=True)
    words = traitlets.Dict({}).tag(sync=True)               # the picture's own words (frame.words), set once
    playing = traitlets.Bool(False).tag(sync=True)
    frame = traitlets.Int(0).tag(sync=True)                 # counts answered ticks: the page's go-ahead
    interval = traitlets.Int(50).tag(sync=True)             # ms between the starts of two frames, at least

    def __init__(self, on_tick: Callable[[], None], on_click: Callable[[float, float], None], **kwargs):
        super().__init__(**kwargs)
        self._on_tick, self._on_click = on_tick, on_click
        self.on_msg(self._message)

    def _message(self, _, content, buffers):
        if content.get("type") == "tick":
            with self.hold_sync():                          # the new frame and the go-ahead in one message
                if self.playing:
                    self._on_tick()
                self.frame += 1
        elif content.get("type") == "click":
            self._on_click(float(content["x1"]), float(content["x2"]))

    def show(self, frame: dict) -> None:
        """Send one frame (the dict of ``frame.live_frame``, plus ``points`` and ``extent`` when they change)."""
        with self.hold_sync():
            for name, value in frame.items():
                setattr(self, name, value)
