"""Export counting models as pyhf JSON workspaces (HistFactory, arXiv:2109.04981).

Each category becomes a one-bin channel with two samples:

* ``signal``: nominal ``scale / SES_i`` events, i.e. the signal at
  ``BR = scale`` (the model's smallest SES), scaled by the normfactor ``mu``
  (so ``BR = mu * scale``), with a ``normsys`` for the SES uncertainty;
* ``background``: nominal ``b_i`` with an asymmetric ``normsys``
  (``hi = 1 + up/b``, ``lo = 1 - down/b``), whose exponential interpolation in
  pyhf matches the log-normal constraint used here.

The workspace is validated against pyhf's schema when pyhf is installed.
"""

from __future__ import annotations

from na62lab.stats.model import CountingModel


def _channel_name(i: int, name: str) -> str:
    clean = "".join(ch if ch.isalnum() else "_" for ch in name)
    return f"cat{i}_{clean}" if clean else f"cat{i}"


def to_pyhf_workspace(model: CountingModel, measurement: str = "na62lab") -> dict:
    """pyhf JSON workspace (a dict) of a counting model.

    Parameters
    ----------
    model : CountingModel
    measurement : str
        Name of the pyhf measurement; parameter of interest is ``mu`` with
        ``BR = mu * model.scale``.
    """
    channels, observations = [], []
    for i, cat in enumerate(model.categories):
        name = _channel_name(i, cat.name)
        sig_mods: list[dict] = [{"name": "mu", "type": "normfactor", "data": None}]
        if not cat.ses.is_exact:
            rel = cat.ses.up / cat.ses.value
            sig_mods.append({"name": f"ses_{name}", "type": "normsys",
                             "data": {"hi": 1.0 / (1.0 - min(rel, 0.99)), "lo": 1.0 / (1.0 + rel)}})
        bkg_mods = []
        b = cat.background
        if not b.is_exact:
            bkg_mods.append({"name": f"bkg_{name}", "type": "normsys",
                             "data": {"hi": 1.0 + b.up / b.value, "lo": max(1.0 - b.down / b.value, 1e-3)}})
        channels.append({"name": name, "samples": [
            {"name": "signal", "data": [model.scale / cat.ses.value], "modifiers": sig_mods},
            {"name": "background", "data": [max(b.value, 1e-9)], "modifiers": bkg_mods}]})
        observations.append({"name": name, "data": [cat.observed]})
    ws = {"channels": channels, "observations": observations, "version": "1.0.0",
          "measurements": [{"name": measurement, "config": {"poi": "mu", "parameters": [
              {"name": "mu", "bounds": [[0.0, 10.0 * (1 + sum(c.observed for c in model.categories))]]}]}}]}
    _validate(ws)
    return ws


def _validate(ws: dict) -> None:
    try:
        import pyhf
    except ImportError:  # pragma: no cover - optional dependency
        return
    pyhf.Workspace(ws)
