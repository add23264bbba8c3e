"""Feeds: health of every feed; add, edit, pause, remove, fetch now; OPML import and export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.app_pages.common import feed_text

FLASH_KEY = "feeds_flash"
PREVIEW_KEY = "feeds_preview"
MAX_UPLOAD_BYTES = 5_000_000

st.title("Feeds")


def _flash(kind: str, message: str) -> None:
    """Keep a message for after the rerun that shows the change (messages carry no feed text)."""
    st.session_state[FLASH_KEY] = (kind, message)
    st.rerun()


def _show_flash() -> None:
    kind, message = st.session_state.pop(FLASH_KEY, ("", ""))
    if kind == "success":
        st.success(message)
    elif kind == "error":
        st.error(message)


def _health_table(feeds: pd.DataFrame) -> None:
    st.dataframe(
        feeds[
            [
                "title",
                "url",
                "state",
                "last_success_at",
                "last_error_text",
                "error_count",
                "articles_7d",
                "next_check_at",
                "interval_minutes",
            ]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "title": st.column_config.TextColumn("Title"),
            "url": st.column_config.TextColumn("Address"),
            "state": st.column_config.TextColumn("State"),
            "last_success_at": st.column_config.DatetimeColumn(
                "Last success (UTC)", format="YYYY-MM-DD HH:mm", timezone="UTC"
            ),
            "last_error_text": st.column_config.TextColumn("Last error", width="large"),
            "error_count": st.column_config.NumberColumn("Errors in a row"),
            "articles_7d": st.column_config.NumberColumn("New articles, 7 days"),
            "next_check_at": st.column_config.DatetimeColumn(
                "Next check (UTC)", format="YYYY-MM-DD HH:mm", timezone="UTC"
            ),
            "interval_minutes": st.column_config.NumberColumn("Every (minutes)"),
        },
    )


def _save(url: str, title: str | None, interval: int) -> None:
    try:
        feed_id = data.add_feed(url, title, interval)
    except data.FeedExistsError:
        st.error("That address is already watched.")
        return
    st.session_state.pop(PREVIEW_KEY, None)
    _flash("success", f"Feed added (id {feed_id}). The jobs process fetches it at its next tick.")


def _add_form() -> None:
    st.subheader("Add a feed")
    default_interval = data.settings().default_interval_minutes
    with st.form("add_feed"):
        url = st.text_input("Feed address (http or https)", key="add_url")
        title = st.text_input("Title (optional: the feed's own title is used)", key="add_title")
        interval = st.number_input(
            "Check every (minutes)", 5, 1440, default_interval, key="add_interval"
        )
        checked = st.form_submit_button("Check feed")
    if checked:
        st.session_state[PREVIEW_KEY] = (data.preview_feed(str(url)), str(title), int(interval))
    stored = st.session_state.get(PREVIEW_KEY)
    if stored is None:
        return
    preview, title_given, interval_given = stored
    if preview.problem and data.url_problem(preview.url):
        st.error(preview.problem)
        return
    if preview.problem:
        st.warning(f"The feed could not be fetched: {preview.problem}")
        if st.button("Save anyway", key="add_save_anyway"):
            _save(preview.url, title_given or None, interval_given)
        return
    st.success(f"This is a feed with {preview.items} item(s). Its title:")
    feed_text(preview.title or "(no title)")
    if st.button("Save feed", type="primary", key="add_save"):
        _save(preview.url, title_given or preview.title, interval_given)


def _edit(feeds: pd.DataFrame) -> None:
    st.subheader("Edit a feed")
    labels = {
        int(i): f"{t or u} ({u})"
        for i, t, u in zip(feeds["id"], feeds["title"], feeds["url"], strict=True)
    }
    feed_id = st.selectbox(
        "Feed", list(labels), format_func=lambda i: labels[i][:150], key="edit_pick"
    )
    if feed_id is None:
        return
    row = feeds[feeds["id"] == feed_id].iloc[0]
    with st.form(f"edit_feed_{feed_id}"):
        title = st.text_input("Title", value=row["title"] or "", key=f"edit_title_{feed_id}")
        current = int(row["interval_minutes"])
        interval = st.number_input(
            "Check every (minutes)",
            min(5, current),  # the CLI allows any whole number of minutes; do not fail on it
            max(1440, current),
            current,
            key=f"edit_interval_{feed_id}",
        )
        enabled = st.toggle(
            "Watching (off = paused)", value=bool(row["is_enabled"]), key=f"edit_enabled_{feed_id}"
        )
        if st.form_submit_button("Save changes"):
            data.update_feed(int(feed_id), str(title), int(interval), bool(enabled))
            _flash("success", "Feed saved. The jobs process picks up the change at its next tick.")
    left, right = st.columns(2)
    if left.button(
        "Fetch now",
        key=f"fetch_now_{feed_id}",
        help="Makes the feed due now; the jobs process fetches it at its next tick.",
    ):
        data.fetch_now(int(feed_id))
        _flash("success", "Feed queued: the jobs process fetches it at its next tick.")
    confirmed = right.checkbox(
        "Yes, stop watching this feed (its articles stay)", key=f"remove_confirm_{feed_id}"
    )
    if right.button("Remove feed", disabled=not confirmed, key=f"remove_{feed_id}"):
        data.remove_feed(int(feed_id))
        _flash("success", "Feed removed. Its articles stay in the database.")


def _opml() -> None:
    st.subheader("Import and export (OPML)")
    left, right = st.columns(2)
    with left:
        upload = st.file_uploader("Import an OPML file", type=["opml", "xml"], key="opml_upload")
        if upload is not None and st.button("Import these feeds", key="opml_import"):
            if upload.size > MAX_UPLOAD_BYTES:
                st.error("The file is larger than 5 MB; an OPML feed list is much smaller.")
                return
            try:
                result = data.import_opml(
                    upload.getvalue(), data.settings().default_interval_minutes
                )
            except data.OpmlError as exc:
                st.error(f"This file cannot be imported: {exc}.")
                return
            message = f"Imported {result.added} feed(s); {result.already_watched} already watched"
            message += f"; {len(result.refused)} refused (bad address)." if result.refused else "."
            _flash("success", message)
    with right:
        st.download_button(
            "Export all feeds (OPML)",
            data.export_opml,  # built only when clicked
            file_name="tonewatch-feeds.opml",
            mime="text/x-opml",
            key="opml_export",
        )


_show_flash()
feeds = data.feed_health()
if feeds.empty:
    st.info(
        "No feeds yet. Add one below, import an OPML file, or run `tonewatch demo` to load "
        "sample feeds and articles."
    )
else:
    failing = int((feeds["error_count"] > 0).sum())
    st.caption(
        f"{len(feeds)} feed(s), {failing} failing. Changes here are picked up by the jobs "
        "process at its next tick."
    )
    _health_table(feeds)
_add_form()
if not feeds.empty:
    _edit(feeds)
_opml()
