"""`precedent app` passes its settings to the app through the environment, and picks the port."""

from __future__ import annotations

from pathlib import Path

from app.launch import APP_SCRIPT, app_command, app_environment
from index.settings import Settings, load_settings


def test_environment_round_trips_every_setting(tmp_path):
    settings = Settings(
        documents_dir=tmp_path / "docs",
        index_dir=Path("relative/index"),
        model="/models/x",
        passage_tokens=150,
    )
    environment = app_environment(settings, base={"PATH": "/bin"})
    loaded = load_settings(config_file=tmp_path / "none.toml", environ=environment)
    assert loaded == settings.with_overrides(index_dir=Path("relative/index").resolve())
    assert environment["PATH"] == "/bin"


def test_command_runs_the_app_script_headless_on_the_port():
    command = app_command(8765)
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4] == str(APP_SCRIPT)
    assert command[command.index("--server.port") + 1] == "8765"
    assert command[command.index("--server.headless") + 1] == "true"
    assert "--server.port" not in app_command(None)
