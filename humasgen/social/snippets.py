"""Release -> ready-to-post text for each platform, within that platform's limits.

Wording lives in templates (`themes/NAME/social/PLATFORM.txt`, `PLATFORM.en.txt` for
English releases) so an office can make it its own. The template is rendered, then
fitted: the body is cut word by word (with an ellipsis) until the post fits, then
hashtags are dropped, then the title is cut; a word, an emoji or a link is never
split.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urlencode, urlsplit, urlunsplit

import jinja2
import regex

from .. import i18n, markup
from ..config import Config
from ..content import Release
from ..theme import Theme
from . import counting

ELLIPSIS = "…"
# Long-form platforms get the opening paragraphs; the short ones the summary.
LEAD_PLATFORMS = frozenset({"facebook", "instagram", "tiktok", "linkedin", "whatsapp", "telegram"})
LEAD_PARAGRAPHS = 2
_WORD_CHARS = regex.compile(r"[\p{L}\p{N}]+")


@dataclass(frozen=True, slots=True)
class Snippet:
    platform: str
    text: str
    count: int
    limit: int
    unit: str
    link: str | None            # the (UTM-tagged) link, when the platform makes it clickable
    hashtags: tuple[str, ...]

    def to_json(self) -> dict:
        return {"text": self.text, "count": self.count, "limit": self.limit, "unit": self.unit,
                "link": self.link, "hashtags": list(self.hashtags)}


# --- words and cutting ------------------------------------------------------------------------

_TOKEN = regex.compile(r"\s*(?:(?=[\p{Han}\p{Hiragana}\p{Katakana}])\X"
                       r"|(?:(?![\s\p{Han}\p{Hiragana}\p{Katakana}])\X)+)")


def tokens(text: str) -> list[str]:
    """Break units: a word (with the spaces before it), or a single CJK character.

    Words are runs of whole graphemes (`\\X`), so a cut between two tokens never
    splits an emoji sequence or a letter from its accent.
    """
    return _TOKEN.findall(text)


def _join(parts: list[str], keep: int) -> str:
    if keep >= len(parts):
        return "".join(parts).strip()
    head = "".join(parts[:keep]).rstrip().rstrip(" ,;:–—-(/")
    return head + ELLIPSIS if head else ""


def shorten(text: str, keep: int) -> str:
    """The first `keep` tokens of `text`, with an ellipsis when anything was left out."""
    return _join(tokens(text), keep)


def fit_words(text: str, fits: Callable[[str], bool]) -> str | None:
    """The longest whole-word prefix of `text` (plus an ellipsis) for which `fits` holds."""
    parts = tokens(text)
    if fits(_join(parts, len(parts))):
        return _join(parts, len(parts))
    if not fits(""):
        return None
    low, high = 0, len(parts) - 1       # fits(low) holds, fits(len(parts)) does not
    while low < high:
        middle = (low + high + 1) // 2
        if fits(_join(parts, middle)):
            low = middle
        else:
            high = middle - 1
    return _join(parts, low)


# --- hashtags and links -----------------------------------------------------------------------

def hashtag(name: str) -> str:
    """'pekan raya kaltim' -> '#PekanRayaKaltim'; '' when nothing usable is left."""
    words = _WORD_CHARS.findall(name.lstrip("#"))
    tag = "".join(w[:1].upper() + w[1:] for w in words)
    return "#" + tag if regex.search(r"\p{L}", tag) else ""


HASHTAG_MAX = 20      # letters after '#': longer ones are unreadable (#DinasPekerjaanUmumDanPenataanRuang)


def unit_hashtag(unit: str, config: Config | None = None) -> str:
    """The unit's hashtag: its configured short form ([units."Name"] short) when the name is long.

    A long name without a short form gets no hashtag: a 35-letter tag helps nobody, and
    guessing an abbreviation could name another office.
    """
    tag = hashtag(unit) if unit else ""
    if len(tag) - 1 <= HASHTAG_MAX:
        return tag
    short = config.unit_short(unit) if config is not None else ""
    return hashtag(short) if short else ""


def release_hashtags(release: Release, extra: Iterable[str], config: Config | None = None) -> tuple[str, ...]:
    """Tags, then category and unit (its short form when long), then the site-wide ones; no repeats."""
    seen: dict[str, str] = {}
    names = [hashtag(name) if name else "" for name in (*release.tags, release.category)]
    names.append(unit_hashtag(release.unit, config))
    names += [hashtag(name) if name else "" for name in extra]
    for tag in names:
        if tag:
            seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())


def with_utm(url: str, platform: str, config: Config, release: Release) -> str:
    social = config.social
    if not social.utm:
        return url
    params = {"utm_source": platform, "utm_medium": social.utm_medium,
              "utm_campaign": social.utm_campaign.format(slug=release.slug, id=release.id)}
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def lead_text(release: Release, paragraphs: int = LEAD_PARAGRAPHS) -> str:
    """Plain text of the body's first paragraphs (the dateline included), for long posts."""
    return "\n\n".join(markup.paragraphs(release.body_html)[:paragraphs]) or release.summary


