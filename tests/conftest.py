"""Shared fixtures: small real sites in temporary folders, a fixed clock."""
from __future__ import annotations

import os
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from humasgen.build import BuildOptions, build

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)   # 20:00 WITA
# The official Atom and sitemap schemas are not part of this repository: they live in ../shared/schemas
# beside the clone, or wherever HUMASGEN_SCHEMAS points.
SCHEMAS = Path(os.environ.get("HUMASGEN_SCHEMAS") or Path(__file__).resolve().parents[2] / "shared" / "schemas")


def need_schemas(*names: str) -> None:
    """Skip, saying why and how to run it, when a schema file is not there."""
    missing = [name for name in names if not (SCHEMAS / name).is_file()]
    if missing:
        pytest.skip(f"{', '.join(missing)} not found in {SCHEMAS}: the official feed and sitemap schemas are not "
                    "part of this repository; put them in ../shared/schemas beside the clone, or set "
                    "HUMASGEN_SCHEMAS=/path/to/schemas, to run the schema validation tests")

# Reels cost tens of CPU seconds each: a test site makes them only when the test is about them
# (test_social_video.py). On the first line, so the lines of the other keys stay where tests expect them.
BASIC_CONFIG = '''social.video.enabled = false
title = "Diskominfo Provinsi Uji"
base_url = "https://uji.example.go.id"
'''


def release(title: str, date: str = "2026-11-19 09:00", body: str = "Isi rilis.", **meta) -> str:
    """Text of a release file; extra keyword arguments become front matter lines (YAML values)."""
    lines = ["---", f"title: {title!r}" if "'" not in title else f'title: "{title}"', f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in meta.items()]
    lines += ["---", textwrap.dedent(body).strip(), ""]
    return "\n".join(lines)


@pytest.fixture
def make_site(tmp_path):
    """make_site(files={'content/a.md': '...'}) -> site folder (with a basic humasgen.toml unless given)."""
    def make(files: dict[str, str | bytes] | None = None, config: str | None = BASIC_CONFIG) -> Path:
        site = tmp_path / "site"
        site.mkdir(exist_ok=True)
        if config is not None:
            (site / "humasgen.toml").write_text(config, encoding="utf-8")
        for rel, data in (files or {}).items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        return site
    return make


@pytest.fixture
def build_site():
    """build_site(site, **options) -> BuildResult, with the fixed NOW and one job."""
    def run(site: Path, **options):
        options.setdefault("output_dir", site / "output")
        options.setdefault("now", NOW)
        options.setdefault("jobs", 1)
        return build(BuildOptions(site_dir=site, **options))
    return run


@pytest.fixture
def cli():
    """cli(*args) -> click Result of the humasgen command line."""
    from humasgen.cli import main

    def run(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False,
                                  env={"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))})
    return run


REPO = Path(__file__).resolve().parents[1]


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (relative POSIX path -> bytes), to compare whole outputs."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def demo_site(tmp_path):
    """A copy of the repository's demo site (content/, static/, humasgen.toml) in a temporary folder."""
    import shutil
    demo = tmp_path / "demo"
    demo.mkdir()
    for part in ("content", "static", "humasgen.toml"):
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, demo / part)
        elif source.is_file():
            shutil.copy(source, demo / part)
    return demo



def pytest_sessionfinish(session, exitstatus):
    """In CI (HUMASGEN_NO_SKIP=1, set by .ci/run) a skipped test fails the run: every tool the
    tests need is installed there, so a skip could only hide a missing install step."""
    import os
    if os.environ.get("HUMASGEN_NO_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"HUMASGEN_NO_SKIP: {len(skipped)} test(s) skipped; in CI that is a failure")
        for report in skipped:
            reporter.write_line(f"  skipped: {report.nodeid}: {report.longrepr}")
        session.exitstatus = 1


@pytest.fixture
def browser():
    """Debian's headless Chromium (see demo_site.chromium), one per test."""
    from demo_site import chromium
    with chromium() as browser:
        yield browser
