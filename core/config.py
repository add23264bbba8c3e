"""Settings: one frozen dataclass, defaults in code, TONEWATCH_* environment variables override."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from core.errors import UserFacingError

ENV_PREFIX = "TONEWATCH_"


class SettingsError(UserFacingError, ValueError):
    """A setting has a value we cannot use; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Every knob of Tonewatch. Each field is documented in the README's Configuration table."""

    db: Path = Path("data/tonewatch.duckdb")
    data_dir: Path = Path("data")
    poll_seconds: int = 60
    default_interval_minutes: int = 30
    max_backoff_minutes: int = 1440
    error_limit: int = 50
    fetch_timeout_seconds: float = 10.0
    fetch_deadline_seconds: float = 10.0
    max_feed_bytes: int = 10_000_000
    max_redirects: int = 5
    fetch_concurrency: int = 32
    per_host_concurrency: int = 2
    score_workers: int = 2
    user_agent: str = "Tonewatch/0.1 (news tone monitor; +https://github.com/tonewatch/tonewatch)"
    allow_private_networks: bool = False
    lock_timeout_seconds: float = 30.0
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = 8501
    dashboard_password: str = ""
    report_time: str = "06:00"
    min_articles: int = 5
    keep_unmatched_text: bool = False
    tone_engine: str = "vader"
    text_retention_days: int = 0
    alert_spike_p_value: float = 0.001
    alert_min_articles: int = 5
    alert_tone_z: float = 3.0
    alert_min_tone_change: float = 0.2
    webhook_url: str = ""
    log_level: str = "INFO"

    @property
    def failed_dir(self) -> Path:
        """Folder where unparseable feed bodies are kept for inspection."""
        return self.data_dir / "failed"

    @property
    def reports_dir(self) -> Path:
        """Folder where the scheduled daily reports are written."""
        return self.data_dir / "reports"


def _convert(name: str, raw: str, kind: Any) -> Any:
    env_name = ENV_PREFIX + name.upper()
    try:
        if kind in (bool, "bool"):
            lowered = raw.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if kind in (int, "int"):
            return int(raw)
        if kind in (float, "float"):
            return float(raw)
        if kind in (Path, "Path"):
            return Path(raw).expanduser()
        return raw
    except ValueError:
        raise SettingsError(
            f"{env_name}={raw!r} is not a valid {getattr(kind, '__name__', kind)}"
        ) from None


def _validate(settings: Settings) -> None:
    positive = (
        "poll_seconds",
        "default_interval_minutes",
        "max_backoff_minutes",
        "error_limit",
        "max_feed_bytes",
        "fetch_concurrency",
        "per_host_concurrency",
        "score_workers",
        "dashboard_port",
        "fetch_timeout_seconds",
        "fetch_deadline_seconds",
        "lock_timeout_seconds",
    )
    for name in positive:
        if getattr(settings, name) <= 0:
            raise SettingsError(f"{ENV_PREFIX}{name.upper()} must be greater than zero")
    if settings.tone_engine not in ("vader", "learned"):
        raise SettingsError(f"{ENV_PREFIX}TONE_ENGINE must be vader or learned")
    if settings.text_retention_days < 0:
        raise SettingsError(f"{ENV_PREFIX}TEXT_RETENTION_DAYS must be zero (keep) or more")
    if settings.max_redirects < 0:
        raise SettingsError(f"{ENV_PREFIX}MAX_REDIRECTS must be zero or more")
    hour, _, minute = settings.report_time.partition(":")
    if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise SettingsError(
            f"{ENV_PREFIX}REPORT_TIME must look like HH:MM, got {settings.report_time!r}"
        )
    if settings.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError(f"{ENV_PREFIX}LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Return the effective settings: defaults, then TONEWATCH_* variables, then overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(ENV_PREFIX + f.name.upper())
        if raw is not None and raw != "":
            values[f.name] = _convert(f.name, raw, f.type)
    values.update({k: v for k, v in overrides.items() if v is not None})
    if "db" in values:
        values["db"] = Path(values["db"])
    settings = Settings(**values)
    _validate(settings)
    return settings


SECRET_FIELDS = frozenset({"dashboard_password", "webhook_url"})


def describe(settings: Settings) -> list[tuple[str, str]]:
    """Return (environment variable, value) pairs for `tonewatch config`, secrets hidden."""
    pairs = []
    for f in fields(settings):
        value = str(getattr(settings, f.name))
        if f.name in SECRET_FIELDS and value:
            value = "(set, hidden)"
        pairs.append((ENV_PREFIX + f.name.upper(), value))
    return pairs


def with_changes(settings: Settings, **changes: Any) -> Settings:
    """Return a copy of settings with some fields replaced, validated again."""
    updated = dataclasses.replace(settings, **changes)
    _validate(updated)
    return updated
