"""Ours against a published number, as printed: the ratio, the pull, and their text.

One home for the terminal tables (``na62lab reproduce``, :func:`na62lab.analyses.kaon_sim.print_table`) and
the HTML report's summary (:mod:`na62lab.results.report_sections`), so both print the same numbers.

- ratio = ours / published, two decimals, two significant digits below 0.095 (a ratio of 0.0029 is not
  "0.00"), and ``>= x`` against a published upper limit (ours / bound is a lower bound on the ratio);
- pull = (ours - published) / sqrt(sigma_ours^2 + sigma_pub^2): sigma_ours the reproduction's Monte Carlo
  statistical error, sigma_pub the published uncertainty on the side facing ours (its upper error when ours
  lies above, its lower error when below: for an asymmetric published error this is a convention, stated
  here, not taken from a paper).  No pull without both errors, and none against an upper limit: there the text
  says ``<= limit`` or ``above limit``.
"""

from __future__ import annotations

import math

PULL_HELP = ("pull = (ours - published) / sqrt(sigma_ours^2 + sigma_pub^2): sigma_ours the Monte Carlo statistical "
             "error of ours, sigma_pub the published uncertainty on the side of ours (upper error if ours is above, "
             "lower if below); given only where both are known; against a published upper limit no pull, "
             "'<= limit' or 'above limit'")
"""How the pull is formed, printed with every table that has a pull column."""

PublishedError = float | tuple[float, float] | list[float] | None
"""A published uncertainty: symmetric (one number), asymmetric ``(up, down)`` (both >= 0), or unknown."""


def ratio_text(ratio: float | None, published_is_upper_limit: bool = False) -> str:
    """ours / published as printed.

    Two decimals; two significant digits below 0.095 (the K3pi background row's 0.0029 printed as '0.00');
    ``>= x`` against a published upper limit.  ``-`` without a ratio.

    >>> ratio_text(0.0029), ratio_text(1.104), ratio_text(75.03, True), ratio_text(None)
    ('0.0029', '1.10', '>= 75.03', '-')
    """
    if ratio is None:
        return "-"
    text = f"{ratio:.2f}" if ratio >= 0.095 else f"{ratio:.2g}"
    return f">= {text}" if published_is_upper_limit else text


def error_text(error: PublishedError) -> str:
    """A published uncertainty as printed after its value: `` +- e`` or `` +u -d``; empty when unknown.

    >>> error_text((0.33, 0.27)), error_text((0.05, 0.05)), error_text(0.29e-12), error_text(None)
    (' +0.33 -0.27', ' +- 0.05', ' +- 2.9e-13', '')
    """
    if isinstance(error, (int, float)) and not isinstance(error, bool):
        return f" +- {error:.2g}"
    if isinstance(error, (list, tuple)) and len(error) == 2:
        up, down = error
        return f" +- {up:.2g}" if up == down else f" +{up:.2g} -{down:.2g}"
    return ""


def _side(published_error: PublishedError, above: bool) -> float | None:
    """The published error on the side of ours (``above``: ours > published): the up error, else the down one."""
    if published_error is None:
        return None
    if isinstance(published_error, (tuple, list)):
        up, down = published_error
        return float(up if above else down)
    return float(published_error)


def pull(ours: float | None, ours_error: float | None, published: float | None,
         published_error: PublishedError, published_is_upper_limit: bool = False) -> float | None:
    """(ours - published) / sqrt(ours_error^2 + sigma_pub^2), sigma_pub the published error facing ours.

    Parameters
    ----------
    ours, published : float or None
        The two values (same units).
    ours_error : float or None
        Statistical (Monte Carlo) error of ours, same units.
    published_error : float, (up, down) or None
        Published uncertainty, same units (see :data:`PublishedError`).
    published_is_upper_limit : bool
        The published number is an upper limit: no pull (``None``).

    Returns
    -------
    float or None
        The pull, or None when either error is unknown, the combined error is not > 0, or the published
        number is a limit.

    >>> round(pull(1.2, 0.3, 0.89, (0.33, 0.27)), 3)      # ours above: the upper error 0.33
    0.695
    >>> pull(0.075, 0.01, 0.001, None, True) is None
    True
    """
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (ours, published, ours_error))
    if published_is_upper_limit or not numbers:
        return None
    assert ours is not None and published is not None and ours_error is not None
    side = _side(published_error, ours > published)
    if side is None:
        return None
    sigma = math.hypot(float(ours_error), side)
    return (ours - published) / sigma if sigma > 0 and math.isfinite(sigma) else None


def pull_text(value: float | None, ours: float | None = None, published: float | None = None,
              published_is_upper_limit: bool = False) -> str:
    """The pull as printed: one decimal with its sign; against an upper limit ``<= limit`` / ``above limit``.

    >>> pull_text(-2.04), pull_text(None), pull_text(None, 0.075, 0.001, True), pull_text(None, 0.0, 0.001, True)
    ('-2.0', '-', 'above limit', '<= limit')
    """
    if published_is_upper_limit:
        if not all(isinstance(x, (int, float)) for x in (ours, published)):
            return "-"
        assert ours is not None and published is not None
        return "<= limit" if ours <= published else "above limit"
    return "-" if value is None else f"{value:+.1f}"
