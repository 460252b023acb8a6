"""Both photons of X -> gamma gamma in the LKr: the photon part of the K+ -> pi+ gamma gamma acceptance.

NA62's K+ -> pi+ gamma gamma selection (PLB 850 (2024) 138513; the 2007
selection, PLB 732 (2014) 65, Sec. 3) reconstructs the two photons from
their LKr clusters, so a signal event (and an SM K+ -> pi+ gamma gamma
candidate) needs both photons in the calorimeter, besides its pi+.  Here the
X four-momenta of the kaon fast simulation (events whose pi+ is selected)
decay isotropically to gamma gamma in the X rest frame (a scalar or
pseudoscalar a; PDG Kinematics review, Eq. 49.17, with massless daughters),
from the kaon decay vertex (prompt X: a displaced decay is the lifetime
factor of :mod:`.displaced`, relative to this prompt acceptance), and each
photon is weighted with the photon conditions the kaon fast simulation
already applies to pi0 photons (:mod:`na62lab.detector.vetoes`):

* it reaches the LKr: not intercepted by a LAV station, outside the IRC
  annulus, inside the LKr outer radius
  (:func:`~na62lab.detector.vetoes.photon_detector`), and the LKr sees it with
  probability 1 - inefficiency(E) of the card's ``vetoes.lkr_ineff`` table
  (1 at 0.1 GeV, 1e-2 at 0.5 GeV: the energy threshold);
* its impact is inside the LKr cluster acceptance of the public NA62
  framework ``GeometricAcceptance`` (inner radius 150 mm, octagon apothem
  1130 mm; the kaon card's ``apertures.lkr_track_inner_radius_m`` and
  ``lkr_apothem_m``, also the pi+ track's LKr acceptance);
* it is not within the card's ``vetoes.lkr_track_cluster_distance_m``
  (100 mm, framework ``PhotonRejectionLKr``) of the pi+ impact, where its
  cluster would merge with the pi+ one.

The event weight is the product of the two photon weights.  It favours
fast X (at 270 MeV 0.22 in the slowest third of the selected X momenta,
0.60 in the fastest), but the X momentum quantiles of the resolution model
stay those of the selected pi+ events: the lifetime factor of
:mod:`.displaced` already weights each quantile by its own prompt
photon-pair acceptance (its pass fraction at zero flight), so weighting
the quantiles here too would count the photons twice.  The photons'
separation from each other is not a condition of the fast simulation and
is not applied (at 75 GeV/c their impacts are metres apart: the smallest
opening angle is 2 m_X / E_X).  The selection's own photon energy and
separation cuts of 2017-18 are not in the public text searched here.

For the SM K+ -> pi+ gamma gamma the same weight holds exactly at O(p^4) of
ChPT: the amplitude depends on z = m_gg^2/m_K^2 only, not on
y = p_K (q_1 - q_2) / m_K^2 (Ecker, Pich, de Rafael, NPB 303 (1988) 665;
D'Ambrosio and Portoles, PLB 386 (1996) 403, Eqs. 2-4 with B = C = 0), so
at fixed m_gg the photons are isotropic in the gamma gamma rest frame, as
for the a (the O(p^6) B term, which NA62 needs for its spectrum, would add a
y dependence: not included).

Units: MeV, mm.
"""

from __future__ import annotations

import numpy as np

from na62lab.analyses.kaon_searches_common.daughter_mass import decay_x
from na62lab.analyses.kaon_searches_common.displaced import octagon_inside
from na62lab.detector.geometry import position_at
from na62lab.detector.params import TABLE_LKR
from na62lab.detector.vetoes import photon_miss_probability


def lkr_only_tables(tables: np.ndarray) -> np.ndarray:
    """Veto tables (:func:`~na62lab.detector.params.veto_tables`) that see photons in the LKr only: the LAV,
    IRC and SAC rows set to inefficiency 1, so that 1 - photon miss probability is P(reaches the LKr and is
    detected there)."""
    out = np.array(tables, dtype=float, copy=True)
    for row in range(out.shape[0]):
        if row != TABLE_LKR:
            out[row, 1] = 0.0                      # log inefficiency 0: never seen
    return out


def _impact(vertex: np.ndarray, p4: np.ndarray, charge: int, params) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) (mm) on the LKr front plane, with the spectrometer kick for charged particles
    (:func:`~na62lab.detector.geometry.position_at`, its Python form on arrays)."""
    return position_at.py_func(params.z_lkr, vertex[:, 0], vertex[:, 1], vertex[:, 2], p4[:, 1], p4[:, 2],
                               p4[:, 3], charge, params.z_mag, params.pt_kick)


def cluster_weight(vertex: np.ndarray, p4_g: np.ndarray, pion_impact: tuple[np.ndarray, np.ndarray], params,
                   lkr_tables: np.ndarray) -> np.ndarray:
    """Probability (N,) that photons ``p4_g`` (N, 4) MeV from ``vertex`` (N, 3) mm give their own LKr cluster.

    (1 - miss probability with ``lkr_tables``, :func:`lkr_only_tables`) x inside the cluster octagon x at least
    ``params.lkr_track_dist`` from the pi+ impact ``pion_impact`` (x, y) (mm) on the LKr (module doc).
    """
    x, y = _impact(vertex, p4_g, 0, params)
    inside = octagon_inside(x, y, params.lkr_track_rin, params.lkr_apothem)
    apart = (x - pion_impact[0]) ** 2 + (y - pion_impact[1]) ** 2 >= params.lkr_track_dist**2
    return (1.0 - photon_miss_probability(vertex, p4_g, params, lkr_tables)) * (inside & apart)


def photon_weights(p4_x: np.ndarray, vertex: np.ndarray, p4_pi: np.ndarray, params, tables: np.ndarray,
                   rng: np.random.Generator) -> np.ndarray:
    """LKr weights of the two photons of isotropic X -> gamma gamma decays from the kaon vertex (module doc).

    Parameters
    ----------
    p4_x, p4_pi : ndarray, shape (N, 4)
        Lab four-momenta (MeV) of X and of the pi+ of the same decays.
    vertex : ndarray, shape (N, 3)
        Kaon decay vertices (mm).
    params : DetectorParams
        Of the kaon card (:func:`~na62lab.detector.params.detector_params`).
    tables : ndarray
        Its veto tables (:func:`~na62lab.detector.params.veto_tables`).
    rng : numpy.random.Generator

    Returns
    -------
    ndarray, shape (N, 2)
        Per-photon probability of a separate LKr cluster (:func:`cluster_weight`); the event weight is the row
        product.
    """
    vtx = np.ascontiguousarray(vertex, dtype=float)
    pion = _impact(vtx, p4_pi, 1, params)
    lkr = lkr_only_tables(tables)
    return np.column_stack([cluster_weight(vtx, g, pion, params, lkr) for g in decay_x(p4_x, 0.0, rng)])
