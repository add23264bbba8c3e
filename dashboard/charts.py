"""Altair charts: one stable colour per country, labelled axes in UTC, tone fixed to [-1, 1]."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any, cast

import altair as alt
import pandas as pd

# Altair's builder methods (.encode, .properties, ...) are loosely typed: a spec is what they return
Spec = Any
TONE_DOMAIN = [-1.0, 1.0]
GREY = "#b0b0b0"
# The most covered countries get well-separated colours; every other country gets a hue from its
# code, so a country keeps its colour on every page and in every session.
FIXED_COLOURS: dict[str, str] = {
    "USA": "#1f77b4",
    "CHN": "#d62728",
    "RUS": "#9467bd",
    "UKR": "#ffbf00",
    "GBR": "#17becf",
    "ISR": "#2ca02c",
    "IRN": "#8c564b",
    "IND": "#ff7f0e",
    "FRA": "#3949ab",
    "DEU": "#454545",
    "JPN": "#e377c2",
    "PSE": "#7cb342",
    "TUR": "#c2185b",
    "KOR": "#00897b",
    "PRK": "#6d4c41",
    "CAN": "#ef5350",
    "AUS": "#26a69a",
    "BRA": "#9e9d24",
    "PAK": "#5e35b1",
    "TWN": "#0097a7",
}
GRAIN_TITLES = {"day": "Day (UTC)", "week": "Week starting (UTC)", "month": "Month (UTC)"}


def country_colour(iso3: str) -> str:
    """Return the colour of a country, the same on every page."""
    if iso3 in FIXED_COLOURS:
        return FIXED_COLOURS[iso3]
    hue = zlib.crc32(iso3.encode()) % 360
    return f"hsl({hue}, 55%, 45%)"


def _colour(field: str, labels: Sequence[str], codes: Sequence[str], title: str) -> alt.Color:
    pairs = dict(zip(labels, codes, strict=True))
    scale = alt.Scale(domain=list(pairs), range=[country_colour(c) for c in pairs.values()])
    return alt.Color(f"{field}:N", scale=scale, title=title)


def _countries_in(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    pairs = frame[["country", "iso3"]].drop_duplicates()
    return list(pairs["country"]), list(pairs["iso3"])


def _period_x(grain: str) -> alt.X:
    return alt.X("period:T", title=GRAIN_TITLES.get(grain, "Date (UTC)"))


def _zero_rule() -> Spec:
    return alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#666").encode(y="zero:Q")


def _tone_y(title: str = "Mean tone (-1 negative, +1 positive)") -> alt.Y:
    return alt.Y("tone_mean:Q", title=title, scale=alt.Scale(domain=TONE_DOMAIN, clamp=True))


TONE_TOOLTIP = [
    alt.Tooltip("tone_mean:Q", title="Mean tone", format="+.2f"),
    alt.Tooltip("tone_low:Q", title="95% low", format="+.2f"),
    alt.Tooltip("tone_high:Q", title="95% high", format="+.2f"),
    alt.Tooltip("articles:Q", title="Articles"),
    alt.Tooltip("sentences:Q", title="Sentences"),
]


def _volume_y(as_share: bool, count_title: str) -> alt.Y:
    """The y axis of a volume chart: share of all articles, or article counts."""
    if as_share:
        return alt.Y("share:Q", title="Share of all articles", axis=alt.Axis(format=".0%"))
    return alt.Y("articles:Q", title=count_title, axis=alt.Axis(format="d"))


def coverage_chart(series: pd.DataFrame, grain: str, as_share: bool) -> Spec:
    """Return coverage over time per country, as share of all articles or as counts."""
    labels, codes = _countries_in(series)
    return (
        alt.Chart(series)
        .mark_line(point=True)
        .encode(
            x=_period_x(grain),
            y=_volume_y(as_share, "Articles mentioning the country"),
            color=_colour("country", labels, codes, "Country"),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("period:T", title="Period (UTC)"),
                alt.Tooltip("articles:Q", title="Articles"),
                alt.Tooltip("total:Q", title="All articles"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .properties(height=320)
    )


def tone_chart(series: pd.DataFrame, grain: str) -> Spec:
    """Return tone over time per country; periods resting on too few articles are left out."""
    labels, codes = _countries_in(series)
    reliable = series[series["is_reliable"]]
    colour = _colour("country", labels, codes, "Country")
    tooltip = [alt.Tooltip("country:N", title="Country"), *TONE_TOOLTIP]
    lines = (
        alt.Chart(reliable)
        .mark_line(point=True)
        .encode(x=_period_x(grain), y=_tone_y(), color=colour, tooltip=tooltip)
    )
    return alt.layer(_zero_rule(), lines).properties(height=320)


def country_tone_chart(series: pd.DataFrame, grain: str, min_articles: int) -> Spec:
    """Return one country's tone with its 95% band; points on too few articles are grey."""
    colour = country_colour(str(series["iso3"].iloc[0])) if len(series) else GREY
    shown = series[series["articles"] > 0]
    base = alt.Chart(shown).encode(x=_period_x(grain))
    band = base.mark_area(opacity=0.2, color=colour).encode(
        y=alt.Y("tone_low:Q", scale=alt.Scale(domain=TONE_DOMAIN, clamp=True)), y2="tone_high:Q"
    )
    line = base.transform_filter("datum.is_reliable").mark_line(color=colour).encode(y=_tone_y())
    points = base.mark_point(filled=True, size=60).encode(
        y=_tone_y(),
        color=alt.condition("datum.is_reliable", alt.value(colour), alt.value(GREY)),
        tooltip=[*TONE_TOOLTIP, alt.Tooltip("is_reliable:N", title=f">= {min_articles} articles")],
    )
    return alt.layer(_zero_rule(), band, line, points).properties(height=320)


