"""After the output is in place: tell plugins and shell commands about new releases.

Runs between the swap of output/ and the recording of the new manifest (see
`manifest`): a crash here re-announces on the next build rather than losing
an announcement. Nothing here touches output/, so a failing or hanging hook
can never leave the site half-written; it is reported by name, as a warning,
or as an error when `[hooks] fail_build = true` (then the manifest is not
recorded either, so the next build tries again).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from .config import CONFIG_NAME, Config, key_line
from .content import Release
from .errors import Diagnostic
from .manifest import Changes, Entry
from .plugins import Plugins, call_each
from .safety import processes
from .site import Site
from .theme import Theme

MAX_STDERR = 300     # characters of a failing command's error output shown


@dataclass(frozen=True, slots=True)
class AnnounceContext:
    """What `release_published` implementations get besides the release and the site."""
    site_dir: Path
    output_dir: Path
    cache_dir: Path
    theme: Theme
    static: Mapping[str, Path]
    hook: Any                       # pluggy's hook relay, to call other hooks


@dataclass(frozen=True, slots=True)
class Report:
    new: tuple[Release, ...] = ()
    updated: tuple[Release, ...] = ()
    removed: tuple[Entry, ...] = ()
    baseline: bool = False              # a previous manifest existed
    outputs: tuple[tuple[str, str, str], ...] = ()   # (release id, plugin, what it returned, e.g. a folder)
    problems: tuple[Diagnostic, ...] = ()
    recorded: bool = False              # the new manifest was written
    fatal: bool = False                 # problems make the build fail ([hooks] fail_build)
    corrected: tuple[Release, ...] = () # announced as corrections (a new major correction)

    def outputs_of(self, release_id: str) -> list[str]:
        return [value for rid, _, value in self.outputs if rid == release_id]


def announce(changes: Changes, site: Site, plugins: Plugins, context: AnnounceContext) -> Report:
    config = site.config
    problems: list[Diagnostic] = []
    outputs: list[tuple[str, str, str]] = []
    for release in changes.new:
        results, found = call_each(plugins.hook.release_published, release=release, site=site, context=context)
        problems.extend(found)
        outputs.extend((release.id, name, str(value)) for name, value in results if isinstance(value, (str, Path)))
        social = next((str(v) for n, v in results if n == "humasgen.social"), None)
        for command in config.hooks.commands:
            payload = release_payload(release, site, "release_published", social, context.site_dir)
            problem = run_command(command, payload, context.site_dir, config)
            if problem:
                problems.append(problem)
    for release in changes.updated:
        _, found = call_each(plugins.hook.release_updated, release=release, site=site, context=context)
        problems.extend(found)
    for release in changes.corrected:
        correction = [c for c in release.corrections if c.major][-1]
        _, found = call_each(plugins.hook.release_corrected, release=release, correction=correction, site=site,
                             context=context)
        problems.extend(found)
        for command in config.hooks.commands:
            payload = release_payload(release, site, "release_corrected", None, context.site_dir)
            payload["correction"] = {"time": correction.time.isoformat(), "note": correction.note}
            problem = run_command(command, payload, context.site_dir, config)
            if problem:
                problems.append(problem)
    fatal = bool(problems) and config.hooks.fail_build
    severity = "error" if fatal else "warning"
    return Report(changes.new, changes.updated, changes.removed, changes.baseline, tuple(outputs),
                  tuple(replace(p, severity=severity) for p in problems), fatal=fatal,
                  corrected=changes.corrected)


def release_payload(release: Release, site: Site, event: str, social: str | None, site_dir: Path) -> dict:
    """The JSON a shell hook reads on standard input: the release, the site, the social texts."""
    config = site.config
    data: dict[str, Any] = {
        "event": event,
        "id": release.id,
        "url": config.url(release.url),
        "title": release.title,
        "summary": release.summary,
        "date": release.date.isoformat(),
        "updated": release.updated.isoformat() if release.updated else None,
        "category": release.category,
        "tags": list(release.tags),
        "unit": release.unit,
        "author": release.author,
        "lang": release.lang,
        "number": release.number,
        "image": config.url(release.image) if release.image.startswith("/") else (release.image or None),
        "hash": release.content_hash,
        "corrections": [{"time": c.time.isoformat(), "note": c.note, "major": c.major}
                        for c in release.corrections],
        "site": {"title": config.title, "agency": config.agency_name, "base_url": config.base_url},
        "social": None,
    }
    if social:
        index = site_dir / social / "snippets.json"
        try:
            snippets = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            snippets = {}
        data["social"] = {"dir": str((site_dir / social).resolve()),
                          "texts": {p: v["text"] for p, v in snippets.get("platforms", {}).items()},
                          "images": {k: str((site_dir / social / v).resolve())
                                     for k, v in snippets.get("images", {}).items()},
                          "video": (str((site_dir / social / snippets["reel"]["file"]).resolve())
                                    if "reel" in snippets else None),
                          "carousel": [{"path": str((site_dir / social / s["file"]).resolve()), "alt": s["alt"]}
                                       for s in snippets.get("carousel", [])]}
    return data


def command_name(command: str) -> str:
    short = " ".join(command.split())
    return short if len(short) <= 60 else short[:57] + "..."


def run_command(command: str, payload: dict, site_dir: Path, config: Config) -> Diagnostic | None:
    """Run one shell hook with the payload on stdin; a Diagnostic when it fails or hangs.

    The command runs in its own process group, so on timeout everything it started
    is killed too; a job it leaves in the background is not waited for (safety/processes.py).
    """
    timeout = config.hooks.timeout
    text = (site_dir / CONFIG_NAME).read_text(encoding="utf-8") if (site_dir / CONFIG_NAME).is_file() else ""
    where = (CONFIG_NAME, key_line(text, ("hooks",), "commands"))
    name = command_name(command)
    env = {**os.environ, "HUMASGEN_EVENT": payload["event"], "HUMASGEN_RELEASE_ID": payload["id"],
           "HUMASGEN_RELEASE_URL": payload["url"]}
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    try:
        outcome = processes.run(command, data, site_dir, env, timeout)
    except OSError as exc:
        return Diagnostic(*where, f"hook command '{name}' could not start: {exc}", "check the command")
    if outcome.returncode is None:
        return Diagnostic(*where, f"hook command '{name}' timed out after {timeout} s for release {payload['id']}",
                          "make it faster, or raise [hooks] timeout; to leave a slow job running in the background, "
                          "end the command with '&' (humasgen does not wait for background jobs)")
    if outcome.returncode != 0:
        tail = outcome.stderr_tail.decode("utf-8", "replace").strip()[-MAX_STDERR:]
        detail = f": {tail}" if tail else ""
        code = outcome.returncode
        status = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
        return Diagnostic(*where, f"hook command '{name}' {status} for release {payload['id']}{detail}",
                          "the release JSON is on its standard input; run the command by hand to debug")
    return None

