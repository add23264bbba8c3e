"""The `tonewatch` command's contract: feeds, OPML, import, reports, errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.config import Settings
from core.reports import REPORT_COLUMNS
from jobs.cli import main
from tests.conftest import REAL_FEEDS, SAMPLES
from tests.support.feed_server import FeedServer


def run(settings: Settings, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(settings.db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_feeds_add_list_disable_enable_remove(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        settings,
        capsys,
        "feeds",
        "add",
        "https://example.org/rss.xml",
        "--title",
        "Example",
        "--every",
        "15",
    )
    assert code == 0 and "Added feed 1" in out
    code, out, _ = run(settings, capsys, "feeds", "list")
    assert "https://example.org/rss.xml" in out and "enabled" in out and "15m" in out
    assert run(settings, capsys, "feeds", "disable", "1")[0] == 0
    assert "paused" in run(settings, capsys, "feeds", "list")[1]
    assert run(settings, capsys, "feeds", "enable", "1")[0] == 0
    assert "enabled" in run(settings, capsys, "feeds", "list")[1]
    assert run(settings, capsys, "feeds", "remove", "1")[0] == 0
    assert "No feeds yet" in run(settings, capsys, "feeds", "list")[1]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed", "http"),
        ("example.org/feed", "http"),
        ("not a url", "spaces"),
        ("https://user:pw@example.org/feed", "password"),
        ("http://127.0.0.1/feed", "loopback address"),
        ("http://169.254.169.254/latest/meta-data", "link-local address"),
    ],
)
def test_bad_feed_urls_are_refused_in_a_sentence(
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    message: str,
) -> None:
    monkeypatch.delenv("TONEWATCH_ALLOW_PRIVATE_NETWORKS", raising=False)
    code, out, err = run(settings, capsys, "feeds", "add", url)
    assert code == 1 and out == ""
    assert err.startswith("tonewatch: ") and message in err.lower()
    assert "Traceback" not in err


def test_adding_the_same_feed_twice_is_refused(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    run(settings, capsys, "feeds", "add", "https://example.org/a")
    code, _, err = run(settings, capsys, "feeds", "add", "https://example.org/a")
    assert code == 1 and "already watched" in err


def test_unknown_feed_id_is_a_sentence(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(settings, capsys, "feeds", "remove", "99")
    assert code == 1 and err.strip() == "tonewatch: there is no feed with id 99"


def test_opml_import_then_export_round_trips(
    settings: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline text="A" xmlUrl="https://a.example/feed"/>'
        '<outline text="B" xmlUrl="https://b.example/rss"/>'
        '<outline text="Bad" xmlUrl="file:///etc/passwd"/>'
        "</body></opml>"
    )
    code, out, err = run(settings, capsys, "feeds", "import-opml", str(opml))
    assert code == 0 and "2 feeds added" in out and "1 refused" in out
    assert "file:///etc/passwd" in err
    exported = tmp_path / "out.opml"
    assert run(settings, capsys, "feeds", "export-opml", str(exported))[0] == 0
    text = exported.read_text()
    assert 'xmlUrl="https://a.example/feed"' in text and 'xmlUrl="https://b.example/rss"' in text
    assert "passwd" not in text


def test_missing_opml_file_is_a_sentence(
    settings: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(settings, capsys, "feeds", "import-opml", str(tmp_path / "nope.opml"))
    assert code == 1 and "no such file" in err


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _import_sample(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        settings, capsys, "import", str(SAMPLES / "xi-putin-2021-12-17.txt"), "--workers", "1"
    )
    assert code == 0 and "1 stored" in out


@pytest.mark.parametrize("kind", sorted(REPORT_COLUMNS))
def test_reports_parse_and_have_their_columns(
    settings: Settings, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    _import_sample(settings, capsys)
    code, out, _ = run(
        settings, capsys, "report", kind, "--from", "2021-12-01", "--to", "2021-12-31"
    )
    assert code == 0
    rows = _csv(out)
    assert rows and tuple(rows[0].keys()) == REPORT_COLUMNS[kind]
    empty = run(settings, capsys, "report", kind, "--from", "2022-01-01")[1]
    assert empty.splitlines() == [",".join(REPORT_COLUMNS[kind])]


def test_sample_article_tone_per_country(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    _import_sample(settings, capsys)
    rows = {r["iso3"]: r for r in _csv(run(settings, capsys, "report", "mentions")[1])}
    assert {"CHN", "RUS", "USA"} <= rows.keys()
    assert not any("NATO" in iso3 for iso3 in rows)  # a bloc, never a country
    tone = {iso3: float(r["tone"]) for iso3, r in rows.items()}
    assert rows["CHN"]["label"] in ("positive", "neutral")
    assert rows["RUS"]["label"] in ("positive", "neutral")
    assert tone["CHN"] != tone["USA"] and tone["RUS"] != tone["USA"]
    assert tone["USA"] < min(tone["CHN"], tone["RUS"])
    assert rows["CHN"]["evidence"]
    articles = _csv(run(settings, capsys, "report", "articles")[1])
    assert len(articles) == 1 and set(articles[0]["countries"].split(";")) == set(rows)


def test_import_twice_stores_once_and_reports_bad_records(
    settings: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "items.jsonl"
    data.write_text(
        '{"url": "https://n.example/1", "title": "Japan wins praise", "text": "Japan did well.",'
        ' "published": "2024-05-01", "source": "N"}\n'
        "{not json}\n"
        '{"title": "No date", "text": "France"}\n'
    )
    table = tmp_path / "items.csv"
    table.write_text(
        "url,title,text,published,source\n"
        "https://n.example/2,Kenya floods,Floods hit Kenya.,2024-05-02T10:00:00Z,N\n"
    )
    code, out, err = run(settings, capsys, "import", str(data), str(table), "--workers", "1")
    assert code == 0 and "2 stored" in out and "2 skipped" in out
    assert "items.jsonl:2" in err and "items.jsonl:3" in err
    code, out, _ = run(settings, capsys, "import", str(data), str(table), "--workers", "1")
    assert "0 stored, 2 already stored" in out


def test_report_dates_in_the_wrong_order_are_refused(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        settings, capsys, "report", "articles", "--from", "2024-02-01", "--to", "2024-01-01"
    )
    assert code == 1 and "--from must not be after --to" in err


def test_unwritable_database_path_is_one_line_naming_it(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = subprocess.run(
        [sys.executable, "-m", "jobs", "--db", str(blocked / "x.duckdb"), "feeds", "list"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and str(blocked / "x.duckdb") in result.stderr
    assert "Traceback" not in result.stderr


def test_config_prints_effective_values(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(settings, capsys, "config")
    assert code == 0 and f"TONEWATCH_DB={settings.db}" in out


def test_topics_and_watch_list_round_trip(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    _import_sample(settings, capsys)
    query = '("Xi Jinping" OR Putin) AND (alliance OR allies) NOT sport*'
    code, out, _ = run(settings, capsys, "topics", "add", "sino-russian", query)
    assert code == 0 and "sino-russian" in out and "[1 articles]" in out
    code, out, _ = run(settings, capsys, "topics", "edit", "sino-russian", "hockey")
    assert code == 0 and "[0 articles]" in out
    rows = _csv(run(settings, capsys, "report", "articles", "--topic", "sino-russian")[1])
    assert rows == []
    assert run(settings, capsys, "topics", "remove", "sino-russian")[0] == 0
    assert "No topics yet" in run(settings, capsys, "topics")[1]
    assert run(settings, capsys, "watch", "add", "chn", "RUS")[0] == 0
    assert run(settings, capsys, "watch")[1].split() == ["CHN", "China", "RUS", "Russia"]
    assert run(settings, capsys, "watch", "remove", "RUS")[1].split() == ["CHN", "China"]


def test_report_narrowed_to_a_topic(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    _import_sample(settings, capsys)
    run(settings, capsys, "topics", "add", "kremlin", "Kremlin")
    for kind in ("articles", "mentions", "country-daily"):
        rows = _csv(run(settings, capsys, "report", kind, "--topic", "kremlin")[1])
        assert rows, kind
    daily = _csv(run(settings, capsys, "report", "country-daily", "--topic", "kremlin")[1])
    assert {r["total_articles"] for r in daily} == {"1"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["topics", "add", "t", "(a OR b"], "never closed at position 1\n  (a OR b\n  ^"),
        (["topics", "add", "t", "country:XYZ"], "XYZ is not a country code"),
        (["watch", "add", "XX1"], "not ISO 3166-1 alpha-3 country codes: XX1"),
        (["topics", "remove", "missing"], "there is no topic named 'missing'"),
        (["report", "articles", "--topic", "missing"], "there is no topic named 'missing'"),
    ],
)
def test_topic_and_watch_errors_are_sentences(
    settings: Settings, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(settings, capsys, *args)
    assert code == 1 and message in err and "Traceback" not in err


def test_alerts_csv_has_its_header_when_empty(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(settings, capsys, "alerts")
    assert code == 0 and out.startswith("id,created_at,kind,subject_kind,subject,subject_name")


def test_fetch_prints_a_line_per_feed_and_a_summary(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TONEWATCH_ALLOW_PRIVATE_NETWORKS", "1")  # the server is on 127.0.0.1
    with FeedServer(root=REAL_FEEDS) as server:
        assert run(settings, capsys, "feeds", "add", server.url("/bbc-world-2026.xml"))[0] == 0
        assert run(settings, capsys, "feeds", "add", server.url("/status/404"))[0] == 0
        code, out, _ = run(settings, capsys, "fetch", "--all")
        assert code == 0
        lines = out.strip().splitlines()
        assert len(lines) == 3
        assert "ok" in lines[0] and "bbc-world-2026.xml" in lines[0]
        assert "http_404" in lines[1]
        assert lines[2].startswith("2 feeds: 1 ok, 0 not modified, 1 failed;")
        code, out, _ = run(settings, capsys, "fetch", "--feed", "1")
        assert "not_modified" in out and "1 feeds: 0 ok, 1 not modified" in out
        code, out, _ = run(settings, capsys, "fetch")  # nothing is due yet
        assert code == 0 and out.startswith("0 feeds")


@pytest.mark.parametrize("command", ["dashboard", "run"])
def test_public_dashboard_without_sign_in_is_refused(
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    monkeypatch.setenv("TONEWATCH_DASHBOARD_HOST", "0.0.0.0")
    monkeypatch.delenv("TONEWATCH_DASHBOARD_PASSWORD", raising=False)
    code, out, err = run(settings, capsys, command)
    assert code == 1 and out == ""
    assert "reachable from other machines" in err and "--insecure" in err


@pytest.mark.parametrize("engine", ["vader", "learned"])
def test_analyze_text_stdin_and_jsonl(
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    engine: str,
) -> None:
    text = "Russia's war in Ukraine drew criticism from Britain."
    code, out, _ = run(settings, capsys, "analyze", text, "--engine", engine, "--json")
    found = json.loads(out)
    assert code == 0 and found["engine"] == engine
    assert {c["iso3"] for c in found["countries"]} == {"RUS", "UKR", "GBR"}
    ukraine = next(c for c in found["countries"] if c["iso3"] == "UKR")
    assert ukraine["spans"] == [[16, 23]] and ukraine["evidence"][0]["text"] == text
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code, out, _ = run(settings, capsys, "analyze", "--engine", engine)
    assert code == 0 and "UKR Ukraine" in out
    lines = tmp_path / "in.jsonl"
    lines.write_text(
        json.dumps({"id": "a", "text": text, "targets": [{"from": 16, "to": 23}]})
        + "\n"
        + "{broken\n"
    )
    code, out, err = run(settings, capsys, "analyze", "--jsonl", str(lines), "--engine", engine)
    assert code == 2 and "line 2: not valid JSON" in err
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["id"] == "a" and row["targets"][0]["from"] == 16
    assert row["targets"][0]["label"] in ("negative", "neutral", "positive")
    assert -1 <= row["targets"][0]["tone"] <= 1


def test_the_learned_engine_reads_the_victim_as_negative(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "The US warned Russia over its attack on Ukraine."
    found = json.loads(run(settings, capsys, "analyze", text, "--engine", "learned", "--json")[1])
    labels = {c["iso3"]: c["label"] for c in found["countries"]}
    assert labels["UKR"] == "negative" and labels["RUS"] == "negative"
    assert labels["USA"] == "neutral"