def country_coverage_chart(series: pd.DataFrame, grain: str) -> Spec:
    """Return one country's article counts per period as bars."""
    colour = country_colour(str(series["iso3"].iloc[0])) if len(series) else GREY
    return (
        alt.Chart(series)
        .mark_bar(color=colour)
        .encode(
            x=_period_x(grain),
            y=alt.Y("articles:Q", title="Articles mentioning the country"),
            tooltip=[
                alt.Tooltip("period:T", title="Period (UTC)"),
                alt.Tooltip("articles:Q", title="Articles"),
                alt.Tooltip("share:Q", title="Share of all articles", format=".1%"),
            ],
        )
        .properties(height=260)
    )


WORLD = "world"


def world_map(totals: pd.DataFrame, topojson: dict[str, Any], measure: str) -> dict[str, Any]:
    """Return a Vega-Lite spec: a choropleth of coverage share or mean tone on bundled shapes.

    The shapes go in as a named inline dataset after the spec is built: handing the 108 KB
    TopoJSON to Altair's constructors makes it walk and validate every coordinate (about 1 s).
    Draw it with st.vega_lite_chart.
    """
    shapes = alt.NamedData(
        name=WORLD, format=alt.TopoDataFormat(type="topojson", feature="countries")
    )
    columns = ["map_id", "country", "articles", "share", "tone_mean", "sentences"]
    known = totals[totals["map_id"].notna()][columns]
    records = cast(list[dict[str, Any]], known.to_dict("records"))
    lookup = alt.LookupData(alt.InlineData(values=records), key="map_id", fields=columns[1:])
    if measure == "tone":
        colour = alt.Color(
            "tone_mean:Q",
            title="Mean tone",
            scale=alt.Scale(scheme="redblue", domain=TONE_DOMAIN, domainMid=0),
        )
    else:
        colour = alt.Color("share:Q", title="Share of articles", scale=alt.Scale(scheme="blues"))
    background = alt.Chart(shapes).mark_geoshape(fill="#eeeeee", stroke="white")
    filled = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="white")
        .transform_lookup(lookup="id", from_=lookup)
        .transform_filter("isValid(datum.articles)")
        .encode(
            color=colour,
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("articles:Q", title="Articles"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
                alt.Tooltip("tone_mean:Q", title="Mean tone", format="+.2f"),
                alt.Tooltip("sentences:Q", title="Sentences"),
            ],
        )
    )
    chart = alt.layer(background, filled).project(type="equalEarth").properties(height=420)
    spec: dict[str, Any] = chart.to_dict()
    spec.setdefault("datasets", {})[WORLD] = topojson
    return spec


def sources_chart(sources: pd.DataFrame) -> Spec:
    """Return each source's mean tone toward a country with its 95% interval."""
    order = list(sources["source"])
    y = alt.Y("source:N", title="Source", sort=order)
    base = alt.Chart(sources).encode(y=y)
    tone_x = alt.X("tone_mean:Q", title="Mean tone (-1 to +1)", scale=alt.Scale(domain=TONE_DOMAIN))
    rule = base.mark_rule().encode(
        x=alt.X("tone_low:Q", scale=alt.Scale(domain=TONE_DOMAIN)), x2="tone_high:Q"
    )
    points = base.mark_point(filled=True, size=80).encode(
        x=tone_x,
        tooltip=[
            alt.Tooltip("source:N", title="Source"),
            alt.Tooltip("articles:Q", title="Articles"),
            alt.Tooltip("share:Q", title="Share of the source's articles", format=".1%"),
            *TONE_TOOLTIP[:3],
            alt.Tooltip("sentences:Q", title="Sentences"),
        ],
    )
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#666").encode(x="zero:Q")
    return alt.layer(zero, rule, points).properties(height=60 + 36 * len(order))


