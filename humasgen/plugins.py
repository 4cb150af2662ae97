"""Finding plugins and calling their hooks, one plugin's failure at a time.

Plugins come, in this order, from: the built-in ones (social snippets), installed
packages (entry point group `humasgen`), modules named in `[hooks] plugins`, and
the site's own `hooks.py`. pluggy calls the last registered first, so a site's
`hooks.py` runs before the others.

Hooks are called one implementation at a time (not with pluggy's all-or-nothing
call) so an error names the plugin, and, after the output is in place, one
broken plugin does not stop the others.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .config import CONFIG_NAME, Config, key_line
from .errors import Diagnostic, HumasgenError, did_you_mean

SITE_HOOKS = "hooks.py"
ENTRY_POINT_GROUP = "humasgen"
BUILTINS = (("humasgen.social", "humasgen.social.plugin"),)


@dataclass(frozen=True, slots=True)
class Plugins:
    manager: pluggy.PluginManager
    fingerprint: str                # names and source hashes: part of every page's key

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
    if config.social.enabled:
        for name, module in BUILTINS:
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
    return Plugins(manager, _fingerprint(manager))


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
            filename = getattr(impl.function, "__code__", None)
            _, line = _origin(exc, filename.co_filename if filename else None)
            label = SITE_HOOKS if impl.plugin_name == SITE_HOOKS else f"plugin {impl.plugin_name}"
            problems.append(Diagnostic(label, line, f"hook {hook.name} failed: {type(exc).__name__}: {exc}",
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
