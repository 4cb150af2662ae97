"""humasgen.toml -> Config: one frozen object, every key defaulted and type-checked.

Tables in the file map to nested dataclasses, so adding a key is adding a field.
"""
from __future__ import annotations

import re
import tomllib
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .dates import ZONES
from .errors import Diagnostic, HumasgenError, did_you_mean

CONFIG_NAME = "humasgen.toml"


@dataclass(frozen=True, slots=True)
class FeedsConfig:
    items: int = 50                 # entries per feed
    per_tag: bool = False           # also write a feed per tag
    hub: str = ""                   # WebSub hub URL, adds rel="hub"
    indexnow_key: str = ""          # IndexNow key; the key file is written at the root
    indexnow_endpoint: str = "https://api.indexnow.org/indexnow"   # where `humasgen ping` submits URLs
    timeout: int = 10               # seconds per `humasgen ping` request


@dataclass(frozen=True, slots=True)
class VideoConfig:
    """[social.video]: the vertical video (reel.mp4) and the Instagram carousel of each new release."""
    enabled: bool = True
    carousel: bool = True           # also the carousel/ slides
    min_seconds: int = 12           # the reel's length follows the text, within these bounds
    max_seconds: int = 30
    max_age_days: int = 30          # releases older than this when announced get none (0: any age)
    brand: str = "#0B4A8B"          # background where there is no photo, closing card
    brand_dark: str = "#07345F"
    accent: str = "#C8102E"         # bars and the kicker
    logo: str = ""                  # site path of the logo on the video (default: the site's `logo`)
    music: str = ""                 # audio file (path in the site folder) the office has the rights to;
                                    # empty: a silent track


@dataclass(frozen=True, slots=True)
class SocialConfig:
    enabled: bool = True
    hashtags: tuple[str, ...] = ()  # added to every post
    utm: bool = True                # add utm_source/medium/campaign to links
    utm_medium: str = "social"
    utm_campaign: str = "siaran-pers"  # may use {slug} or {id} of the release
    images: bool = True             # share images for new releases, and og:image cards
    platforms: tuple[str, ...] = () # only these (default: all built-in platforms)
    card_days: int = 60             # og:image cards for releases of the last N days (0: all)
    video: VideoConfig = field(default_factory=VideoConfig)


@dataclass(frozen=True, slots=True)
class HooksConfig:
    plugins: tuple[str, ...] = ()   # importable modules that implement hooks
    commands: tuple[str, ...] = ()  # shell commands run once per new release
    timeout: int = 30               # seconds per shell command
    fail_build: bool = False        # a failing shell hook makes the build exit 1


@dataclass(frozen=True, slots=True)
class TelegramChannel:
    """Telegram channel through the Bot API (token: HUMASGEN_TELEGRAM_TOKEN, chat: HUMASGEN_TELEGRAM_CHAT_ID)."""
    enabled: bool = False
    api_base: str = "https://api.telegram.org"
    per_hour: int = 10              # at most this many posts per hour (oldest release first)
    token_expires: str = ""         # YYYY-MM-DD, when known: warn a week before


@dataclass(frozen=True, slots=True)
class BlueskyChannel:
    """Bluesky (handle: HUMASGEN_BLUESKY_HANDLE, app password: HUMASGEN_BLUESKY_TOKEN)."""
    enabled: bool = False
    service: str = "https://bsky.social"
    per_hour: int = 10
    token_expires: str = ""


@dataclass(frozen=True, slots=True)
class MastodonChannel:
    """Mastodon (access token: HUMASGEN_MASTODON_TOKEN)."""
    enabled: bool = False
    instance: str = "https://mastodon.social"
    per_hour: int = 10
    token_expires: str = ""


@dataclass(frozen=True, slots=True)
class FacebookChannel:
    """Facebook Page (Page token: HUMASGEN_FACEBOOK_TOKEN, page: HUMASGEN_FACEBOOK_PAGE_ID)."""
    enabled: bool = False
    api_base: str = "https://graph.facebook.com/v21.0"
    post_as: str = "link"           # "link": a link post with the page's card; "photo": the share image
    per_hour: int = 10
    token_expires: str = ""


