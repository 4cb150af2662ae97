"""`humasgen publish`: the plan (what goes where), then the posts, one channel after another.

Only releases that are live are posted: public by date, present in the deployed
manifest with the same content hash (read from --previous, the deployed site,
or output/). Per channel, oldest first, at most `per_hour` posts an hour; the
record is written after every step, so a crash loses nothing:

  pending -> sending -> posted        (the post's id and URL)
                     -> failed        (attempts, last error: tried again next run)

Before every post the channel's recent posts are searched for the release URL
(and Mastodon gets an Idempotency-Key), so a post accepted just before a crash is
found, recorded, and not sent again. Telegram cannot search: a `sending` left by
a crash there becomes `unknown`, reported for the officer to check, never re-sent.
One channel's failure (expired token, outage) never stops the others.

The channels come from the plugins (hook `publish_channels`, the built-in ones in
`plugin.py`), in the order the plugins were registered; a channel that raises
anything but a `ChannelError` is reported against its plugin, and stops; the
others go on.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Mapping

from ..cache import CACHE_DIR
from .. import config as config_mod
from ..config import CONFIG_NAME, Config
from ..content import Release
from ..errors import Diagnostic, HumasgenError, did_you_mean
from ..manifest import read_previous
from ..plugins import ProvidedChannel, failure
from ..site import is_published
from . import byhand, record as record_mod
from .channel import ChannelError, Item, MediaProblem, Rejected, RetryLater, TokenProblem
from .items import make_items

FIRST_RUN_WINDOW = timedelta(hours=24)     # a newly enabled channel posts the last day's releases, then all new ones
TRIES = 3                                  # attempts per post within one run
BACKOFF = 2.0                              # seconds, doubled per attempt, when the platform names no wait
WARN_BEFORE = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Outcome:
    channel: str
    release_id: str
    title: str
    status: str                 # posted, found (posted before a crash), failed, pending, unknown, would-post
    url: str = ""
    detail: str = ""
    text: str = ""
    images: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    outcomes: tuple[Outcome, ...] = ()
    problems: tuple[Diagnostic, ...] = ()
    by_hand: Path | None = None
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def deployed(previous: str | None, output_dir: Path) -> tuple[dict[str, str], str]:
    """Release id -> content hash of what is live, and the site's base URL."""
    found = read_previous(previous, output_dir)
    if found is None:
        where = previous or str(output_dir / "manifest.json")
        raise HumasgenError.single(where, None, "no deployed manifest.json to publish from",
                                   "run `humasgen build` and deploy first; give the deployed site with --previous URL")
    try:
        base_url = str(json.loads(found.data.decode("utf-8")).get("base_url") or "")
    except (ValueError, AttributeError):
        base_url = ""
    return {e.id: e.hash for e in found.releases.values() if not e.preview}, base_url


def run(site_dir: Path, output_dir: Path, now: datetime, env: Mapping[str, str], previous: str | None = None,
        dry_run: bool = False, republish: tuple[str, ...] = (), only: tuple[str, ...] = (),
        sleep: Callable[[float], None] = time.sleep, echo: Callable[[str], None] = lambda line: None) -> Report:
    from ..build import load_site

    config_mod.load(site_dir)            # config errors first, before anything is fetched
    live_hashes, base_url = deployed(previous, output_dir)
    loaded = load_site(site_dir, now, base_url=base_url or None, cache_dir=site_dir / CACHE_DIR)
    config, site = loaded.config, loaded.site
    channels = loaded.plugins.channels if loaded.plugins else {}
    unknown = [name for name in only if name not in channels]
    if unknown:
        raise HumasgenError.single("--channel", None, f"no channel named '{unknown[0]}'",
                                   did_you_mean(unknown[0], channels))
    local_now = now.astimezone(config.tz)
    live = [r for r in site.releases if is_published(r, local_now) and live_hashes.get(r.id) == r.content_hash]
    live.sort(key=lambda r: (r.date, r.id))
    items = {r.id: make_items(r, config, loaded.theme, site_dir, output_dir, local_now, channels) for r in live}
    record = record_mod.merge(record_mod.read_previous(previous), record_mod.read_local(output_dir))

    outcomes: list[Outcome] = []
    problems: list[Diagnostic] = []
    text = (site_dir / CONFIG_NAME).read_text(encoding="utf-8") if (site_dir / CONFIG_NAME).is_file() else ""
    for name, provided in channels.items():
        settings = config.publish.channel(name)
        if settings is None or not settings.enabled or (only and name not in only):
            continue
        state = _Channel(provided, settings, config, record, now, dry_run, sleep, echo, text)
        state.output_dir = None if dry_run else output_dir
        state.run(live, items, env, republish)
        record = state.record
        outcomes.extend(state.outcomes)
        problems.extend(state.problems)
    by_hand = None
    days = config.publish.by_hand_days
    recent = [r for r in live if r.date >= local_now - timedelta(days=days)]
    if not dry_run:
        by_hand = byhand.write(site_dir, byhand.render(recent, items, site_dir))
        if record.channels:
            record_mod.write(output_dir, record)
            record_mod.write(site_dir / CACHE_DIR, record)     # for the next build, when no deploy follows
    return Report(tuple(outcomes), tuple(problems), by_hand, dry_run)


