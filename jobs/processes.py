"""Start the jobs process and the dashboard side by side, and stop both together."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Mapping, Sequence
from importlib import util
from pathlib import Path

from core.access import start_problem
from core.config import Settings
from core.errors import UserFacingError

log = logging.getLogger(__name__)
STOP_GRACE_SECONDS = 10.0


def dashboard_entry() -> Path:
    """Return the path of the Streamlit entry file."""
    spec = util.find_spec("dashboard")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).with_name("app.py")


def oidc_configured(folders: Sequence[Path] = ()) -> bool:
    """True when a Streamlit secrets file configures OIDC sign-in (an [auth] table)."""
    candidates = [*folders, Path.cwd(), Path.home(), dashboard_entry().parent]
    for folder in candidates:
        path = folder / ".streamlit" / "secrets.toml"
        try:
            if "auth" in tomllib.loads(path.read_text(encoding="utf-8")):
                return True
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return False


def check_exposure(settings: Settings, insecure: bool) -> None:
    """Refuse to serve the dashboard beyond this machine with no way to sign in."""
    problem = start_problem(
        settings.dashboard_host, bool(settings.dashboard_password), oidc_configured(), insecure
    )
    if problem:
        raise ExposureError(problem)


class ExposureError(UserFacingError, RuntimeError):
    """The dashboard would be open to the network with no sign-in."""


def dashboard_command(settings: Settings) -> list[str]:
    """Return the command line that serves the dashboard on the configured address."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(dashboard_entry()),
        "--server.address",
        settings.dashboard_host,
        "--server.port",
        str(settings.dashboard_port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--global.developmentMode",
        "false",
        "--client.showErrorDetails",
        "none",
        "--client.toolbarMode",
        "minimal",
    ]


def jobs_command(settings: Settings) -> list[str]:
    """Return the command line of the jobs process for the same database."""
    return [sys.executable, "-m", "jobs", "--db", str(settings.db), "jobs"]


def child_environment(settings: Settings, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment for child processes: ours, with the database path pinned."""
    env = dict(os.environ)
    env["TONEWATCH_DB"] = str(settings.db.resolve())
    env.update(extra or {})
    return env


def supervise(commands: Sequence[list[str]], env: Mapping[str, str]) -> int:
    """Run the commands until one exits or we are told to stop; return an exit code."""
    children = [subprocess.Popen(cmd, env=dict(env)) for cmd in commands]
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
    finally:
        _stop_all(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
    return 0 if stopping or not failed else 1


def _stop_all(children: Sequence[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