@dataclass(frozen=True, slots=True)
class InstagramChannel:
    """Instagram professional account (token: HUMASGEN_INSTAGRAM_TOKEN, account: HUMASGEN_INSTAGRAM_USER_ID)."""
    enabled: bool = False
    api_base: str = "https://graph.facebook.com/v21.0"
    per_hour: int = 10
    token_expires: str = ""


@dataclass(frozen=True, slots=True)
class ThreadsChannel:
    """Threads (token: HUMASGEN_THREADS_TOKEN, user: HUMASGEN_THREADS_USER_ID)."""
    enabled: bool = False
    api_base: str = "https://graph.threads.net/v1.0"
    per_hour: int = 10
    token_expires: str = ""


@dataclass(frozen=True, slots=True)
class XChannel:
    """X, API v2 (user access token: HUMASGEN_X_TOKEN). Off by default: X charges per post."""
    enabled: bool = False
    api_base: str = "https://api.x.com"
    per_hour: int = 10
    token_expires: str = ""


@dataclass(frozen=True, slots=True)
class PluginChannel:
    """[publish.NAME] of a channel a plugin provides (hook `publish_channels`).

    The keys every channel has are typed and checked here; the channel's own keys
    are in `options`, as written, for the plugin to read and check.
    """
    name: str
    enabled: bool = False
    api_base: str = ""              # the plugin's default when empty
    per_hour: int = 10
    token_expires: str = ""
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class PublishConfig:
    """`humasgen publish`: one table per channel (see humasgen/publish/).

    The built-in channels have typed tables; any other `[publish.NAME]` table is kept
    in `plugin_channels` and must name a channel a plugin provides (checked in plugins.load).
    """
    telegram: TelegramChannel = field(default_factory=TelegramChannel)
    bluesky: BlueskyChannel = field(default_factory=BlueskyChannel)
    mastodon: MastodonChannel = field(default_factory=MastodonChannel)
    facebook: FacebookChannel = field(default_factory=FacebookChannel)
    instagram: InstagramChannel = field(default_factory=InstagramChannel)
    threads: ThreadsChannel = field(default_factory=ThreadsChannel)
    x: XChannel = field(default_factory=XChannel)
    max_wait: int = 60              # seconds: a longer Retry-After leaves the rest for the next run
    by_hand_days: int = 7           # the "to post by hand" list covers releases of the last N days
    plugin_channels: tuple[PluginChannel, ...] = ()

    def channel(self, name: str) -> Any:
        """The settings of channel `name` (None when the file has no table for a plugin's channel)."""
        if name in _BUILT_IN_CHANNELS:
            return getattr(self, name)
        return next((c for c in self.plugin_channels if c.name == name), None)

    def tables(self) -> tuple[tuple[str, Any], ...]:
        """(name, settings) of every channel table, built-in ones first."""
        return (*((n, getattr(self, n)) for n in _BUILT_IN_CHANNELS), *((c.name, c) for c in self.plugin_channels))


# The built-in channels: the fields holding a table (a dataclass made by the field's default_factory).
_BUILT_IN_CHANNELS = tuple(f.name for f in fields(PublishConfig) if is_dataclass(f.default_factory))


@dataclass(frozen=True, slots=True)
class CheckConfig:
    disable: tuple[str, ...] = ()   # rule ids switched off
    title_min: int = 20             # characters; Google News rejects one-word headlines
    title_max: int = 70             # characters; search and Google News cut headlines at about 65-70
    summary_max: int = 160          # characters; search engines cut meta descriptions at about 160
    duplicate_days: int = 30        # the same title again within this many days is a warning
    future_days: int = 365          # a date further ahead than this is likely a typo in the year
    image_max_kb: int = 1000        # an image file larger than this (kilobytes) is too heavy
    image_max_px: int = 2560        # an image with a longer side (pixels) is too large


