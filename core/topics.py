"""Topic queries: words, "quoted phrases", AND, OR, NOT, parentheses, prefix* and country:ISO3.

    ("Xi Jinping" OR Putin) AND (alliance OR allies OR partnership) NOT sport*

Adjacent terms are joined by AND; NOT binds tightest, then AND, then OR. Matching is
case-insensitive, on whole words of the title and text; country:CHN matches articles that
mention China (by the country matcher, not by the word).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from core.errors import UserFacingError

MAX_QUERY_CHARS = 2_000
_TOKEN = re.compile(
    r'\s*(?:(?P<lparen>\()|(?P<rparen>\))|"(?P<phrase>[^"]*)(?P<closed>")?'
    r"|(?P<country>country:(?P<iso>[A-Za-z]{3}))\b|(?P<word>[^\s()\"]+))"
)
_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT"}


class TopicQueryError(UserFacingError, ValueError):
    """A query that does not parse; position is the 0-based character where the problem is."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} at position {position + 1}")
        self.position = position


@dataclass(frozen=True)
class Document:
    """What a query is matched against: the words of title and text, and the countries named."""

    words: frozenset[str]
    joined: str
    countries: frozenset[str]


def fold(text: str) -> str:
    """Return text lower-cased with accents removed, so 'Élysée' matches 'elysee'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words_of(text: str) -> list[str]:
    """Return the folded words of a text, in order."""
    return [w.replace("’", "'") for w in _WORD.findall(fold(text))]


def document(title: str, text: str, countries: Iterable[str]) -> Document:
    """Return the matchable form of an article."""
    words = words_of(f"{title}\n{text}")
    return Document(frozenset(words), " " + " ".join(words) + " ", frozenset(countries))


# ---- the tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A whole word, or a prefix when it ended with *."""

    text: str
    is_prefix: bool = False

    def matches(self, doc: Document) -> bool:
        """True when the document has the word (or a word starting with the prefix)."""
        if self.is_prefix:
            return any(w.startswith(self.text) for w in doc.words)
        return self.text in doc.words


@dataclass(frozen=True)
class Phrase:
    """Words that must appear next to each other, in order."""

    words: tuple[str, ...]

    def matches(self, doc: Document) -> bool:
        """True when the document has the words in a row."""
        return " " + " ".join(self.words) + " " in doc.joined


@dataclass(frozen=True)
class CountryIs:
    """The article mentions this country (ISO 3166-1 alpha-3)."""

    iso3: str

    def matches(self, doc: Document) -> bool:
        """True when the country matcher found this country in the article."""
        return self.iso3 in doc.countries


@dataclass(frozen=True)
class Not:
    """The inner query does not match."""

    inner: Node

    def matches(self, doc: Document) -> bool:
        """True when the inner query does not match."""
        return not self.inner.matches(doc)


@dataclass(frozen=True)
class All:
    """Every part matches."""

    parts: tuple[Node, ...]

    def matches(self, doc: Document) -> bool:
        """True when every part matches."""
        return all(p.matches(doc) for p in self.parts)


@dataclass(frozen=True)
class Either:
    """At least one part matches."""

    parts: tuple[Node, ...]

    def matches(self, doc: Document) -> bool:
        """True when some part matches."""
        return any(p.matches(doc) for p in self.parts)


Node = Word | Phrase | CountryIs | Not | All | Either


# ---- the parser -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "phrase", "country", "word", "AND", "OR", "NOT", "end"
    value: str
    position: int


def _tokens(query: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            break
        text = match.group(0)
        start = match.start() + len(text) - len(text.lstrip())
        tokens.append(_token(match, start))
        position = match.end()
    tokens.append(_Token("end", "", len(query)))
    return tokens


def _token(match: re.Match[str], start: int) -> _Token:
    if match.group("lparen"):
        return _Token("(", "(", start)
    if match.group("rparen"):
        return _Token(")", ")", start)
    if match.group("phrase") is not None:
        if match.group("closed") is None:
            raise TopicQueryError("this quote is never closed", start)
        return _Token("phrase", match.group("phrase"), start)
    if match.group("country"):
        return _Token("country", match.group("iso").upper(), start)
    word = match.group("word")
    if word.lower().startswith("country:"):
        raise TopicQueryError("country: needs a three-letter ISO code such as country:CHN", start)
    return _Token(word if word in _OPERATORS else "word", word, start)


class _Parser:
    def __init__(self, query: str, known_countries: frozenset[str] | None) -> None:
        self.tokens = _tokens(query)
        self.index = 0
        self.known_countries = known_countries

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise TopicQueryError("the query is empty", 0)
        node = self.or_expr()
        if self.current.kind != "end":
            raise TopicQueryError(f"unexpected {self.current.value!r}", self.current.position)
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.current.kind == "OR":
            self.take()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Either(tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.not_expr()]
        while self.current.kind not in ("OR", ")", "end"):
            if self.current.kind == "AND":
                self.take()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def not_expr(self) -> Node:
        if self.current.kind == "NOT":
            self.take()
            return Not(self.not_expr())
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "(":
            node = self.or_expr()
            if self.current.kind != ")":
                raise TopicQueryError("this parenthesis is never closed", token.position)
            self.take()
            return node
        if token.kind == "phrase":
            return self.phrase(token)
        if token.kind == "country":
            return self.country(token)
        if token.kind == "word":
            return self.word(token)
        what = "the end of the query" if token.kind == "end" else repr(token.value)
        raise TopicQueryError(f"expected a word, a phrase or '(' but found {what}", token.position)

    def phrase(self, token: _Token) -> Node:
        words = tuple(words_of(token.value))
        if not words:
            raise TopicQueryError("this phrase has no words", token.position)
        return Word(words[0]) if len(words) == 1 else Phrase(words)

    def country(self, token: _Token) -> Node:
        if self.known_countries is not None and token.value not in self.known_countries:
            raise TopicQueryError(f"{token.value} is not a country code we know", token.position)
        return CountryIs(token.value)

    def word(self, token: _Token) -> Node:
        is_prefix = token.value.endswith("*")
        words = words_of(token.value.rstrip("*"))
        if len(words) != 1 or "*" in token.value.rstrip("*"):
            raise TopicQueryError(
                f"{token.value!r} is not a single word (quote phrases, put * only at the end)",
                token.position,
            )
        return Word(words[0], is_prefix=is_prefix)


def parse_query(query: str, known_countries: Iterable[str] | None = None) -> Node:
    """Return the query as a tree; raise TopicQueryError pointing at the problem."""
    if len(query) > MAX_QUERY_CHARS:
        raise TopicQueryError(f"the query is longer than {MAX_QUERY_CHARS} characters", 0)
    known = frozenset(known_countries) if known_countries is not None else None
    return _Parser(query, known).parse()
