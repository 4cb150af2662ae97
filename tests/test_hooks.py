"""Plugins (site hooks.py, config modules, entry points) and shell-command hooks, for real."""
from __future__ import annotations

import json
import os
import signal
import sys
import time
import textwrap
from pathlib import Path

import pytest

from conftest import release
from humasgen.errors import HumasgenError

CONFIG = 'title = "Diskominfo Uji"\nbase_url = "https://uji.example.go.id"\n'
NO_VIDEO = "[social.video]\nenabled = false\n"         # reels are tested in test_social_video.py


def hooks_config(*commands: str, timeout: int = 30, fail_build: bool = False) -> str:
    listed = ", ".join(json.dumps(c) for c in commands)
    return (CONFIG + f"[hooks]\ncommands = [{listed}]\ntimeout = {timeout}\nfail_build = {str(fail_build).lower()}\n"
            + NO_VIDEO)


def first_then_add(site: Path, build_site, name: str = "c", title: str = "Rilis Baru"):
    """A first build (nothing announced), then one new release; returns the second build's result."""
    build_site(site)
    (site / f"content/{name}.md").write_text(release(title, date="2026-11-20 08:00", tags="[banjir, bantuan sosial]"))
    return build_site(site)


def assert_site_complete(site: Path) -> None:
    out = site / "output"
    for page in ("index.html", "2026/11/rilis-lama/index.html", "2026/11/rilis-baru/index.html", "404.html"):
        assert (out / page).is_file(), page
    assert not list(out.parent.glob(".output.new-*"))   # no half-built tree left behind


# --- shell hooks ----------------------------------------------------------------------------------

def test_shell_hook_receives_the_release_as_json(make_site, build_site, tmp_path):
    received = tmp_path / "received"
    script = tmp_path / "catch.py"
    script.write_text(textwrap.dedent(f"""
        import json, os, sys
        data = sys.stdin.buffer.read()
        json.loads(data)                                  # exits non-zero if it is not JSON
        path = {str(received)!r} + "-" + os.environ["HUMASGEN_RELEASE_ID"].replace("/", "_") + ".json"
        open(path, "wb").write(data)
    """))
    site = make_site({"content/a.md": release("Rilis Lama")},
                     config=hooks_config(f"{sys.executable} {script}"))
    result = first_then_add(site, build_site)
    assert result.announcements.problems == ()
    files = sorted(tmp_path.glob("received-*.json"))
    assert [f.name for f in files] == ["received-c.json"]               # once, for the new release only
    payload = json.loads(files[0].read_text(encoding="utf-8"))
    assert payload["event"] == "release_published"
    assert payload["id"] == "c" and payload["title"] == "Rilis Baru"
    assert payload["url"] == "https://uji.example.go.id/2026/11/rilis-baru/"
    assert payload["tags"] == ["banjir", "bantuan sosial"]
    assert payload["site"]["base_url"] == "https://uji.example.go.id"
    assert payload["social"]["texts"]["x"].startswith("Rilis Baru")      # the snippets are ready when it runs
    assert Path(payload["social"]["images"]["card"]).is_file()
    build_site(site)
    assert len(list(tmp_path.glob("received-*.json"))) == 1


def test_failing_shell_hook_is_reported_by_name_and_the_site_is_complete(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Lama")},
                     config=hooks_config("echo 'token kedaluwarsa' >&2; exit 3"))
    result = first_then_add(site, build_site)
    (problem,) = result.announcements.problems
    assert "hook command 'echo 'token kedaluwarsa' >&2; exit 3' exited with status 3 for release c" in problem.message
    assert "token kedaluwarsa" in problem.message
    assert problem.severity == "warning" and problem.path == "humasgen.toml" and problem.line == 4
    assert_site_complete(site)
    assert result.announcements.recorded                 # fail_build = false: not retried
    assert build_site(site).announcements.new == ()


def test_hanging_hook_is_killed_with_its_children(make_site, build_site, tmp_path):
    pid_file = tmp_path / "child.pid"
    site = make_site({"content/a.md": release("Rilis Lama")},
                     config=hooks_config(f"sleep 600 </dev/null >/dev/null 2>&1 & echo $! > {pid_file}; wait",
                                         timeout=1))
    result = first_then_add(site, build_site)
    (problem,) = result.announcements.problems
    assert "timed out after 1 s for release c" in problem.message
    assert "sleep 600 </dev/null" in problem.message
    assert_site_complete(site)
    child = int(pid_file.read_text())
    try:
        for _ in range(50):                      # the shell's child was killed with it
            if not alive(child):
                break
            time.sleep(0.1)
        assert not alive(child)
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)


