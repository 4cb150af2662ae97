"""The hooks a humasgen plugin can implement, in the order a build fires them.

A plugin is a module (or object) with functions named after these specs and
marked with `@humasgen.hookimpl`; it may take any subset of the arguments.
Plugins come from the site's own `hooks.py`, from installed packages (entry
point group `humasgen`) and from modules named in `[hooks] plugins`. The
built-in social snippets are a plugin like any other (`humasgen.social.plugin`).

Hooks fire on the Site, in the main process, never per parsed file: parsing
runs in worker processes and is cached, so a per-file hook would fire at
random times, or not at all on a warm build.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pluggy

PROJECT = "humasgen"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def publish_channels(config) -> Mapping[str, Any] | None:
    """The channels this plugin lets `humasgen publish` post to: {name: open}.

    Called once when the plugins are loaded (by every command), so a `[publish.NAME]`
    table in humasgen.toml is known to belong to a channel; a table no plugin provides
    is an error with a "did you mean". Two plugins providing the same name is an error.

    `open(settings, env)` is called by `humasgen publish` when the channel is enabled
    and has something to post. `settings` is the channel's table (for a plugin's
    channel a `humasgen.config.PluginChannel`: `enabled`, `api_base`, `per_hour`,
    `token_expires`, and its own keys in `options`); `env` the environment, where the
    secrets are. It returns an object with `find(item)` and `post(item)` (see
    `humasgen.publish.channel.Channel`; `can_find = False` when the platform gives no
    way to look at recent posts) and raises `humasgen.publish.channel.TokenProblem`
    when a secret is missing. `humasgen publish` keeps the delivery record, the hourly
    cap, the retries and the order; any other exception from the channel is reported
    against this plugin (the release is recorded as failed, tried again next run),
    that channel stops, the others go on.
    """


@hookspec
def config_loaded(config, site_dir: Path) -> None:
    """After humasgen.toml is read and checked, before any content is parsed.

    Validate settings your plugin keeps (for example under a release's `extra:`);
    raise `humasgen.errors.HumasgenError` to stop the build with a message.
    """


@hookspec
def site_loaded(site) -> None:
    """After every release is parsed and the Site (order, taxonomies, archives) is built.

    The Site is frozen: look, do not touch. Raising `HumasgenError` stops the build
    before anything is written.
    """


@hookspec
def page_context(page, site) -> Mapping[str, Any] | None:
    """Extra template variables for one page; return a mapping or None.

    Fires for each page that is rendered (a warm build skips pages whose inputs did
    not change). `page` and `site` are read-only views that record what the plugin
    reads, like a template's: the page is rendered again when any of it changes. The
    names and source files of the installed plugins are part of every page's cache
    key, so changing a plugin re-renders the site.
    """


@hookspec
def release_published(release, site, context) -> None:
    """Once per release published for the first time, after the new output is in place.

    `context` is an `humasgen.announce.AnnounceContext` (site and output folders,
    theme, `hook` to call other hooks). Fires when a release first appears in a
    build (a draft made public, a scheduled release whose time came), never again
    on rebuilds; pass `release.id` on to receivers so they can de-duplicate if a
    crash makes a build announce twice. Errors are reported by plugin name and do
    not undo the build.
    """


@hookspec
def release_updated(release, site, context) -> None:
    """Once per already-announced release whose content hash changed since the previous build."""


@hookspec
def release_corrected(release, correction, site, context) -> None:
    """Once when a published release gets a new major correction (`corrections:` with `major: true`).

    `correction` is the newest major `humasgen.content.Correction` (time, note). Announce it as a
    correction (ralat) of the release, not as a new release; `release_updated` fires too.
    Shell commands in `[hooks] commands` get it as event `release_corrected`.
    """


@hookspec
def social_snippets(release, site, snippets: Mapping[str, Any]) -> Mapping[str, str] | None:
    """Adjust the built-in social texts: return {platform: text} to replace or add some.

    `snippets` maps each platform to its `humasgen.social.snippets.Snippet`. A text
    returned for a known platform is cut to that platform's limits like the built-in
    ones; other keys are written as `<key>.txt` as they are.
    """


@hookspec
def build_finished(site, output_dir: Path, announcements) -> None:
    """At the very end of a build: output in place, announcements made, manifest recorded.

    `announcements` is an `humasgen.announce.Report` (new, updated, removed, problems).
    """
