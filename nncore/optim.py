"""Parameter updates. Every update returns new dictionaries and leaves its inputs untouched."""


def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent: θ ← θ − α·dθ for every key θ of ``parameters`` (``dθ`` in ``grads``)."""
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}
