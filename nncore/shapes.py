"""The shape of every array in an L-layer network, read off ``layer_dims = [n[0], …, n[L]]`` and m."""


def layer_shapes(layer_dims: list[int], m: int) -> dict[str, tuple[int, int]]:
    """``{"A0": (n[0], m), "W1": (n[1], n[0]), "b1": (n[1], 1), "Z1": (n[1], m), "A1": (n[1], m), …}``.

    Each gradient ``dW{l}``, ``db{l}``, ``dZ{l}``, ``dA{l}`` has the shape of the array it differentiates.
    """
    shapes = {"A0": (layer_dims[0], m)}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        shapes[f"W{l}"] = (n, n_prev)
        shapes[f"b{l}"] = (n, 1)
        shapes[f"Z{l}"] = (n, m)
        shapes[f"A{l}"] = (n, m)
    return shapes

