"""The build pipeline, in order: load -> plan -> check -> render -> commit -> announce -> save.

This is the one module that knows the order of the stages. Every output path is planned and
checked before the first page renders; the write is an atomic swap; announcements follow a
successful swap.
"""
from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from . import announce, manifest, plugins as plugins_mod, redirects
from .publish import record as publish_record
from . import config as config_mod
from . import content, editor, images as images_mod, lint_rules, outputs, parallel, reads, render, search, site as site_mod, theme as theme_mod, write
from .cache import CACHE_DIR, read_json, write_json
from . import embargo, translations, types as content_types
from .errors import Diagnostic, HumasgenError, did_you_mean
from .output_tree import OutputTree
from .safety import cachefiles, images as safe_images
from .safety.lock import exclusive

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
    moved: tuple[redirects.Redirect, ...] = ()     # releases whose URL changed: the old one redirects


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
    with parallel.settled():
        return _load_site(site_dir, now, base_url=base_url, drafts=drafts, future=future, preview=preview,
                          jobs=jobs, cache_dir=cache_dir, memo=memo)


def _load_site(site_dir: Path, now: datetime, *, base_url: str | None, drafts: bool, future: bool,
               preview: bool, jobs: int, cache_dir: Path | None, memo: content.Memo | None) -> Loaded:
    config_mod.require_site(site_dir)
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
    kinds, more = content_types.load(site_dir, settings)      # pages and the other types
    secret = os.environ.get(embargo.ENV) or config.embargo_secret
    local_now = now.astimezone(config.tz)
    problems = (*problems, *more, *_type_problems(config, site_dir, releases, kinds, local_now, secret))
    if problems:
        published = [r for r in releases if site_mod.is_published(r, local_now, drafts, future)]
        raise HumasgenError([*problems, *site_mod.url_collisions(published)])
    # The last build's related lists; the preview makes each list when a page asks for it.
    known = cachefiles.related(read_json(cache_dir / RELATED_CACHE)) if cache_dir and not preview else None
    site = site_mod.collect(releases, config, local_now, drafts=drafts, future=future,
                            preview=preview, known_related=known if isinstance(known, dict) else None,
                            types=kinds, embargo_secret=secret)
    plugins_mod.call_or_fail(plugins.hook.site_loaded, site=site)
    static = theme_mod.static_files(theme, site_dir)
    static = {**static, **editor.published_files(site_dir, config)}     # [editor] publish = true: /admin/
    safe_images.check(site.releases, static, cache_dir, config.logo)      # before anything is rendered
    theme_key = theme.fingerprint() + theme_mod.static_fingerprint(static) + plugins.fingerprint
    related_cached = isinstance(known, dict) and site.related_signature in known
    return Loaded(config, theme, site, static, theme_key, plugins, related_cached)


def revise_site(previous: Loaded, site_dir: Path, now: datetime, memo: content.Memo, jobs: int = 1) -> Loaded | None:
    """The preview's model after saves of release files only (what the watcher named, see
    content.load_changes), made from the previous model (site.revise) without looking at the
    other releases. For a model of every release (drafts and future ones shown), as the
    preview makes. None when load_site must make it: no complete load to start from, a
    problem in a saved file (load_site reports it with the rest), a translation key involved."""
    config = previous.config
    settings = content.Settings(config.timezone, config.language, config.permalink)
    with parallel.settled():
        found = content.load_changes(site_dir, settings, memo, jobs)
    if found is None or found[1]:
        return None
    changes = found[0]
    moved = [r for change in changes.values() for r in change if r is not None]
    if any(r.translation_key for r in moved):       # a rule across files: checked over all of them
        return None
    local_now = now.astimezone(config.tz)
    news = [new for _, new in changes.values() if new is not None]
    secret = os.environ.get(embargo.ENV) or config.embargo_secret
    if embargo.secret_problems(news, local_now, secret):
        return None
    try:
        site = site_mod.revise(previous.site, changes.values(), local_now)
    except HumasgenError:       # two releases at one URL: reported with the rest by load_site
        return None
    if site is None:
        return None
    plugins = previous.plugins or plugins_mod.load(site_dir, config)
    plugins_mod.call_or_fail(plugins.hook.site_loaded, site=site)
    safe_images.check(news, previous.static, None, config.logo)
    return replace(previous, site=site, related_cached=False)


def _type_problems(config: config_mod.Config, site_dir: Path, releases, kinds: content_types.Types,
                   now: datetime, secret: str) -> list[Diagnostic]:
    """Rules across files: menu entries, translation keys, the embargo secret."""
    from .config import CONFIG_NAME, key_line
    found = [*translations.problems((*releases, *kinds.pages)), *embargo.secret_problems(releases, now, secret)]
    slugs = {p.slug for p in kinds.pages}
    text = (site_dir / CONFIG_NAME).read_text(encoding="utf-8") if config.menu else ""
    for slug in config.menu:
        if slug not in slugs:
            found.append(Diagnostic(CONFIG_NAME, key_line(text, (), "menu"), f"menu names '{slug}', which is no page",
                                    f"{did_you_mean(slug, sorted(slugs))}; pages are the files in content/halaman/"
                                    if slugs else "add content/halaman/" + slug + ".md or remove it from menu"))
    return found


