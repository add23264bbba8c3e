"""Compare: several countries side by side, coverage and tone on the same scales."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data
from dashboard.app_pages.common import has_data

st.title("Compare")
selection = data.selection()
scope = selection.scope

if has_data(selection):
    default = data.default_countries(selection, limit=4)
    codes = data.country_codes()
    countries = st.multiselect(
        "Countries to compare",
        codes,
        default=[c for c in default if c in codes],
        format_func=data.country_label,
        key="compare_pick",
    )
    if not countries:
        st.info("Pick at least one country to compare.")
    else:
        bundle = data.compare(selection, countries)
        series = bundle.series
        st.subheader("Coverage (share of all articles)")
        st.altair_chart(charts.compare_chart(series, selection.grain, "share"))
        st.subheader("Tone")
        st.caption(
            f"Same tone scale for every country, -1 to +1; periods with fewer than "
            f"{data.settings().min_articles} articles are left out. Times are UTC."
        )
        st.altair_chart(charts.compare_chart(series, selection.grain, "tone"))
        table = bundle.totals
        st.dataframe(
            table[
                ["country", "articles", "share", "tone_mean", "tone_low", "tone_high", "sentences"]
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "country": "Country",
                "articles": st.column_config.NumberColumn("Articles"),
                "share": st.column_config.NumberColumn("Share", format="percent"),
                "tone_mean": st.column_config.NumberColumn("Mean tone", format="%+.2f"),
                "tone_low": st.column_config.NumberColumn("95% low", format="%+.2f"),
                "tone_high": st.column_config.NumberColumn("95% high", format="%+.2f"),
                "sentences": st.column_config.NumberColumn("Sentences"),
            },
        )
