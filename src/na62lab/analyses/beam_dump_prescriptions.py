"""The BC1 2021 contour re-run under the NA62 references' apparent bremsstrahlung prescriptions, and the
form-factor systematic of its closing mass (the lines ``na62lab reproduce`` prints under the BC1 validation
tables, :func:`na62lab.analyses.beam_dump._validation`).

Each run changes only ``production`` of the card (``brems_form_factor``, and for the PRL 2024 drawing
FairShip's FWW range: :data:`na62lab.analyses.beam_dump_validation.PRL_PRESCRIPTION` and its neighbours); it
is labelled a reproduction of the reference's assumption, never our physics default (faessler, arXiv:0910.5589).
"""

from __future__ import annotations

from pathlib import Path

from na62lab.analyses.beam_dump import sensitivity
from na62lab.config.dump import DumpCard


def _rerun(card: DumpCard, production: dict, run: tuple[int, int], ref: tuple[Path, tuple], reference: str,
           m_range: tuple[float, float] | None = None, channels: list[str] | None = None) -> dict:
    """:func:`~na62lab.analyses.beam_dump_validation.validate` of the BC1 contour of ``card`` with its
    ``production`` updated (``run`` = (grid size, workers); ``ref`` = (reference curve, masses in GeV))."""
    from na62lab.analyses import beam_dump_validation as val

    prod = card.production.model_copy(update=production)
    res = sensitivity("dark-photon", card.model_copy(update={"production": prod}), run[0], run[0], m_range,
                      channels=channels, workers=run[1])
    return val.validate(res, ref[0], ref[1], reference)


def reproduction(table: dict, card: DumpCard, prescription: dict, run: tuple[int, int], ref: tuple[Path, tuple],
                 quoted: tuple, m_range: tuple[float, float] | None = None, channels: list[str] | None = None) -> None:
    """Add to the validation ``table`` the same BC1 contour with a reference's apparent bremsstrahlung prescription.

    ``prescription`` holds ``production`` updates (:data:`beam_dump_validation.EPJC_PRESCRIPTION` for EPJC 85
    (2025) 571, ``PRL_PRESCRIPTION`` for PRL 133 (2024) 111802, ``MUMU_PRESCRIPTION`` for JHEP 09 (2023) 035);
    ``run`` = (grid size, workers); ``ref`` = (reference curve, masses of the table in GeV); ``quoted``: masses
    (GeV) of the one-line summary.  The rows go under ``apparent_form_factor`` or ``no_form_factor``, the line
    (labelled a reproduction, not our default) under ``reproduction``.  A form factor only scales the rate, so
    the cached efficiency tables of the default run are reused (48 x 48, warm: ~1.5 s for all final states,
    ~1.2 s for both di-lepton tables); FairShip's FWW range (PRL) has tables of its own (cold: ~4 s more).
    """
    from na62lab.analyses import beam_dump_validation as val

    alt = _rerun(card, prescription, run, ref, table["reference"], m_range, channels)
    apparent = prescription["brems_form_factor"] == val.APPARENT_FORM_FACTOR
    note = (val.apparent_form_factor_note(alt, quoted) if apparent
            else val.no_form_factor_note(alt, quoted, prescription))
    table.update({"reproduction": note, "apparent_form_factor" if apparent else "no_form_factor":
                  {**{k: alt[k] for k in ("m_max", "m_close", "rows")}, "production": dict(prescription)}})


def form_factor_systematic(table: dict, card: DumpCard, run: tuple[int, int], ref: Path) -> None:
    """Add the closing mass with the U&A form factor and the one-line form-factor systematic to ``table`` (the
    BC1 all-final-state validation, with its ``apparent_form_factor`` run): one more run, efficiency tables
    reused (48 x 48, warm ~1.5-2.5 s on 2 workers)."""
    from na62lab.analyses import beam_dump_validation as val

    ua = _rerun(card, {"brems_form_factor": "ua_model"}, run, (ref, val.VALIDATION_MASSES_GEV), table["reference"])
    table["ua_model"] = {k: ua[k] for k in ("m_max", "m_close", "rows")}
    closing = {"faessler": table, val.APPARENT_FORM_FACTOR: table["apparent_form_factor"], "ua_model": ua}
    table["form_factor_systematic"] = val.form_factor_systematic_note(closing, table["m_max_ref"])
