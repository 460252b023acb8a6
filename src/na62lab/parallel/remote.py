"""Dask scheduler addresses: parsed, probed with a deadline, connected with a timeout.

A wrong ``--scheduler`` fails within :data:`PROBE_SECONDS` + :data:`IDENTITY_SECONDS`
with one line: a malformed address (``notanaddress``, ``http://...``), a
closed or unreachable port, or a service that is not a Dask scheduler (an
HTTP server on the port used to hang the client for more than ten minutes:
the Dask handshake has no deadline of its own, so the probe asks the
service for its identity under ``asyncio.wait_for``).
"""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit

from na62lab.errors import InputError

PROBE_SECONDS = 3.0
"""TCP connect deadline (s)."""
IDENTITY_SECONDS = 4.0
"""Deadline (s) for the service to answer the Dask ``identity`` request."""
SCHEMES = ("tcp", "tls")
ALLOWED = "a Dask scheduler address tcp://HOST:PORT (or HOST:PORT, tls://HOST:PORT)"


def parse_address(address: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of a scheduler address; :class:`InputError` if malformed.

    Examples
    --------
    >>> parse_address("tcp://10.0.0.1:8786")
    ('tcp', '10.0.0.1', 8786)
    >>> parse_address("node7:8786")
    ('tcp', 'node7', 8786)
    """
    text = str(address).strip()
    if not text or any(c.isspace() for c in text):
        raise InputError("--scheduler", address, ALLOWED)
    parts = urlsplit(text if "://" in text else f"tcp://{text}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in SCHEMES or not parts.hostname or port is None or not 0 < port < 65536 \
            or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise InputError("--scheduler", address, ALLOWED)
    return parts.scheme, parts.hostname, port


def _tcp_probe(address: str, host: str, port: int) -> None:
    try:
        with socket.create_connection((host, port), timeout=PROBE_SECONDS):
            pass
    except socket.gaierror:
        raise InputError("--scheduler", address, f"{ALLOWED} (host {host!r} is unknown)") from None
    except (TimeoutError, socket.timeout):
        raise InputError("--scheduler", address, f"{ALLOWED} (no answer from {host}:{port} within "
                         f"{PROBE_SECONDS:g} s)") from None
    except OSError as exc:
        raise InputError("--scheduler", address, f"{ALLOWED} (nothing listens on {host}:{port}: "
                         f"{exc.strerror or exc})") from None


async def _identity(address: str) -> dict:
    from distributed.comm import connect

    comm = await connect(address, timeout=PROBE_SECONDS)
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        comm.abort()


def check_scheduler(address: str) -> str:
    """Check that ``address`` is a running Dask scheduler; return it as ``scheme://host:port``.

    Raises
    ------
    InputError
        Within about 7 s, one line: malformed address, nothing listening,
        or a service that does not answer as a Dask scheduler.
    """
    if str(address).startswith("inproc://"):
        return str(address)  # a scheduler in this process (tests, notebooks): nothing to probe
    scheme, host, port = parse_address(address)
    _tcp_probe(address, host, port)
    url = f"{scheme}://{host}:{port}"
    if scheme != "tcp":
        return url  # TLS needs the cluster's security settings: the client's own timeout applies
    try:
        reply = asyncio.run(asyncio.wait_for(_identity(url), IDENTITY_SECONDS))
    except ImportError:  # pragma: no cover - depends on extras
        raise InputError("--scheduler", address, "an address, with na62lab[dask] installed") from None
    except (TimeoutError, asyncio.TimeoutError, OSError, ValueError, TypeError, EOFError) as exc:
        raise InputError("--scheduler", address, f"{ALLOWED} (the service on {host}:{port} does not "
                         f"answer as a Dask scheduler: {type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - distributed raises its own types on garbage
        raise InputError("--scheduler", address, f"{ALLOWED} (the service on {host}:{port} does not "
                         f"answer as a Dask scheduler: {type(exc).__name__})") from None
    if not isinstance(reply, dict) or reply.get("type") != "Scheduler":
        raise InputError("--scheduler", address, f"{ALLOWED} (the service on {host}:{port} is not a "
                         "Dask scheduler)")
    return url