def alive(pid: int) -> bool:
    """Running, not a zombie (an orphan may wait a while for a container's init to reap it)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_fail_build_exits_1_and_announces_again_next_time(make_site, cli):
    site = make_site({"content/a.md": release("Rilis Lama")}, config=hooks_config("exit 1", fail_build=True))
    assert cli("build", "--site", str(site)).exit_code == 0
    (site / "content/c.md").write_text(release("Rilis Baru", date="2026-11-20 08:00"))
    failed = cli("build", "--site", str(site))
    assert failed.exit_code == 1
    assert "humasgen.toml:4: error: hook command 'exit 1' exited with status 1 for release c" in failed.output
    assert "the manifest was not updated" in failed.output
    assert_site_complete(site)
    (site / "humasgen.toml").write_text(CONFIG + NO_VIDEO)
    retried = cli("build", "--site", str(site))
    assert retried.exit_code == 0 and "Diumumkan 1 rilis baru" in retried.output


# --- plugins --------------------------------------------------------------------------------------

SITE_HOOKS = '''
import json
from pathlib import Path
import humasgen

LOG = Path(__file__).with_name("log.jsonl")

def note(*event):
    with LOG.open("a") as handle:
        handle.write(json.dumps(event) + "\\n")

@humasgen.hookimpl
def config_loaded(config, site_dir):
    note("config_loaded", config.title)

@humasgen.hookimpl
def site_loaded(site):
    note("site_loaded", len(site.releases))

@humasgen.hookimpl
def page_context(page):
    return {"greeting": "Salam dari hooks.py"} if page.kind == "home" else None

@humasgen.hookimpl
def release_published(release, context):
    note("release_published", release.id, str(context.output_dir.name))

@humasgen.hookimpl
def release_updated(release):
    note("release_updated", release.id)

@humasgen.hookimpl
def social_snippets(release, snippets):
    return {"x": snippets["x"].text + " " + "tambahan " * 80, "mastodon": "Halo Mastodon " + release.title}

@humasgen.hookimpl
def build_finished(announcements):
    note("build_finished", [r.id for r in announcements.new], announcements.recorded)
'''

HOME = '{% extends "base.html" %}{% block main %}<p id="sapa">{{ greeting }}</p>{% endblock %}\n'


def events(site: Path) -> list[list]:
    return [json.loads(line) for line in (site / "log.jsonl").read_text().splitlines()]


def test_site_hooks_fire_in_order(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Lama"), "hooks.py": SITE_HOOKS,
                      "themes/kantor/templates/home.html": HOME},
                     config=CONFIG + 'theme = "kantor"\n' + NO_VIDEO)
    first_then_add(site, build_site)
    log = events(site)
    assert log[:3] == [["config_loaded", "Diskominfo Uji"], ["site_loaded", 1], ["build_finished", [], True]]
    assert log[3:] == [["config_loaded", "Diskominfo Uji"], ["site_loaded", 2], ["release_published", "c", "output"],
                       ["build_finished", ["c"], True]]
    assert "Salam dari hooks.py" in (site / "output/index.html").read_text()
    folder = site / "social/2026-11-20-rilis-baru"
    x = (folder / "x.txt").read_text()
    assert x.startswith("Rilis Baru") and x.rstrip().endswith("…")        # the plugin's long text was cut to fit
    from humasgen.social import counting
    assert counting.x_weight(x.strip()) <= 280
    assert (folder / "mastodon.txt").read_text() == "Halo Mastodon Rilis Baru\n"
    (site / "content/c.md").write_text(release("Rilis Baru", date="2026-11-20 08:00", body="Diperbaiki."))
    build_site(site)
    assert ["release_updated", "c"] in events(site)


def test_a_failing_plugin_is_named_and_the_others_still_run(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Lama"),
                      "hooks.py": "import humasgen\n\n@humasgen.hookimpl\ndef release_published(release):\n"
                                  "    raise RuntimeError('server media sedang down')\n"})
    result = first_then_add(site, build_site)
    (problem,) = result.announcements.problems
    assert problem.path == "hooks.py" and problem.line == 5
    assert "hook release_published failed: RuntimeError: server media sedang down" in problem.message
    assert (site / "social/2026-11-20-rilis-baru/x.txt").is_file()      # the built-in plugin still ran
    assert_site_complete(site)


def test_a_failing_page_context_stops_the_build_before_writing(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Lama"),
                      "hooks.py": "import humasgen\n\n@humasgen.hookimpl\ndef page_context(page):\n    return 1 / 0\n"})
    with pytest.raises(HumasgenError) as caught:
        build_site(site)
    assert "hooks.py:5: error: hook page_context failed: ZeroDivisionError" in str(caught.value)
    assert not (site / "output").exists()


@pytest.mark.parametrize("source, expected", [
    ("import humasgen\n@humasgen.hookimpl\ndef relase_published(release):\n    pass\n",
     "hooks.py:3: error: 'relase_published' is not a humasgen hook (did you mean 'release_published'?)"),
    ("import humasgen\n@humasgen.hookimpl\ndef release_published(relase):\n    pass\n", "relase"),
    ("def broken(:\n", "hooks.py:1: error: syntax error"),
    ("import paket_yang_tidak_ada\n", "hooks.py:1: error: failed while loading: ModuleNotFoundError"),
])
def test_broken_hooks_file_is_an_error_with_its_line(make_site, build_site, source, expected):
    site = make_site({"content/a.md": release("Rilis Lama"), "hooks.py": source})
    with pytest.raises(HumasgenError) as caught:
        build_site(site)
    assert expected in str(caught.value)
    assert not (site / "output").exists()


def test_plugin_module_named_in_the_config(make_site, build_site):
    plugin = ("import humasgen\n@humasgen.hookimpl\ndef page_context(page):\n"
              "    return {'greeting': 'dari modul_humas'}\n")
    site = make_site({"content/a.md": release("Rilis Lama"), "modul_humas.py": plugin,
                      "themes/kantor/templates/home.html": HOME},
                     config=CONFIG + 'theme = "kantor"\n[hooks]\nplugins = ["modul_humas"]\n')
    build_site(site)
    assert "dari modul_humas" in (site / "output/index.html").read_text()
    sys.modules.pop("modul_humas", None)
    (site / "humasgen.toml").write_text(CONFIG + '[hooks]\nplugins = ["modul_tidak_ada"]\n')
    with pytest.raises(HumasgenError) as caught:
        build_site(site)
    assert "humasgen.toml:4: error: plugin module 'modul_tidak_ada' cannot be imported" in str(caught.value)


def test_plugin_from_an_installed_package_entry_point(make_site, build_site, tmp_path, monkeypatch):
    packages = tmp_path / "site-packages"
    (packages / "humas_ep_plugin.py").parent.mkdir(parents=True)
    (packages / "humas_ep_plugin.py").write_text(
        "import humasgen\n@humasgen.hookimpl\ndef page_context(page):\n    return {'greeting': 'dari entry point'}\n")
    info = packages / "humas_ep_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: humas-ep-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[humasgen]\nsapa = humas_ep_plugin\n")
    monkeypatch.syspath_prepend(str(packages))
    site = make_site({"content/a.md": release("Rilis Lama"), "themes/kantor/templates/home.html": HOME},
                     config=CONFIG + 'theme = "kantor"\n' + NO_VIDEO)
    build_site(site)
    assert "dari entry point" in (site / "output/index.html").read_text()


def test_social_can_be_switched_off(make_site, build_site):
    site = make_site({"content/a.md": release("Rilis Lama")}, config=CONFIG + "[social]\nenabled = false\n")
    result = first_then_add(site, build_site)
    assert [r.id for r in result.announcements.new] == ["c"]
    assert not (site / "social").exists()
    assert not list((site / "output").rglob("og-image.jpg"))


def test_unknown_platform_in_config(make_site, build_site):
    site = make_site({}, config=CONFIG + '[social]\nplatforms = ["x", "twiter"]\n')
    with pytest.raises(HumasgenError, match="unknown social platform 'twiter'"):
        build_site(site)


def test_changing_a_plugin_re_renders_the_pages(make_site, build_site):
    hooks = "import humasgen\n@humasgen.hookimpl\ndef page_context(page):\n    return {'greeting': %r}\n"
    site = make_site({"content/a.md": release("Rilis Lama"), "hooks.py": hooks % "versi satu",
                      "themes/kantor/templates/home.html": HOME}, config=CONFIG + 'theme = "kantor"\n')
    build_site(site)
    assert "versi satu" in (site / "output/index.html").read_text()
    (site / "hooks.py").write_text(hooks % "versi dua")
    build_site(site)
    assert "versi dua" in (site / "output/index.html").read_text()