class _Channel:
    """One channel's run; keeps the record up to date after every step."""

    def __init__(self, provided: ProvidedChannel, settings, config: Config, record, now, dry_run, sleep, echo,
                 config_text):
        self.provided, self.name, self.settings, self.config = provided, provided.name, settings, config
        self.record, self.now, self.dry_run = record, now, dry_run
        self.sleep, self.echo = sleep, echo
        self.where = (CONFIG_NAME, _line(config_text, self.name))
        self.output_dir: Path | None = None
        self.outcomes: list[Outcome] = []
        self.problems: list[Diagnostic] = []

    def problem(self, message: str, hint: str = "", severity: str = "error") -> None:
        self.problems.append(Diagnostic(*self.where, f"{self.name}: {message}", hint, severity))

    def run(self, live: list[Release], items, env, republish) -> None:
        since = self.record.since(self.name)
        if not since:
            since = (self.now - FIRST_RUN_WINDOW).isoformat()
            if not self.dry_run:
                self.record = self.record.with_since(self.name, since)
        queue = [r for r in live if r.date >= datetime.fromisoformat(since) and self._wanted(r, republish)]
        hour_ago = (self.now - timedelta(hours=1)).isoformat()
        used = sum(1 for d in self._deliveries() if d.status == "posted" and d.at >= hour_ago)
        room = max(0, self.settings.per_hour - used)
        now_items, later = queue[:room], queue[room:]
        if self.dry_run:
            for release in now_items:
                item = items[release.id][self.name]
                self.outcomes.append(Outcome(self.name, release.id, release.title, "would-post", item.url,
                                             text=item.text, images=tuple(m.url for m in item.images)))
            self._pending(later)
            return
        self._warn_expiry(None)
        if not queue:
            return
        try:
            channel = self.provided.open(self.settings, env)
            self._warn_expiry(channel)
        except TokenProblem as exc:
            self.problem(exc.message, exc.hint)
            self._pending(queue, exc.message)
            return
        except Exception as exc:       # a broken channel: reported against its plugin
            self.problems.append(self._broken(exc))
            self._pending(queue, "the channel could not be opened")
            return
        for index, release in enumerate(now_items):
            if not self._post(channel, release, items[release.id][self.name]):
                self._pending(now_items[index + 1:])
                break
        self._pending(later, f"at most {self.settings.per_hour} posts an hour ([publish.{self.name}] per_hour)")

    def _deliveries(self):
        found = self.record.channels.get(self.name)
        return found.releases.values() if found else ()

    def _wanted(self, release: Release, republish) -> bool:
        delivery = self.record.get(self.name, release.id)
        if delivery is None or delivery.status in ("pending", "failed", "sending"):
            return True
        if delivery.status == "posted" and delivery.hash != release.content_hash:
            return release.republish or release.id in republish or release.slug in republish
        return False

    def _pending(self, releases, why: str = "") -> None:
        for release in releases:
            self.outcomes.append(Outcome(self.name, release.id, release.title, "pending", detail=why))

    def _save(self, release_id: str, delivery) -> None:
        self.record = self.record.with_delivery(self.name, release_id, delivery)
        if self.output_dir is not None:
            record_mod.write(self.output_dir, self.record)

    def _post(self, channel, release: Release, item: Item) -> bool:
        """Post one release; False when the channel cannot take more this run."""
        old = self.record.get(self.name, release.id) or record_mod.Delivery()
        can_find = getattr(channel, "can_find", True)
        if old.status == "sending" and not can_find:
            message = ("an earlier attempt was cut off after it was sent; it may or may not have been posted, "
                       "and this platform gives no way to check")
            self._save(release.id, replace(old, status="unknown", error=message))
            self.outcomes.append(Outcome(self.name, release.id, release.title, "unknown", detail=message))
            self.problem(f"'{release.title}': {message}", "check the channel; post it by hand if it is missing",
                         "warning")
            return True
        attempts = old.attempts
        for attempt in range(TRIES):
            try:
                found = channel.find(item) if can_find else None
                # A republished release: its earlier post (kept in the record) is not the new one.
                if found is not None and not (old.post_id and found.post_id == old.post_id):
                    self._posted(release, item, found, attempts, "found")
                    return True
                attempts += 1
                self._save(release.id, record_mod.Delivery("sending", old.post_id, old.url, item.hash,
                                                           attempts=attempts))
                posted = channel.post(item)
                self._posted(release, item, posted, attempts, "posted")
                return True
            except RetryLater as exc:
                wait = exc.after if exc.after is not None else BACKOFF * 2 ** attempt
                if attempt + 1 < TRIES and wait <= self.config.publish.max_wait:
                    self.echo(f"{self.name}: {exc.message}; trying again in {wait:.0f} s")
                    self.sleep(wait)
                    continue
                self._failed(release, attempts, exc, "warning")
                return False
            except TokenProblem as exc:
                self._failed(release, attempts, exc, "error")
                return False
            except (MediaProblem, Rejected, ChannelError) as exc:
                self._failed(release, attempts, exc, "error")
                return True
            except Exception as exc:   # a bug in the channel: recorded as failed, tried again next run
                problem = self._broken(exc)
                self._failed(release, attempts, ChannelError(problem.message), "error", report=False)
                self.problems.append(problem)
                return False
        return False

    def _broken(self, exc: Exception) -> Diagnostic:
        return failure(self.provided.plugin, self.provided.source, exc, f"channel '{self.name}' failed",
                       f"fix the plugin, or set enabled = false in [publish.{self.name}]; "
                       "it is tried again on the next run")

    def _posted(self, release: Release, item: Item, posted, attempts: int, how: str) -> None:
        self._save(release.id, record_mod.Delivery("posted", posted.post_id, posted.url, item.hash,
                                                   self.now.astimezone(timezone.utc).isoformat(), attempts))
        self.outcomes.append(Outcome(self.name, release.id, release.title, how, posted.url))

    def _failed(self, release: Release, attempts: int, exc: ChannelError, severity: str,
                report: bool = True) -> None:
        current = self.record.get(self.name, release.id) or record_mod.Delivery()
        self._save(release.id, record_mod.Delivery("failed", current.post_id, current.url, attempts=max(attempts, 1),
                                                   error=exc.message))
        self.outcomes.append(Outcome(self.name, release.id, release.title, "failed", detail=exc.message))
        retry = "it is tried again on the next run"
        if report:
            self.problem(f"'{release.title}': {exc.message}", f"{exc.hint}; {retry}" if exc.hint else retry,
                         severity)

    def _warn_expiry(self, channel) -> None:
        when = None
        if channel is None:
            if self.settings.token_expires:
                when = datetime.combine(date.fromisoformat(self.settings.token_expires), datetime.min.time(),
                                        tzinfo=self.config.tz)
        elif hasattr(channel, "token_expiry"):
            when = channel.token_expiry()
        if when is not None and when - self.now <= WARN_BEFORE:
            days = (when - self.now).days
            state = "has expired" if when <= self.now else f"expires in {days} day{'s' if days != 1 else ''}"
            self.problem(f"the token {state} ({when.date().isoformat()})",
                         "make a new one now (see the user guide, Channels) and update the CI secret", "warning")


def _line(text: str, name: str) -> int | None:
    from ..config import key_line
    return key_line(text, ("publish",), name)
