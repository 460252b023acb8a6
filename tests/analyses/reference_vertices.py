"""Reading a digitised reference curve at a mass between two quoted neighbouring vertices (test helper).

The reference tests quote the two vertices of a published curve's digitisation around each compared mass
(no curve is copied) and interpolate between them: linearly, or linearly in log(mass) and log(value).
"""

import numpy as np


def vertex_at(mass: float, v1: tuple[float, float], v2: tuple[float, float], log: bool = False) -> float:
    """Value at ``mass`` on the segment between two quoted vertices (mass, value), in the vertices' units;
    log-log if ``log``."""
    (m1, y1), (m2, y2) = v1, v2
    if log:
        t = np.log(mass / m1) / np.log(m2 / m1)
        return float(np.exp(np.log(y1) + t * np.log(y2 / y1)))
    return float(y1 + (mass - m1) / (m2 - m1) * (y2 - y1))


def log_vertex_at(mass: float, v1: tuple[float, float], v2: tuple[float, float]) -> float:
    """:func:`vertex_at` in log-log (mass and value both positive)."""
    return vertex_at(mass, v1, v2, log=True)
