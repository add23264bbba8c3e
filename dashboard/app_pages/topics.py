"""Topics and the watch list: the saved searches and the countries the user follows."""

from __future__ import annotations

import streamlit as st

from core.countries import all_countries
from dashboard import charts, data
from dashboard.app_pages.common import feed_text

FLASH_KEY = "topics_flash"

st.title("Topics & watch list")
selection = data.selection()


def _flash(message: str) -> None:
    st.session_state[FLASH_KEY] = message
    st.rerun()


if FLASH_KEY in st.session_state:
    st.success(st.session_state.pop(FLASH_KEY))

st.subheader("Watch list")
st.caption(
    "The countries you follow. Every page starts from them, the Overview leads with them, and "
    "the jobs process checks them for coverage spikes and tone shifts after each pass."
)
every = {c.iso3: c.name for c in all_countries()}
with st.form("watch_list"):
    chosen = st.multiselect(
        "Countries",
        list(every),
        default=data.watched_countries(),
        format_func=lambda code: f"{every[code]} ({code})",
        key="watch_pick",
    )
    if st.form_submit_button("Save the watch list"):
        data.set_watched_countries(list(chosen))
        st.session_state.pop("countries", None)  # the sidebar starts again from the watch list
        _flash(f"Watching {len(chosen)} countries.")

st.subheader("Topics")
st.caption(
    'A topic is a saved search over title and text: words, "quoted phrases", AND, OR, NOT, '
    "parentheses, a prefix wildcard (sanction*) and country:ISO3 (mentions found by the matcher). "
    'Example: ("Xi Jinping" OR Putin) AND (alliance OR allies) NOT sport*. New and edited '
    "topics are matched against stored articles by the jobs process at its next pass."
)
saved = data.topics()
if saved:
    st.dataframe(
        [
            {
                "Topic": t.name,
                "Query": t.query,
                "Articles": t.articles,
                "State": "matching..." if t.is_pending else "up to date",
            }
            for t in saved
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.info("No topics yet: add one below.")

with st.form("add_topic", clear_on_submit=False):
    name = st.text_input("Name", key="topic_name")
    query = st.text_input("Query", key="topic_query", placeholder="sanction* AND country:RUS")
    if st.form_submit_button("Add topic"):
        problem = data.topic_query_problem(query) if query.strip() else "The query is empty."
        if not name.strip():
            st.error("Give the topic a name.")
        elif problem:
            st.error("The query does not parse:")
            st.code(problem, language=None)
        elif any(t.name == name.strip() for t in saved):
            st.error(f"A topic named {name.strip()!r} exists already; edit it below.")
        else:
            data.save_topic(name, query, is_new=True)
            _flash(f"Saved topic {name.strip()!r}.")

if saved:
    names = [t.name for t in saved]
    picked = st.selectbox("Edit or remove a topic", names, key="topic_pick")
    current = next(t for t in saved if t.name == picked)
    with st.form(f"edit_topic_{current.id}"):
        new_query = st.text_input("Query", value=current.query, key=f"topic_edit_{current.id}")
        confirm = st.checkbox("Remove this topic (its articles stay)", key=f"topic_rm_{current.id}")
        if st.form_submit_button("Save"):
            problem = data.topic_query_problem(new_query)
            if confirm:
                data.remove_topic(current.name)
                _flash(f"Removed topic {current.name!r}.")
            elif problem:
                st.error("The query does not parse:")
                st.code(problem, language=None)
            else:
                data.save_topic(current.name, new_query, is_new=False)
                _flash(f"Saved topic {current.name!r}.")

    st.subheader("Topics side by side")
    page = data.topics_page(selection)
    if page.volume.empty:
        st.info("No article in this period matches a topic yet.")
    else:
        as_share = st.toggle(
            "Show as share of all articles (share of voice)", value=True, key="topics_share"
        )
        st.altair_chart(charts.topic_volume_chart(page.volume, selection.grain, as_share))
        st.caption("Times are UTC; hover a point for its values.")
        st.markdown("**Tone toward the countries each topic names most** (95% intervals)")
        st.altair_chart(charts.topic_tone_chart(page.country_tone))
        feed_text(
            "Each point rests on the articles of the topic that name the country; the Country "
            "page shows the sentences behind them."
        )
