"""`humasgen check`: lint a site's content with the build's own loading and rendering.

Every release is checked, drafts and scheduled ones too. Errors the build would
report come first (rule `build`); when the site loads, the rules in
`lint_rules` run against what a build would write now and what it would write
once every draft and scheduled release is out.
"""
from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

from . import build as build_mod, messages, outputs, render, site as site_mod
from .cache import CACHE_DIR
from .config import CONFIG_NAME, key_line
from .dates import zone_label
from .errors import Diagnostic, HumasgenError, did_you_mean
from .lint_rules import RULES, Context
from .lint_source import read_body, scan
from .parallel import chunks, fork_map

BUILD_RULE = "build"
T = TypeVar("T")
R = TypeVar("R")
FORMATS = ("text", "json", "github")


@dataclass(frozen=True, slots=True)
class CheckResult:
    diagnostics: tuple[Diagnostic, ...]         # sorted by file and line
    releases: int                               # how many releases were checked
    complete: bool = True                       # False: the site did not load, the rules did not run
    timezone: str = ""                          # the site's zone, for the summary ('' when it did not load)

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def run(site_dir: Path, now: datetime, jobs: int = 1) -> CheckResult:
    """Check every release of the site at `site_dir` as of `now` (`jobs` processes parse the files)."""
    try:
        loaded = build_mod.load_site(site_dir, now, drafts=True, future=True, jobs=jobs,
                                     cache_dir=site_dir / CACHE_DIR)
        config = loaded.config
        everything = loaded.site
        live = site_mod.collect(everything.releases, config, everything.now, types=everything.types)
        planned = outputs.plan(everything, loaded.theme_key, loaded.static, {})     # clashes are errors
        pages = planned.pages
        generated = {*planned.feed_keys, *planned.generated, *planned.cards}
        outputs_now = set(outputs.plan(live, loaded.theme_key, loaded.static, {}).paths())
    except HumasgenError as error:
        return CheckResult(_sorted(_as_build(error.diagnostics)), 0, complete=False)

    problems = list(_config_problems(site_dir, config.check.disable))
    page_ids, template_problems = _render_all(loaded, pages, jobs)
    problems.extend(template_problems)
    static = loaded.static
    for path, source in static.items():
        if path.endswith((".html", ".htm")):
            page_ids[path] = _ids(source.read_text(encoding="utf-8", errors="replace"))
    context = Context(
        site_dir=site_dir, config=config, now=everything.now, releases=everything.releases,
        live=frozenset(r.id for r in live.releases),
        outputs_now=frozenset(outputs_now),
        outputs_all=frozenset({p.path for p in pages} | generated | set(static)),
        page_release=MappingProxyType({render.output_path(r.url): r for r in everything.releases}),
        page_ids=MappingProxyType(page_ids), static=static,
        bodies=MappingProxyType(dict(_in_parts(lambda part: [(r.id, scan(r, *read_body(site_dir, r)))
                                                             for r in part], everything.releases, jobs))),
    )
    disabled = set(config.check.disable)
    for rule in RULES:
        if rule.id in disabled:
            continue
        if rule.by_release:     # each release on its own: its releases are shared out among the workers
            problems.extend(_in_parts(lambda part, rule=rule: list(rule.run(replace(context, releases=part))),
                                      context.releases, jobs))
        else:
            problems.extend(rule.run(context))
    return CheckResult(_sorted(problems), len(everything.releases), timezone=config.timezone)


def _in_parts(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], jobs: int) -> Iterator[R]:
    """work(part) for parts of `items` in `jobs` forked processes, the results one after another
    in the order of `items`. Checking reads and renders every release: on an archive of 100,000
    that is minutes, which all cores share."""
    for done in fork_map(lambda indices: work(items[indices.start:indices.stop]),
                         chunks(len(items), jobs, per_job=16, minimum=32), jobs):
        yield from done


def drafts_as_warnings(result: CheckResult, site_dir: Path) -> CheckResult:
    """`check --published-only`: a draft's errors become warnings (a draft must not stop publishing)."""
    drafts = _draft_sources(site_dir)
    if not drafts:
        return result
    changed = (replace(d, severity="warning", message=d.message + " (in a draft)")
               if d.severity == "error" and d.path in drafts else d for d in result.diagnostics)
    return replace(result, diagnostics=_sorted(changed))


def _draft_sources(site_dir: Path) -> set[str]:
    """Source paths of the releases marked draft (as the diagnostics name them)."""
    import yaml                                 # the front matter only: a draft flag, nothing else
    found = set()
    content = site_dir / "content"
    for path in content.rglob("*.md") if content.is_dir() else ():
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith("---"):
            continue
        try:
            front = yaml.safe_load(text.split("---", 2)[1])
        except yaml.YAMLError:
            continue
        if isinstance(front, dict) and front.get("draft") is True:
            rel = path.relative_to(site_dir).as_posix()
            found.update({rel, str(path)})
    return found


