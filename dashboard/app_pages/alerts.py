"""Alerts: coverage spikes and tone shifts of watched countries and topics, with their articles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.app_pages.common import feed_text, when

st.title("Alerts")
st.caption(
    "After each pass the jobs process checks every watched country and every topic. A coverage "
    "spike compares the last 24 hours with the daily counts of the trailing 28 days (a Poisson "
    "test); a tone shift compares the mean tone of the last 24 hours with the trailing days (a "
    "Welch z test), only when enough articles support it. Each movement alerts once."
)
table = data.alerts()
if table.empty:
    watched = data.watched_countries()
    st.info(
        "No alerts yet. "
        + (
            ""
            if watched or data.topics()
            else "Add countries to the watch list or save a topic "
            "on the Topics & watch list page: alerts are checked for those. "
        )
        + "Alerts need a few days of history before a spike can stand out."
    )
else:
    st.download_button(
        "Download alerts CSV",
        data.alerts_csv,
        file_name="tonewatch-alerts.csv",
        mime="text/csv",
        key="alerts_download",
    )
    shown = table.assign(
        when=[when(t) for t in table["created_at"]],
        what=["Coverage spike" if k == "coverage_spike" else "Tone shift" for k in table["kind"]],
        delivered=[
            "yes" if not pd.isna(d) else (e if isinstance(e, str) else "-")
            for d, e in zip(table["delivered_at"], table["delivery_error"], strict=True)
        ],
    )
    st.dataframe(
        shown[["when", "what", "subject_name", "message", "articles", "delivered"]],
        hide_index=True,
        width="stretch",
        column_config={
            "when": "When (UTC)",
            "what": "Kind",
            "subject_name": "Country or topic",
            "message": st.column_config.TextColumn("What moved", width="large"),
            "articles": st.column_config.NumberColumn("Articles"),
            "delivered": "Sent to webhook",
        },
    )
    labels = {
        int(alert_id): f"{when(created)}: {subject}"
        for alert_id, created, subject in zip(
            table["id"].tolist(), table["created_at"], table["subject_name"], strict=True
        )
    }
    chosen = st.selectbox(
        "Show the articles behind an alert",
        list(labels),
        format_func=lambda i: labels[i],
        key="alert_pick",
    )
    detail = data.alert_detail(int(chosen))
    sources = detail.get("sources", [])
    feed_text("Sources: " + (", ".join(str(s) for s in sources) if sources else "none"))
    for article in detail.get("articles", []):
        with st.container(border=True):
            feed_text(article.get("title", ""))
            feed_text(f"{article.get('source', '')} · tone {article.get('tone', 0):+.2f}")
            if article.get("evidence"):
                feed_text(f"Evidence: {article['evidence']}")
            url = str(article.get("url") or "")
            if url.startswith(("http://", "https://")):
                st.link_button("Open the article", url)
