"""The built-in channels of `humasgen publish`, provided like any plugin's (hook `publish_channels`).

Each opener imports its channel's module only when that channel posts, so a build
(which loads every plugin) never imports the platforms' client libraries.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable, Mapping

from ..hookspecs import hookimpl

# In the order `humasgen publish` posts to them; each is a module of this package with `open_channel`.
CHANNELS = ("telegram", "bluesky", "mastodon", "facebook", "instagram", "threads", "x")


def _opener(name: str) -> Callable[[Any, Mapping[str, str]], Any]:
    def open_channel(settings: Any, env: Mapping[str, str]) -> Any:
        return importlib.import_module(f"{__package__}.{name}").open_channel(settings, env)
    open_channel.__qualname__ = f"open_{name}"
    return open_channel


@hookimpl
def publish_channels() -> dict[str, Callable[[Any, Mapping[str, str]], Any]]:
    return {name: _opener(name) for name in CHANNELS}
