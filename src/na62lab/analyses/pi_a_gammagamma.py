"""K+ -> pi+ a, a -> gamma gamma: peak search in m_gg over 207-350 MeV/c^2.

The card ``na62_search_pi_a_gammagamma`` holds the inputs: the NA62
K+ -> pi+ gamma gamma sample of 2017-18 (PLB 850 (2024) 138513), whose
yield over its BR gives the kaon flux times the acceptance for that
spectrum, and the SM K+ -> pi+ gamma gamma spectrum (O(p^4) ChPT) as the
peaking-free background.  Those are selected candidates, so the background
is shaped, and extrapolated from z > 0.2 to the signal region
(:func:`sm_events_in`), with dGamma/dm x A(m), A the simulated acceptance
of the signal (:func:`simulated_acceptance`): the selected pi+ of the kaon
fast simulation times both photons of a -> gamma gamma in the LKr
(``resolution.x_photons``, :mod:`~na62lab.analyses.kaon_searches_common.x_photons`;
the SM photons are isotropic in the gamma gamma frame at O(p^4), as the
a's).  The pi+ part rises from 0.48 at 200 MeV to 0.65 at 290 MeV, the
photon pair falls from 0.49 at 220 MeV to 0.38 at 340 MeV, so A(m) is flat
(0.25) within 5 % over 200-320 MeV (N_K x A = 3855 / 9.61e-7 = 4.012e9;
3823 and 3.978e9 with the pi+ alone).  The acceptance for an a of mass m follows the
simulated acceptance relative to its average over the pi+ gamma gamma
spectrum (``kinematic_acceptance: relative``): it falls near the endpoint,
where the pi+ goes down the beam pipe.  The mass resolution comes from the missing-mass smearing model
(:mod:`na62lab.analyses.kaon_searches_common.resolution`): it falls from
about 2 MeV at 207 MeV to 0.2 MeV near the endpoint m_K - m_pi, where the
missing mass becomes insensitive to the track momenta.

The acceptance is for a prompt a (photons from the kaon vertex); with
``lifetime_ns`` the expected signal is multiplied by the displaced-decay
acceptance relative to prompt (:mod:`~na62lab.analyses.kaon_searches_common.displaced`:
the pi+ gamma gamma mass window from the K+ vertex keeps decays within a
few metres).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from na62lab.analyses.kaon_searches_common import SearchResult, run_peak_search
from na62lab.analyses.kaon_searches_common.spectra import M_K, fraction_in, selected_mass_density
from na62lab.config.base import load_card
from na62lab.config.searches import PeakSearchCard

CARD = "na62_search_pi_a_gammagamma"


def sm_events_in(lo_mev: float, hi_mev: float, candidates: float, background: float, z_min: float,
                 acceptance_at: Callable[[np.ndarray], np.ndarray] | None = None) -> float:
    """SM K+ -> pi+ gamma gamma events selected in [lo, hi] (MeV) from a count above z = m_gg^2/m_K^2 > z_min.

    (N_cand - N_bkg) F(lo < m < hi) / F(z > z_min), F the fractions of the
    selected spectrum dGamma/dm x A(m)
    (:func:`~na62lab.analyses.kaon_searches_common.spectra.selected_mass_density`): dGamma/dm of O(p^4)
    ChPT (Ecker, Pich, de Rafael, NPB 303 (1988) 665), A(m) the simulated acceptance ``acceptance_at``
    (:func:`simulated_acceptance`); the candidates are selected events (NA62, PLB 850 (2024) 138513).
    Without ``acceptance_at`` the acceptance is taken equal in both ranges (the bare spectrum).
    """
    density = lambda m: selected_mass_density("pigg", m, acceptance_at)   # noqa: E731
    return (candidates - background) * fraction_in(density, lo_mev, hi_mev) / fraction_in(
        density, np.sqrt(z_min) * M_K, 2 * M_K)


def simulated_acceptance(card: PeakSearchCard) -> Callable[[np.ndarray], np.ndarray]:
    """A(m) (true mass, MeV) of the card's resolution model over its scan: the acceptance the engine gives both
    the signal and the selected SM spectrum (:func:`~na62lab.analyses.kaon_searches_common.engine.resolution_model`)."""
    from na62lab.analyses.kaon_searches_common import engine as eng

    model = eng.resolution_model(card, eng.scan_masses(card))
    return model.acceptance_at


def load(card: str | Path | None = None) -> PeakSearchCard:
    """The search card (default: the shipped one)."""
    return load_card(card or CARD, PeakSearchCard)


def run(card: PeakSearchCard | None = None, masses=None, lifetime_ns: float | None = None) -> SearchResult:
    """Limits on BR(K+ -> pi+ a) x BR(a -> gamma gamma) vs m_a (masses in MeV)."""
    return run_peak_search(card or load(), masses, lifetime_ns)
