"""Feebly-interacting particles: dark photon, dark scalar, ALPs, heavy neutral leptons.

Every model implements :class:`na62lab.fips.base.FIPModel` (mass in MeV,
couplings in the model's convention, widths in MeV, c*tau in mm), vectorised
over numpy grids of masses and couplings.  Get one by name:

>>> from na62lab.fips import get_model
>>> model = get_model("dark-photon")
>>> model.coupling_name
'epsilon'

Registry names and couplings:

=======================  ==================  ==========================================
name                     coupling            meaning
=======================  ==================  ==========================================
dark-photon              epsilon             kinetic mixing (BC1)
dark-photon-invisible    epsilon             BC2, options alpha_d, mchi_ratio
dark-scalar              theta               Higgs mixing angle (BC4; BC5 via br_h_ss)
alp-photon               g_agg_GeV^-1        ALP-photon coupling (BC9)
alp-fermion              g_Y                 c_ff/Lambda * v (shift-symmetric), PBC BC10
alp-gluon                inv_fG_GeV^-1       1/f_G = 32 pi^2 C_GG/Lambda, PBC BC11
hnl-e, hnl-mu, hnl-tau   U2                  |U_l|^2 (BC6, BC7, ...); widths scale as U2
=======================  ==================  ==========================================

User models (:mod:`na62lab.fips.user_models`): ``get_model("path/to/file.py:ClassName")``,
``get_model("package.module:ClassName")``, a plug-in name (entry-point group
``na62lab.models``) or a model-independent table ``get_model("table.yaml")``
(:mod:`na62lab.fips.table_model`).
"""

from __future__ import annotations

from collections.abc import Callable

from na62lab.errors import InputError
from na62lab.fips.base import FIPModel

__all__ = ["FIPModel", "get_model", "model_names", "register", "resolve_model"]


def _dark_photon(**options) -> FIPModel:
    from na62lab.fips.dark_photon import DarkPhoton
    return DarkPhoton(**options)


def _dark_photon_invisible(**options) -> FIPModel:
    from na62lab.fips.dark_photon import DarkPhoton
    return DarkPhoton(invisible=True, **options)


_FACTORIES: dict[str, Callable[..., FIPModel]] = {
    "dark-photon": _dark_photon,
    "dark-photon-invisible": _dark_photon_invisible,
}


def register(name: str, factory: Callable[..., FIPModel]) -> None:
    """Add a model factory under ``name`` (used by the model modules and by user code)."""
    _FACTORIES[name] = factory


def model_names() -> list[str]:
    """Names accepted by :func:`get_model`."""
    _load_all()
    return list(_FACTORIES)


def _load_all() -> None:
    import importlib

    for module in ("dark_scalar", "alp", "hnl"):
        try:
            importlib.import_module(f"na62lab.fips.{module}")
        except ModuleNotFoundError as exc:  # model module not written yet
            if exc.name != f"na62lab.fips.{module}":
                raise


def get_model(name: str, **options) -> FIPModel:
    """Return the FIP model registered as ``name``, built with ``options``.

    Raises
    ------
    InputError
        If ``name`` is not a registered model (the message lists them) or an
        option is not accepted by the model.
    """
    _load_all()
    if name not in _FACTORIES:
        return resolve_model(name, **options)
    try:
        return _FACTORIES[name](**options)
    except TypeError as exc:
        raise InputError("options", sorted(options), f"options accepted by {name} ({exc})") from None


def resolve_model(spec: str, **options) -> FIPModel:
    """A model from a registered name, ``file.py:Class``, ``module:Class``, a plug-in or a table.

    See :mod:`na62lab.fips.user_models`; used by every ``--model`` option (dump
    sensitivity, kaon-mode recast).
    """
    from na62lab.fips.user_models import resolve_model as _resolve

    return _resolve(spec, **options)
