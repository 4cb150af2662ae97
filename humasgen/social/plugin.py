"""The built-in social plugin: snippets and share images for each newly published release.

It uses the public hook API like any third-party plugin would; switch it off
with `[social] enabled = false`. Files go to `social/<date>-<slug>/` in the site
folder (not published): one `<platform>.txt` each, `snippets.json`, the
images `card.jpg`, `portrait.jpg`, `story.jpg`, and (`[social.video]`) the
vertical video `reel.mp4` and the Instagram slides `carousel/NN.jpg`.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any, Mapping

from ..config import CONFIG_NAME, Config, key_line
from ..content import Release
from ..errors import Diagnostic, HumasgenError
from ..hookspecs import hookimpl
from ..theme import Theme
from . import carousel, counting, highlights, images, reel, snippets, story

SOCIAL_DIR = "social"


@hookimpl
def release_published(release: Release, site: Any, context: Any) -> str:
    folder, problems = write_release(release, site, site.config, context.theme, context.static,
                                     context.site_dir, context.cache_dir, context.hook)
    if problems:
        raise HumasgenError(problems)
    return folder


def write_release(release: Release, site: Any, config: Config, theme: Theme, static: Mapping[str, Path],
                  site_dir: Path, cache_dir: Path, hook: Any, any_age: bool = False) -> tuple[str, list[Diagnostic]]:
    """Write one release's folder (replacing any earlier one whole); returns it, relative to the site.

    `any_age`: make the video and carousel even for a release older than
    `[social.video] max_age_days` (`humasgen social SLUG` asks for them by name).
    """
    from ..plugins import call_each

    texts = snippets.make_snippets(release, config, theme, config.social.platforms or None)
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    extra: dict[str, str] = {}
    if hook is not None:
        results, problems = call_each(hook.social_snippets, release=release, site=site, snippets=texts)
        for name, returned in results:
            if not isinstance(returned, Mapping):
                problems.append(Diagnostic(f"plugin {name}", None, "social_snippets must return a mapping "
                                           "{platform: text} or None"))
                continue
            for platform, text in returned.items():
                if platform in texts:
                    fitted = snippets.refit(platform, str(text))
                    rule = counting.LIMITS[platform]
                    texts[platform] = snippets.Snippet(platform, fitted, rule.count(fitted), rule.limit, rule.unit,
                                                       texts[platform].link, tuple(counting.hashtags(fitted)))
                else:
                    extra[str(platform)] = str(text)
    for platform, snippet in texts.items():
        files[f"{platform}.txt"] = (snippet.text + "\n").encode("utf-8")
    for name, text in sorted(extra.items()):
        files[f"{_safe(name)}.txt"] = (snippets.tidy(text) + "\n").encode("utf-8")
    names: dict[str, str] = {}
    if config.social.images:
        art = images.artwork(release, config, static)
        for kind, (_, _, filename) in images.FORMATS.items():
            files[filename] = (images.cached_card(art, cache_dir).read_bytes() if kind == "card"
                               else images.render(art, kind))
            names[kind] = filename
    index = {
        "release": {"id": release.id, "title": release.title, "url": config.url(release.url),
                    "date": release.date.isoformat(), "lang": release.lang, "hash": release.content_hash},
        "platforms": {p: s.to_json() for p, s in texts.items()},
        "extra": extra,
        "images": names,
    }
    if wants_media(release, config, site.now, any_age):
        media, about, trouble = make_media(release, config, static, site_dir, cache_dir)
        files.update(media)
        index.update(about)
        problems.extend(trouble)
    files["snippets.json"] = (json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    folder = f"{SOCIAL_DIR}/{snippets.folder_name(release)}"
    replace_folder(site_dir / folder, files)
    return folder, problems


def wants_media(release: Release, config: Config, now: Any, any_age: bool = False) -> bool:
    """Does this release get a video and carousel: switched on, not off for it, and recent enough."""
    video = config.social.video
    if not (video.enabled and release.video):
        return False
    return any_age or not video.max_age_days or release.date >= now - timedelta(days=video.max_age_days)


def make_media(release: Release, config: Config, static: Mapping[str, Path], site_dir: Path,
               cache_dir: Path) -> tuple[dict[str, bytes], dict[str, Any], list[Diagnostic]]:
    """reel.mp4 and carousel/NN.jpg (from the cache when their inputs are unchanged), and their index."""
    from ..errors import HumasgenError

    problem = highlights.check_override(release)
    if problem is not None:
        return {}, {}, [problem]
    told = story.story(release, config, static, site_dir)
    files: dict[str, bytes] = {}
    about: dict[str, Any] = {"highlights": highlights.to_json(told.highlights)}
    text = (site_dir / CONFIG_NAME).read_text(encoding="utf-8") if (site_dir / CONFIG_NAME).is_file() else ""
    problems: list[Diagnostic] = []
    logo = config.social.video.logo
    if logo and told.logo is None:
        problems.append(Diagnostic(CONFIG_NAME, key_line(text, ("social", "video"), "logo"),
                                   f"social.video.logo: no file '{logo}' in static/, the video has no logo",
                                   'give the site path of an image in static/, e.g. logo = "/images/logo-putih.png"'))
    try:
        files["reel.mp4"] = reel.cached_reel(told, cache_dir, (CONFIG_NAME, key_line(text, ("social", "video"),
                                                                                      "music"))).read_bytes()
    except HumasgenError as error:
        return {}, {}, problems + list(error.diagnostics)
    scenes = reel.plan(told)
    about["reel"] = {"file": "reel.mp4", "width": reel.WIDTH, "height": reel.HEIGHT, "fps": reel.FPS,
                     "seconds": round(sum(s.frames for s in scenes) / reel.FPS, 3), "scenes": reel.timeline(scenes)}
    if config.social.video.carousel:
        slides, alts = carousel.cached_carousel(told, cache_dir)
        files.update({f"carousel/{name}": data for name, data in slides.items()})
        about["carousel"] = alts
    return files, about, problems


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name) or "extra"


def replace_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Write a folder beside the old one, then swap: readers never see half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        for name, data in sorted(files.items()):
            (fresh / name).parent.mkdir(parents=True, exist_ok=True)
            (fresh / name).write_bytes(data)
        os.chmod(fresh, 0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rmdir(old)
            os.rename(target, old)
            os.rename(fresh, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(fresh, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