@dataclass(frozen=True, slots=True)
class DeployConfig:
    """`humasgen deploy`: the office's own server (rsync over SSH) or an S3-compatible bucket."""
    method: str = ""                # "rsync" or "s3"; "" (Pages or another host): deploy is not used
    host: str = ""                  # rsync: the SSH server
    port: int = 22
    user: str = ""
    path: str = ""                  # rsync: releases/<stamp>/ and the `current` link go below it
    host_key: str = ""              # rsync: the server's public host key, pinned ("ssh-ed25519 AAAA...")
    keep: int = 3                   # rsync: earlier uploads kept for a quick roll-back
    endpoint: str = ""              # s3: the provider's endpoint URL
    bucket: str = ""
    region: str = ""
    prefix: str = ""                # s3: folder inside the bucket ("" for its root)


@dataclass(frozen=True, slots=True)
class UnitConfig:
    """[units."Full name"]: settings for one issuing office (the `unit:` of releases)."""
    name: str = ""
    short: str = ""                 # short form for hashtags, e.g. "DinasPUPR"


@dataclass(frozen=True, slots=True)
class EditorConfig:
    """The browser editor (humasgen editor, /admin/): see README "Browser editor"."""
    publish: bool = False           # the build publishes admin/ at /admin/ (for the online editor)
    backend: str = "github"         # github or gitlab: where the online editor commits
    repo: str = ""                  # owner/name (GitHub) or group/project (GitLab)
    branch: str = "main"
    base_url: str = ""              # GitLab: the server, e.g. https://gitlab.example.go.id; GitHub: OAuth client
    app_id: str = ""                # GitLab: the OAuth application ID (sign-in in the browser, PKCE)
    workflow: bool = True           # draft -> review -> ready, published by merging a merge request
    categories: tuple[str, ...] = ()    # offered in the form with those already used
    units: tuple[str, ...] = ()
    image_max_px: int = 2048        # photos uploaded on `serve` are shrunk to this longer side (0: never),
                                    # and never left above [check] image_max_px
    image_quality: int = 85         # JPEG/WebP quality of a shrunk photo


