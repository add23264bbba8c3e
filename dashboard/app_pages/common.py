"""Helpers shared by the pages: empty states and safe display of text that came from feeds."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard import data

FEEDS_PAGE = "app_pages/feeds.py"


def when(moment: object) -> str:
    """Return a UTC timestamp for people ("never" when there is none)."""
    if not isinstance(moment, datetime) or pd.isna(moment):
        return "never"
    return f"{pd.Timestamp(moment).tz_convert('UTC'):%Y-%m-%d %H:%M} UTC"


def short_when(moment: object) -> str:
    """Return a compact UTC time for metrics ("never" when there is none)."""
    if not isinstance(moment, datetime) or pd.isna(moment):
        return "never"
    return f"{pd.Timestamp(moment).tz_convert('UTC'):%d %b %H:%M}"


def has_data(selection: data.Selection) -> bool:
    """Say what to do next and return False when there is nothing to chart for the selection."""
    known = data.status()
    if known.feeds == 0 and known.articles == 0:
        st.info(
            "No feeds yet. Add one on the Feeds page, or run `tonewatch demo` to load "
            "sample feeds and articles."
        )
        st.page_link(FEEDS_PAGE, label="Go to Feeds", icon=":material/rss_feed:")
        return False
    if known.articles == 0:
        st.info(
            "No articles yet. Is the jobs process running (`tonewatch jobs`)? "
            f"Last successful fetch: {when(known.last_success_at)}."
        )
        return False
    scope = selection.scope
    if data.headline(scope).articles == 0:
        st.info(
            f"No articles between {scope.date_from} and {scope.date_to} for the chosen sources. "
            f"Stored articles run from {known.first_day} to {known.last_day}: choose another "
            "period or clear the source filter in the sidebar."
        )
        return False
    return True


def feed_text(text: object) -> None:
    """Show text that came from a feed as plain text, never as Markdown or HTML."""
    missing = text is None or (isinstance(text, float) and pd.isna(text))
    st.text("" if missing else str(text))
