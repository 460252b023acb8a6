"""Quark-level composition of the HNL ``multihadron`` width, for its inclusive decays in the dump.

The ``multihadron`` channel of :class:`na62lab.fips.hnl.HNL` is the quark-level hadronic width
(charged current l u dbar, l u sbar, l c dbar, l c sbar; neutral current nu q qbar;
arXiv:1805.08567 Sec. 3.3) minus the exclusive single-meson channels.  Its decays are generated
as a lepton plus a Pythia-hadronised q qbar' system
(:func:`na62lab.generation.dump.hadronic_decays.decay_lepton_hadrons`), the parts weighted by their
quark-level widths at the mass: the remainder is assumed to have the flavour composition of the
inclusive width (APPROXIMATION).  Charged-current decays to a tau (BC8) are left out of the
mixture (no tau in the semileptonic generator: APPROXIMATION; the other parts are renormalised).
"""

from __future__ import annotations

import numpy as np

from na62lab.fips.hnl import NC_QUARKS, _nc_quark, cc_quark_width

CC_SYSTEMS = {"ud": "ud", "us": "us", "cd": "cs", "cs": "cs"}
"""CKM element (key of :data:`na62lab.fips.hnl.CC_QUARK_PAIRS`) -> library channel of the charge +1
hadronic system.  c dbar uses the c sbar library (APPROXIMATION)."""


def multihadron_parts(model, mass: float) -> dict[tuple[str, str], float]:
    """(lepton, library channel) -> relative quark-level width of an HNL ``model`` at ``mass`` (MeV).

    Charged current a = e, mu: w_a :func:`na62lab.fips.hnl.cc_quark_width` (3 |V_ij|^2 I(x), the one threshold
    rule of the HNL's width); neutral current: 3 x the nu q qbar coefficient (arXiv:1805.08567 Sec. 3; the
    formulas of :meth:`na62lab.fips.hnl.HNL._inclusive`, without the common G_F^2 m^5 / (192 pi^3) and QCD
    factors).
    """
    m = np.array(float(mass))
    out: dict[tuple[str, str], float] = {}
    for a, w in model.weights.items():
        if a == "tau" or w == 0:
            continue
        for ckm, channel in CC_SYSTEMS.items():
            out[(a, channel)] = out.get((a, channel), 0.0) + float(w * cc_quark_width(m, a, ckm))
    for channel, (mq, up) in NC_QUARKS.items():
        out[("nu", channel)] = float(3 * _nc_quark(m, mq, up))
    return {k: v for k, v in out.items() if v > 0}