def _as_build(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [replace(d, rule=d.rule or BUILD_RULE) for d in diagnostics]


def _sorted(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(dict.fromkeys(diagnostics), key=lambda d: (*d.sort_key(), d.rule)))


def _config_problems(site_dir: Path, disabled: Iterable[str]) -> Iterable[Diagnostic]:
    known = [rule.id for rule in RULES]
    for name in disabled:
        if name not in known:
            text = (site_dir / CONFIG_NAME).read_text(encoding="utf-8")
            yield Diagnostic(CONFIG_NAME, key_line(text, ("check",), "disable"),
                             f"unknown check rule '{name}' in [check] disable",
                             did_you_mean(name, known).replace("valid keys", "rules"), "error", BUILD_RULE)


def _render_all(loaded: build_mod.Loaded, pages: Sequence[render.Page], jobs: int = 1
                ) -> tuple[dict[str, frozenset[str]], list[Diagnostic]]:
    """Render every page as the build would: template errors, and the ids anchors can point at."""
    env = render.make_env(loaded.theme, loaded.site, loaded.static)

    def work(part: Sequence[render.Page]) -> list[frozenset[str] | tuple[Diagnostic, ...] | None]:
        out: list[frozenset[str] | tuple[Diagnostic, ...] | None] = []
        failed: set[str] = set()
        for page in part:
            if page.template in failed:
                out.append(None)
                continue
            try:
                out.append(_ids(render.render_page(env, page).content.decode("utf-8")))
            except HumasgenError as error:
                failed.add(page.template)
                out.append(tuple(_as_build(error.diagnostics)))
        return out

    ids: dict[str, frozenset[str]] = {}
    problems: list[Diagnostic] = []
    failed: set[str] = set()
    same: dict[frozenset[str], frozenset[str]] = {}     # pages of a template mostly hold the same ids: kept once
    for page, found in zip(pages, _in_parts(work, pages, jobs)):
        if page.template in failed:
            continue                            # one report per broken template is enough
        if isinstance(found, tuple):
            failed.add(page.template)
            problems.extend(found)
        elif found is not None:
            ids[page.path] = same.setdefault(found, found)
    return ids, problems


_ID = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _ids(page: str) -> frozenset[str]:
    return frozenset(html.unescape(a or b) for a, b in _ID.findall(page))


def format_text(result: CheckResult, language: str = "en") -> str:
    return "".join(messages.show(d, language) + "\n" for d in result.diagnostics)


def format_json(result: CheckResult) -> str:
    items = [{"path": d.path, "line": d.line, "severity": d.severity, "rule": d.rule,
              "message": d.message, "hint": d.hint} for d in result.diagnostics]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def format_github(result: CheckResult, site_dir: Path, language: str = "en") -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

    Errors come first: GitHub shows only the first 10 errors and 10 warnings of a step as
    annotations (the log has them all).
    """
    lines = []
    for d in sorted(result.diagnostics, key=lambda d: d.severity != "error"):
        d = messages.diagnostic(d, language)
        path = Path(d.path)
        file = os.path.relpath(path if path.is_absolute() else site_dir / path)
        props = [f"file={_escape(file, True)}"]
        if d.line:
            props.append(f"line={d.line}")
        props.append(f"title={_escape(d.rule or BUILD_RULE, True)}")
        message = d.message + (f" ({d.hint})" if d.hint else "")
        lines.append(f"::{d.severity} {','.join(props)}::{_escape(message)}\n")
    return "".join(lines)


def _escape(text: str, property_: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def summary(result: CheckResult, strict: bool = False, language: str = "en") -> str:
    """The closing line: counts, and whether the check failed (in `language`, see messages.py)."""
    _, n_ = messages.gettext(language), messages.ngettext(language)
    if not result.complete:
        count = len(result.diagnostics)
        return n_("{count} error stops the build; fix it and run check again to check the content.",
                  "{count} errors stop the build; fix them and run check again to check the content.",
                  count).format(count=count)
    zone = _("; timezone {zone}").format(zone=zone_label(result.timezone)) if result.timezone else ""
    if not result.diagnostics:
        parts = n_("No problems found in {count} release", "No problems found in {count} releases",
                   result.releases).format(count=result.releases)
    else:
        counts = ", ".join([n_("{count} error", "{count} errors", result.errors).format(count=result.errors),
                            n_("{count} warning", "{count} warnings", result.warnings).format(count=result.warnings)])
        parts = n_("{parts} in {count} release", "{parts} in {count} releases",
                   result.releases).format(parts=counts, count=result.releases)
    if result.failed(strict) and not result.errors:
        zone += _(" (failing: --strict)")
    return _("{parts}{zone}.").format(parts=parts, zone=zone)
