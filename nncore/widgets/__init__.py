"""Live experiments for the notebooks: the Playground and backpropagation step by step.

``Playground(**config)`` trains a small network on a 2-D data set (or your own points) and shows its
decision boundary, its hidden units, its train/dev curves and its optimizer's update of one weight while you
turn the knobs (see ``playground.Playground``). ``Backprop()`` walks one example through a small network,
forward then backward (``backprop``). Split by responsibility: ``state`` (data, network, chunked training,
grid evaluation: plain numpy), ``frame`` (what a frame shows, as data), ``colours``, ``rule`` (the update
written out), ``canvas`` (the live picture, drawn in the browser by ``canvas_script``), ``figure`` (the static
matplotlib picture), ``controls`` (the widgets), ``playground`` (wiring). ipywidgets and anywidget are
imported only when a live widget is built.
"""

from nncore.widgets.backprop import Backprop
from nncore.widgets.playground import Playground, has_frontend
from nncore.widgets.state import DEFAULTS

__all__ = ["Backprop", "Playground", "has_frontend", "DEFAULTS"]
