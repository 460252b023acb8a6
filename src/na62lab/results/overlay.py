"""Published curves to overlay on figures: one reader for every command (``--overlay``).

A file holds two columns, mass in GeV and a value (a limit on a BR or a coupling in the model's
convention), '#' comments, separated by commas (``.csv``) or white space (any other suffix).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from na62lab.errors import InputError

__all__ = ["read_overlay"]


def read_overlay(path: str | Path, value: str = "value", min_rows: int = 1) -> tuple[np.ndarray, np.ndarray, str]:
    """Read a two-column overlay file.

    Parameters
    ----------
    path : str or Path
        The file (mass in GeV, then ``value``).
    value : str
        What the second column holds, for the error message (e.g. ``"coupling"``).
    min_rows : int
        Fewest rows accepted (2 for a curve drawn as a line).

    Returns
    -------
    (masses, values, label) : (ndarray, ndarray, str)
        Masses in GeV, the values in the file's units, and the file stem as a legend label.

    Raises
    ------
    InputError
        One line: a missing file, non-numeric columns, fewer than ``min_rows`` rows, non-finite numbers or a
        mass or value <= 0.
    """
    p = Path(path)
    columns = f"mass (GeV), {value}"
    if not p.is_file():
        raise InputError("overlay", str(path), f"an existing text/CSV file with two columns: {columns}")
    try:
        data = np.loadtxt(p, delimiter="," if p.suffix == ".csv" else None, comments="#", ndmin=2)
    except ValueError:
        raise InputError("overlay", str(path), f"numeric columns: {columns}") from None
    if data.shape[1] < 2 or data.shape[0] < min_rows or not np.all(np.isfinite(data[:, :2])):
        raise InputError("overlay", str(path), f"at least {min_rows} row{'s' if min_rows > 1 else ''} of two "
                                               f"finite numbers: {columns}")
    if np.any(data[:, :2] <= 0):     # masses and limits/couplings are drawn on log axes: a row <= 0 vanished
        row = int(np.argmax(np.any(data[:, :2] <= 0, axis=1)))
        raise InputError("overlay", f"{path} row {row + 1}: {data[row, 0]:g} {data[row, 1]:g}",
                         f"masses (GeV) and values > 0: {columns}")
    return data[:, 0], data[:, 1], p.stem