@exclusive           # one build per site at a time; file-system faults as diagnostics
@parallel.heap_scoped
def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """load -> plan -> check -> render -> commit -> announce -> save."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    site_dir, output_dir = options.site_dir, options.output_dir
    cache_dir = site_dir / CACHE_DIR
    write.check_target(output_dir, site_dir)

    # Load: config, content, the site model; what the output holds.
    report("loading content", 0, 1)
    loaded = load_site(site_dir, options.now, base_url=options.base_url, drafts=options.drafts,
                       future=options.future, jobs=options.jobs, cache_dir=cache_dir)
    site = loaded.site
    plugins = loaded.plugins or plugins_mod.load(site_dir, loaded.config)   # always set by load_site
    missing = lint_rules.missing_lead_images(site_dir, loaded.config, site.releases, loaded.static)
    if missing:
        raise HumasgenError(missing)
    with parallel.settled():
        tree = OutputTree.open(output_dir, cache_dir)
    images = _responsive_images(loaded, cache_dir, options.jobs, report)

    # Plan and check: every output path with its owner and key; clashes stop the build here.
    # Meanwhile, the pages the last build wrote are checked: a page is kept when all it read is unchanged.
    with parallel.settled():
        theme_key = loaded.theme_key + images.fingerprint
        pages = render.plan(site, theme_key)
        env = render.make_env(loaded.theme, site, loaded.static, images)
        replay = reads.Replay(tree.pages, env.roots)
        with replay.checking([p for p in pages if tree.recorded(p.path)], options.jobs,
                             also=lambda page: tree.present(page.path)) as checked:
            warnings = lint_rules.build_warnings(site_dir, loaded.config, site.releases, site.now)
            if options.strict and warnings:
                raise HumasgenError(warnings)
            # What was announced before, read before anything is written.
            previous = manifest.read_previous(options.previous, output_dir)
            changes = manifest.diff(previous, site, options.announce_all)
            # The delivery record of `humasgen publish` rides along with every build (see publish/record.py).
            delivery_record = publish_record.carried(options.previous, output_dir, cache_dir)
            moves, newly_moved = redirects.moved(previous, site)     # published URLs that changed keep redirecting
            # The output keeps the previous manifest until the announcements are made: the live
            # file as it is (linked, not held in memory) when it is the one just read.
            own = previous is not None and not options.previous and tree.kept(manifest.FILENAME)
            kept_manifest = None if own else previous.data if previous else manifest.PENDING
            del previous        # 100,000 entries: freed before the plan is made
            plan = outputs.plan(site, theme_key, loaded.static, images.copies, moves, pages)
            finalize = search.finalizer(loaded.config, site_dir, plan.paths())
            unchanged = checked()
    kept_paths = {p.path for p in unchanged}
    todo = [p for p in plan.pages if p.path not in kept_paths]
    kept_feeds = {path for path, key in plan.feed_keys.items() if tree.feed_kept(path, key)}
    ledger = reads.Ledger(replay)
    for page in unchanged:
        ledger.keep(page.path)
    new_manifest = plan.generated[manifest.FILENAME]
    generated = {**plan.generated, manifest.FILENAME: kept_manifest}
    if delivery_record is not None:
        if publish_record.FILENAME in plan.copies:
            raise HumasgenError.single(str(plan.copies[publish_record.FILENAME]), None,
                                       f"{publish_record.FILENAME} is the delivery record of `humasgen publish`",
                                       "rename or remove this file")
        generated[publish_record.FILENAME] = delivery_record

    # Render: pages in the workers; meanwhile the parent writes feeds and draws share cards.
    def entries(fresh: Path | None) -> Iterator[tuple[str, write.Content]]:
        yield from ((p.path, None) for p in unchanged)
        deliver = functools.partial(write.put, fresh) if fresh is not None else None
        extras: dict[str, write.Content] = {}
        done = 0
        for chunk in render.render_many(env, todo, options.jobs, page_context(plugins), deliver):
            if not extras:      # once the workers are busy; one process: no pool beside the render pool
                extras = _side_outputs(loaded, plan, kept_feeds, cache_dir, 1)
            for page in chunk:
                ledger.add(page.path, page.key, page.reads, page.groups, page.group_reads)
                yield page.path, page.content
            done += len(chunk)
            report("rendering pages", done, len(todo))
        yield from (extras or _side_outputs(loaded, plan, kept_feeds, cache_dir, options.jobs)).items()
        yield from generated.items()
        yield from plan.copies.items()

    # Commit, announce, save.
    stats, tree = tree.commit(entries, finalize)
    announced = _announce_and_record(changes, site, plugins, loaded, site_dir, output_dir, new_manifest)
    if announced.recorded:
        tree = tree.with_live_file(manifest.FILENAME, new_manifest)
    tree.save(plan.feed_keys, ledger.to_json())
    if not loaded.related_cached:
        _remember_related(cache_dir, site)
    _, finished = plugins_mod.call_each(plugins.hook.build_finished, site=site, output_dir=output_dir,
                                        announcements=announced)
    if finished:
        late = tuple(replace(d, severity="warning") for d in finished)
        announced = replace(announced, problems=announced.problems + late)
    return BuildResult(site=site, pages=len(plan.pages), rendered=len(todo), files=len(set(plan.paths())),
                       stats=stats, seconds=time.perf_counter() - started, warnings=warnings,
                       announcements=announced, images_encoded=images.encoded,
                       moved=newly_moved)


def _side_outputs(loaded: Loaded, plan: outputs.OutputPlan, kept_feeds: set[str], cache_dir: Path,
                  jobs: int) -> dict[str, write.Content]:
    """RSS and Atom files (None: kept as they are) and share cards, at the paths the plan gave them."""
    files: dict[str, write.Content] = dict(outputs.feed_files(loaded.site, loaded.static, kept_feeds))
    cards = _share_cards(loaded, cache_dir, jobs)
    if set(cards) != set(plan.cards):
        raise HumasgenError.single("humasgen", None, "share cards differ from the output plan",
                                   "this is a bug in humasgen; please report it")
    files.update(cards)
    return files


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
    used = images_mod.used_images(loaded.site.releases)
    return images_mod.prepare(used, loaded.static, cache_dir, jobs)


