"""`tonewatch analyze`: countries, spans and tone for a text, or for every line of a JSONL file.

Input lines: {"id", "text", "published"?: "YYYY-MM-DD", "targets"?: [{"from", "to"}]} where
`to` is exclusive. Output lines: {"id", "countries": [{"iso3", "name", "tone", "label", "spans"}],
"targets": [{"from", "to", "tone", "label"}]}. A bad line is reported on stderr with its line
number and skipped; the command then exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TextIO

from core.config import Settings
from core.countries import country_name, find_mentions
from core.engines import ENGINES, learned_target, mention_tones, scorer_for
from core.models import Mention
from core.scorers import Span, normalise_quotes, sentence_valence
from core.sentences import split_sentences
from core.tone import PRODUCT_SCORER, document_tone, label_for

BAD_INPUT_STATUS = 2


class InputLineError(ValueError):
    """A JSONL input line that cannot be analysed; the message says why."""


@dataclass(frozen=True)
class _Request:
    id: Any
    text: str
    published: date | None
    targets: tuple[Span, ...]


def analyze_text(
    text: str, published: date | None = None, targets: Sequence[Span] = (), engine: str = "vader"
) -> dict[str, Any]:
    """Countries found in text (spans, tone, label, evidence), document tone and target tones."""
    sentences = split_sentences(text)
    mentions = find_mentions(text, published)
    tones = mention_tones(text, sentences, mentions, engine)
    countries = []
    for tone in tones:
        countries.append(
            {
                "iso3": tone.iso3,
                "name": country_name(tone.iso3),
                "tone": round(tone.tone, 4),
                "label": tone.label,
                "sentences": tone.sentences,
                "spans": [[m.start, m.end] for m in mentions if m.iso3 == tone.iso3],
                "evidence": [
                    {"text": e.text, "score": round(e.score, 4), "start": e.start, "end": e.end}
                    for e in tone.evidence
                ],
            }
        )
    return {
        "engine": engine,
        "doc_tone": round(document_tone(text, sentences), 4),
        "countries": countries,
        "targets": [_target_tone(text, sentences, mentions, t, engine) for t in targets],
    }


def _target_tone(
    text: str, sentences: Sequence[Span], mentions: Sequence[Mention], target: Span, engine: str
) -> dict[str, Any]:
    """Tone toward one given span, scored within its sentence like a country mention."""
    scorer = scorer_for(engine)
    if scorer is not None:
        learned = learned_target(text, sentences, target, scorer)
        return {
            "from": target[0],
            "to": target[1],
            "tone": round(learned.score, 4),
            "label": learned.label,
        }
    start, end = next(((s, e) for s, e in sentences if s <= target[0] < e), (0, len(text)))
    relative = (target[0] - start, target[1] - start)
    masked = [(m.start - start, m.end - start) for m in mentions if start <= m.start < end]
    valence = sentence_valence(normalise_quotes(text[start:end]))
    tone = PRODUCT_SCORER.score_valence(valence, [relative], [*masked, relative])
    return {"from": target[0], "to": target[1], "tone": round(tone, 4), "label": label_for(tone)}


def analyze_jsonl(
    in_lines: Iterable[str], out: TextIO, err: TextIO | None = None, engine: str = "vader"
) -> int:
    """Analyse each JSONL line into one output line; return how many lines were bad."""
    err = err or sys.stderr  # looked up now, not at import: the caller may have redirected it
    bad = 0
    for number, line in enumerate(in_lines, start=1):
        if not line.strip():
            continue
        try:
            request = parse_request(line)
        except InputLineError as error:
            print(f"line {number}: {error}", file=err)
            bad += 1
            continue
        result = analyze_text(request.text, request.published, request.targets, engine)
        countries = [
            {key: c[key] for key in ("iso3", "name", "tone", "label", "spans")}
            for c in result["countries"]
        ]
        row = {"id": request.id, "countries": countries, "targets": result["targets"]}
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return bad


def parse_request(line: str) -> _Request:
    """The validated request on one input line; InputLineError says what is wrong."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputLineError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(row, dict):
        raise InputLineError("expected a JSON object")
    if "id" not in row:
        raise InputLineError('missing "id"')
    text = row.get("text")
    if not isinstance(text, str):
        raise InputLineError('"text" must be a string')
    published = _parse_published(row.get("published"))
    targets = tuple(_parse_target(t, len(text)) for t in _list_of(row.get("targets")))
    return _Request(row["id"], text, published, targets)


