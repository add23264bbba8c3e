"""Overview: headline figures, coverage and tone of the top countries, and a world map."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data
from dashboard.app_pages.common import has_data, short_when

st.title("Overview")
selection = data.selection()
scope = selection.scope

if has_data(selection):
    bundle = data.overview(selection)
    head = bundle.headline
    cols = st.columns(5)
    cols[0].metric("Articles", f"{head.articles:,}")
    cols[1].metric("Countries mentioned", head.countries)
    cols[2].metric("Sources", head.sources)
    cols[3].metric("Feeds failing", f"{head.feeds_failing} of {head.feeds}")
    cols[4].metric("Last successful fetch", short_when(head.last_success_at), help="UTC")

    series = bundle.series
    picked = "the countries picked" if selection.countries else "the most covered countries"

    st.subheader("Coverage over time")
    as_share = st.toggle(
        "Show as share of all articles",
        value=True,
        key="overview_share",
        help="Share: articles naming the country / all articles stored in the period.",
    )
    st.caption(f"For {picked}. Times are UTC; hover a point for its values.")
    st.altair_chart(charts.coverage_chart(series, selection.grain, as_share), width="stretch")

    st.subheader("Tone over time")
    st.caption(
        f"Mean tone toward each country, from -1 (negative) to +1 (positive). Periods with "
        f"fewer than {data.settings().min_articles} articles are left out; the Country page "
        "shows them greyed, with the uncertainty."
    )
    st.altair_chart(charts.tone_chart(series, selection.grain), width="stretch")

    st.subheader("World map")
    measure = st.radio(
        "Colour countries by", ("coverage", "tone"), horizontal=True, key="overview_map"
    )
    totals = bundle.totals
    spec = charts.world_map(totals, data.world_topojson(), str(measure))
    st.vega_lite_chart(spec=spec, width="stretch")
    st.caption("Countries in grey are not mentioned in the period. Hover a country for figures.")
