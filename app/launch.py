"""`precedent app`: start the browser app on this computer with the command line's settings."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import fields
from pathlib import Path

from app.uploads import MAX_UPLOAD_MB
from index.settings import Settings

APP_SCRIPT = Path(__file__).resolve().parent / "streamlit_app.py"


def app_environment(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment with every setting as PRECEDENT_*, which load_settings reads back."""
    environment = dict(os.environ if base is None else base)
    for field in fields(Settings):
        value = getattr(settings, field.name)
        text = str(value.expanduser().resolve()) if isinstance(value, Path) else str(value)
        environment[f"PRECEDENT_{field.name.upper()}"] = text
    environment.setdefault("HF_HUB_OFFLINE", "1")
    return environment


def app_command(port: int | None = None, address: str = "localhost") -> list[str]:
    """`streamlit run` for this computer only (uploads and edits are not for the whole network)."""
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_SCRIPT),
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.maxUploadSize",
        str(MAX_UPLOAD_MB),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]
    if port is not None:
        command += ["--server.port", str(port)]
    return command


def start_app(
    settings: Settings, port: int | None = None, address: str = "localhost", log: Path | None = None
) -> subprocess.Popen:
    """The app's server process, started in the background (for run_app, tests and benchmarks);
    its output goes to `log` when given, else to this terminal."""
    if log is None:
        return subprocess.Popen(app_command(port, address), env=app_environment(settings))
    with log.open("ab") as output:
        return subprocess.Popen(
            app_command(port, address),
            env=app_environment(settings),
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_until_ready(process: subprocess.Popen, port: int, timeout: float = 60.0) -> None:
    """Return once the server answers its health check; raise if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the app exited with status {process.returncode} before it was ready"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the app did not answer on port {port} within {timeout:.0f} s")


def stop_app(process: subprocess.Popen, timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


def run_app(settings: Settings, port: int | None = None) -> int:
    """Run the app until it is stopped (Ctrl+C); returns its exit status. Default port: 8501."""
    process = start_app(settings, port)
    try:
        return process.wait()
    except KeyboardInterrupt:
        stop_app(process)
        return 130
