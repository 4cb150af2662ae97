"""Old addresses that must keep working: redirect files made from aliases and moved releases.

Three sources, one output:
- a release's or a page's `aliases:` (site paths it had before, e.g. on the WordPress site it was
  imported from);
- the site's `[redirects]` table in humasgen.toml (old category, tag and feed addresses);
- releases whose URL changed since the last build (the previous manifest lists every published
  release's URL, and carries the older ones forward as `moved_from`), so fixing a headline
  never breaks a link already shared.

`build()` returns {output path: bytes}: small HTML pages at the old paths (canonical link and
meta refresh, for hosts without redirects such as GitHub Pages), `_redirects` (Netlify,
Cloudflare Pages), an nginx `map` and an Apache `.htaccess`. An alias that is also the
address of a real page is an error; so is one old path sent to two places.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Container, Iterable
from urllib.parse import unquote, urlsplit

from .config import CONFIG_NAME
from .errors import Diagnostic, HumasgenError

NETLIFY, NGINX, APACHE = "_redirects", "redirects.nginx.conf", ".htaccess"
NGINX_VARIABLE = "$humasgen_redirect"
_MOVED = {"id": "Halaman ini telah dipindahkan ke", "en": "This page has moved to"}


@dataclass(frozen=True, slots=True)
class Redirect:
    old: str                # site path as the old links have it, may carry a query: /?p=12
    new: str                # site path (or absolute URL) it now lives at
    source: str             # what asked for it: a release file, humasgen.toml, or the manifest
    line: int | None = None
    title: str = ""
    kind: str = "alias"     # alias, config or moved


def moved(previous, site) -> tuple[tuple[Redirect, ...], tuple[Redirect, ...]]:
    """Every older path of each published release, from the previous manifest (`previous`: Manifest | None),
    and those of them that changed in this very build (for the build summary).

    An entry's own URL counts when it differs from the release's URL now; its `moved_from`
    paths were recorded by earlier builds. Paths that are now a release's real address are left out.
    """
    found = sorted(_moves(previous, site), key=lambda move: move[0].old)
    return tuple(r for r, _ in found), tuple(r for r, fresh in found if fresh)


def _moves(previous, site):
    if previous is None:
        return
    from .site import is_published
    base_path = site.config.base_path
    current = {r.id: r for r in site.releases if is_published(r, site.now)}
    taken = {r.url for r in site.releases}
    url = site.config.url
    for entry in previous.releases.values():
        release = current.get(entry.id)
        if release is None or entry.preview or (not entry.moved_from and entry.url == url(release.url)):
            continue        # still at its address (the common case: no parsing of its URL)
        old = urlsplit(entry.url).path
        old = old[len(base_path):] if base_path and old.startswith(base_path + "/") else old
        for path in dict.fromkeys((*entry.moved_from, old)):
            if path and path != release.url and path not in taken:
                yield Redirect(path, release.url, release.source, None, release.title, "moved"), path == old


def moved_from(redirects: Iterable[Redirect]) -> dict[str, tuple[str, ...]]:
    """new URL -> older paths, for the manifest to carry forward."""
    out: dict[str, list[str]] = {}
    for r in redirects:
        out.setdefault(r.new, []).append(r.old)
    return {new: tuple(sorted(olds)) for new, olds in out.items()}


def collect(site, moves: Iterable[Redirect] = ()) -> tuple[Redirect, ...]:
    """Aliases of the published releases and pages, the [redirects] table, and moved releases."""
    found: list[Redirect] = []
    for item in (*site.releases, *site.types.pages):
        for alias in item.aliases:
            if alias != item.url:
                found.append(Redirect(alias, item.url, item.source, item.lines.get("aliases"), item.title))
    for old, new in site.config.redirects:
        found.append(Redirect(old, new, CONFIG_NAME, None, kind="config"))
    found.extend(moves)
    return tuple(found)


def outputs(site, moves: Iterable[Redirect], pages: Container[str], static: Container[str] = ()) -> dict[str, bytes]:
    """All redirect outputs of a build: collect() then build()."""
    return build(site, collect(site, moves), pages, static)


def output_path(old: str) -> str | None:
    """Where the HTML stand-in of an old path goes; None for an address with a query (server files only)."""
    parts = urlsplit(old)
    if parts.query:
        return None
    path = unquote(parts.path).lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    last = path.rsplit("/", 1)[-1]
    return path if "." in last else path + "/index.html"


def build(site, redirects: Iterable[Redirect], pages: Container[str],
          static: Container[str] = ()) -> dict[str, bytes]:
    """The redirect outputs; raises HumasgenError when an old path is taken or sent two ways."""
    config = site.config
    problems: list[Diagnostic] = []
    chosen: dict[str, Redirect] = {}
    for redirect in redirects:
        first = chosen.get(redirect.old)
        moved_release = redirect.kind == "moved"
        if first is not None:
            if first.new != redirect.new and not moved_release:
                problems.append(Diagnostic(redirect.source, redirect.line, f"the old address {redirect.old} is also redirected to "
                                            f"{first.new} by {first.source}", "keep it in one place only"))
            continue
        target = output_path(redirect.old)
        if target is not None and (target in pages or target in static):
            if moved_release:
                continue        # a release now lives at the old address of another one: the page wins
            problems.append(Diagnostic(redirect.source, redirect.line, f"the old address {redirect.old} is the address of a page "
                                        f"of this site ({target})", "remove it from the aliases or redirects"))
            continue
        chosen[redirect.old] = redirect
    if problems:
        raise HumasgenError(problems)
    if not chosen:
        return {}
    ordered = [chosen[old] for old in sorted(chosen)]
    files: dict[str, bytes] = {}
    for redirect in ordered:
        target = output_path(redirect.old)
        if target is not None:
            files[target] = _page(config, redirect)
    files[NETLIFY] = _netlify(ordered)
    files[NGINX] = _nginx(config, ordered)
    files[APACHE] = _apache(ordered)
    for path in (NETLIFY, APACHE):
        if path in static:       # the site's own file wins, as with robots.txt
            del files[path]
    return files


def _target(config, redirect: Redirect) -> str:
    return config.url(redirect.new)


def _page(config, redirect: Redirect) -> bytes:
    url = html.escape(_target(config, redirect))
    words = _MOVED.get(config.language, _MOVED["en"])
    title = html.escape(redirect.title or redirect.new)
    return (f'<!DOCTYPE html>\n<html lang="{config.language}"><head><meta charset="utf-8">\n'
            f'<title>{title}</title>\n<link rel="canonical" href="{url}">\n'
            f'<meta name="robots" content="noindex">\n<meta http-equiv="refresh" content="0; url={url}">\n'
            f'</head><body><p>{words} <a href="{url}">{title}</a>.</p></body></html>\n').encode()


def _netlify(redirects: list[Redirect]) -> bytes:
    lines = ["# Made by humasgen from aliases, [redirects] and moved releases (Netlify, Cloudflare Pages)."]
    for r in redirects:
        parts = urlsplit(r.old)
        if parts.query:      # Netlify's query-parameter rule; Cloudflare Pages skips such lines
            lines.append(f"{parts.path or '/'}  {' '.join(_query_pairs(parts.query))}  {r.new}  301!")
        else:
            lines.append(f"{r.old}  {r.new}  301")
    return ("\n".join(lines) + "\n").encode()


def _query_pairs(query: str) -> list[str]:
    return [pair if "=" in pair else pair + "=" for pair in query.split("&") if pair]


def _nginx(config, redirects: list[Redirect]) -> bytes:
    lines = ["# Made by humasgen. In the http block:  include /path/to/redirects.nginx.conf;",
             f"# in the server block:  if ({NGINX_VARIABLE}) {{ return 301 {NGINX_VARIABLE}; }}",
             f"map $request_uri {NGINX_VARIABLE} {{", "    default \"\";"]
    for r in redirects:
        lines.append(f"    {_nginx_quote(r.old)} {_nginx_quote(_target(config, r))};")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode()


def _nginx_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _apache(redirects: list[Redirect]) -> bytes:
    lines = ["# Made by humasgen (Apache mod_rewrite; AllowOverride FileInfo).", "RewriteEngine On"]
    for r in redirects:
        parts = urlsplit(r.old)
        pattern = "^" + re.escape(unquote(parts.path).lstrip("/")) + "$"
        if parts.query:
            lines.append(f"RewriteCond %{{QUERY_STRING}} ^{re.escape(parts.query)}$")
        target = r.new.replace(" ", "%20")
        lines.append(f"RewriteRule {pattern} {target} [R=301,L,QSD]")
    return ("\n".join(lines) + "\n").encode()
