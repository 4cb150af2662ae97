"""Finding plugins and calling their hooks, one plugin's failure at a time.

Plugins come, in this order, from: the built-in ones (social snippets, the
channels of `humasgen publish`), installed packages (entry point group
`humasgen`), modules named in `[hooks] plugins`, and the site's own `hooks.py`.
pluggy calls the last registered first, so a site's `hooks.py` runs before the
others.

Hooks are called one implementation at a time (not with pluggy's all-or-nothing
call) so an error names the plugin, and, after the output is in place, one
broken plugin does not stop the others.

Loading also asks every plugin for its channels (hook `publish_channels`), so a
`[publish.NAME]` table in humasgen.toml that no plugin provides is an error here,
for every command, like any unknown key.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
import sys
import traceback
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping

import pluggy

from . import hookspecs
from .config import CONFIG_NAME, Config, key_line
from .errors import Diagnostic, HumasgenError, did_you_mean

SITE_HOOKS = "hooks.py"
ENTRY_POINT_GROUP = "humasgen"
# (name, module, whether a site's config wants it)
BUILTINS: tuple[tuple[str, str, Callable[[Config], bool]], ...] = (
    ("humasgen.social", "humasgen.social.plugin", lambda config: config.social.enabled),
    ("humasgen.publish", "humasgen.publish.plugin", lambda config: True),
)
CHANNEL_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True, slots=True)
class ProvidedChannel:
    """A channel of `humasgen publish`, as a plugin provides it (hook `publish_channels`)."""
    name: str
    plugin: str                     # who provides it: "plugin NAME", or "hooks.py"
    open: Callable[[Any, Mapping[str, str]], Any]
    source: str | None = None       # the plugin's file, to point at the line of an error


@dataclass(frozen=True, slots=True)
class Plugins:
    manager: pluggy.PluginManager
    fingerprint: str                # names and source hashes: part of every page's key
    channels: Mapping[str, ProvidedChannel] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def hook(self) -> Any:
        return self.manager.hook

    def implements(self, name: str) -> bool:
        return bool(getattr(self.manager.hook, name).get_hookimpls())


def load(site_dir: Path, config: Config) -> Plugins:
    """The plugin manager for a site; a plugin that cannot be loaded is an error naming it."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    problems: list[Diagnostic] = []
    for name, module, wanted in BUILTINS:
        if wanted(config):
            manager.register(importlib.import_module(module), name=name)
    try:
        manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    except Exception as exc:  # a broken installed package must be named, not crash the CLI
        problems.append(Diagnostic(f"entry point group '{ENTRY_POINT_GROUP}'", None,
                                   f"an installed plugin failed to load: {type(exc).__name__}: {exc}",
                                   "reinstall or uninstall the package that provides it"))
    config_text = (site_dir / CONFIG_NAME).read_text(encoding="utf-8") if (site_dir / CONFIG_NAME).is_file() else ""
    for name in config.hooks.plugins:
        module = _import(name, site_dir, config_text, problems)
        if module is not None and not manager.is_registered(module):
            _register(manager, module, name, problems)
    site_hooks = site_dir / SITE_HOOKS
    if site_hooks.is_file():
        module = _load_file(site_hooks, problems)
        if module is not None:
            _register(manager, module, SITE_HOOKS, problems)
    if problems:
        raise HumasgenError(problems)
    channels = _channels(manager, config, config_text, problems)
    if problems:
        raise HumasgenError(problems)
    return Plugins(manager, _fingerprint(manager), MappingProxyType(channels))


def _channels(manager: pluggy.PluginManager, config: Config, config_text: str,
              problems: list[Diagnostic]) -> dict[str, ProvidedChannel]:
    """Every plugin's channels, the built-in ones first; each [publish.NAME] table must name one."""
    results, failed = call_each(manager.hook.publish_channels, config=config)
    problems.extend(failed)
    found: dict[str, ProvidedChannel] = {}
    for plugin_name, provided in reversed(results):          # in the order the plugins were registered
        plugin = manager.get_plugin(plugin_name)
        label = SITE_HOOKS if plugin_name == SITE_HOOKS else f"plugin {plugin_name}"
        line = _line_of(getattr(plugin, "publish_channels", None))
        if not isinstance(provided, Mapping):
            problems.append(Diagnostic(label, line, "publish_channels must return a mapping {name: open} or None"))
            continue
        for name, opener in provided.items():
            if not isinstance(name, str) or not CHANNEL_NAME.fullmatch(name) or not callable(opener):
                problems.append(Diagnostic(label, line, f"publish_channels: channel {name!r} must be a lowercase "
                                           "name (letters, digits, '_') mapped to a function open(settings, env)"))
            elif name in found:
                problems.append(Diagnostic(label, line, f"channel '{name}' is provided by {found[name].plugin} "
                                           "already", "give the channel another name, or remove one plugin"))
            else:
                found[name] = ProvidedChannel(name, label, opener, getattr(plugin, "__file__", None))
    if not failed:          # a plugin that could not answer may provide the table's channel
        for table in config.publish.plugin_channels:
            if table.name not in found:
                near = get_close_matches(table.name, sorted(found), n=1, cutoff=0.6)
                problems.append(Diagnostic(CONFIG_NAME, key_line(config_text, ("publish",), table.name),
                                           f"unknown channel '[publish.{table.name}]': no plugin provides it",
                                           did_you_mean(table.name, near) if near else
                                           "install the plugin that provides it, or remove the table"))
    return found


