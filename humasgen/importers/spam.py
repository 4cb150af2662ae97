"""Injected spam in an old post: the gambling and pharma links hacked into go.id WordPress sites.

A post is quarantined (written as a draft under content/karantina/) when its HTML has
- a link or spam words inside an element hidden from readers (display:none, visibility:hidden,
  font-size:0, far off-screen, the `hidden` attribute), the classic SEO-spam injection;
- a <script>, which a press release never needs;
- an <iframe> to a host that is not a known video, map or document service nor the site itself;
- gambling or pharma words (slot gacor, judi online, togel, ...) in link text or link addresses.
It never decides a post is clean by guessing: anything matched is held for a human.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

SPAM_WORDS = re.compile(
    r"slot\s*gacor|situs\s*slot|slot\s*online|judi\s*(?:online|bola)|togel|toto\s*macau|sbobet|maxwin|"
    r"bandar\s*(?:judi|togel|bola)|casino|kasino|poker\s*online|domino\s*qq|pragmatic\s*play|scatter|"
    r"viagra|cialis|levitra|obat\s*kuat|payday\s*loan", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])|"
                           r"(?:left|top|text-indent)\s*:\s*-\d{3,}|height\s*:\s*0(?:px)?\s*;.*overflow\s*:\s*hidden",
                           re.I | re.S)
TRUSTED_FRAMES = ("youtube.com", "youtube-nocookie.com", "youtu.be", "vimeo.com", "google.com", "maps.google.com",
                  "docs.google.com", "facebook.com", "instagram.com", "twitter.com", "x.com", "tiktok.com",
                  "soundcloud.com", "spotify.com", "scribd.com", "slideshare.net", "issuu.com")


_MARKERS = ("<script", "<iframe", "display", "visibility", "hidden", "font-size", "left:", "top:", "text-indent",
            "slot", "judi", "togel", "toto", "sbobet", "maxwin", "bandar", "casino", "kasino", "poker", "domino",
            "pragmatic", "scatter", "viagra", "cialis", "levitra", "obat", "payday")


def suspect(html: str) -> bool:
    """A cheap first look (substrings): only posts that pass it are parsed by reasons()."""
    low = html.lower()
    return any(marker in low for marker in _MARKERS)


def reasons(html: str, own_hosts: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Why the post looks injected (empty: nothing found)."""
    if not html.strip():
        return ()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ()
    found: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script":
            found.append("script element")
        elif tag == "iframe":
            host = (urlsplit(element.get("src") or "").hostname or "").lower()
            if not _trusted(host, own_hosts):
                found.append(f"iframe to unknown host {host or '(none)'}")
        hidden = element.get("hidden") is not None or _HIDDEN_STYLE.search(element.get("style") or "")
        if hidden:
            text = element.text_content()
            if any(True for _ in element.iter("a")) or SPAM_WORDS.search(text):
                found.append("links or spam words in a hidden element")
        if tag == "a":
            words = SPAM_WORDS.search(element.text_content() + " " + (element.get("href") or ""))
            if words:
                found.append(f"spam link ({words.group(0).lower()})")
    return tuple(dict.fromkeys(found))


def _trusted(host: str, own_hosts: tuple[str, ...]) -> bool:
    return bool(host) and any(host == h or host.endswith("." + h) for h in (*TRUSTED_FRAMES, *own_hosts))
