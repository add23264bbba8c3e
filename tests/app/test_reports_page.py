"""The reports page previews and offers exactly the CSV the CLI builds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from core.config import Settings
from core.reports import ReportRequest, to_csv
from dashboard import data
from storage.db import connect
from storage.reports import report_rows
from tests.app.conftest import open_page


def _cli_rows(
    settings: Settings, kind: str, days: int
) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    today = datetime.now(UTC).date()
    with connect(settings) as conn:
        request = ReportRequest(kind, today - timedelta(days=days - 1), today)
        columns, rows = report_rows(conn, request, data.country_name)
    return tuple(columns), rows


@pytest.mark.parametrize("kind", ["country-daily", "articles", "mentions"])
def test_the_preview_shows_the_cli_rows(seeded: Settings, kind: str) -> None:
    at = open_page("reports")
    at.radio(key="report_kind").set_value(kind).run()
    assert not at.exception and not at.error
    columns, rows = _cli_rows(seeded, kind, 30)
    shown = at.dataframe[0].value
    assert tuple(shown.columns) == columns
    expected = pd.DataFrame(rows, columns=list(columns)).head(200)
    assert len(shown) == len(expected) > 0
    assert [str(v) for v in shown.iloc[:, 0]] == [str(v) for v in expected.iloc[:, 0]]
    assert any(f"{len(rows):,} rows" in str(c.value) for c in at.caption)


def test_the_download_is_the_cli_csv(seeded: Settings) -> None:
    today = datetime.now(UTC).date()
    start = today - timedelta(days=29)
    columns, rows = _cli_rows(seeded, "mentions", 30)
    offered = data.report("mentions", start, today, ()).csv()
    assert offered == to_csv(columns, rows)
    assert offered.splitlines()[0].decode() == ",".join(columns)


def test_a_country_filter_narrows_the_report(seeded: Settings) -> None:
    at = open_page("reports")
    everything = len(at.dataframe[0].value)
    at.multiselect(key="report_countries").select("FRA").run()
    only_france = at.dataframe[0].value
    assert 0 < len(only_france) < everything
    assert set(only_france["iso3"]) == {"FRA"}


def test_scheduled_report_files_are_listed_for_download(seeded: Settings) -> None:
    folder = seeded.reports_dir
    folder.mkdir(parents=True)
    (folder / "country-daily-2026-01-01.csv").write_text("date,iso3\n2026-01-01,FRA\n")
    at = open_page("reports")
    assert any(t.value == "country-daily-2026-01-01.csv" for t in at.text)
    assert [b for b in at.get("download_button") if b.proto.label == "Download"]


def test_a_long_per_article_report_is_built_on_request(seeded: Settings) -> None:
    at = open_page("reports")
    at.radio(key="report_kind").set_value("mentions").run()
    at.date_input(key="report_period").set_value(
        (datetime.now(UTC).date() - timedelta(days=59), datetime.now(UTC).date())
    ).run()
    assert not at.dataframe  # 60 days of mentions: nothing built until asked
    at.checkbox(key="report_build_large").check().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 200
