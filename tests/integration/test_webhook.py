"""Alerts are posted as JSON to a real local webhook, with retries; failures are recorded."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.config import Settings, with_changes
from jobs.alerts import deliver_alerts
from storage.alerts import alert_rows
from storage.db import connect
from tests.support.alerts import add_kenya_alert

NOW = datetime(2026, 3, 8, 12, tzinfo=UTC)


class Hook:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.bodies: list[dict[str, object]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.bodies.append(json.loads(body))
                status = 500 if len(hook.bodies) <= hook.failures else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def alert(settings: Settings) -> Iterator[Settings]:
    add_kenya_alert(settings, NOW)
    yield settings


@pytest.mark.parametrize(("failures", "delivered"), [(0, 1), (2, 1), (5, 0)])
def test_webhook_retries_then_records(alert: Settings, failures: int, delivered: int) -> None:
    hook = Hook(failures)
    try:
        settings = with_changes(alert, webhook_url=hook.url)
        assert deliver_alerts(settings, NOW, retry_delay=0.01) == delivered
    finally:
        hook.close()
    assert len(hook.bodies) == min(failures + 1, 3)
    payload = hook.bodies[-1]
    assert str(payload["text"]).startswith("Tone shift: tone toward Kenya dropped")
    assert "Floods hit Kenya (Wire, tone -0.60) https://w.example/1" in str(payload["text"])
    with connect(settings) as conn:
        row = alert_rows(conn)[0]
    delivered_at, error = row[-2], row[-1]
    assert (delivered_at is not None) is bool(delivered)
    assert error == (None if delivered else "http_500")


def test_no_webhook_url_posts_nothing(alert: Settings) -> None:
    assert deliver_alerts(alert, NOW) == 0