def co_mentions_chart(co: pd.DataFrame) -> Spec:
    """Return the countries most often named alongside one country, as bars."""
    labels, codes = _countries_in(co)
    return (
        alt.Chart(co)
        .mark_bar()
        .encode(
            y=alt.Y("country:N", title="Country", sort="-x"),
            x=alt.X("articles:Q", title="Articles naming both"),
            color=alt.Color(
                "country:N",
                scale=alt.Scale(domain=labels, range=[country_colour(c) for c in codes]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("articles:Q", title="Articles"),
                alt.Tooltip("share:Q", title="Share of this country's articles", format=".1%"),
            ],
        )
        .properties(height=50 + 30 * len(labels))
    )


def histogram_chart(bins: pd.DataFrame, iso3: str) -> Spec:
    """Return the distribution of article tones toward a country over [-1, 1]."""
    return (
        alt.Chart(bins)
        .mark_bar(color=country_colour(iso3))
        .encode(
            x=alt.X(
                "bin_start:Q",
                title="Article tone",
                bin="binned",
                scale=alt.Scale(domain=TONE_DOMAIN),
            ),
            x2="bin_end:Q",
            y=alt.Y("articles:Q", title="Articles"),
            tooltip=[
                alt.Tooltip("bin_start:Q", title="From", format="+.1f"),
                alt.Tooltip("bin_end:Q", title="To", format="+.1f"),
                alt.Tooltip("articles:Q", title="Articles"),
            ],
        )
        .properties(height=240)
    )


def compare_chart(series: pd.DataFrame, grain: str, measure: str) -> Spec:
    """Return small multiples, one per country, on one shared y scale (coverage share or tone)."""
    labels, codes = _countries_in(series)
    colour = _colour("country", labels, codes, "Country")
    if measure == "tone":
        data = series[series["is_reliable"]]
        y = _tone_y("Mean tone")
        tooltip = [alt.Tooltip("country:N", title="Country"), *TONE_TOOLTIP]
    else:
        data = series
        y = alt.Y("share:Q", title="Share of all articles", axis=alt.Axis(format=".0%"))
        tooltip = [
            alt.Tooltip("country:N", title="Country"),
            alt.Tooltip("articles:Q", title="Articles"),
            alt.Tooltip("share:Q", title="Share", format=".1%"),
        ]
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(x=_period_x(grain), y=y, color=colour, tooltip=tooltip)
        .properties(width=220, height=200)
    )
    return chart.facet(facet=alt.Facet("country:N", title=None), columns=3).resolve_scale(
        y="shared", x="shared"
    )


def topic_volume_chart(volume: pd.DataFrame, grain: str, as_share: bool) -> Spec:
    """Return each topic's volume over time, as share of all articles (share of voice) or counts."""
    return (
        alt.Chart(volume)
        .mark_line(point=True)
        .encode(
            x=_period_x(grain),
            y=_volume_y(as_share, "Articles in the topic"),
            color=alt.Color("topic:N", title="Topic"),
            tooltip=[
                alt.Tooltip("topic:N", title="Topic"),
                alt.Tooltip("period:T", title="Period (UTC)"),
                alt.Tooltip("articles:Q", title="Articles"),
                alt.Tooltip("total:Q", title="All articles"),
                alt.Tooltip("share:Q", title="Share of voice", format=".1%"),
            ],
        )
        .properties(height=300)
    )


def topic_tone_chart(tone: pd.DataFrame) -> Spec:
    """Return the mean tone toward the countries of each topic, with 95% intervals."""
    labels, codes = _countries_in(tone)
    colour = _colour("country", labels, codes, "Country")
    base = alt.Chart(tone).encode(
        y=alt.Y("country:N", title=None, sort="-x"),
        color=colour,
        tooltip=[alt.Tooltip("topic:N", title="Topic"), alt.Tooltip("country:N"), *TONE_TOOLTIP],
    )
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X(
            "tone_low:Q",
            title="Mean tone (-1 negative, +1 positive)",
            scale=alt.Scale(domain=TONE_DOMAIN),
        ),
        x2="tone_high:Q",
    )
    points = base.mark_point(filled=True, size=60).encode(x="tone_mean:Q")
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#666").encode(x="zero:Q")
    return (
        alt.layer(zero, bars, points)
        .properties(height=alt.Step(18), width=420)
        .facet(
            row=alt.Row("topic:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left"))
        )
        .resolve_scale(y="independent")
    )
