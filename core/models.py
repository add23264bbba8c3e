"""The nouns of Tonewatch: feeds, articles, mentions, tone scores and fetch outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Feed:
    """A watched feed as stored in the feeds table."""

    id: int
    url: str
    title: str | None = None
    interval_minutes: int = 30
    is_enabled: bool = True
    etag: str | None = None
    last_modified: str | None = None
    next_check_at: datetime | None = None
    error_count: int = 0
    last_error: str | None = None


@dataclass(frozen=True)
class Article:
    """One news item, from a feed entry or an imported file, before scoring."""

    title: str
    text: str
    published_at: datetime
    source: str
    url: str | None = None
    guid: str | None = None
    feed_id: int | None = None


@dataclass(frozen=True)
class Mention:
    """A country mention: ISO 3166-1 alpha-3 code and character span into the original text."""

    iso3: str
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class Evidence:
    """A sentence that a tone figure rests on, with its own score and span in the article text."""

    text: str
    score: float
    start: int
    end: int


def labels_disagree(vader_label: str, learned_label: str | None) -> bool:
    """True when one engine's label is negative and the other's positive."""
    return {vader_label, learned_label} == {"negative", "positive"}


@dataclass(frozen=True)
class EngineTones:
    """Both engines' tone toward one country; the learned one only when that engine ran."""

    vader_tone: float
    vader_label: str
    learned_tone: float | None = None
    learned_label: str | None = None

    @property
    def disagrees(self) -> bool:
        """True when one engine says negative and the other positive."""
        return labels_disagree(self.vader_label, self.learned_label)


@dataclass(frozen=True)
class ToneScore:
    """Tone of one article toward one country, by the engine the settings choose."""

    iso3: str
    tone: float
    label: str
    sentences: int
    mentions: int
    evidence: tuple[Evidence, ...] = ()
    engines: EngineTones | None = None  # both engines' figures, for comparison


@dataclass(frozen=True)
class ScoredArticle:
    """An article with its whole-document tone and the tone toward each country it mentions."""

    article: Article
    doc_tone: float
    tones: tuple[ToneScore, ...]
    scorer_version: str
    topic_ids: tuple[int, ...] = ()
    engine: str = "vader"


@dataclass(frozen=True)
class FetchOutcome:
    """What one fetch of one feed came to; reason is a fixed vocabulary word, never raw text."""

    status: str  # "ok", "not_modified" or "error"
    reason: str  # "ok", "not_modified", "timeout", "http_404", "parse_error", ...
    detail: str = ""
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after_seconds: float | None = None
    feed_title: str | None = None
    entries: int = 0
    new_articles: int = 0
    elapsed_ms: int = 0
    body: bytes | None = field(default=None, repr=False)

    @property
    def is_error(self) -> bool:
        """True when the fetch failed and the feed should back off."""
        return self.status == "error"

    @classmethod
    def crashed(cls, detail: str = "") -> FetchOutcome:
        """The outcome recorded when our own code raised while handling a feed."""
        return cls(status="error", reason="crashed", detail=detail)
