"""Method: how mentions and tone are computed, in plain words, with the measured accuracy."""

from __future__ import annotations

import streamlit as st

from dashboard import data

st.title("Method")
min_articles = data.settings().min_articles

st.markdown(
    """
### What counts as a mention of a country
A sentence mentions a country when it refers to it **as a state, a people or a government**:
its names and short forms (United States, U.S., America), its demonyms (Chinese, Ukrainian),
its capital or seat of government used for the state ("talks between Washington and Beijing",
"the Kremlin said") and its serving head of state or government ("Putin", "President Xi").

It does not count geographic features named after a country (South China Sea, Gulf of Mexico),
longer names of other places (New Mexico, Papua New Guinea, South Sudan), people and things that
share a name (Michael Jordan, turkey the bird, the US state of Georgia), organisations and blocs
(NATO, the EU, the UN), sub-national places on their own (Texas, Crimea), datelines ("BERLIN -"),
or words like "the country". Taiwan, Palestine, Kosovo, Hong Kong and Macau are tracked on
their own.

### What "tone toward a country" means
Each sentence that mentions a country gets a tone toward it from -1 (negative) to +1 (positive):
the attitude the sentence expresses toward that country, or the light it puts it in, not the
general mood of the news. "Russia faces painful sanctions" is negative toward Russia; "the US
warned Russia" is negative toward Russia and neutral toward the US. Plans, talks and plain facts
are neutral. An article's tone toward a country combines the tone of the sentences that mention
it (the title counts as a sentence), so an article that names a country in passing counts for
coverage but its tone rests on very few sentences.

### How to read the charts
- **Coverage** counts articles that mention a country. **Share** divides that by all articles
  stored in the same period from the same sources, so it is not fooled by adding feeds.
- **Tone** is the mean of the articles' tone toward the country. The band is a 95% interval
  of that mean. A point resting on fewer than **{min_articles} articles** is greyed (Country page)
  or left out (Overview, Compare): it could swing with one more article.
- Every figure says how many articles and sentences it rests on; hover a point to see it.
- Days, weeks and months are in UTC.
""".replace("{min_articles}", str(min_articles))
)

st.subheader("Measured accuracy")
figures = data.measured_figures()
if figures is None:
    st.info(
        "Not measured yet: run `make eval` to measure mention and tone accuracy on the "
        "hand-labelled gold sets; the figures then appear here."
    )
else:
    st.caption(f"From the evaluation run of {figures.measured_at or 'an unknown date'}.")
    st.dataframe(figures.rows, hide_index=True, width="stretch")

st.subheader("Two tone engines")
agreement = data.engine_agreement()
st.markdown(
    "**VADER** (a sentence-sentiment lexicon, with the country's own words masked and the clause "
    "around the mention scored) is always computed: it is fast and transparent. The **learned** "
    "engine (a small MiniLM model fine-tuned on NewsMTSC and on our own labelled country "
    "mentions) reads who does what to whom and agrees with careful readers more often; it runs "
    "when `TONEWATCH_TONE_ENGINE=learned`, and `tonewatch rescore` switches stored articles. "
    "Where both ran and one says negative while the other says positive, the article's "
    "country row is flagged (Articles page)."
)
if agreement.rows == 0:
    st.info("No country rows stored yet.")
else:
    shown = ", ".join(f"{engine}: {count:,} rows" for engine, count in agreement.engines.items())
    st.caption(f"Stored country rows by the engine shown: {shown}.")
    if agreement.rate is None:
        st.caption("No row was scored by both engines yet, so no disagreement rate.")
    else:
        st.metric(
            "Engines disagree in sign",
            f"{agreement.rate:.1%}",
            help=f"{agreement.disagree:,} of {agreement.both:,} rows scored by both engines",
        )
