"""The output plan: every file a build publishes, known before anything is rendered or written.

Pages (with their base keys), feeds (with their keys), the other generated files (JSON Feed,
sitemaps, robots.txt, the IndexNow key file, the manifest), share cards, static files and
resized images: each path with its owner. Two owners of one path are an error here, before
the first page renders; so is any use of the search bundle's folder. `build`, `serve` and
`check` share these functions.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Container, Iterable, Mapping

from . import feeds, jsonfeed, manifest, ping, redirects, render, search, sitemaps
from .errors import Diagnostic, HumasgenError
from .site import Site
from .types import files as type_files


@dataclass(frozen=True, slots=True)
class OutputPlan:
    pages: tuple[render.Page, ...]
    feed_keys: Mapping[str, str]            # RSS and Atom files: path -> key (made during the render)
    generated: Mapping[str, bytes]          # other generated files, made here (cheap): path -> bytes
    cards: Mapping[str, str]                # share card path -> release source (drawn during the render)
    copies: Mapping[str, Path]              # static files and resized images: path -> source

    def paths(self) -> Iterable[str]:
        yield from (p.path for p in self.pages)
        yield from self.feed_keys
        yield from self.generated
        yield from self.cards
        yield from self.copies


def plan(site: Site, theme_key: str, static: Mapping[str, Path], image_copies: Mapping[str, Path],
         moves: tuple[redirects.Redirect, ...] = (), pages: tuple[render.Page, ...] | None = None) -> OutputPlan:
    """Every output of a build of `site`, each path once, or a HumasgenError naming the clashes.

    `moves`: published releases whose URL changed (redirects.moved), redirected from the old URLs.
    `pages`: render.plan(site, theme_key), when the caller has it already."""
    from .social.images import card_path
    pages = render.plan(site, theme_key) if pages is None else pages
    cards = {path: r.source for r in site.releases if (path := _card(card_path(r, site.config, site.now)))}
    result = OutputPlan(pages, feeds.keys(site, theme_key), generated_files(site, pages, static, moves), cards,
                        {**static, **image_copies})
    problems = collisions(result)
    if problems:
        raise HumasgenError(problems)
    search.check_paths(result.paths())
    return result


def _card(path: str | None) -> str | None:
    return path.lstrip("/") if path else None


def generated_files(site: Site, pages: Iterable[render.Page], static: Mapping[str, Path],
                    moves: tuple[redirects.Redirect, ...] = ()) -> dict[str, bytes]:
    """JSON Feed, sitemaps, robots.txt, the IndexNow key file, the manifest and the redirects (not
    RSS and Atom: see feed_files). The site's own robots.txt or key file in static/ wins over ours."""
    pages = tuple(pages)
    files = {manifest.FILENAME: manifest.dumps(site, redirects.moved_from(moves)),
             **jsonfeed.build(site, feeds.image_reader(site.config, static)),
             **sitemaps.build(site, pages), **ping.key_file(site.config),
             **redirects.outputs(site, moves, {p.path for p in pages}, static),
             **type_files.build(site)}
    for path in (sitemaps.ROBOTS, *ping.key_file(site.config)):
        if path in static:
            del files[path]
    return files


def feed_files(site: Site, static: Mapping[str, Path], reuse: Container[str] = ()) -> dict[str, bytes | None]:
    """Every RSS and Atom file; None for the paths in `reuse` (unchanged since the last build)."""
    return feeds.build(site, feeds.image_reader(site.config, static), reuse)


def all_generated(site: Site, pages: Iterable[render.Page], static: Mapping[str, Path]) -> dict[str, bytes]:
    """Every generated file at once: what the preview serves and `check` compares."""
    pages = tuple(pages)
    return {**generated_files(site, pages, static), **feed_files(site, static)}


def collisions(result: OutputPlan) -> list[Diagnostic]:
    """Each path written by two owners, named by the second (Pelican's FileOverwriteFailedError)."""
    owners: dict[str, str] = {}
    problems = []
    entries = [*((p.path, p.release.source if p.release else p.item.source if p.item is not None
                  else f"page {p.url}") for p in result.pages),
               *((path, "generated file") for path in (*result.feed_keys, *result.generated)),
               *((path, f"share card of {source}") for path, source in result.cards.items()),
               *((path, str(source)) for path, source in result.copies.items())]
    for path, owner in entries:
        first = owners.setdefault(path, owner)
        if first != owner:
            problems.append(Diagnostic(owner, None, f"output {path} would also be written by {first}",
                                       "rename one of them (slug, static file or permalink)"))
    return problems
