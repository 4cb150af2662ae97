"""Channels come from plugins (hook `publish_channels`): a site's hooks.py adds one like the built-in ones."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from humasgen.build import BuildOptions, build
from humasgen.publish import runner
from humasgen.publish.record import FILENAME as RECORD
from conftest import NOW, release
from publish_fakes import TOKEN, Platforms

FIRST = "Gubernur Resmikan Jembatan Baru di Kecamatan Sungai Kunjang"
SECOND = "Dinas Kesehatan Buka Layanan Vaksinasi Keliling Akhir Pekan"
ENV = {"HUMASGEN_PORTAL_TOKEN": TOKEN, "HUMASGEN_MASTODON_TOKEN": TOKEN}

# The channel as a site would write it: the portal of the province, which takes the news of every office.
PORTAL = '''
import humasgen
from humasgen.publish.channel import Posted, TokenProblem, http_client, send

ENV_TOKEN = "HUMASGEN_PORTAL_TOKEN"


def classify(response):
    if response.status_code == 401:
        return TokenProblem("the portal refused the token", f"ask the portal's admin for a new {ENV_TOKEN}")
    return None


class Portal:
    name = "portal"
    can_find = True

    def __init__(self, settings, env):
        if not env.get(ENV_TOKEN):
            raise TokenProblem(f"{ENV_TOKEN} is not set", "store the portal's token as a CI secret")
        self.base = (settings.api_base or "https://portal.example.go.id").rstrip("/")
        self.section = settings.options.get("rubrik", "berita")
        self.client = http_client()
        self.client.headers["Authorization"] = f"Bearer {env[ENV_TOKEN]}"

    def find(self, item):
        answer = send(self.client, "GET", f"{self.base}/api/berita", "portal: recent posts", classify)
        for post in answer.json()["data"]:
            if post["tautan"] == item.url:
                return Posted(post["id"], post["url"])
        return None

    def post(self, item):
        body = {"judul": item.text, "tautan": item.url, "rubrik": self.section,
                "gambar": item.images[0].url if item.images else None}
        answer = send(self.client, "POST", f"{self.base}/api/berita", "portal: post", classify, json=body)
        made = answer.json()
        return Posted(made["id"], made["url"])


@humasgen.hookimpl
def publish_channels():
    return {"portal": Portal}
'''


@pytest.fixture
def platforms():
    fake = Platforms()
    yield fake
    fake.close()


def make(tmp_path: Path, fake: Platforms, hooks: str = PORTAL, tables: str = "") -> Path:
    """A site built twice, before and after its two releases were written: they are announced (social/)."""
    site = tmp_path / "situs"
    (site / "content").mkdir(parents=True)
    (site / "hooks.py").write_text(hooks)
    tables = tables or f'[publish.portal]\nenabled = true\napi_base = "{fake.url}/portal"\nrubrik = "pemerintahan"\n'
    (site / "humasgen.toml").write_text(f'title = "Diskominfo Contoh"\nbase_url = "{fake.url}/site"\n'
                                        f'timezone = "Asia/Makassar"\n\n[social.video]\nenabled = false\n\n{tables}')
    build(BuildOptions(site, site / "output", NOW - timedelta(days=1)))
    (site / "content" / "jembatan.md").write_text(release(FIRST, "2026-11-20 17:00", "Samarinda - Jembatan dibuka."))
    (site / "content" / "vaksin.md").write_text(release(SECOND, "2026-11-20 18:00", "Samarinda - Vaksinasi dimulai."))
    build(BuildOptions(site, site / "output", NOW))
    fake.site_dir = site / "output"
    return site


def publish(site: Path, now=NOW, env=ENV, **options) -> runner.Report:
    return runner.run(site, site / "output", now, env, sleep=lambda seconds: None, **options)


def entries(site: Path, channel: str = "portal") -> dict:
    return json.loads((site / "output" / RECORD).read_text())["channels"][channel]["releases"]


def test_a_plugins_channel_is_posted_to_once_oldest_first(tmp_path, platforms):
    site = make(tmp_path, platforms)
    report = publish(site)
    assert not report.problems, report.problems
    posts = platforms.posts["portal"]
    assert [FIRST in p["text"] for p in posts] == [True, False]
    assert all(p["tautan"].startswith(f"{platforms.url}/site/2026/11/") for p in posts)
    assert all(p["gambar"].endswith(".jpg") and p["rubrik"] == "pemerintahan" for p in posts)    # its own key
    # No text of its own: the Facebook one, the general text with the link.
    facebook = next((site / "social").glob("*jembatan*/facebook.txt"))
    assert posts[0]["text"] == facebook.read_text().strip()
    assert {e["status"] for e in entries(site).values()} == {"posted"}
    assert entries(site)["jembatan"]["url"] == posts[0]["url"]
    assert [o.status for o in publish(site).outcomes] == []
    assert len(platforms.posts["portal"]) == 2


def test_a_plugins_channel_keeps_the_same_guarantees(tmp_path, platforms):
    site = make(tmp_path, platforms)
    (site / "content" / "nanti.md").write_text(release("Rilis Terjadwal untuk Besok Pagi di Balai Kota",
                                                       "2026-11-21 09:00"))
    build(BuildOptions(site, site / "output", NOW))
    # A failure: recorded, the rest pending, tried again on the next run.
    platforms.script["portal"] = ["500", "500", "500"]
    report = publish(site)
    assert platforms.posts["portal"] == []
    assert [o.status for o in report.outcomes] == ["failed", "pending"]
    assert entries(site)["jembatan"]["status"] == "failed"
    publish(site)
    assert len(platforms.posts["portal"]) == 2
    # Not before it is live: its time has come, but the deployed manifest does not have it yet.
    publish(site, now=NOW + timedelta(days=1))
    assert len(platforms.posts["portal"]) == 2
    build(BuildOptions(site, site / "output", NOW + timedelta(days=1)))
    publish(site, now=NOW + timedelta(days=1))
    assert len(platforms.posts["portal"]) == 3 and "Terjadwal" in platforms.posts["portal"][-1]["text"]


def test_a_fresh_clone_with_the_deployed_record_posts_nothing_again(tmp_path, platforms):
    site = make(tmp_path, platforms)
    publish(site)
    deployed = tmp_path / "deployed"
    shutil.copytree(site / "output", deployed)
    platforms.site_dir = deployed
    clone = tmp_path / "clone"
    shutil.copytree(site, clone, ignore=shutil.ignore_patterns("output", ".humasgen", "social", "__pycache__"))
    previous = f"{platforms.url}/site/manifest.json"
    build(BuildOptions(clone, clone / "output", NOW, previous=previous))
    (clone / "output" / RECORD).unlink()          # only the deployed record: read back through --previous
    report = publish(clone, previous=previous)
    assert [o.status for o in report.outcomes] == [] and len(platforms.posts["portal"]) == 2


def test_a_plugins_channel_killed_after_the_post_was_accepted_posts_once(tmp_path, platforms):
    site = make(tmp_path, platforms)
    env = {**os.environ, **ENV, "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    process = subprocess.Popen([sys.executable, "-m", "humasgen", "publish", "--site", str(site)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    platforms.kill_pid = process.pid
    process.communicate(timeout=120)
    assert process.returncode == -9 and len(platforms.posts["portal"]) == 1
    report = publish(site)
    assert [o.status for o in report.outcomes] == ["found", "posted"]
    assert len(platforms.posts["portal"]) == 2
    assert entries(site)["jembatan"]["status"] == "posted"


def test_a_plugins_channel_posts_the_text_a_plugin_wrote_for_it(tmp_path, platforms):
    hooks = PORTAL + '''

@humasgen.hookimpl
def social_snippets(release):
    return {"portal": "[Portal] " + release.title}
'''
    site = make(tmp_path, platforms, hooks)
    publish(site)
    assert [p["text"] for p in platforms.posts["portal"]] == [f"[Portal] {FIRST}", f"[Portal] {SECOND}"]


BROKEN = PORTAL.replace('''    return {"portal": Portal}''', '''    return {"portal": Portal, "rusak": Rusak}


class Rusak(Portal):
    can_find = False

    def post(self, item):
        return Posted(item.release_id, 1 / 0)''')


def test_a_broken_channel_is_reported_against_its_plugin_and_the_others_go_on(tmp_path, platforms, cli,
                                                                                monkeypatch):
    tables = (f'[publish.rusak]\nenabled = true\napi_base = "{platforms.url}/portal"\n\n'
              f'[publish.portal]\nenabled = true\napi_base = "{platforms.url}/portal"\n\n'
              f'[publish.mastodon]\nenabled = true\ninstance = "{platforms.url}/masto"\n')
    site = make(tmp_path, platforms, BROKEN, tables)
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    result = cli("publish", "--site", str(site))
    assert result.exit_code == 1
    line = BROKEN.splitlines().index("        return Posted(item.release_id, 1 / 0)") + 1
    assert (f"hooks.py:{line}: error: kanal 'rusak' gagal: ZeroDivisionError: division by zero (perbaiki plugin "
            "itu, atau tulis enabled = false di [publish.rusak]; dicoba lagi pada run berikutnya)") in result.output
    assert len(platforms.posts["portal"]) == 2 and len(platforms.posts["mastodon"]) == 2
    assert entries(site, "rusak")["jembatan"]["status"] == "failed"
    assert "vaksin" not in entries(site, "rusak")          # the channel stopped: the rest stays pending
    # Fixed: the failed release is tried again, the pending one posted; nothing else is sent twice.
    (site / "hooks.py").write_text(BROKEN.replace("return Posted(item.release_id, 1 / 0)",
                                                  "return Portal.post(self, item)"))
    report = publish(site)
    assert [(o.channel, o.status) for o in report.outcomes] == [("rusak", "posted"), ("rusak", "posted")]
    assert {e["status"] for e in entries(site, "rusak").values()} == {"posted"}
    assert len(platforms.posts["portal"]) == 4 and len(platforms.posts["mastodon"]) == 2


def test_a_channel_that_cannot_be_opened_names_the_plugin(tmp_path, platforms):
    hooks = PORTAL.replace("        self.section = settings.options.get(\"rubrik\", \"berita\")",
                           "        self.section = settings.options[\"bagian\"]")
    tables = (f'[publish.portal]\nenabled = true\napi_base = "{platforms.url}/portal"\n\n'
              f'[publish.mastodon]\nenabled = true\ninstance = "{platforms.url}/masto"\n')
    site = make(tmp_path, platforms, hooks, tables)
    report = publish(site)
    problem, = report.problems
    assert problem.path == "hooks.py" and problem.line == hooks.splitlines().index(
        "        self.section = settings.options[\"bagian\"]") + 1
    assert "channel 'portal' failed: KeyError" in problem.message
    assert len(platforms.posts["mastodon"]) == 2 and platforms.posts["portal"] == []
    assert {o.status for o in report.outcomes if o.channel == "portal"} == {"pending"}


def test_a_table_no_plugin_provides_is_an_error_with_did_you_mean(tmp_path, cli):
    site = tmp_path / "s"
    (site / "content").mkdir(parents=True)
    (site / "hooks.py").write_text(PORTAL)
    (site / "humasgen.toml").write_text('title = "Contoh"\n\n[publish.portl]\nenabled = true\n')
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert ("humasgen.toml:3: error: kanal '[publish.portl]' tidak dikenal: tidak ada plugin yang "
            "menyediakannya (maksud Anda 'portal'?)") in result.output
    (site / "hooks.py").unlink()
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1 and ("kanal '[publish.portl]' tidak dikenal: tidak ada plugin yang menyediakannya "
                                      "(pasang plugin yang menyediakannya, atau hapus tabel itu)") in result.output
    # A plugin's table is checked like the built-in ones: the common keys are typed.
    (site / "hooks.py").write_text(PORTAL)
    (site / "humasgen.toml").write_text('title = "Contoh"\n\n[publish.portal]\nenabled = "ya"\nper_hour = 0\n')
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "humasgen.toml:4: error: 'publish.portal.enabled' harus true atau false, bukan str 'ya'" in result.output
    assert "humasgen.toml:5: error: publish.portal.per_hour must be at least 1" in result.output


@pytest.mark.parametrize("hooks, message", [
    (PORTAL.replace('return {"portal": Portal}', 'return ["portal"]'),
     "publish_channels must return a mapping {name: open} or None"),
    (PORTAL.replace('return {"portal": Portal}', 'return {"telegram": Portal}'),
     "channel 'telegram' is provided by plugin humasgen.publish already"),
    (PORTAL.replace('return {"portal": Portal}', 'return {"Portal Provinsi": Portal}'),
     "channel 'Portal Provinsi' must be a lowercase name"),
    (PORTAL.replace('return {"portal": Portal}', 'return {"portal": Portal.nothing}'),
     "hook publish_channels failed: AttributeError"),
])
def test_a_plugin_that_provides_channels_wrongly_is_named(tmp_path, hooks, message):
    from humasgen.errors import HumasgenError
    from humasgen.plugins import load
    from humasgen.config import load as load_config

    site = tmp_path / "s"
    site.mkdir()
    (site / "hooks.py").write_text(hooks)
    with pytest.raises(HumasgenError) as caught:
        load(site, load_config(site))
    problem, = caught.value.diagnostics
    assert problem.path == "hooks.py" and problem.line and message in problem.message


def test_dry_run_and_channel_choice_know_the_plugins_channels(tmp_path, platforms, cli, monkeypatch):
    tables = (f'[publish.portal]\nenabled = true\napi_base = "{platforms.url}/portal"\n\n'
              f'[publish.mastodon]\nenabled = true\ninstance = "{platforms.url}/masto"\n')
    site = make(tmp_path, platforms, PORTAL, tables)
    result = cli("publish", "--site", str(site), "--dry-run", "--channel", "portal")
    assert result.exit_code == 0, result.output
    assert f"portal: would post '{FIRST}' (jembatan)" in result.output and "mastodon:" not in result.output
    result = cli("publish", "--site", str(site), "--channel", "portl")
    assert result.exit_code == 1 and "maksud Anda 'portal'?" in result.output
    assert platforms.posts["portal"] == [] and platforms.posts["mastodon"] == []


def _documented(where: str) -> str:
    """The example channel as the README and the guides show it."""
    text = (Path(__file__).resolve().parents[1] / where).read_text(encoding="utf-8")
    if where == "README.md":
        block = text[text.index("    # hooks.py: the province's news portal"):]
        block = block[:block.index("\nwith, in humasgen.toml:")]
        return textwrap.dedent(block)
    block = text[text.index("```python\n# hooks.py\n", text.index("publish_channels")) + len("```python\n"):]
    return block[:block.index("```")]


@pytest.mark.parametrize("where", ["README.md", "docs/en/channels.md", "docs/id/kanal.md"])
def test_the_documented_example_channel_posts(tmp_path, platforms, where):
    site = make(tmp_path, platforms, _documented(where))
    report = publish(site)
    assert not report.problems, report.problems
    assert [FIRST in p["text"] for p in platforms.posts["portal"]] == [True, False]
    assert [o.status for o in publish(site).outcomes] == []
    assert {e["status"] for e in entries(site).values()} == {"posted"}