def _parse_published(value: Any) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputLineError('"published" must be a date string like "2024-05-01"')
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise InputLineError(f'"published" is not an ISO date: {value!r}') from None


def _list_of(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputLineError('"targets" must be a list of {"from", "to"} objects')
    return value


def _parse_target(value: Any, length: int) -> Span:
    if not isinstance(value, dict):
        raise InputLineError('each target must be an object {"from": int, "to": int}')
    start, end = value.get("from"), value.get("to")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise InputLineError('target "from" and "to" must be integers')
    if not 0 <= start < end <= length:
        raise InputLineError(f"target {start}:{end} is outside the text (length {length})")
    return (start, end)


def format_report(result: dict[str, Any]) -> str:
    """A readable report of analyze_text's result."""
    lines = [f"engine {result['engine']}; document tone {result['doc_tone']:+.3f}"]
    if not result["countries"]:
        lines.append("no countries found")
    for country in result["countries"]:
        spans = ", ".join(f"{s}-{e}" for s, e in country["spans"])
        lines.append(
            f"{country['iso3']} {country['name']}: tone {country['tone']:+.3f} {country['label']}"
            f" ({country['sentences']} sentence(s); spans {spans})"
        )
        lines.extend(f"    {e['score']:+.3f}  {e['text']}" for e in country["evidence"])
    for target in result["targets"]:
        lines.append(f"target {target['from']}-{target['to']}: {target['tone']:+.3f}")
    return "\n".join(lines)


def add_analyze_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `analyze` subcommand; its handler is set as the `handler` default."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "analyze", help="show the countries and tone found in a text or a JSONL file"
    )
    parser.add_argument("text", nargs="?", help="text to analyse (omit with --jsonl)")
    parser.add_argument("--jsonl", metavar="FILE", help='JSONL input file, "-" for stdin')
    parser.add_argument("--published", help="article date YYYY-MM-DD (for leaders in office)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a report")
    parser.add_argument(
        "--engine", choices=ENGINES, help="tone engine (default: TONEWATCH_TONE_ENGINE, else vader)"
    )
    parser.set_defaults(handler=run_analyze)
    return parser


def run_analyze(args: argparse.Namespace, settings: Settings) -> int:
    """Handle `tonewatch analyze`: text as an argument or on stdin, or --jsonl; exit status."""
    engine = args.engine or settings.tone_engine
    if args.jsonl:
        return _run_jsonl(args.jsonl, engine)
    text = args.text
    if not text and not sys.stdin.isatty():
        text = sys.stdin.read()
    if not text or not text.strip():
        print("analyze: give a text (as an argument or on stdin) or --jsonl FILE", file=sys.stderr)
        return BAD_INPUT_STATUS
    try:
        published = _parse_published(args.published)
    except InputLineError as error:
        print(f"analyze: {error}", file=sys.stderr)
        return BAD_INPUT_STATUS
    result = analyze_text(text, published, engine=engine)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_report(result))
    return 0


def _run_jsonl(path: str, engine: str) -> int:
    if path == "-":
        bad = analyze_jsonl(sys.stdin, sys.stdout, engine=engine)
    else:
        try:
            with open(path, encoding="utf-8") as handle:
                bad = analyze_jsonl(handle, sys.stdout, engine=engine)
        except OSError as error:
            print(f"analyze: cannot read {path}: {error.strerror}", file=sys.stderr)
            return BAD_INPUT_STATUS
        except UnicodeDecodeError:
            print(f"analyze: {path} is not UTF-8 text", file=sys.stderr)
            return BAD_INPUT_STATUS
    return BAD_INPUT_STATUS if bad else 0