@dataclass(frozen=True, slots=True)
class Config:
    title: str = "Siaran Pers"
    agency: str = ""                # full agency name; defaults to title
    tagline: str = ""
    base_url: str = "http://localhost:8000"
    language: str = "id"
    timezone: str = "Asia/Makassar"
    permalink: str = "/{year}/{month}/{slug}/"
    per_page: int = 10
    theme: str = "default"
    logo: str = ""                  # site path of the logo image, e.g. /images/logo.png
    address: str = ""
    phone: str = ""
    email: str = ""
    copyright: str = ""
    related: int = 4                # "Baca juga" entries per release
    search: bool = False            # index the build with Pagefind
    menu: tuple[str, ...] = ()      # slugs of pages (content/halaman/) shown in the navigation, in order
    embargo_secret: str = ""        # makes embargo preview URLs unguessable (or HUMASGEN_EMBARGO_SECRET)
    feeds: FeedsConfig = field(default_factory=FeedsConfig)
    social: SocialConfig = field(default_factory=SocialConfig)
    hooks: HooksConfig = field(default_factory=HooksConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    deploy: DeployConfig = field(default_factory=DeployConfig)
    units: tuple[UnitConfig, ...] = ()
    editor: EditorConfig = field(default_factory=EditorConfig)
    publish: PublishConfig = field(default_factory=PublishConfig)
    # [redirects] "/old/path/" = "/new/path/": site paths that must keep working (see redirects.py)
    redirects: tuple[tuple[str, str], ...] = ()

    def unit_short(self, name: str) -> str:
        """The configured short form of a unit's name ('' when none)."""
        return next((u.short for u in self.units if u.name == name), "")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def agency_name(self) -> str:
        return self.agency or self.title

    @property
    def base_path(self) -> str:
        """Path part of base_url ('' or e.g. '/newsroom'), for sites served below the host root."""
        return urlsplit(self.base_url).path.rstrip("/")

    def url(self, path: str) -> str:
        """Absolute URL of a site path (an absolute URL, e.g. an image on a CDN, is kept as it is)."""
        return path if "://" in path else self.base_url + path


PERMALINK_FIELDS = {"year", "month", "day", "slug"}


def require_site(site_dir: Path) -> None:
    """A site folder has humasgen.toml or content/; anywhere else a build would make an empty site."""
    if not (site_dir / CONFIG_NAME).is_file() and not (site_dir / "content").is_dir():
        raise HumasgenError.single(str(site_dir), None,
                                   f"this folder is not a humasgen site: it has no {CONFIG_NAME} and no content/",
                                   "run the command in your site's folder, give --site DIR, "
                                   "or start a site with 'humasgen init DIR'")


def load(site_dir: Path, base_url: str | None = None) -> Config:
    """Read `humasgen.toml` in `site_dir` (absent: all defaults)."""
    path = site_dir / CONFIG_NAME
    data = path.read_bytes() if path.is_file() else b""
    shown = CONFIG_NAME
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HumasgenError.single(shown, data[: exc.start].count(b"\n") + 1,
                                   f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                                   "save humasgen.toml with UTF-8 encoding") from None
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise HumasgenError.single(shown, int(match.group(1)) if match else None,
                                   f"invalid TOML: {exc}", "check quotes, '=' and [table] headers") from None
    problems: list[Diagnostic] = []
    config = _build(Config, table, (), text, shown, problems)
    if base_url:
        config = replace(config, base_url=base_url)
    if config is not None:
        config = replace(config, base_url=config.base_url.rstrip("/"),
                         timezone=ZONES.get(config.timezone.strip().upper(), config.timezone))
        problems.extend(_semantic_checks(config, text, shown))
        problems.extend(_video_checks(config.social.video, text, shown, site_dir))
    if problems:
        raise HumasgenError(problems)
    return config


def _build(cls: type, table: dict, prefix: tuple[str, ...], text: str, shown: str,
           problems: list[Diagnostic]) -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in fields(cls)} - {"plugin_channels", "options"}    # those two are filled below
    values: dict[str, Any] = {}
    for key, value in table.items():
        dotted = ".".join((*prefix, key))
        line = key_line(text, prefix, key)
        if cls is PublishConfig and key not in names and isinstance(value, dict):
            # A plugin's channel: whether a plugin provides it is known once plugins are loaded.
            values.setdefault("plugin_channels", ())
            values["plugin_channels"] += (_plugin_channel(key, value, prefix, text, shown, problems),)
            continue
        if key not in names:
            problems.append(Diagnostic(shown, line, f"unknown key '{dotted}'", did_you_mean(key, names)))
            continue
        kind = hints[key]
        if kind == tuple[UnitConfig, ...]:
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                problems.append(Diagnostic(shown, line, f"'{dotted}' must be a table of tables",
                                           f'write it as [{dotted}."Full name"] with short = "..." below it'))
                continue
            values[key] = tuple(_build(UnitConfig, {**v, "name": name}, (*prefix, key, name), text, shown,
                                       problems) for name, v in value.items())
            continue
        if is_dataclass(kind):
            if not isinstance(value, dict):
                problems.append(Diagnostic(shown, line, f"'{dotted}' must be a table",
                                           f"write it as [{dotted}] with keys below it"))
                continue
            values[key] = _build(kind, value, (*prefix, key), text, shown, problems)
            continue
        checked = _coerce(kind, value)
        if checked is _INVALID:
            problems.append(Diagnostic(shown, line, f"'{dotted}' must be {_describe(kind)}, "
                                       f"not {type(value).__name__} {value!r}",
                                       f"for example: {key} = {_example(kind)}"))
            continue
        values[key] = checked
    return cls(**values)


