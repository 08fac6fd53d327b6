"""nncore: the course's reference library — neural networks from scratch in numpy.

Notation: examples are columns (``X: (n_x, m)``), parameters ``W1, b1, …``, gradients ``dW1, db1, …``.
Modules: activations, layers, losses, init; network (the one forward and backward pass of a dense L-layer
network and its cost, which every week's network uses); models (Course 1's L-layer network in the lecture's
names), logistic (no hidden layer), shallow (one hidden layer), regularization (L2 and dropout), training
(Course 2: mini-batches, optimizers, batch norm, softmax); numpy_warmups and linear_regression (assignment 01),
shapes, optim, gradcheck, data, plot, widgets (the Playground), autodiff (scalar and matrix reverse-mode nodes),
symbolic (a symbolic differentiator to compare with), strategy (metrics and diagnoses for running an ML project),
conv (convolution and pooling, Course 4's (m, n_H, n_W, n_C) layout), lenet (LeNet-5 built from them) and rnn
(recurrent networks and the LSTM, Course 5's (n_x, m, T_x) layout).
"""

__version__ = "0.1.0"
