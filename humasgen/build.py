"""The build pipeline, in order: config -> content -> site -> render -> write.

This is the one module that knows the order of the stages. Everything is
computed before anything is written; the write is an atomic swap.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Mapping

from . import config as config_mod
from . import content, lint_rules, render, site as site_mod, theme as theme_mod, write
from .cache import CACHE_DIR, read_json, write_json
from .errors import Diagnostic, HumasgenError

Progress = Callable[[str, int, int], None]


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


@dataclass(frozen=True, slots=True)
class BuildResult:
    site: site_mod.Site
    pages: int
    rendered: int
    files: int
    stats: write.WriteStats
    seconds: float
    warnings: tuple[Diagnostic, ...] = field(default=())


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


def load_site(site_dir: Path, now: datetime, *, base_url: str | None = None, drafts: bool = False,
              future: bool = False, preview: bool = False, jobs: int = 1,
              cache_dir: Path | None = None) -> Loaded:
    config = config_mod.load(site_dir, base_url)
    theme = theme_mod.resolve(site_dir, config.theme)
    settings = content.Settings(config.timezone, config.language, config.permalink)
    releases, problems = content.load(site_dir, settings, jobs, cache_dir)
    if problems:
        raise HumasgenError(problems)
    site = site_mod.collect(releases, config, now.astimezone(config.tz), drafts=drafts, future=future,
                            preview=preview)
    static = theme_mod.static_files(theme, site_dir)
    theme_key = theme.fingerprint() + theme_mod.static_fingerprint(static)
    return Loaded(config, theme, site, static, theme_key)


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

    pages = render.plan(site, loaded.theme_key)
    generated = _generated_files(site)
    _check_collisions(pages, generated, loaded.static)

    record = _read_record(cache_dir, output_dir)
    previous_keys: dict[str, str] = record.get("keys", {})
    previous_hashes: dict[str, str] = record.get("hashes", {})
    env = render.make_env(loaded.theme, site, loaded.static)
    files: dict[str, bytes | None] = {}
    rendered = 0
    total = len(pages)
    for done, page in enumerate(pages, 1):
        if previous_keys.get(page.path) == page.key and page.path in previous_hashes:
            files[page.path] = None
        else:
            files[page.path] = render.render_page(env, page)
            rendered += 1
        if done % 500 == 0 or done == total:
            report("rendering pages", done, total)
    files.update(generated)

    report("writing", 0, 1)
    stats, hashes = write.commit(output_dir, files, loaded.static, previous_hashes)
    _write_record(cache_dir, output_dir, {p.path: p.key for p in pages}, hashes)
    return BuildResult(site=site, pages=len(pages), rendered=rendered, files=len(files) + len(loaded.static),
                       stats=stats, seconds=time.perf_counter() - started, warnings=warnings)


def _generated_files(site: site_mod.Site) -> dict[str, bytes]:
    """Everything besides HTML pages: feeds, sitemaps, manifest."""
    from . import manifest
    return {manifest.FILENAME: manifest.dumps(site)}


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
    import hashlib
    tag = hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"output-{tag}.json"


def _marker_id(output_dir: Path) -> list[int] | None:
    try:
        stat = (output_dir / write.MARKER).stat()
    except OSError:
        return None
    return [stat.st_ino, stat.st_mtime_ns]


def _read_record(cache_dir: Path, output_dir: Path) -> dict:
    """What the last build wrote to this output folder; empty if the folder changed since."""
    record = read_json(_record_path(cache_dir, output_dir))
    if not isinstance(record, dict) or record.get("marker") != _marker_id(output_dir):
        return {}
    return record


def _write_record(cache_dir: Path, output_dir: Path, keys: dict[str, str], hashes: dict[str, str]) -> None:
    write_json(_record_path(cache_dir, output_dir),
               {"marker": _marker_id(output_dir), "keys": keys, "hashes": hashes})