def _plugin_channel(name: str, value: dict, prefix: tuple[str, ...], text: str, shown: str,
                    problems: list[Diagnostic]) -> PluginChannel:
    """[publish.NAME] of a plugin's channel: the common keys typed, the others kept as written."""
    common = {f.name for f in fields(PluginChannel)} - {"name", "options"}
    typed = _build(PluginChannel, {"name": name, **{k: v for k, v in value.items() if k in common}},
                   (*prefix, name), text, shown, problems)
    return replace(typed, options=MappingProxyType({k: v for k, v in value.items() if k not in common}))


_INVALID = object()


def _coerce(kind: Any, value: Any) -> Any:
    if kind is bool:
        return value if isinstance(value, bool) else _INVALID
    if kind is int:
        return value if isinstance(value, int) and not isinstance(value, bool) else _INVALID
    if kind is str:
        return value if isinstance(value, str) else _INVALID
    origin = typing.get_origin(kind)
    if kind == tuple[tuple[str, str], ...]:       # a table of text to text
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return tuple(sorted(value.items()))
        return _INVALID
    if origin is tuple:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        return _INVALID
    if origin in (typing.Union, types.UnionType):
        return value
    return _INVALID


def _describe(kind: Any) -> str:
    if kind == tuple[tuple[str, str], ...]:
        return "a table of paths"
    if typing.get_origin(kind) is tuple:
        return "a list of strings"
    return {bool: "true or false", int: "a whole number", str: "a string"}.get(kind, str(kind))


def _example(kind: Any) -> str:
    if kind == tuple[tuple[str, str], ...]:
        return '{ "/lama/" = "/baru/" }'
    if typing.get_origin(kind) is tuple:
        return '["satu", "dua"]'
    return {bool: "true", int: "10", str: '"teks"'}.get(kind, '""')


def key_line(text: str, prefix: tuple[str, ...], key: str) -> int | None:
    """Line of `key` inside table `prefix` in the TOML text (tomllib keeps no positions)."""
    section: tuple[str, ...] = ()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = re.match(r"^\[([^\[\]]+)\]", line)
        if header:
            section = tuple(part.strip().strip('"') for part in header.group(1).split("."))
            if section == (*prefix, key):
                return number
            continue
        if section == prefix and re.match(rf'^"?{re.escape(key)}"?\s*=', line):
            return number
    return None


