"""The key sentences of a release, for the video captions and the carousel, chosen by rules.

The rules, in order (a writer can always say it better: `extra.highlights` in the
front matter, a list of one to four sentences, replaces them all):

1. **lead**: the first sentence of the first paragraph (the dateline left off): the news.
2. **figure**: sentences with figures (amounts, percentages, counts; not dates or
   years), those with the most figures first, at most two.
3. **quote**: the first sentence quoting someone by name ("“…,” kata Gregorius."), once.
4. **next**: when fewer than two sentences were found, the sentences after the lead, in order.

The chosen sentences are shown in the order they appear in the release. Sentences
too short to say anything (under 6 words) or too long to read on a phone (over
45 words) are passed over, and so is one that opens a list (ends with a colon). Each highlight keeps its rule, and `snippets.json`
records it, so an officer can see why a sentence was chosen.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import regex

from .. import markup
from ..content import Release
from ..errors import Diagnostic

MAX_HIGHLIGHTS = 4
MIN_WORDS, MAX_WORDS = 6, 45
MAX_FIGURE_SENTENCES = 2
OVERRIDE_KEY = "highlights"         # extra.highlights

# A sentence ends at . ! ? or … (then maybe a closing quote or bracket), before a space and
# a capital letter or an opening quote. Titles and initials ("Ir.", "M.T.", "H.") do not end one.
_END = regex.compile(r"(?<=[.!?…][\"”’)]?)\s+(?=[\"“‘(]?\p{Lu})")
_ABBREVIATION = regex.compile(r"(?:^|\s)(?:\p{Lu}\p{Ll}{0,3}|\p{L}(?:\.\p{L}+)+|No|Jl|Kab|Kec|Kel|Prov|dr|drg|"
                              r"dll|dsb|tsb|vs|St|Hj|Drs|Dra|Prof|Mr|Mrs|Ms)\.[\"”’)]?$")
_DATE = regex.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b(?:19|20)\d{2}\b"
                      r"|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|Mei|May|Jun|Jul|Agu|Aug|Sep|Okt|Oct|Nov|Des|Dec)\p{L}*",
                      regex.IGNORECASE)
# A figure: a number of two or more digits, or any number with a currency or a percent sign
# (Indonesian style writes numbers under ten as words, so "SMA Negeri 2" is a name, not a figure).
_FIGURE = regex.compile(r"(?:Rp\s?|US\$\s?|\$)\d[\d.,]*|\d[\d.,]*\s?%|\d[\d.,]*\d")
_QUOTE = regex.compile(r"[\"“](?P<text>[^\"“”]{20,}?)[,.!?]?[\"”],?\s*(?:(?:kata|ujar|ungkap|jelas|tutur|tegas"
                       r"|imbuh|tambah|sebut|ucap|papar|terang|said|says|added|explained|stated)\s+"
                       r"(?P<who>\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3}))")


@dataclass(frozen=True, slots=True)
class Highlight:
    text: str
    rule: str                       # lead, figure, quote, next, or front matter


@dataclass(frozen=True, slots=True)
class Quote:
    text: str                       # the words quoted, without the quotation marks
    speaker: str                    # as the release names them ("Gregorius")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (Indonesian and English press style)."""
    parts: list[str] = []
    start = 0
    for match in _END.finditer(text):
        head = text[start:match.start()]
        if _ABBREVIATION.search(head):
            continue
        parts.append(head.strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def body_paragraphs(release: Release) -> list[str]:
    """Plain-text paragraphs of the body, the dateline ("KOTA –") taken off the first."""
    found = markup.paragraphs(release.body_html)
    if found and release.dateline:
        mark = f"{release.dateline.upper()} –"
        if found[0].startswith(mark):
            found[0] = found[0][len(mark):].strip()
    return [text for text in found if text]


def figures(sentence: str) -> int:
    """How many figures a sentence gives (dates and years do not count)."""
    return len(_FIGURE.findall(_DATE.sub(" ", sentence)))


def quote(release: Release) -> Quote | None:
    """The first passage the release quotes with the speaker's name, for the quote slide."""
    for paragraph in body_paragraphs(release):
        match = _QUOTE.search(paragraph)
        if match:
            return Quote(match.group("text").strip(), match.group("who").rstrip(".").strip())
    return None


def _words(text: str) -> int:
    return len(text.split())


def choose(release: Release) -> tuple[Highlight, ...]:
    """The 2-4 key sentences by the rules above (fewer only when the release is that short)."""
    override = release.extra.get(OVERRIDE_KEY)
    if isinstance(override, list) and override:
        return tuple(Highlight(" ".join(str(text).split()), "front matter") for text in override[:MAX_HIGHLIGHTS])
    candidates: list[tuple[int, str]] = []       # (position, sentence)
    for paragraph in body_paragraphs(release):
        for sentence in sentences(paragraph):
            candidates.append((len(candidates), sentence))
    readable = [(i, s) for i, s in candidates if MIN_WORDS <= _words(s) <= MAX_WORDS and not s.endswith(":")]
    chosen: dict[int, Highlight] = {}
    if candidates:
        first, text = candidates[0]
        chosen[first] = Highlight(text if _words(text) <= MAX_WORDS else markup.truncate(text, 240), "lead")
    by_figures = sorted((i for i, s in readable if figures(s) and i not in chosen),
                        key=lambda i: (-figures(candidates[i][1]), i))
    for i in by_figures[:MAX_FIGURE_SENTENCES]:
        chosen[i] = Highlight(candidates[i][1], "figure")
    for i, text in readable:
        if len(chosen) >= MAX_HIGHLIGHTS:
            break
        if i not in chosen and _QUOTE.search(text):
            chosen[i] = Highlight(text, "quote")
            break
    for i, text in readable:
        if len(chosen) >= 2:
            break
        chosen.setdefault(i, Highlight(text, "next"))
    if not chosen and release.summary:
        chosen[0] = Highlight(release.summary, "summary")
    return tuple(chosen[i] for i in sorted(chosen)[:MAX_HIGHLIGHTS])


def check_override(release: Release) -> Diagnostic | None:
    """A problem with `extra.highlights`, if the writer gave it and it cannot be used as written."""
    if OVERRIDE_KEY not in release.extra:
        return None
    value: Any = release.extra[OVERRIDE_KEY]
    line = release.lines.get("extra")
    if not (isinstance(value, list) and 1 <= len(value) <= MAX_HIGHLIGHTS
            and all(isinstance(v, str) and v.strip() for v in value)):
        return Diagnostic(release.source, line, "'extra.highlights' must be a list of 1 to 4 sentences",
                          "write each sentence as '- \"...\"' below 'highlights:', or remove it to let "
                          "humasgen choose (lead, figures, quote)")
    return None


def to_json(chosen: Iterable[Highlight]) -> list[dict[str, str]]:
    return [{"text": h.text, "rule": h.rule} for h in chosen]
