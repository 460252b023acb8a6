"""Remote workers (issue 18, item 3): a wrong or dead scheduler fails within 10 s with one line, every command.

Fake services: a TCP server that accepts and never answers, ``http.server``
(it used to hang the Dask client for more than ten minutes), a closed port,
and malformed addresses.  The commands are found by walking the CLI for a
``scheduler`` parameter, so a new command with ``--scheduler`` is covered
(or fails here until it is given minimal arguments in :data:`MINIMAL`).
"""

from __future__ import annotations

import http.server
import socket
import socketserver
import threading
import time

import pytest
import typer

from na62lab.cli.main import _register, app
from tests.reliability.conftest import assert_clean_refusal, run_cli

MINIMAL = {"simulate kaon": ["--decays", "1000", "--quiet"], "sensitivity": ["--model", "dark-photon"]}
"""Minimal valid arguments of each command with a ``--scheduler`` option."""


def scheduler_commands() -> list[str]:
    _register()
    found = []

    def walk(group, prefix=""):
        for name, cmd in getattr(group, "commands", {}).items():
            path = f"{prefix} {name}".strip()
            if hasattr(cmd, "commands"):
                walk(cmd, path)
            elif any(p.name == "scheduler" for p in cmd.params):
                found.append(path)
    walk(typer.main.get_command(app))
    return sorted(found)


COMMANDS = scheduler_commands()


def test_every_scheduler_command_is_covered():
    assert COMMANDS, "no command takes --scheduler"
    assert set(COMMANDS) <= set(MINIMAL), f"give minimal arguments for {set(COMMANDS) - set(MINIMAL)}"


@pytest.fixture(scope="module")
def silent_server():
    """A TCP server that accepts connections and never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                continue
    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield f"tcp://127.0.0.1:{srv.getsockname()[1]}"
    stop.set()
    t.join(2)
    for c in held:
        c.close()
    srv.close()


@pytest.fixture(scope="module")
def http_server():
    """``python3 -m http.server`` on a free port."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Quiet)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"tcp://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _closed_port() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"tcp://127.0.0.1:{port}"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", ["notanaddress", "http", "closed", "silent", "http.server"])
def test_bad_scheduler_fails_fast(command, kind, tmp_path, silent_server, http_server, monkeypatch):
    """Issue 18: http.server hung > 10 min; notanaddress and http://... gave tracebacks; a closed port took 12 s
    and left an empty --out folder; sensitivity ignored the scheduler when its cache was warm.

    The identity deadline is shortened to 1 s here for speed except for the first command, which runs
    with the shipped deadline.
    """
    from na62lab.parallel import remote

    if command != COMMANDS[0]:
        monkeypatch.setattr(remote, "IDENTITY_SECONDS", 1.0)
    address = {"notanaddress": "notanaddress", "http": "http://127.0.0.1:8786", "closed": _closed_port(),
               "silent": silent_server, "http.server": http_server}[kind]
    out = tmp_path / "out"
    argv = [*command.split(), *MINIMAL[command], "--scheduler", address, "--out", str(out)]
    t0 = time.monotonic()
    code, _, err = run_cli(argv)
    elapsed = time.monotonic() - t0
    assert_clean_refusal(argv, code, err, out)
    assert "--scheduler" in err
    assert elapsed < 10.0, f"{elapsed:.1f} s"


def test_real_scheduler_passes_the_probe():
    """The probe accepts a real Dask scheduler, and shards run on it."""
    distributed = pytest.importorskip("distributed")
    from na62lab.parallel import map_shards
    from na62lab.parallel.remote import check_scheduler

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  protocol="tcp", dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert check_scheduler(address) == address
        assert check_scheduler(address.removeprefix("tcp://")) == address
        assert map_shards(pow, [(2, 3), (3, 2)], scheduler=address) == [8, 9]
