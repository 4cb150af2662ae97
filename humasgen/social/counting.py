"""How each platform counts a post, and how much it takes.

Every platform counts differently: X weighs code points and shortens links,
Bluesky counts graphemes (and bytes), TikTok counts UTF-16 code units, Threads
counts an emoji as its UTF-8 bytes. Where a platform's rule is vague, the
counter here errs on the long side, so a snippet that fits here fits there.
Limits were checked in November 2026 against the sources cited on each entry.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Mapping

import regex
from urllib.parse import urlsplit

GRAPHEME = regex.compile(r"\X")
# A grapheme that renders as an emoji: pictographs (incl. ZWJ sequences, skin tones), flags, keycaps.
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|[\U0001F1E6-\U0001F1FF]|\u20e3")
URL = regex.compile(r"https?://[^\s<>\"]+")
# Scheme-less domains that X may still turn into a t.co link ("kominfo.go.id", "example.com/x").
_BARE_DOMAIN = regex.compile(r"(?<![\w@/.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:/[^\s]*)?",
                             regex.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"…"
HASHTAG = regex.compile(r"(?<![\w&])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*")


def graphemes(text: str) -> list[str]:
    return GRAPHEME.findall(text)


def is_emoji(cluster: str) -> bool:
    return bool(_EMOJI.search(cluster))


def urls(text: str) -> list[str]:
    """Links in a post, without trailing punctuation (as the platforms' linkifiers do)."""
    return [m.group(0).rstrip(_TRAILING) for m in URL.finditer(text)]


def hashtags(text: str) -> list[str]:
    return HASHTAG.findall(text)


# --- X ---------------------------------------------------------------------------------------
# twitter-text config v3 (github.com/twitter/twitter-text, config/v3.json): scale 100,
# defaultWeight 200, transformedURLLength 23, emojiParsingEnabled, and these weight-100 ranges.
# The text is NFC-normalised first; an emoji sequence counts 2 as a whole; a URL counts 23.
X_LIMIT = 280
X_URL_WEIGHT = 23
_X_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


def _x_code_point(char: str) -> int:
    point = ord(char)
    return 1 if any(lo <= point <= hi for lo, hi in _X_LIGHT) else 2


def _x_plain(text: str) -> int:
    total = 0
    for cluster in graphemes(text):
        total += 2 if is_emoji(cluster) else sum(_x_code_point(c) for c in cluster)
    return total


def x_weight(text: str) -> int:
    """Weighted length as X computes it (twitter-text v3)."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in URL.finditer(text):
        link = match.group(0).rstrip(_TRAILING)
        total += _x_bare(text[position:match.start()])
        host = link.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
        # twitter-text only shortens links whose host has a real TLD; others count as typed.
        total += X_URL_WEIGHT if "." in host else max(X_URL_WEIGHT, _x_plain(link))
        position = match.start() + len(link)
    return total + _x_bare(text[position:])


def _x_bare(text: str) -> int:
    """Scheme-less domains may or may not become links: count whichever is longer."""
    total = 0
    position = 0
    for match in _BARE_DOMAIN.finditer(text):
        total += _x_plain(text[position:match.start()])
        total += max(X_URL_WEIGHT, _x_plain(match.group(0)))
        position = match.end()
    return total + _x_plain(text[position:])


# --- the other counters ----------------------------------------------------------------------

def grapheme_count(text: str) -> int:
    return len(graphemes(text))


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def threads_count(text: str) -> int:
    """Threads counts characters, but "emojis are counted as the number of UTF-8 bytes"."""
    return sum(utf8_bytes(c) if is_emoji(c) else len(c) for c in graphemes(text))


def bluesky_short_url(url: str) -> str:
    """A link as Bluesky shows and stores it: host plus the first 13 characters of the rest, then '...'.

    The Bluesky app does this to every link in a post before posting (the full URL goes
    into the link facet and the link card), so a long tracking URL costs ~35 graphemes, not 100.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url
    path = ("" if parts.path == "/" else parts.path) + (f"?{parts.query}" if parts.query else "") \
        + (f"#{parts.fragment}" if parts.fragment else "")
    return parts.netloc + (path[:13] + "..." if len(path) > 15 else path)


def bluesky_as_posted(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The text Bluesky stores (links shortened), and the link facets: (byteStart, byteEnd, full URL)."""
    out: list[str] = []
    facets: list[tuple[int, int, str]] = []
    position = 0
    for match in URL.finditer(text):
        link = match.group(0).rstrip(_TRAILING)
        out.append(text[position:match.start()])
        start = len("".join(out).encode("utf-8"))
        shown = bluesky_short_url(link)
        out.append(shown)
        facets.append((start, start + len(shown.encode("utf-8")), link))
        position = match.start() + len(link)
    out.append(text[position:])
    return "".join(out), facets


def bluesky_count(text: str) -> int:
    """Graphemes as posted (links shortened), unless the 3,000-byte cap bites first (scaled to 300)."""
    posted = bluesky_as_posted(text)[0]
    return max(grapheme_count(posted), -(-utf8_bytes(posted) // 10))


@dataclass(frozen=True, slots=True)
class Limit:
    platform: str
    name: str                           # shown to people
    limit: int
    unit: str                           # what `count` counts
    count: Callable[[str], int]
    hashtags: int                       # how many we add (our restraint, within any rule)
    hashtag_rule: int | None = None     # the platform's own maximum, where it has one
    max_links: int | None = None        # None: no rule
    clickable: bool = True              # False: links in the text are not clickable
    source: str = ""


# Platforms in the order people usually post. "Characters" of Meta and LinkedIn are
# counted in UTF-16 code units (what their web composers count); that is never less
# than the code point count, so it is the safe reading.
LIMITS: Mapping[str, Limit] = MappingProxyType({limit.platform: limit for limit in (
    Limit("facebook", "Facebook", 63_206, "UTF-16 code units", utf16_units, 3,
          source="Facebook post text: 63,206 characters (long-standing composer limit)"),
    Limit("instagram", "Instagram", 2_200, "UTF-16 code units", utf16_units, 5, hashtag_rule=5, clickable=False,
          source="Instagram caption: 2,200 characters; at most 5 hashtags per post or reel "
                 "(Instagram announcement, December 2025; it was 30). Caption links are not clickable."),
    Limit("tiktok", "TikTok", 2_200, "UTF-16 code units", utf16_units, 5, clickable=False,
          source="TikTok Content Posting API, post_info.title (video caption): max 2,200 UTF-16 runes. "
                 "Caption links are not clickable."),
    Limit("x", "X", X_LIMIT, "weighted characters (twitter-text v3)", x_weight, 2,
          source="twitter-text config v3: maxWeightedTweetLength 280, URL = 23, emoji and CJK = 2"),
    Limit("threads", "Threads", 500, "characters, emoji as UTF-8 bytes", threads_count, 1, hashtag_rule=1, max_links=5,
          source="Threads API: text posts limited to 500 characters, emojis counted as their UTF-8 bytes; "
                 "one topic tag per post; more than 5 links fail since 22 December 2025"),
    Limit("bluesky", "Bluesky", 300, "graphemes, links shortened (and 3,000 UTF-8 bytes)", bluesky_count, 2,
          source="app.bsky.feed.post lexicon: text maxGraphemes 300, maxLength 3000 (bytes); the Bluesky "
                 "app shortens each link's text to host + 13 characters + '...' (the facet keeps the URL)"),
    Limit("linkedin", "LinkedIn", 3_000, "UTF-16 code units", utf16_units, 3,
          source="LinkedIn Posts API: commentary up to 3,000 characters"),
    Limit("whatsapp", "WhatsApp", 4_096, "UTF-16 code units", utf16_units, 0,
          source="WhatsApp Cloud API: text body max 4,096 characters (media caption 1,024)"),
    Limit("telegram", "Telegram", 1_024, "UTF-16 code units", utf16_units, 3,
          source="Telegram Bot API: photo caption 0-1024 characters after entities parsing "
                 "(a text message takes 1-4096); Telegram measures text in UTF-16 code units"),
)})
TELEGRAM_MESSAGE_LIMIT = 4_096
PLATFORMS: tuple[str, ...] = tuple(LIMITS)


def check(platform: str, text: str) -> list[str]:
    """What is wrong with `text` for `platform` (empty when it may be posted as is)."""
    rule = LIMITS[platform]
    problems = []
    used = rule.count(text)
    if used > rule.limit:
        problems.append(f"{used} {rule.unit} > {rule.limit}")
    if platform == "bluesky" and utf8_bytes(bluesky_as_posted(text)[0]) > 3_000:
        problems.append(f"{utf8_bytes(bluesky_as_posted(text)[0])} bytes > 3000")
    if rule.hashtag_rule is not None and len(hashtags(text)) > rule.hashtag_rule:
        problems.append(f"{len(hashtags(text))} hashtags > {rule.hashtag_rule}")
    if rule.max_links is not None and len(set(urls(text))) > rule.max_links:
        problems.append(f"{len(set(urls(text)))} links > {rule.max_links}")
    return problems
