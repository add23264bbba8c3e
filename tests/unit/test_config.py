from pathlib import Path

import pytest

from core.config import SettingsError, describe, load_settings


def test_defaults_without_environment() -> None:
    s = load_settings({})
    assert s.db == Path("data/tonewatch.duckdb")
    assert s.dashboard_host == "127.0.0.1"
    assert s.allow_private_networks is False


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("TONEWATCH_DB", "/tmp/x.duckdb", "db", Path("/tmp/x.duckdb")),
        ("TONEWATCH_POLL_SECONDS", "5", "poll_seconds", 5),
        ("TONEWATCH_ALLOW_PRIVATE_NETWORKS", "yes", "allow_private_networks", True),
        ("TONEWATCH_FETCH_TIMEOUT_SECONDS", "2.5", "fetch_timeout_seconds", 2.5),
        ("TONEWATCH_REPORT_TIME", "23:59", "report_time", "23:59"),
    ],
)
def test_environment_overrides(variable: str, value: str, field: str, expected: object) -> None:
    assert getattr(load_settings({variable: value}), field) == expected


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TONEWATCH_POLL_SECONDS", "soon"),
        ("TONEWATCH_POLL_SECONDS", "0"),
        ("TONEWATCH_ALLOW_PRIVATE_NETWORKS", "maybe"),
        ("TONEWATCH_REPORT_TIME", "25:00"),
        ("TONEWATCH_LOG_LEVEL", "LOUD"),
    ],
)
def test_bad_value_names_the_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_settings({variable: value})


def test_explicit_override_beats_environment() -> None:
    s = load_settings({"TONEWATCH_DB": "/a.duckdb"}, db=Path("/b.duckdb"))
    assert s.db == Path("/b.duckdb")


def test_describe_lists_every_setting_once() -> None:
    names = [name for name, _ in describe(load_settings({}))]
    assert len(names) == len(set(names))
    assert "TONEWATCH_DB" in names and "TONEWATCH_ALLOW_PRIVATE_NETWORKS" in names


def test_secrets_are_hidden_from_the_config_dump() -> None:
    values = dict(describe(load_settings({"TONEWATCH_DASHBOARD_PASSWORD": "s3cret"})))
    assert values["TONEWATCH_DASHBOARD_PASSWORD"] == "(set, hidden)"
    assert "s3cret" not in str(values)
