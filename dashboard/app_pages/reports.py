"""Reports: the CLI's CSV reports for a period and countries, previewed then downloaded."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from dashboard import data
from dashboard.app_pages.common import when

PREVIEW_ROWS = 200
LARGE_AFTER_DAYS = 31
DESCRIPTIONS = {
    "country-daily": "One row per day and country: articles, share of all articles, mean tone "
    "with its 95% interval, sentences.",
    "articles": "One row per article: link, title, source, date, the countries it names, its tone.",
    "mentions": "One row per article and country: tone, label, sentences and the weightiest "
    "evidence sentence.",
}


def _show(
    kind: str, date_from: date, date_to: date, countries: tuple[str, ...], topic_id: int | None
) -> None:
    built = data.report(kind, date_from, date_to, countries, topic_id, PREVIEW_ROWS)
    st.caption(f"{built.size:,} rows; the preview shows the first {PREVIEW_ROWS}.")
    st.dataframe(built.frame(), hide_index=True, width="stretch")
    st.download_button(
        "Download CSV",
        built.csv,  # the whole file is built only when clicked
        file_name=f"tonewatch-{kind}-{date_from}-{date_to}.csv",
        mime="text/csv",
        type="primary",
        key="report_download",
    )


st.title("Reports")
selection = data.selection()
st.caption(
    "The same code builds these files as the `tonewatch report` command, so a download here "
    "equals the CLI's CSV for the same period and countries. Dates are UTC days."
    + (" Narrowed to the topic chosen in the sidebar." if selection.scope.topic_id else "")
)

kind = str(st.radio("Report", data.REPORT_KINDS, horizontal=True, key="report_kind"))
st.caption(DESCRIPTIONS[kind])
left, right = st.columns(2)
period = left.date_input(
    "From - to (UTC)",
    value=(selection.scope.date_from, selection.scope.date_to),
    min_value=date(1990, 1, 1),
    key="report_period",
)
countries = right.multiselect(
    "Countries",
    data.country_codes(),
    default=[c for c in selection.countries if c in data.country_codes()],
    format_func=data.country_label,
    key="report_countries",
    placeholder="All countries",
)


if isinstance(period, tuple) and len(period) == 2:
    date_from, date_to = period[0], period[1]
    days = (date_to - date_from).days + 1
    # one row per article (or per mention): a long period means a large file, built on request
    large = kind != "country-daily" and days > LARGE_AFTER_DAYS
    if not large or st.checkbox(
        f"Build this report for {days} days (it may take a while; "
        "`tonewatch report` writes the same file from the command line)",
        key="report_build_large",
    ):
        _show(kind, date_from, date_to, tuple(countries), selection.scope.topic_id)
else:
    st.info("Pick both a start and an end date.")

st.subheader("Scheduled reports")
files = data.scheduled_reports()
if not files:
    st.caption(
        f"None yet. The jobs process writes yesterday's country-daily CSV into "
        f"{data.settings().reports_dir} every day at {data.settings().report_time} UTC."
    )
for index, report_file in enumerate(files[:60]):
    cols = st.columns([3, 2, 1])
    cols[0].text(report_file.name)
    cols[1].caption(f"{report_file.size_bytes:,} bytes, written {when(report_file.modified_at)}")
    cols[2].download_button(
        "Download",
        partial(data.read_report_file, report_file),
        file_name=report_file.name,
        mime="text/csv",
        key=f"scheduled_{index}",
    )
