"""Command line: parse arguments, call the library, print diagnostics, pick exit codes."""
from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Callable

import click

from . import __version__, i18n, messages
from .build import BuildOptions, build, default_jobs, now_from_env
from .errors import HumasgenError
from .safety.text import for_terminal

site_option = click.option("--site", "site_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                           default=".", show_default=True, help="Site folder.")


SHOWN_WARNINGS = 20   # a big archive can have hundreds; `humasgen check` lists them all


def fail(error: HumasgenError, language: str = "id") -> None:
    """Show the diagnostics (in the site's language, see messages.py) and exit."""
    for diagnostic in error.diagnostics:
        click.echo(messages.show(diagnostic, language), err=True)
    count = len(error.diagnostics)
    n_ = messages.ngettext(language)
    if any(d.severity == "error" for d in error.diagnostics):
        text = n_("{count} error; nothing was written.", "{count} errors; nothing was written.", count)
    else:
        text = n_("{count} warning with --strict; nothing was written.",
                  "{count} warnings with --strict; nothing was written.", count)
    click.echo(text.format(count=count), err=True)
    sys.exit(error.exit_code)


class _Progress:
    """A live line on a terminal, plain lines in CI logs."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.tty:
            bar = "#" * (20 * done // total if total else 20)
            click.echo(f"\r{stage:<18} [{bar:<20}] {done}/{total}", err=True, nl=False)
        elif stage != self.stage:
            click.echo(f"{stage}…", err=True)
        self.stage = stage

    def close(self) -> None:
        if self.tty and self.stage:
            click.echo("\r" + " " * 60 + "\r", err=True, nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="humasgen")
def main() -> None:
    """humasgen: press releases in Markdown -> an official newsroom site, feeds and social posts."""


@main.command("build")
@site_option
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder [default: SITE/output].")
@click.option("--base-url", help="Override base_url from humasgen.toml.")
@click.option("--drafts", is_flag=True, help="Include drafts.")
@click.option("--future", is_flag=True, help="Include releases dated in the future.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for parsing and rendering [default: all cores].")
@click.option("--previous", metavar="PATH_OR_URL",
              help="Previous manifest.json to diff against (default: the one in the output folder).")
@click.option("--announce-all", is_flag=True, help="Announce every release even without a previous manifest.")
def build_command(site_dir: Path, output_dir: Path | None, base_url: str | None, drafts: bool, future: bool,
                  strict: bool, jobs: int | None, previous: str | None, announce_all: bool) -> None:
    """Build the site into the output folder (atomically)."""
    options = BuildOptions(
        site_dir=site_dir, output_dir=output_dir or site_dir / "output", now=now_from_env(),
        base_url=base_url, drafts=drafts, future=future, jobs=jobs or default_jobs(),
        previous=previous, announce_all=announce_all, strict=strict,
    )
    progress = _Progress()
    language = messages.site_language(site_dir)
    _, n_ = messages.gettext(language), messages.ngettext(language)
    try:
        result = build(options, progress)
    except HumasgenError as error:
        progress.close()
        fail(error, language)
        return
    progress.close()
    for warning in result.warnings[:SHOWN_WARNINGS]:
        click.echo(messages.show(warning, language), err=True)
    more = len(result.warnings) - SHOWN_WARNINGS
    if more > 0:
        click.echo(n_("… and {count} more warning: run 'humasgen check' for all of them.",
                      "… and {count} more warnings: run 'humasgen check' for all of them.", more).format(count=more),
                   err=True)
    site = result.site
    click.echo(n_("Built {count} release", "Built {count} releases", len(site.releases)).format(count=len(site.releases))
               + ", " + n_("{count} page", "{count} pages", result.pages).format(count=result.pages)
               + _(" ({rendered} rendered, {written} files written, {removed} removed) in {seconds} s -> {output}").format(
                   rendered=result.rendered, written=result.stats.written, removed=result.stats.removed,
                   seconds=f"{result.seconds:.2f}", output=options.output_dir))
    if site.next_scheduled:
        when = site.next_scheduled
        shown = f"{i18n.long_date(when, language)} ({when.isoformat()})" if language != "en" else when.isoformat()
        click.echo(_("Next scheduled release: {when}").format(when=shown))
    for moved in result.moved:
        click.echo(_("URL changed: {old} -> {new} ({source}); the old URL redirects to the new one").format(
            old=moved.old, new=moved.new, source=moved.source))
    _print_previews(site, _)
    _print_announcements(result.announcements, language)


def _print_previews(site, _: Callable[[str], str]) -> None:
    """Embargoed releases: the secret preview URL for the officer to send to journalists."""
    for preview in site.previews:
        click.echo(_("Embargoed until {when}: {id}").format(when=preview.release.date.isoformat(),
                                                            id=preview.release.id))
        click.echo("  " + _("preview (send only to journalists): {url}").format(url=site.config.url(preview.url)))


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Diskominfo Provinsi Contoh", show_default=True, help="Site title.")
@click.option("--timezone", "timezone", metavar="ZONE",
              help="Time zone of the release times: WIB, WITA, WIT or an IANA name such as Asia/Jakarta "
                   "[asked on a terminal; required otherwise].")
@click.option("--hosting", type=click.Choice(["pages", "rsync", "s3"]), default="pages", show_default=True,
              help="CI deploy target: GitHub/GitLab Pages, your own server over SSH (rsync), or an "
                   "S3-compatible bucket (both for hosting in Indonesia, with 'humasgen deploy').")
def init_command(directory: Path, title: str, timezone: str | None, hosting: str) -> None:
    """Scaffold a new site in DIRECTORY."""
    from .scaffold import ZONE_HELP, init_site, install_source, zone_label
    if timezone is None:
        if not sys.stdin.isatty():
            raise click.UsageError(f"give the site's time zone with --timezone: {ZONE_HELP}")
        timezone = click.prompt("Zona waktu jam rilis (WIB, WITA atau WIT)",
                                type=click.Choice(["WIB", "WITA", "WIT"], case_sensitive=False))
    source = install_source()
    try:
        created = init_site(directory, title, now_from_env(), timezone, hosting, source)
    except HumasgenError as error:
        fail(error)
        return
    for path in created:
        click.echo(f"created {path}")
    from .config import load
    click.echo(f"timezone: {zone_label(load(directory).timezone)} (change 'timezone' in humasgen.toml if wrong)")
    click.echo(f"CI installs: {source.requirement}" + ("" if source.installable else
               " (a local folder: write a git or wheel URL in HUMASGEN_PACKAGE before pushing)"))
    if hosting == "pages":
        click.echo("Hosting: GitHub/GitLab Pages (abroad). For hosting in Indonesia, see --hosting rsync|s3.")
    else:
        click.echo(f"Hosting: 'humasgen deploy' ({hosting}); fill in [deploy] in humasgen.toml.")
    click.echo("The sample release is a draft: edit it, set 'draft: false', then build.")
    _write_editor(directory, quiet=True)
    click.echo(f"created {directory / 'admin'}/ (the browser editor: humasgen serve, then /admin/)")
    click.echo(f"Next: cd {directory} && humasgen build")


# -- the browser editor (humasgen/editor/) -----------------------------------------------------

@main.command("editor")
@site_option
def editor_command(site_dir: Path) -> None:
    """Write or refresh admin/: the browser editor (Decap CMS) configured from the site."""
    _write_editor(site_dir, quiet=False)
    click.echo(f"Editor ready: humasgen serve --site {site_dir}, then open /admin/ in the browser. "
               "Online: set [editor] in humasgen.toml (see the README).")


def _write_editor(site_dir: Path, quiet: bool) -> None:
    from . import editor
    try:
        written = editor.refresh(site_dir)
    except HumasgenError as error:
        fail(error)
        return
    except editor.BundleMissing as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    if not quiet:
        for path in written:
            click.echo(f"wrote {path}")


@main.command("new")
@click.argument("title")
@site_option
@click.option("--type", "kind", type=click.Choice(["rilis", "halaman", "agenda", "pengumuman", "dokumen", "galeri"]),
              default="rilis", show_default=True, help="Content type: a folder of content/ (see the README).")
def new_command(title: str, site_dir: Path, kind: str) -> None:
    """Create a release (or another content type) file for TITLE and print its path."""
    from .scaffold import new_release
    from .types.scaffold import new_item
    try:
        path = new_release(site_dir, title, now_from_env()) if kind == "rilis" \
            else new_item(site_dir, kind, title, now_from_env())
    except HumasgenError as error:
        fail(error, messages.site_language(site_dir))
        return
    click.echo(str(path))


def _print_announcements(report, language: str = "en") -> None:
    """'Announced 1 new release: ...', then hook problems; exit 1 when they are fatal."""
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    _, n_ = messages.gettext(language), messages.ngettext(language)
    if not report.baseline and not report.new:
        click.echo(_("No previous manifest: nothing announced (first build; use --announce-all to announce "
                     "every release)."))
    if report.new:
        click.echo(n_("Announced {count} new release:", "Announced {count} new releases:",
                      len(report.new)).format(count=len(report.new)))
        for release in report.new:
            where = ", ".join(report.outputs_of(release.id))
            click.echo(for_terminal(f"  {release.id}: {release.title}" + (f" -> {where}" if where else "")))
    if report.updated:
        click.echo(n_("Updated {count} release: {ids}", "Updated {count} releases: {ids}", len(report.updated))
                   .format(count=len(report.updated), ids=", ".join(r.id for r in report.updated)))
    if report.corrected:
        click.echo(n_("Announced {count} correction: {ids}", "Announced {count} corrections: {ids}",
                      len(report.corrected)).format(count=len(report.corrected),
                                                    ids=", ".join(r.id for r in report.corrected)))
    if report.removed:
        click.echo(_("No longer published: {ids}").format(ids=", ".join(e.id for e in report.removed)))
    for problem in report.problems:
        click.echo(messages.show(problem, language), err=True)
    if report.fatal:
        click.echo(f"{plural(len(report.problems), 'hook problem')} with [hooks] fail_build = true; the output "
                   "was written, the manifest was not updated (the next build announces again).", err=True)
        sys.exit(1)


@main.command("social")
@click.argument("slug")
@site_option
def social_command(slug: str, site_dir: Path) -> None:
    """Regenerate the social snippets, images, video and carousel of one release (by slug or id)."""
    from .social.regenerate import regenerate
    try:
        folder, problems = regenerate(site_dir, slug, now_from_env())
    except HumasgenError as error:
        fail(error, messages.site_language(site_dir))
        return
    for problem in problems:
        click.echo(problem.format(), err=True)
    click.echo(f"Wrote {folder}/")

@main.command("check")
@site_option
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text for people, json for tools, github for pull-request annotations.")
@click.option("--strict", is_flag=True, help="Warnings count as failures too (exit 1).")
@click.option("--published-only", is_flag=True,
              help="For publishing pipelines: problems in drafts are warnings, so one draft never stops "
                   "the releases that are ready.")
def check_command(site_dir: Path, output_format: str, strict: bool, published_only: bool) -> None:
    """Lint the content (drafts and scheduled releases too); exit 1 on errors."""
    from . import check
    if not site_dir.is_dir():
        raise click.BadParameter(f"{site_dir} is not a folder", param_hint="--site")
    result = check.run(site_dir, now_from_env(), jobs=default_jobs())
    if published_only:
        result = check.drafts_as_warnings(result, site_dir)
    language = messages.site_language(site_dir)
    if output_format == "json":         # for tools: the English messages, stable to match on
        click.echo(check.format_json(result), nl=False)
    elif output_format == "github":
        click.echo(check.format_github(result, site_dir, language), nl=False)
    else:
        click.echo(check.format_text(result, language), nl=False)
    click.echo(check.summary(result, strict, language), err=True)
    sys.exit(1 if result.failed(strict) else 0)


@main.command("publish")
@site_option
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="The built (and deployed) output folder [default: SITE/output].")
@click.option("--previous", metavar="URL_OR_PATH",
              help="The deployed manifest.json (its URL, or a path): what is live, and the delivery record beside it.")
@click.option("--dry-run", is_flag=True, help="Print what would be posted where; post nothing, write nothing.")
@click.option("--republish", multiple=True, metavar="ID_OR_SLUG",
              help="Post this corrected release again (like 'republish: true' in its front matter).")
@click.option("--channel", "only", multiple=True, metavar="NAME",
              help="Only this channel (repeatable): telegram, bluesky, mastodon, facebook, instagram, threads, x, "
                   "or a plugin's.")
def publish_command(site_dir: Path, output_dir: Path | None, previous: str | None, dry_run: bool,
                    republish: tuple[str, ...], only: tuple[str, ...]) -> None:
    """After the deploy: post new releases to the channels in [publish.*]."""
    import os

    from .publish import runner

    language = messages.site_language(site_dir)
    try:
        report = runner.run(site_dir, output_dir or site_dir / "output", now_from_env(), os.environ, previous,
                            dry_run=dry_run, republish=republish, only=only,
                            echo=lambda line: click.echo(line, err=True))
    except HumasgenError as error:
        fail(error, language)
        return
    for outcome in report.outcomes:
        if outcome.status == "would-post":
            click.echo(f"{outcome.channel}: would post '{outcome.title}' ({outcome.release_id})")
            for line in outcome.text.splitlines():
                click.echo(f"    | {line}")
            for image in outcome.images:
                click.echo(f"    + image {image}")
        else:
            where = outcome.url or outcome.detail
            click.echo(f"{outcome.channel}: {outcome.status} '{outcome.title}'" + (f": {where}" if where else ""))
    for problem in report.problems:
        click.echo(messages.show(problem, language), err=True)
    if not report.outcomes:
        click.echo("Nothing to post." if not dry_run else "Nothing would be posted.")
    if report.by_hand:
        click.echo(f"To post by hand (WhatsApp Channels, TikTok): {report.by_hand}")
    if report.failed:
        sys.exit(1)


@main.command("ping")
@site_option
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Built site to ping for [default: SITE/output].")
@click.option("--previous", metavar="PATH_OR_URL",
              help="manifest.json of the site as it was before this deploy [default: what the last ping saw].")
@click.option("--all", "everything", is_flag=True, help="Announce every feed and release URL, changed or not.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
def ping_command(site_dir: Path, output_dir: Path | None, previous: str | None, everything: bool,
                 dry_run: bool) -> None:
    """After a deploy: WebSub publish for changed feeds, IndexNow for new and updated releases."""
    from . import config as config_mod, ping
    try:
        config = config_mod.load(site_dir)
        report = ping.run(config, site_dir, output_dir or site_dir / "output", previous, everything, dry_run)
    except HumasgenError as error:
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.format(), err=True)
        click.echo("ping failed; the next ping will send the same again.", err=True)
        sys.exit(error.exit_code)
    plan = report.plan
    if plan.first_run:
        click.echo("First ping for this site: recorded what is published, sent nothing "
                   "(use --all to announce everything, or --previous to compare with a manifest).")
        return
    if not plan.feeds and not plan.urls:
        click.echo("Nothing changed since the last ping; nothing sent.")
        return
    if report.dry_run:
        for url in plan.feeds:
            click.echo(f"WebSub publish: {url}")
        for url in plan.urls:
            click.echo(f"IndexNow: {url}")
        click.echo(f"Dry run: {len(plan.feeds)} feed(s), {len(plan.urls)} URL(s); nothing sent.")
        return
    websub = [s for s in report.sent if s.service == "WebSub"]
    indexnow = [s for s in report.sent if s.service == "IndexNow"]
    if websub:
        click.echo(f"WebSub: announced {len(websub)} feed(s) to {config.feeds.hub}")
    if indexnow:
        statuses = ", ".join(sorted({f"HTTP {s.status}" for s in indexnow}))
        click.echo(f"IndexNow: submitted {sum(s.count for s in indexnow)} URL(s) in {len(indexnow)} "
                   f"request(s) to {config.feeds.indexnow_endpoint} ({statuses})")


@main.command("serve")
@site_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback shows drafts to your network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
@click.option("--poll", is_flag=True, help="Poll for changes (Docker volumes, network drives).")
def serve_command(site_dir: Path, host: str, port: int, open_browser: bool, poll: bool) -> None:
    """Preview the site with drafts and scheduled releases; reloads on every save."""
    from . import serve

    if not serve.is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach this address sees drafts "
                   "and unpublished releases", err=True)
    try:
        server, watcher, url = serve.start(site_dir, host, port, poll=poll, jobs=default_jobs(),
                                           echo=lambda line: click.echo(line, err=True))
    except serve.ServeError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:            # Ctrl-C while the site is first loaded
        click.echo("\nStopped.", err=True)
        return
    click.echo(f"Serving {site_dir.resolve()} at {url}/ (drafts and scheduled releases shown; Ctrl-C to stop)")
    if open_browser:
        import webbrowser
        webbrowser.open(url + "/")
    try:
        serve.wait_forever()
    except KeyboardInterrupt:
        click.echo("\nStopped.", err=True)
    finally:
        serve.stop(server, watcher)


# --- deploying outside Pages, and skipping scheduled runs with nothing due ----------------------

@main.command("due")
@click.option("--previous", metavar="PATH_OR_URL", required=True,
              help="The deployed site's manifest.json (URL or path).")
def due_command(previous: str) -> None:
    """Exit 0 when a build is due (a scheduled release's time has come, or no manifest yet), 3 when not.

    For scheduled CI runs: skip the build when the deployed manifest's next
    scheduled time is still ahead. Anything uncertain means build.
    """
    from .due import NOT_DUE, decide
    verdict = decide(previous, now_from_env())
    click.echo(("due: " if verdict.due else "not due: ") + verdict.reason)
    sys.exit(0 if verdict.due else NOT_DUE)


@main.command("deploy")
@site_option
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Built site to upload [default: SITE/output].")
def deploy_command(site_dir: Path, output_dir: Path | None) -> None:
    """Upload the built site to your own server (rsync over SSH) or an S3-compatible bucket ([deploy])."""
    from datetime import datetime, timezone
    from . import config as config_mod
    from .deploy import deploy
    try:
        config = config_mod.load(site_dir)
        # The upload's name needs the real clock, not SOURCE_DATE_EPOCH (the same for every build).
        done = deploy(config, output_dir or site_dir / "output", datetime.now(timezone.utc))
    except HumasgenError as error:
        for diagnostic in error.diagnostics:
            click.echo(diagnostic.format(), err=True)
        click.echo("deploy failed; the live site was not switched.", err=True)
        sys.exit(error.exit_code)
    click.echo(f"Deployed ({done.method}): {done.uploaded} file(s) sent, {done.unchanged} unchanged, "
               f"{done.removed} removed -> {done.target}")


# --- humasgen import (importers/) ---------------------------------------------------------------

@main.group("import")
def import_group() -> None:
    """Bring an existing archive (WordPress, or any RSS/Atom/JSON feed) into this site."""


def _finish_import(run, site_dir: Path) -> None:
    language = messages.site_language(site_dir)

    def tr(text: str) -> str:
        return messages.translate(text, language)
    try:
        report = run()
    except HumasgenError as error:
        fail(error, language)
        return
    for warning in report.warnings[:SHOWN_WARNINGS]:
        where, _, message = warning.partition(": warning: ")     # the report keeps them in English
        click.echo(f"{tr(where)}: warning: {tr(message)}", err=True)
    if len(report.warnings) > SHOWN_WARNINGS:
        click.echo(tr(f"… and {len(report.warnings) - SHOWN_WARNINGS} more warnings in the report."), err=True)
    for line in report.summary(tr):
        click.echo(line)
    click.echo(tr(f"Report: {report.save(site_dir)}"))
    click.echo(tr("Next: humasgen check, then humasgen build (imported releases are not announced again)."))


@import_group.command("wordpress")
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@site_option
@click.option("--uploads", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Local copy of the old site's wp-content/uploads folder.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only posts dated on or after this day.")
@click.option("--unit-category", "units", multiple=True, metavar="CATEGORY",
              help="A WordPress category that names an office: it becomes the release's unit (repeatable).")
def import_wordpress(export: Path, site_dir: Path, uploads: Path | None, since, units: tuple[str, ...]) -> None:
    """Import a WordPress export (Tools > Export > All content)."""
    from .importers import wordpress
    options = wordpress.Options(site_dir, uploads, since.date() if since else None, units)
    _finish_import(lambda: wordpress.run(export, options), site_dir)


@import_group.command("feed")
@click.argument("source", metavar="FILE_OR_URL")
@site_option
def import_feed(source: str, site_dir: Path) -> None:
    """Import the items of an RSS, Atom or JSON feed (Blogger, Joomla, a news portal)."""
    from .importers import feed
    _finish_import(lambda: feed.run(source, site_dir), site_dir)


def run() -> None:
    """The `humasgen` command. Its data is frozen at the end, so the interpreter's last garbage
    collections on the way out skip it (a tenth of a second after a build of 10,000 releases)."""
    try:
        main()
    finally:
        gc.freeze()
