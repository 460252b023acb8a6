"""Fast detector response: geometry acceptance, resolutions, particle ID, vetoes.

Kaon mode (numba kernels; units mm, MeV, rad, ns):

- :mod:`~na62lab.detector.params`: ``detector_params(card)`` and ``veto_tables(card)``;
- :mod:`~na62lab.detector.geometry`: propagation with the STRAW-magnet kick, STRAW/LKr/MUV3
  apertures, ``in_track_acceptance`` (RICH, NewCHOD, LKr, MUV1-3), ``lav_station_hit``;
- :mod:`~na62lab.detector.scattering`: Highland core plus single-scattering tail;
- :mod:`~na62lab.detector.tracking`: STRAW hits, generalised least-squares fit with the
  scattering covariance, chi2 (kink rejection), ``momentum_resolution``;
- :mod:`~na62lab.detector.response`: ``detector_response(final_state, vertex, params, tables, rng)``;
- :mod:`~na62lab.detector.matching`: ``match_kaon(k_tracks, pi_tracks, params, rng)`` (GTK with accidentals);
- :mod:`~na62lab.detector.vetoes`: photon and extra-charged-particle miss probabilities,
  ``photon_miss_probability(vertex, p4, params, tables)``;
- :mod:`~na62lab.detector.pid`: RICH ring-angle and calorimetric pi+ identification,
  ``pion_id_probability`` (numpy) and ``pion_id_weights`` (compiled, with the RICH-momentum
  m_miss^2 window).

Beam-dump mode: :mod:`~na62lab.detector.dump_acceptance`.
"""

__all__ = [
    "dump_acceptance", "geometry", "matching", "params", "pi0_veto", "pid", "pion_pair_veto", "response",
    "scattering", "tracking", "vetoes",
]
"""Public submodules (import them by name; nothing is imported here)."""