def _semantic_checks(config: Config, text: str, shown: str) -> list[Diagnostic]:
    problems = []
    parts = urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        problems.append(Diagnostic(shown, key_line(text, (), "base_url"),
                                   f"base_url must be an absolute http(s) URL, not '{config.base_url}'",
                                   'for example: base_url = "https://diskominfo.example.go.id"'))
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Diagnostic(shown, key_line(text, (), "timezone"),
                                   f"unknown timezone '{config.timezone}'",
                                   'write "WIB", "WITA" or "WIT", or an IANA name such as "Asia/Jakarta"'))
    if config.language not in ("id", "en"):
        problems.append(Diagnostic(shown, key_line(text, (), "language"),
                                   f"unsupported language '{config.language}'", 'use "id" or "en"'))
    used = set(re.findall(r"{(\w+)}", config.permalink))
    if "slug" not in used or used - PERMALINK_FIELDS or not config.permalink.startswith("/") \
            or not config.permalink.endswith("/"):
        problems.append(Diagnostic(shown, key_line(text, (), "permalink"),
                                   f"invalid permalink '{config.permalink}'",
                                   "start and end with '/', include {slug}; "
                                   "allowed fields: {year} {month} {day} {slug}"))
    if {".", ".."} & set(config.permalink.split("/")) or "\\" in config.permalink:
        problems.append(Diagnostic(shown, key_line(text, (), "permalink"),
                                   f"the permalink '{config.permalink}' may not contain '.' or '..' folders",
                                   "pages must stay inside the output folder, e.g. \"/{year}/{month}/{slug}/\""))
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", config.theme):
        problems.append(Diagnostic(shown, key_line(text, (), "theme"), f"invalid theme name '{config.theme}'",
                                   "give the name of a folder in themes/ (letters, digits, '-', '_'), "
                                   "or \"default\""))
    problems.extend(_social_checks(config, text, shown))
    if config.per_page < 1:
        problems.append(Diagnostic(shown, key_line(text, (), "per_page"), "per_page must be at least 1"))
    problems.extend(_feeds_checks(config.feeds, text, shown))
    problems.extend(_deploy_checks(config.deploy, text, shown))
    if config.editor.backend not in ("github", "gitlab"):
        problems.append(Diagnostic(shown, key_line(text, ("editor",), "backend"),
                                   f"unknown editor back end '{config.editor.backend}'", 'use "github" or "gitlab"'))
    if config.editor.image_max_px and not 320 <= config.editor.image_max_px <= 20_000:
        problems.append(Diagnostic(shown, key_line(text, ("editor",), "image_max_px"),
                                   f"[editor] image_max_px = {config.editor.image_max_px} is out of range",
                                   "use 320 to 20000 pixels, or 0 to keep the size of uploaded photos"))
    if not 30 <= config.editor.image_quality <= 95:
        problems.append(Diagnostic(shown, key_line(text, ("editor",), "image_quality"),
                                   f"[editor] image_quality = {config.editor.image_quality} is out of range",
                                   "use 30 to 95 (85 keeps photos sharp at a quarter of the size)"))
    problems.extend(_publish_checks(config.publish, text, shown))
    for old, new in config.redirects:
        if not old.startswith("/") or not (new.startswith("/") or "://" in new) or old == new:
            problems.append(Diagnostic(shown, key_line(text, ("redirects",), old),
                                       f"invalid redirect '{old}' = '{new}'",
                                       'both must be site paths starting with "/", e.g. "/category/berita/" = '
                                       '"/kategori/berita/" (the target may also be an absolute URL)'))
    return problems


def _deploy_checks(deploy: DeployConfig, text: str, shown: str) -> list[Diagnostic]:
    """The method only: the keys it needs are checked by `humasgen deploy` (a build does not need them)."""
    if deploy.method in ("", "rsync", "s3"):
        return []
    return [Diagnostic(shown, key_line(text, ("deploy",), "method"), f"unknown deploy method '{deploy.method}'",
                       'use "rsync" (your own server, over SSH) or "s3" (an S3-compatible bucket)')]


def _feeds_checks(feeds: FeedsConfig, text: str, shown: str) -> list[Diagnostic]:
    problems = []

    def line(key: str) -> int | None:
        return key_line(text, ("feeds",), key)

    if feeds.items < 1:
        problems.append(Diagnostic(shown, line("items"), "feeds.items must be at least 1", "the default is 50"))
    if feeds.timeout < 1:
        problems.append(Diagnostic(shown, line("timeout"), "feeds.timeout must be at least 1 second"))
    for key in ("hub", "indexnow_endpoint"):
        value = getattr(feeds, key)
        parts = urlsplit(value)
        if value and (parts.scheme not in ("http", "https") or not parts.netloc):
            problems.append(Diagnostic(shown, line(key), f"feeds.{key} must be an absolute http(s) URL, not '{value}'",
                                       'for example: hub = "https://pubsubhubbub.appspot.com/"'
                                       if key == "hub" else 'the default is "https://api.indexnow.org/indexnow"'))
    if feeds.indexnow_key and not re.fullmatch(r"[A-Za-z0-9-]{8,128}", feeds.indexnow_key):
        problems.append(Diagnostic(shown, line("indexnow_key"),
                                   "feeds.indexnow_key must be 8 to 128 letters, digits or hyphens",
                                   "generate one, e.g. with: python -c 'import uuid; print(uuid.uuid4().hex)'"))
    return problems


