"""Two processes on one DuckDB file: one writes, one reads; neither sees an error."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from core.config import Settings
from storage.db import connect

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from core.config import load_settings
    from core.models import Article, ScoredArticle, ToneScore
    from storage.articles import insert_articles
    from storage.db import connect

    settings = load_settings({}, db=Path(sys.argv[1]))
    now = datetime.now(UTC)
    for i in range(int(sys.argv[2])):
        article = Article(title=f"Story {i}", text="Body", published_at=now, source="W",
                          url=f"https://w.example/{i}")
        item = ScoredArticle(article, 0.0, (ToneScore("CHN", 0.1, "neutral", 1, 1),), "t")
        with connect(settings, write=True) as conn:
            insert_articles(conn, [item], now)
    print("done")
    """
)


def test_reader_and_writer_processes_never_collide(settings: Settings, tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    writes = 60
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(settings.db), str(writes)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[int] = []
    while writer.poll() is None:
        with connect(settings) as conn:
            row = conn.execute("SELECT count(*) FROM articles").fetchone()
        assert row is not None
        seen.append(int(row[0]))
        time.sleep(0.01)
    out, err = writer.communicate()
    assert writer.returncode == 0, err
    assert out.strip() == "done"
    assert seen == sorted(seen)  # the reader never saw rows go missing
    with connect(settings) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (writes,)
    assert len(seen) > 3  # the reader really ran while the writer wrote
