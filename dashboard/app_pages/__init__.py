"""The dashboard's pages in menu order, as (file, title, icon): dashboard/app.py builds its
navigation from this list, and the tests and the benchmark visit every page from it."""

from __future__ import annotations

from pathlib import Path

PAGES = [
    ("app_pages/overview.py", "Overview", ":material/public:"),
    ("app_pages/country.py", "Country", ":material/flag:"),
    ("app_pages/compare.py", "Compare", ":material/compare_arrows:"),
    ("app_pages/articles.py", "Articles", ":material/article:"),
    ("app_pages/feeds.py", "Feeds", ":material/rss_feed:"),
    ("app_pages/reports.py", "Reports", ":material/download:"),
    ("app_pages/topics.py", "Topics & watch list", ":material/manage_search:"),
    ("app_pages/alerts.py", "Alerts", ":material/notifications:"),
    ("app_pages/method.py", "Method", ":material/menu_book:"),
]
PAGE_NAMES = tuple(Path(file).stem for file, _, _ in PAGES)  # "overview", "country", ...