def _import(name: str, site_dir: Path, config_text: str, problems: list[Diagnostic]) -> Any:
    """A module named in the config; the site folder is searched too, for local plugin files."""
    sys.path.insert(0, str(site_dir.resolve()))
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        problems.append(Diagnostic(CONFIG_NAME, key_line(config_text, ("hooks",), "plugins"),
                                   f"plugin module '{name}' cannot be imported: {exc}",
                                   "install the package, or put the module in the site folder"))
    except Exception as exc:
        path, line = _origin(exc, None)
        problems.append(Diagnostic(path or CONFIG_NAME, line, f"plugin module '{name}' failed while loading: "
                                   f"{type(exc).__name__}: {exc}", "fix the error in the plugin"))
    finally:
        sys.path.remove(str(site_dir.resolve()))
    return None


def _load_file(path: Path, problems: list[Diagnostic]) -> Any:
    """The site's hooks.py as a fresh module (each build reads the file again)."""
    tag = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    name = f"humasgen_site_hooks_{tag}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        problems.append(Diagnostic(SITE_HOOKS, exc.lineno, f"syntax error: {exc.msg}", "fix the Python syntax"))
        return None
    except Exception as exc:
        _, line = _origin(exc, str(path.resolve()))
        problems.append(Diagnostic(SITE_HOOKS, line, f"failed while loading: {type(exc).__name__}: {exc}",
                                   "fix the error; imports in hooks.py must be installed"))
        return None
    return module


def _register(manager: pluggy.PluginManager, plugin: Any, name: str, problems: list[Diagnostic]) -> None:
    """Register one plugin; a misnamed hook or a wrong argument is an error naming the function."""
    label = name if name == SITE_HOOKS else f"plugin {name}"
    known = {n for n in dir(hookspecs) if hasattr(getattr(hookspecs, n), f"{hookspecs.PROJECT}_spec")}
    found = []
    for attr in sorted(dir(plugin)):
        function = getattr(plugin, attr, None)
        if callable(function) and hasattr(function, f"{hookspecs.PROJECT}_impl") and attr not in known:
            found.append(Diagnostic(label, _line_of(function), f"'{attr}' is not a humasgen hook",
                                    did_you_mean(attr, known)))
    if found:
        problems.extend(found)
        return
    try:
        manager.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        problems.append(Diagnostic(label, None, str(exc), "see the list of hooks and their arguments in the README"))
    except ValueError as exc:   # the same module registered twice (entry point and config)
        if not manager.is_registered(plugin):
            problems.append(Diagnostic(label, None, str(exc)))


def _plugin_label(manager: pluggy.PluginManager, plugin: Any) -> str:
    name = manager.get_name(plugin) or repr(plugin)
    return name if name == SITE_HOOKS else f"plugin {name}"


def _line_of(function: Any) -> int | None:
    """The `def` line of a function (co_firstlineno is its first decorator's line)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    import linecache
    for line in range(code.co_firstlineno, code.co_firstlineno + 20):
        if linecache.getline(code.co_filename, line).lstrip().startswith(("def ", "async def ")):
            return line
    return code.co_firstlineno


def _fingerprint(manager: pluggy.PluginManager) -> str:
    digest = hashlib.sha256()
    for name, plugin in sorted(manager.list_name_plugin(), key=lambda item: item[0]):
        digest.update(name.encode())
        source = getattr(plugin, "__file__", None)
        if source and Path(source).is_file():
            digest.update(hashlib.sha256(Path(source).read_bytes()).digest())
    return digest.hexdigest()


def _origin(exc: BaseException, filename: str | None) -> tuple[str | None, int | None]:
    """File and line where `exc` was raised, inside `filename` when given (else the innermost frame)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if filename is None or frame.filename == filename:
            found = (frame.filename, frame.lineno)
    return found


def failure(plugin: str, source: str | None, exc: BaseException, what: str, hint: str) -> Diagnostic:
    """An exception from a plugin's code, against the plugin ("plugin NAME", or "hooks.py" and the line)."""
    _, line = _origin(exc, source)
    return Diagnostic(plugin, line, f"{what}: {type(exc).__name__}: {exc}", hint)


def call_each(hook: Any, **kwargs: Any) -> tuple[list[tuple[str, Any]], list[Diagnostic]]:
    """Call every implementation of `hook` in pluggy's order; (name, result) pairs and errors.

    An error is reported against the plugin that raised it (the file and line for a
    site's hooks.py), and the other plugins still run.
    """
    results: list[tuple[str, Any]] = []
    problems: list[Diagnostic] = []
    for impl in reversed(hook.get_hookimpls()):
        try:
            result = impl.function(*[kwargs[name] for name in impl.argnames])
        except HumasgenError as error:
            problems.extend(error.diagnostics)
            continue
        except Exception as exc:
            code = getattr(impl.function, "__code__", None)
            label = SITE_HOOKS if impl.plugin_name == SITE_HOOKS else f"plugin {impl.plugin_name}"
            problems.append(failure(label, code.co_filename if code else None, exc, f"hook {hook.name} failed",
                                    "fix the plugin, or remove it from [hooks] plugins"))
            continue
        if result is not None:
            results.append((impl.plugin_name, result))
    return results, problems


def call_or_fail(hook: Any, **kwargs: Any) -> list[tuple[str, Any]]:
    """For hooks that run before anything is written: any error stops the build."""
    results, problems = call_each(hook, **kwargs)
    if problems:
        raise HumasgenError(problems)
    return results
