"""The build pipeline, in order: config -> content -> site -> render -> write.

This is the one module that knows the order of the stages. Everything is
computed before anything is written; the write is an atomic swap.
"""
from __future__ import annotations

import functools
import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Container, Iterator, Mapping

from . import announce, feeds, manifest, plugins as plugins_mod
from . import config as config_mod
from . import content, images as images_mod, lint_rules, reads, render, search, site as site_mod, theme as theme_mod, write
from .cache import CACHE_DIR, read_json, write_json
from .errors import Diagnostic, HumasgenError

Progress = Callable[[str, int, int], None]
RELATED_CACHE = "related.json"      # the last build's "Baca juga" lists, by related_signature


@dataclass(frozen=True, slots=True)
class BuildOptions:
    site_dir: Path
    output_dir: Path
    now: datetime
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    jobs: int = 1
    previous: str | None = None
    announce_all: bool = False
    strict: bool = False            # warnings stop the build, like errors


@dataclass(frozen=True, slots=True)
class BuildResult:
    site: site_mod.Site
    pages: int
    rendered: int
    files: int
    stats: write.WriteStats
    seconds: float
    warnings: tuple[Diagnostic, ...] = field(default=())
    announcements: announce.Report = field(default_factory=announce.Report)
    images_encoded: int = 0


