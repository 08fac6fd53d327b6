"""Live experiments for the notebooks: the Playground.

``Playground(**config)`` trains a small network on a 2-D data set and shows its decision boundary, its
hidden units and its train/dev curves while you turn the knobs (see ``playground.Playground``).
Split by responsibility: ``state`` (data, network, chunked training, grid evaluation: plain numpy),
``figure`` (the matplotlib picture, updated in place), ``controls`` (the widgets), ``playground``
(wiring). ipywidgets is imported only when a live widget is built.
"""

from nncore.widgets.playground import Playground, has_frontend
from nncore.widgets.state import DEFAULTS

__all__ = ["Playground", "has_frontend", "DEFAULTS"]
