"""Card of the inputs to the SM prediction of BR(K+ -> pi+ nu nubar).

Defaults: CKM inputs of Buras & Venturini, EPJC 82 (2022) 615
(|V_cb| = 42.6(4) x 1e-3, gamma = 64.6(16) deg, beta = 22.2(7) deg), with
lambda = |V_us| = 0.225; X_t = 1.462(17) (Brod, Gorbahn, Stamou, PRD 83 (2011)
034030); P_c = 0.405(24) including the long-distance delta P_{c,u}
(Isidori, Mescia, Smith NPB 718 (2005) 319); kappa_+ = 5.173(25) x 1e-11
(lambda/0.225)^8 and Delta_EM = -0.003 (Mescia & Smith, PRD 76 (2007) 034017).
All errors are 1 sigma and treated as independent Gaussians.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from na62lab.config.base import Card


class PinunuSMInputs(Card):
    """Inputs of the Buras formula for BR(K+ -> pi+ nu nubar) (dimensionless unless stated)."""

    lam: float = Field(0.225, gt=0.2, lt=0.25, description="Wolfenstein lambda = |V_us|")
    lam_err: float = Field(0.0, ge=0)
    vcb: float = Field(42.6e-3, gt=0.03, lt=0.06, description="|V_cb|")
    vcb_err: float = Field(0.4e-3, ge=0)
    beta_deg: float = Field(22.2, gt=0, lt=90, description="CKM angle beta (degrees)")
    beta_deg_err: float = Field(0.7, ge=0)
    gamma_deg: float = Field(64.6, gt=0, lt=180, description="CKM angle gamma (degrees)")
    gamma_deg_err: float = Field(1.6, ge=0)
    x_t: float = Field(1.462, gt=0, lt=10, description="top-quark loop function X_t")
    x_t_err: float = Field(0.017, ge=0)
    p_c: float = Field(0.405, gt=0, lt=10, description="charm contribution P_c incl. long distance")
    p_c_err: float = Field(0.024, ge=0)
    kappa_plus: float = Field(5.173e-11, gt=0, description="kappa_+ at lambda = 0.225")
    kappa_plus_err: float = Field(0.025e-11, ge=0)
    delta_em: float = Field(-0.003, gt=-0.1, lt=0.1, description="QED correction Delta_EM")

    @model_validator(mode="after")
    def _small_errors(self) -> "PinunuSMInputs":
        """Linear error propagation needs each 1 sigma error below its value (x_t, p_c < 10 and these bounds
        only catch typos: --x-t 1e300 or --p-c-error 1e300 overflowed, exit 70)."""
        for name in ("lam", "vcb", "beta_deg", "gamma_deg", "x_t", "p_c", "kappa_plus"):
            err = getattr(self, f"{name}_err")
            if not err < getattr(self, name):
                raise ValueError(f"{name}_err below {name} ({err:g} >= {getattr(self, name):g}; linear error "
                                 "propagation)")
        return self
