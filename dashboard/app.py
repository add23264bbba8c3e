"""Tonewatch dashboard entry point: page config, the shared sidebar, navigation, error boundary."""

from __future__ import annotations

import logging
import math
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run dashboard/app.py` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

from core.access import AttemptLimiter, password_matches  # noqa: E402
from dashboard import data  # noqa: E402
from dashboard.app_pages import PAGES  # noqa: E402
from storage.db import StorageError  # noqa: E402
from storage.lock import LockTimeoutError  # noqa: E402
from storage.queries import Scope  # noqa: E402

log = logging.getLogger("dashboard")

GRAINS = ("day", "week", "month")


def _configure_logging() -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(
            level=data.settings().log_level.upper(),
            format="%(asctime)s %(levelname)s %(name)s %(message)s",
        )


def _default_preset() -> int:
    """Last 30 days, unless nothing was published then (an archive, the demo): then all data."""
    presets = list(data.PERIOD_PRESETS)
    last_day = data.status().last_day
    if last_day is not None and last_day < data.default_period(30)[0]:
        return presets.index("All data")
    return presets.index("Last 30 days")


def _period() -> tuple[date, date]:
    preset = st.sidebar.selectbox(
        "Period", list(data.PERIOD_PRESETS), index=_default_preset(), key="period_preset"
    )
    custom = None
    if preset == "Custom":
        picked = st.sidebar.date_input(
            "From - to (UTC)",
            value=data.default_period(30),
            min_value=date(1990, 1, 1),
            key="period_custom",
        )
        if isinstance(picked, tuple) and len(picked) == 2:
            custom = (picked[0], picked[1])
    return data.preset_period(preset, custom)


def _topic() -> int | None:
    saved = {t.id: t.name for t in data.topics()}
    if not saved:
        return None
    choice = st.sidebar.selectbox(
        "Topic",
        [None, *saved],
        format_func=lambda topic_id: "All articles" if topic_id is None else saved[topic_id],
        key="topic",
        help="Narrow every page and report to the articles of one saved topic.",
    )
    return choice if isinstance(choice, int) and choice in saved else None


def draw_sidebar() -> data.Selection:
    """Draw the shared controls and return what they select."""
    st.sidebar.header("Filters")
    date_from, date_to = _period()
    grain = st.sidebar.radio("Granularity", GRAINS, index=0, horizontal=True, key="grain")
    sources = st.sidebar.multiselect(
        "Sources", data.source_names(), key="sources", placeholder="All sources"
    )
    known = data.country_codes()
    if "countries" not in st.session_state:  # the pages start from the watch list
        st.session_state["countries"] = [c for c in data.watched_countries() if c in known]
    countries = st.sidebar.multiselect(
        "Countries",
        known,
        format_func=data.country_label,
        key="countries",
        placeholder="The most covered",
    )
    topic_id = _topic()
    st.sidebar.caption(f"{date_from:%d %b %Y} to {date_to:%d %b %Y}. All times are UTC.")
    scope = Scope(date_from, date_to, tuple(sources), topic_id)
    return data.Selection(scope, str(grain), tuple(countries))


@st.cache_resource
def _sign_in_limiter() -> AttemptLimiter:
    """One limiter for every session of this server process (it holds no database handle)."""
    return AttemptLimiter()


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def _signed_in_with_oidc() -> bool:
    if st.user.get("is_logged_in", False):  # absent until the login flow has run
        st.sidebar.button("Sign out", on_click=st.logout, key="sign_out")
        return True
    st.title("Tonewatch")
    st.write("Sign in with your organisation's account to use this dashboard.")
    st.button("Sign in", on_click=st.login, type="primary", key="oidc_sign_in")
    return False


def signed_in() -> bool:
    """Return True when no sign-in is configured or this session signed in; else ask for it.

    Streamlit's OIDC login (an [auth] table in .streamlit/secrets.toml) wins over the password.
    """
    if _oidc_configured():
        return _signed_in_with_oidc()
    password = data.settings().dashboard_password
    if not password or st.session_state.get("signed_in"):
        return True
    st.title("Tonewatch")
    with st.form("sign_in"):
        given = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        limiter, now = _sign_in_limiter(), datetime.now(UTC)
        wait = limiter.wait_seconds(now)
        if wait > 0:
            st.error(f"Too many failed attempts: try again in {math.ceil(wait)} seconds.")
        elif password_matches(str(given), password):
            st.session_state["signed_in"] = True
            st.rerun()
        else:
            limiter.record_failure(now)
            log.warning("dashboard sign-in failed")
            st.error("That password is not right.")
    return False


def _badged(title: str) -> str:
    if title != "Alerts":
        return title
    try:
        recent = data.recent_alert_count()
    except (StorageError, LockTimeoutError):
        return title
    return f"Alerts ({recent} new)" if recent else title


def main() -> None:
    """Run one rerun of the app: sidebar, then the chosen page, inside the error boundary."""
    st.set_page_config(page_title="Tonewatch", page_icon=":material/public:", layout="wide")
    _configure_logging()
    if not signed_in():
        return
    pages = [st.Page(path, title=_badged(title), icon=icon) for path, title, icon in PAGES]
    page = st.navigation(pages)
    try:
        data.remember_selection(draw_sidebar())
        page.run()
    except (StorageError, LockTimeoutError) as exc:
        log.warning("database unavailable page=%s error=%s", page.title, exc)
        st.warning(
            "The database is busy or cannot be opened right now. Wait a moment and reload the "
            "page. If this persists, check that the jobs process is healthy and that "
            "TONEWATCH_DB points to a readable file."
        )
    except Exception:  # boundary: no traceback may reach the page
        log.exception("page failed page=%s", page.title)
        st.error(
            "This page could not be drawn. The details are in the dashboard's log; "
            "try another period or reload."
        )


main()