def language(release: Release) -> str:
    return "en" if release.lang.split("-")[0].lower() == "en" else "id"


# --- templates --------------------------------------------------------------------------------

def make_env(theme: Theme) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader([str(p) for p in theme.subdirs("social")]),
                              autoescape=False, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


def template_for(env: jinja2.Environment, platform: str, lang: str) -> jinja2.Template:
    names = [f"{platform}.{lang}.txt", f"{platform}.txt"] if lang != "id" else [f"{platform}.txt"]
    return env.select_template(names)


def tidy(text: str) -> str:
    """NFC (as X counts it), no trailing spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def compose(platform: str, release: Release, config: Config, env: jinja2.Environment) -> Snippet:
    rule = counting.LIMITS[platform]
    lang = language(release)
    template = template_for(env, platform, lang)
    link = with_utm(config.url(release.url), platform, config, release)
    parts = urlsplit(config.base_url)
    lead = lead_text(release)
    context = {
        "release": release, "config": config, "lang": lang, "platform": platform,
        "link": link, "url": config.url(release.url), "domain": parts.netloc + parts.path.rstrip("/"),
        "agency": config.agency_name, "site_title": config.title,
        "date": i18n.long_date(release.date, lang, with_time=False),
        "summary": release.summary, "lead": lead,
    }
    tags = release_hashtags(release, config.social.hashtags, config)[: rule.hashtags]
    body = lead if platform in LEAD_PLATFORMS else release.summary

    def render(title: str, text: str, chosen: tuple[str, ...]) -> str:
        return tidy(template.render(context, title=title, body=text, hashtags=list(chosen)))

    def fits(text: str) -> bool:
        return not counting.check(platform, text)

    text = _fit(render, fits, release.title, body, tags)
    return Snippet(platform, text, rule.count(text), rule.limit, rule.unit,
                   link if rule.clickable else None, tuple(counting.hashtags(text)))


def _fit(render: Callable[[str, str, tuple[str, ...]], str], fits: Callable[[str], bool],
         title: str, body: str, tags: tuple[str, ...]) -> str:
    """Cut the body, then drop hashtags, then cut the title; the whole text only as a last resort."""
    fallback = None
    for count in range(len(tags), -1, -1):
        chosen = tags[:count]
        best = fit_words(body, lambda b: fits(render(title, b, chosen)))
        if best is None:
            continue
        if best or not body:
            return render(title, best, chosen)
        fallback = fallback or render(title, "", chosen)   # title and hashtags, no body
    if fallback is not None:
        return fallback
    short_title = fit_words(title, lambda t: fits(render(t, "", ())))
    if short_title:
        return render(short_title, "", ())
    whole = render(title, "", ())
    return fit_words(whole, fits) or ""


def refit(platform: str, text: str) -> str:
    """A text from a plugin, cut to the platform's limits the same way."""
    text = tidy(text)
    return fit_words(text, lambda t: not counting.check(platform, t)) or ""


def make_snippets(release: Release, config: Config, theme: Theme,
                  platforms: Iterable[str] | None = None) -> dict[str, Snippet]:
    env = make_env(theme)
    chosen = tuple(platforms) if platforms else counting.PLATFORMS
    return {p: compose(p, release, config, env) for p in counting.PLATFORMS if p in chosen}


def folder_name(release: Release) -> str:
    """social/<date>-<slug>/: sorts by date in a file manager, one folder per release."""
    return f"{release.date.date().isoformat()}-{release.slug}"
