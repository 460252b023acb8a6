"""How much of a dump result rests on the ASSUMED B_c+ production (HNLs above the B -> D l N end point).

B_c+ -> l N is the only HNL source between m(B) - m(D) - m_l and m(B_c+) - m_l, and its
normalisation is the card's ``production.bc_to_bplus`` (:func:`na62lab.generation.dump.tables.with_bc`).
The default, 7.6e-3 B_c+ per B+, is the LHC-energy fraction 2 f_c / (f_u + f_d) (LHCb, sqrt(s) = 13 TeV,
PRD 100 (2019) 112006, arXiv:1910.13404).  At the SPS (400 GeV protons, sqrt(s) = 27.4 GeV) it is not
measured, and no calculation of sigma(B_c) / sigma(b bbar) at that energy was found: the O(alpha_s^4)
g g -> B_c b cbar calculations found (Berezhnoy, Likhoded, Shevlyagin, IHEP 94-48, "Hadronic production of
B_c mesons"; Kolodziej, Leike, Rueckl, hep-ph/9505298; the review of Gershtein, Kiselev, Likhoded,
Tkabladze, Phys. Usp. 38 (1995) 1) address collider energies, where B_c is about 1e-3 of B production
(IHEP 94-48, introduction).  B_c+ needs a second heavy pair (c cbar) besides the b bbar: a partonic
threshold m(B_c) + m_b + m_c ~ 12.6 GeV instead of 2 m_b ~ 9.6 GeV (m_b = 4.8, m_c = 1.5 GeV), so at
sqrt(s) = 27.4 GeV the fraction is expected to fall below its collider value.  The LHC value is therefore
an UPPER bracket and no B_c+ at all the lower one (an estimate, not a number chosen to match any curve).
:func:`bc_share_note` prints both ends of that bracket with every dump result that has a
B_c+ mode.
"""

from __future__ import annotations

import numpy as np

from na62lab.generation.dump.tables import BC_SPECIES
from na62lab.yields.dump_contours import excluded_interval

NOTE_PREFIX = "B_c+ production (card"
"""Start of the :func:`bc_share_note` text (the report collects these notes from every dump result)."""
SHARE_LEVELS = (0.1, 0.5, 0.9)
"""B_c+ shares of the expected events at the lower edge whose first excluded mass the note gives."""


def bc_events(by_mode: dict[str, np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """Expected signal events (dimensionless, per (mass, coupling) node of ``shape``) from the B_c+ production
    modes (keys ``Bc+->...`` of ``by_mode``, the expected events per mode), zeros without any."""
    parts = [np.asarray(v, float) for k, v in by_mode.items() if k.startswith(BC_SPECIES + "->")]
    return np.sum(parts, axis=0) if parts else np.zeros(shape)


def lower_edge_share(masses_gev: np.ndarray, couplings: np.ndarray, total: np.ndarray, bc: np.ndarray,
                     limit: float | np.ndarray) -> dict[float, float]:
    """B_c+ share of the expected events at the lower edge of each excluded grid mass.

    Parameters
    ----------
    masses_gev : ndarray (n_m,)
        Grid masses (GeV).
    couplings : ndarray (n_g,)
        Increasing couplings.
    total, bc : ndarray (n_m, n_g)
        Expected events, all modes and the B_c+ modes.
    limit : float or ndarray (n_m,)
        Upper limit on the signal events.

    Returns
    -------
    dict
        mass (GeV) -> share in [0, 1], interpolated linearly in log(coupling) between the two grid
        couplings around the lower edge (the lowest grid coupling when the edge is open).
    """
    limits = np.broadcast_to(np.asarray(limit, float), np.shape(masses_gev))
    out = {}
    for row, (m, lim) in enumerate(zip(masses_gev, limits)):
        interval = excluded_interval(couplings, total[row], float(lim))
        if interval is None:
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total[row] > 0, bc[row] / total[row], 0.0)
        out[float(m)] = float(np.interp(np.log(interval[0]), np.log(couplings), share))
    return out


def last_excluded_mass(masses_gev: np.ndarray, couplings: np.ndarray, events: np.ndarray,
                       limit: float | np.ndarray) -> float | None:
    """Highest grid mass (GeV) with an excluded coupling range for ``events`` (n_m, n_g), or None; inputs as
    :func:`lower_edge_share`."""
    limits = np.broadcast_to(np.asarray(limit, float), np.shape(masses_gev))
    hit = [float(m) for m, row, lim in zip(masses_gev, events, limits)
           if excluded_interval(couplings, row, float(lim)) is not None]
    return max(hit) if hit else None


def bc_share_note(masses_gev: np.ndarray, couplings: np.ndarray, total: np.ndarray, by_mode: dict[str, np.ndarray],
                  limit: float | np.ndarray, bc_to_bplus: float) -> list[str]:
    """One note on the B_c+ part of a dump result (empty without B_c+ events).

    Gives the first excluded grid mass where B_c+ -> l N makes 10 / 50 / 90 % of the expected events at
    the lower edge, the share at the highest excluded mass, and where the excluded region ends with the
    card's B_c+ fraction (the LHC-energy value, an upper bracket at the SPS) and without B_c+ (the lower
    bracket).  Inputs as :func:`lower_edge_share`; ``bc_to_bplus`` is the card's B_c+ per B+.
    """
    bc = bc_events(by_mode, np.shape(total))
    if not np.any(bc > 0):
        return []
    shares = lower_edge_share(masses_gev, couplings, total, bc, limit)
    if not any(s > 0 for s in shares.values()):
        return []
    firsts = [f"{100 * level:.0f} % from {min(m for m, s in shares.items() if s >= level):.3g} GeV"
              for level in SHARE_LEVELS if any(s >= level for s in shares.values())]
    top = max(shares)
    end_without = last_excluded_mass(masses_gev, couplings, np.asarray(total) - bc, limit)
    without = f"{end_without:.3g} GeV" if end_without is not None else "nowhere"
    head = (f"{NOTE_PREFIX} production.bc_to_bplus = {bc_to_bplus:.2g} B_c+ per B+, the LHC-energy fraction, "
            "LHCb arXiv:1910.13404: an UPPER bracket at the SPS, sqrt(s) = 27 GeV, where B_c+ production is not "
            "measured, no calculation was found, and it needs a second heavy pair near threshold): ")
    if not firsts:
        peak = max(shares.values())
        return [head + f"B_c+ -> l N is at most {100 * peak:.2g} % of the expected events at the lower edge of "
                f"the excluded masses (negligible here); they end at {top:.3g} GeV, at {without} without B_c+"]
    return [head + "B_c+ -> l N gives " + ", ".join(firsts) + " of the expected events at the lower edge "
            f"({100 * shares[top]:.0f} % at {top:.3g} GeV); the excluded grid masses end at {top:.3g} GeV with it "
            f"and at {without} without B_c+ (the lower bracket)"]


__all__ = ["bc_events", "bc_share_note", "last_excluded_mass", "lower_edge_share", "NOTE_PREFIX", "SHARE_LEVELS"]