def now_from_env(tz: timezone | None = None) -> datetime:
    """Build time: SOURCE_DATE_EPOCH when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Loaded:
    """Config, theme and site model: what `build`, `serve` and `check` all start from."""
    config: config_mod.Config
    theme: theme_mod.Theme
    site: site_mod.Site
    static: Mapping[str, Path]
    theme_key: str
    plugins: plugins_mod.Plugins | None = None
    related_cached: bool = False    # the related lists came from .humasgen/related.json


def load_site(site_dir: Path, now: datetime, *, base_url: str | None = None, drafts: bool = False,
              future: bool = False, preview: bool = False, jobs: int = 1,
              cache_dir: Path | None = None, memo: content.Memo | None = None) -> Loaded:
    try:
        config = config_mod.load(site_dir, base_url)
    except HumasgenError as error:
        # Report the content's problems too, in the same run (parsed with default settings).
        defaults = config_mod.Config()
        settings = content.Settings(defaults.timezone, defaults.language, defaults.permalink)
        raise HumasgenError([*error.diagnostics, *content.load(site_dir, settings, jobs)[1]]) from None
    plugins = plugins_mod.load(site_dir, config)
    plugins_mod.call_or_fail(plugins.hook.config_loaded, config=config, site_dir=site_dir)
    theme = theme_mod.resolve(site_dir, config.theme)
    settings = content.Settings(config.timezone, config.language, config.permalink)
    releases, problems = content.load(site_dir, settings, jobs, cache_dir, memo)
    if problems:
        local_now = now.astimezone(config.tz)
        published = [r for r in releases if site_mod.is_published(r, local_now, drafts, future)]
        raise HumasgenError([*problems, *site_mod.url_collisions(published)])
    known = read_json(cache_dir / RELATED_CACHE) if cache_dir else None
    site = site_mod.collect(releases, config, now.astimezone(config.tz), drafts=drafts, future=future,
                            preview=preview, known_related=known if isinstance(known, dict) else None)
    plugins_mod.call_or_fail(plugins.hook.site_loaded, site=site)
    static = theme_mod.static_files(theme, site_dir)
    theme_key = theme.fingerprint() + theme_mod.static_fingerprint(static) + plugins.fingerprint
    related_cached = isinstance(known, dict) and site.related_signature in known
    return Loaded(config, theme, site, static, theme_key, plugins, related_cached)


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    site_dir, output_dir = options.site_dir, options.output_dir
    cache_dir = site_dir / CACHE_DIR
    write.check_target(output_dir, site_dir)

    report("loading content", 0, 1)
    loaded = load_site(site_dir, options.now, base_url=options.base_url, drafts=options.drafts,
                       future=options.future, jobs=options.jobs, cache_dir=cache_dir)
    site = loaded.site
    warnings = lint_rules.build_warnings(site_dir, loaded.config, site.releases, site.now)
    if options.strict and warnings:
        raise HumasgenError(warnings)
    # What was announced before, read before anything is written (see manifest.py).
    previous = manifest.read_previous(options.previous, output_dir)
    changes = manifest.diff(previous, site, options.announce_all)

    state, previous_keys, previous_pages = _read_record(cache_dir, output_dir)
    live = state.live_hashes
    images = _responsive_images(loaded, cache_dir, options.jobs, report)
    pages = render.plan(site, loaded.theme_key + images.fingerprint)
    live_prefix = f"{output_dir}/"
    def kept(path: str, key: str) -> bool:
        """Unchanged since the last build, and the live output still has it (not deleted by hand)."""
        return previous_keys.get(path) == key and path in live and os.path.isfile(live_prefix + path)

    feed_keys = feeds.keys(site, loaded.theme_key)
    kept_feeds = {path for path, key in feed_keys.items() if kept(path, key)}
    search_files = search.finalizer(loaded.config, site_dir, [*(p.path for p in pages), *loaded.static,
                                                              *images.copies])
    extras: dict[str, Any] = {}

    def make_extras() -> None:
        """Feeds, sitemaps, manifest and share cards: made while the render workers run, the parent being idle."""
        if extras:
            return
        generated = _generated_files(site, pages, loaded.static, kept_feeds)
        # One process: forking a pool of card drawers beside the render pool is asking for trouble.
        cards = _share_cards(loaded, cache_dir, options.jobs if not todo else 1)
        copies = {**loaded.static, **images.copies, **cards}
        _check_collisions(pages, generated, copies)
        search.check_paths([*generated, *cards])
        extras.update(generated=generated, copies=copies, manifest=generated[manifest.FILENAME])
        # The output keeps the previous manifest until the announcements are made.
        generated[manifest.FILENAME] = previous.data if previous else manifest.PENDING

    env = render.make_env(loaded.theme, site, loaded.static, images)
    plugins = loaded.plugins or plugins_mod.load(site_dir, loaded.config)   # always set by load_site
    context_of = page_context(plugins)

    # A page is kept when every value its last render read is still the same (see reads.py).
    replay = reads.Replay(previous_pages, env.roots)
    kept_pages = {p.path for p in pages if p.path in live and os.path.isfile(live_prefix + p.path)
                  and replay.unchanged(p)}
    unchanged = [p for p in pages if p.path in kept_pages]
    todo = [p for p in pages if p.path not in kept_pages]
    ledger = reads.Ledger()
    for p in unchanged:
        ledger.keep(p.path, replay)

    def entries(fresh: Path | None) -> Iterator[tuple[str, write.Content]]:
        yield from ((p.path, None) for p in unchanged)
        done = 0
        deliver = functools.partial(write.put, fresh) if fresh is not None else None
        for chunk in render.render_many(env, todo, options.jobs, context_of, deliver):
            make_extras()       # once the workers are busy
            for page in chunk:
                ledger.add(page.path, page.key, page.reads, page.groups, page.group_reads)
                yield page.path, page.content
            done += len(chunk)
            report("rendering pages", done, len(todo))
        make_extras()           # when there was nothing to render
        yield from extras["generated"].items()
        yield from extras["copies"].items()

    # The idle tree is about to change: should this build fail or be killed, the next one must not
    # trust the idle tree's recorded hashes (it would keep files this build half-updated).
    if state.idle_known:
        _write_record(cache_dir, output_dir, state.live_only(), previous_keys, previous_pages)
    stats, state = write.commit(output_dir, entries, state, search_files)
    new_manifest = extras["manifest"]
    announced = _announce_and_record(changes, site, plugins, loaded, site_dir, output_dir, new_manifest)
    if announced.recorded:
        state = state.with_live_file(manifest.FILENAME, hashlib.sha256(new_manifest).hexdigest())
    _write_record(cache_dir, output_dir, state, feed_keys, ledger.to_json())
    if not loaded.related_cached:
        _remember_related(cache_dir, site)
    _, finished = plugins_mod.call_each(plugins.hook.build_finished, site=site, output_dir=output_dir,
                                        announcements=announced)
    if finished:
        late = tuple(replace(d, severity="warning") for d in finished)
        announced = replace(announced, problems=announced.problems + late)
    return BuildResult(site=site, pages=len(pages), rendered=len(todo),
                       files=len(pages) + len(extras["generated"]) + len(extras["copies"]),
                       stats=stats, seconds=time.perf_counter() - started, warnings=warnings,
                       announcements=announced, images_encoded=images.encoded)


def _remember_related(cache_dir: Path, site: site_mod.Site) -> None:
    """Keep the related lists for the next build (most builds change no tags, units or categories)."""
    write_json(cache_dir / RELATED_CACHE, {site.related_signature: {r.id: [o.id for o in site.related[r.id]] for r in site.releases}})


def _announce_and_record(changes: manifest.Changes, site: site_mod.Site, plugins: plugins_mod.Plugins,
                         loaded: Loaded, site_dir: Path, output_dir: Path, new_manifest: bytes) -> announce.Report:
    """Announce, then record the new manifest (not when a hook failed with fail_build: retry next time)."""
    context = announce.AnnounceContext(site_dir, output_dir, site_dir / CACHE_DIR, loaded.theme, loaded.static,
                                       plugins.hook)
    report = announce.announce(changes, site, plugins, context)
    if report.fatal:
        return report
    manifest.record(output_dir, new_manifest)
    return replace(report, recorded=True)


def page_context(plugins: plugins_mod.Plugins | None) -> render.ContextOf | None:
    """The page_context hook as render_page calls it (with tracked page and site), None when no
    plugin implements it. Build and serve share it."""
    if plugins is None or not plugins.implements("page_context"):
        return None

    def context_of(page: Any, site: Any) -> dict:
        extra: dict = {}
        for name, value in plugins_mod.call_or_fail(plugins.hook.page_context, page=page, site=site):
            if not isinstance(value, Mapping):
                raise HumasgenError.single(f"plugin {name}", None, "page_context must return a mapping or None")
            extra.update(value)
        return extra
    return context_of


def _share_cards(loaded: Loaded, cache_dir: Path, jobs: int) -> dict[str, Path]:
    """og:image cards for releases without a lead image (drawn once, then cached)."""
    from .social import images
    if not (loaded.config.social.enabled and loaded.config.social.images):
        return {}
    return images.og_cards(loaded.site.releases, loaded.config, loaded.static, cache_dir, loaded.site.now, jobs)


def _responsive_images(loaded: Loaded, cache_dir: Path, jobs: int, report: Progress) -> images_mod.Images:
    """Resized and WebP copies of the images the published releases use (cached by source bytes)."""
    report("resizing images", 0, 1)
    used = images_mod.used_images((r.image, r.body_html) for r in loaded.site.releases)
    return images_mod.prepare(used, loaded.static, cache_dir, jobs)


def _generated_files(site: site_mod.Site, pages: tuple[render.Page, ...] = (),
                     static: Mapping[str, Path] | None = None, reuse: Container[str] = ()) -> dict[str, bytes | None]:
    """Everything besides HTML pages: feeds, sitemaps, manifest. None: unchanged feed, kept."""
    from . import manifest
    files: dict[str, bytes | None] = {manifest.FILENAME: manifest.dumps(site)}
    files.update(_syndication_files(site, pages, static or {}, reuse))
    return files


def _syndication_files(site: site_mod.Site, pages: tuple[render.Page, ...],
                       static: Mapping[str, Path], reuse: Container[str]) -> dict[str, bytes | None]:
    """Feeds, JSON Feed, sitemaps, robots.txt and the IndexNow key file."""
    from . import feeds, jsonfeed, ping, sitemaps
    images = feeds.image_reader(site.config, static)
    files = {**feeds.build(site, images, reuse), **jsonfeed.build(site, images), **sitemaps.build(site, pages)}
    files.update(ping.key_file(site.config))
    for path in (sitemaps.ROBOTS, *ping.key_file(site.config)):
        if path in static:                   # the site's own robots.txt or IndexNow key file wins
            del files[path]
    return files


def _check_collisions(pages, generated: Mapping[str, bytes], static: Mapping[str, Path]) -> None:
    owners: dict[str, str] = {}
    problems = []
    for path, owner in [*((p.path, p.release.source if p.release else f"page {p.url}") for p in pages),
                        *((path, "generated file") for path in generated),
                        *((path, str(source)) for path, source in static.items())]:
        first = owners.setdefault(path, owner)
        if first != owner:
            problems.append(Diagnostic(owner, None, f"output {path} would also be written by {first}",
                                       "rename one of them (slug, static file or permalink)"))
    if problems:
        raise HumasgenError(problems)


def _record_path(cache_dir: Path, output_dir: Path) -> Path:
    tag = hashlib.sha256(str(output_dir.absolute()).encode()).hexdigest()[:16]
    return cache_dir / f"output-{tag}.json"


def _marker_id(output_dir: Path) -> list[int] | None:
    try:
        stat = (output_dir / write.MARKER).stat()
    except OSError:
        return None
    return [stat.st_ino, stat.st_mtime_ns]


def _read_record(cache_dir: Path, output_dir: Path) -> tuple[write.TreeState, dict[str, str], dict]:
    """What the last build wrote to this output folder (tree state, feed keys, page reads);
    nothing if the folder changed since."""
    record = read_json(_record_path(cache_dir, output_dir))
    if not isinstance(record, dict) or record.get("marker") != _marker_id(output_dir):
        return write.TreeState(), {}, {}
    state = write.TreeState.from_json(record.get("state"))
    if state.live != write.live_name(output_dir):     # a build died after its swap, before recording
        return write.TreeState(), {}, {}
    keys, pages = record.get("keys"), record.get("pages")
    return state, keys if isinstance(keys, dict) else {}, pages if isinstance(pages, dict) else {}


def _write_record(cache_dir: Path, output_dir: Path, state: write.TreeState, keys: dict[str, str],
                  pages: dict) -> None:
    write_json(_record_path(cache_dir, output_dir),
               {"marker": _marker_id(output_dir), "state": state.to_json(), "keys": keys, "pages": pages})