def _social_checks(config: Config, text: str, shown: str) -> list[Diagnostic]:
    from .social.counting import PLATFORMS
    problems = []
    for name in config.social.platforms:
        if name not in PLATFORMS:
            problems.append(Diagnostic(shown, key_line(text, ("social",), "platforms"),
                                       f"unknown social platform '{name}'", did_you_mean(name, PLATFORMS)))
    try:
        config.social.utm_campaign.format(slug="", id="")
    except (KeyError, IndexError, ValueError):
        problems.append(Diagnostic(shown, key_line(text, ("social",), "utm_campaign"),
                                   f"invalid utm_campaign '{config.social.utm_campaign}'",
                                   "use plain text with {slug} or {id}, e.g. \"siaran-pers\" or \"{slug}\""))
    return problems


def _publish_checks(publish: PublishConfig, text: str, shown: str) -> list[Diagnostic]:
    from datetime import date
    problems = []
    for name, table in publish.tables():
        prefix = ("publish", name)
        for key in ("api_base", "instance", "service"):
            value = getattr(table, key, None)
            parts = urlsplit(value or "")
            if value is None or (value == "" and isinstance(table, PluginChannel)):
                continue
            if parts.scheme not in ("http", "https") or not parts.netloc:
                problems.append(Diagnostic(shown, key_line(text, prefix, key),
                                           f"publish.{name}.{key} must be an absolute http(s) URL, "
                                           f"not '{value}'", "leave it out to use the platform's public address"))
        if table.per_hour < 1:
            problems.append(Diagnostic(shown, key_line(text, prefix, "per_hour"),
                                       f"publish.{name}.per_hour must be at least 1",
                                       "set enabled = false to stop posting there"))
        if table.token_expires:
            try:
                date.fromisoformat(table.token_expires)
            except ValueError:
                problems.append(Diagnostic(shown, key_line(text, prefix, "token_expires"),
                                           f"cannot read the date '{table.token_expires}'",
                                           'write it as YYYY-MM-DD, e.g. token_expires = "2027-02-01"'))
    if publish.facebook.post_as not in ("link", "photo"):
        problems.append(Diagnostic(shown, key_line(text, ("publish", "facebook"), "post_as"),
                                   f"unknown publish.facebook.post_as '{publish.facebook.post_as}'",
                                   'use "link" or "photo"'))
    return problems


COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
VIDEO_SECONDS = (6, 90)     # what the platforms take for a short video, with room to spare


def _video_checks(video: VideoConfig, text: str, shown: str, site_dir: Path) -> list[Diagnostic]:
    problems = []

    def line(key: str) -> int | None:
        return key_line(text, ("social", "video"), key)

    low, high = VIDEO_SECONDS
    for key in ("min_seconds", "max_seconds"):
        if not low <= getattr(video, key) <= high:
            problems.append(Diagnostic(shown, line(key), f"social.video.{key} must be between {low} and {high}",
                                       "the defaults are 12 and 30: Reels, Shorts and TikTok favour 15-30 s"))
    if video.min_seconds > video.max_seconds:
        problems.append(Diagnostic(shown, line("min_seconds"), "social.video.min_seconds is more than max_seconds",
                                   "make min_seconds the smaller of the two"))
    if video.max_age_days < 0:
        problems.append(Diagnostic(shown, line("max_age_days"), "social.video.max_age_days cannot be negative",
                                   "0 means releases of any age"))
    for key in ("brand", "brand_dark", "accent"):
        if not COLOUR.fullmatch(getattr(video, key)):
            problems.append(Diagnostic(shown, line(key), f"social.video.{key} must be a colour like \"#0B4A8B\", "
                                       f"not '{getattr(video, key)}'", "write # and six hexadecimal digits"))
    if video.music and not (site_dir / video.music).is_file():
        problems.append(Diagnostic(shown, line("music"), f"social.video.music: no file '{video.music}' "
                                   "in the site folder", "give a path relative to humasgen.toml, "
                                   'e.g. music = "media/latar.mp3", or remove the key for a silent track'))
    return problems
