"""The 2 x 2 y-view errors of the Gaussian track fit equal the padded 3 x 3 computation, number for number."""

import numpy as np

from na62lab.config.kaon import KaonCard
from na62lab.detector.params import detector_params
from na62lab.detector.tracking import _gaussian_errors, _gaussian_errors_y, _normal_matrix, fit_constant_array
from na62lab.physics.fastrng import new_state
from na62lab.physics.jit import njit


@njit(cache=False)
def _both(lams, sigma2, fc, st_a, st_b):
    out = np.empty((lams.shape[0], 4))
    for i in range(lams.shape[0]):
        m00, m01, m02, m11, m12, m22 = _normal_matrix(lams[i], sigma2, fc, False)
        out[i, 0], out[i, 1], _ = _gaussian_errors(m00, m01, m02, m11, m12, m22, st_a, False)
        out[i, 2], out[i, 3] = _gaussian_errors_y(lams[i], sigma2, fc, st_b)
    return out


def test_y_view_errors_are_bit_identical_to_the_padded_system():
    d = detector_params(KaonCard())
    p = np.geomspace(5e3, 80e3, 2000)                                   # MeV
    lams = (d.straw_t0p / p) ** 2 / d.chamber_sigma**2
    st = new_state(np.random.default_rng(11))
    out = _both(lams, d.chamber_sigma**2, fit_constant_array(d), st.copy(), st.copy())
    assert np.array_equal(out[:, :2], out[:, 2:])
    assert np.all(np.isfinite(out)) and np.std(out[:, 0]) > 0
