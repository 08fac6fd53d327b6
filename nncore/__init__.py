"""nncore: the course's reference library — neural networks from scratch in numpy.

Notation: examples are columns (``X: (n_x, m)``), parameters ``W1, b1, …``, gradients ``dW1, db1, …``.
Modules: activations, layers, losses, init, models (L layers, Course 1), training (Course 2: mini-batches,
optimizers, L2, dropout, batch norm, softmax), logistic (no hidden layer), shallow (one hidden layer),
basics (numpy warm-ups), shapes, optim, gradcheck, data, plot, widgets (the Playground),
autodiff (scalar and matrix reverse-mode nodes), strategy (metrics and diagnoses for running an ML project),
conv (convolution and pooling, Course 4's (m, n_H, n_W, n_C) layout) and lenet (LeNet-5 built from them).
"""

__version__ = "0.1.0"
