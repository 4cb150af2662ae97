"""`humasgen publish`: every channel against a local server speaking its platform's API."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from humasgen.build import BuildOptions, build
from humasgen.publish import runner
from humasgen.publish.record import FILENAME as RECORD
from conftest import NOW, release
from publish_fakes import TOKEN, Platforms

CHANNELS = ("telegram", "bluesky", "mastodon", "facebook", "instagram", "threads", "x")
BASES = {"telegram": ("api_base", "tg"), "bluesky": ("service", "bsky"), "mastodon": ("instance", "masto"),
         "facebook": ("api_base", "fb"), "instagram": ("api_base", "ig"), "threads": ("api_base", "th"),
         "x": ("api_base", "x")}
ENV = {"HUMASGEN_TELEGRAM_TOKEN": TOKEN, "HUMASGEN_TELEGRAM_CHAT_ID": "@humasdemo",
       "HUMASGEN_BLUESKY_HANDLE": "humas.test", "HUMASGEN_BLUESKY_TOKEN": TOKEN,
       "HUMASGEN_MASTODON_TOKEN": TOKEN, "HUMASGEN_FACEBOOK_TOKEN": TOKEN, "HUMASGEN_FACEBOOK_PAGE_ID": "1234",
       "HUMASGEN_INSTAGRAM_TOKEN": TOKEN, "HUMASGEN_INSTAGRAM_USER_ID": "17841", "HUMASGEN_THREADS_TOKEN": TOKEN,
       "HUMASGEN_THREADS_USER_ID": "555", "HUMASGEN_X_TOKEN": TOKEN}
FIRST = "Gubernur Resmikan Jembatan Baru di Kecamatan Sungai Kunjang"
SECOND = "Dinas Kesehatan Buka Layanan Vaksinasi Keliling Akhir Pekan"


@pytest.fixture
def platforms():
    fake = Platforms()
    yield fake
    fake.close()


def make(tmp_path: Path, fake: Platforms, channels=CHANNELS, extra: str = "", name: str = "situs") -> Path:
    site = tmp_path / name
    (site / "content").mkdir(parents=True)
    (site / "content" / "jembatan.md").write_text(release(FIRST, "2026-11-20 17:00",
                                                          "Samarinda - Jembatan baru dibuka untuk umum."))
    (site / "content" / "vaksin.md").write_text(release(SECOND, "2026-11-20 18:00",
                                                        "Samarinda - Layanan vaksinasi keliling dimulai."))
    tables = "".join(f'\n[publish.{c}]\nenabled = true\n{BASES[c][0]} = "{fake.url}/{BASES[c][1]}"\n{extra}'
                     for c in channels)
    (site / "humasgen.toml").write_text(f'title = "Diskominfo Contoh"\nbase_url = "{fake.url}/site"\n'
                                        f'timezone = "Asia/Makassar"\n{tables}'
                                        '\n[social.video]\nenabled = false\n')   # reels: test_social_video.py
    build(BuildOptions(site, site / "output", NOW))
    fake.site_dir = site / "output"
    return site


def publish(site: Path, now=NOW, env=ENV, **options) -> tuple[runner.Report, list[float]]:
    waits: list[float] = []
    report = runner.run(site, site / "output", now, env, sleep=waits.append, **options)
    return report, waits


def record(site: Path) -> dict:
    return json.loads((site / "output" / RECORD).read_text())["channels"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_posts_each_live_release_once_with_its_snippet_and_image(tmp_path, platforms, channel):
    site = make(tmp_path, platforms, (channel,))
    report, waits = publish(site)
    assert not report.problems, report.problems
    posts = platforms.posts[channel]
    assert [FIRST in p["text"] or "Jembatan" in p["text"] for p in posts] == [True, False]   # oldest first
    assert all("utm_source" in p["text"] or channel == "instagram" or "t.co" in p["text"] for p in posts)
    entries = record(site)[channel]["releases"]
    assert {e["status"] for e in entries.values()} == {"posted"}
    assert all(e["post_id"] for e in entries.values())
    assert TOKEN not in (site / "output" / RECORD).read_text()
    # Run again: nothing new.
    report, _ = publish(site)
    assert len(platforms.posts[channel]) == 2
    assert [o.status for o in report.outcomes] == []


def test_channel_details_as_documented(tmp_path, platforms):
    site = make(tmp_path, platforms)
    publish(site)
    telegram = platforms.posts["telegram"][0]
    assert telegram["method"] == "sendPhoto" and telegram["photos"] == 1 and len(telegram["text"]) <= 1024
    bluesky = platforms.posts["bluesky"][0]["record"]
    text = bluesky["text"].encode("utf-8")
    links = [f for f in bluesky["facets"] if f["features"][0]["$type"] == "app.bsky.richtext.facet#link"]
    assert links and all(text[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode() == f["features"][0]["uri"]
                         for f in links)
    assert bluesky["embed"]["$type"] == "app.bsky.embed.external"
    assert bluesky["embed"]["external"]["thumb"]["size"] <= 1_000_000
    mastodon = platforms.posts["mastodon"][0]
    assert mastodon["key"] and mastodon["media"] == 1
    assert platforms.posts["facebook"][0]["link"].startswith(f"{platforms.url}/site/2026/11/")
    assert platforms.posts["instagram"][0]["image_url"].endswith("og-image.jpg")
    assert record(site)["telegram"]["releases"]["jembatan"]["url"].startswith("https://t.me/humasdemo/")


@pytest.mark.parametrize("channel", CHANNELS)
def test_rate_limited_then_posted_after_the_platforms_wait(tmp_path, platforms, channel):
    site = make(tmp_path, platforms, (channel,))
    platforms.script[channel] = ["429"]
    report, waits = publish(site)
    assert not [p for p in report.problems if p.severity == "error"]
    assert len(platforms.posts[channel]) == 2
    # Telegram says retry_after 1, Bluesky/X/Mastodon a reset time a second away, Meta one minute.
    assert len(waits) == 1 and (waits[0] == 60 if channel in ("facebook", "instagram", "threads") else waits[0] <= 2)
    assert record(site)[channel]["releases"]["jembatan"]["attempts"] >= 1


@pytest.mark.parametrize("channel", CHANNELS)
def test_server_error_then_success(tmp_path, platforms, channel):
    site = make(tmp_path, platforms, (channel,))
    platforms.script[channel] = ["500"]
    report, waits = publish(site)
    assert len(platforms.posts[channel]) == 2
    assert waits == [runner.BACKOFF]


@pytest.mark.parametrize("channel", CHANNELS)
def test_long_wait_leaves_the_rest_for_the_next_run(tmp_path, platforms, channel):
    site = make(tmp_path, platforms, (channel,), extra="")
    platforms.script[channel] = ["500", "500", "500"]
    report, waits = publish(site)
    assert platforms.posts[channel] == []
    entries = record(site)[channel]["releases"]
    assert entries["jembatan"]["status"] == "failed" and "vaksin" not in entries
    assert [o.status for o in report.outcomes] == ["failed", "pending"]
    report, _ = publish(site)
    assert len(platforms.posts[channel]) == 2


@pytest.mark.parametrize("channel", CHANNELS)
def test_expired_token_is_a_clear_error_and_other_channels_go_on(tmp_path, platforms, channel):
    other = "mastodon" if channel != "mastodon" else "telegram"
    site = make(tmp_path, platforms, (channel, other))
    platforms.expired.add(channel)
    report, _ = publish(site)
    errors = [p for p in report.problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].message.startswith(f"{channel}: ")
    assert "CI secret" in errors[0].hint and "HUMASGEN_" in errors[0].hint
    assert errors[0].path == "humasgen.toml" and errors[0].line
    assert platforms.posts[channel] == [] and len(platforms.posts[other]) == 2
    assert report.failed


@pytest.mark.parametrize("channel", ["telegram", "bluesky", "mastodon", "instagram", "threads", "facebook"])
def test_image_that_cannot_be_fetched_fails_and_is_retried(tmp_path, platforms, channel):
    site = make(tmp_path, platforms, (channel,), extra='post_as = "photo"\n' if channel == "facebook" else "")
    cards = sorted((site / "output").rglob("og-image.jpg"))
    hidden = {card: card.read_bytes() for card in cards}
    for card in cards:
        card.unlink()
    report, _ = publish(site)
    assert platforms.posts[channel] == []
    assert all(o.status == "failed" for o in report.outcomes) and len(report.outcomes) == 2
    assert all("image" in p.message.lower() or "media" in p.message.lower() for p in report.problems)
    for card, data in hidden.items():
        card.write_bytes(data)
    report, _ = publish(site)
    assert len(platforms.posts[channel]) == 2


@pytest.mark.parametrize("channel", CHANNELS)
def test_killed_after_the_platform_accepted_then_rerun_posts_exactly_once(tmp_path, platforms, channel):
    site = make(tmp_path, platforms, (channel,))
    env = {**os.environ, **ENV, "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}
    process = subprocess.Popen([sys.executable, "-m", "humasgen", "publish", "--site", str(site)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    platforms.kill_pid = process.pid
    process.communicate(timeout=120)
    assert process.returncode == -9
    assert len(platforms.posts[channel]) == 1
    report, _ = publish(site)
    posts = platforms.posts[channel]
    assert len(posts) == 2 and sum("Jembatan" in p["text"] for p in posts) == 1
    entries = record(site)[channel]["releases"]
    if channel == "telegram":       # no way to look: reported, never sent twice
        assert entries["jembatan"]["status"] == "unknown"
        assert any("check the channel" in p.hint for p in report.problems)
    else:
        assert entries["jembatan"]["status"] == "posted"


@pytest.mark.parametrize("channel", CHANNELS)
def test_fresh_clone_reads_the_deployed_record_and_posts_nothing(tmp_path, platforms, channel):
    site = make(tmp_path, platforms, (channel,))
    publish(site)
    deployed = tmp_path / "deployed"
    shutil.copytree(site / "output", deployed)
    platforms.site_dir = deployed
    clone = tmp_path / "clone"
    shutil.copytree(site, clone, ignore=shutil.ignore_patterns("output", ".humasgen", "social"))
    previous = f"{platforms.url}/site/manifest.json"
    # The build carries the deployed record into the new output, publish reads it back.
    build(BuildOptions(clone, clone / "output", NOW, previous=previous))
    assert json.loads((clone / "output" / RECORD).read_text())["channels"][channel]["releases"]
    (clone / "output" / RECORD).unlink()          # even without the carried copy
    report, _ = publish(clone, previous=previous)
    assert len(platforms.posts[channel]) == 2
    assert all(o.status != "posted" for o in report.outcomes)


@pytest.mark.parametrize("channel", CHANNELS)
def test_rate_cap_leaves_the_rest_pending_for_the_next_run(tmp_path, platforms, channel):
    site = make(tmp_path, platforms, (channel,), extra="per_hour = 1\n")
    report, _ = publish(site)
    assert len(platforms.posts[channel]) == 1 and "Jembatan" in platforms.posts[channel][0]["text"]
    assert [o.status for o in report.outcomes] == ["posted", "pending"]
    report, _ = publish(site, now=NOW + timedelta(minutes=10))
    assert len(platforms.posts[channel]) == 1
    report, _ = publish(site, now=NOW + timedelta(hours=1, minutes=1))
    assert len(platforms.posts[channel]) == 2


def test_dry_run_prints_what_would_be_posted_and_sends_nothing(tmp_path, platforms, cli):
    site = make(tmp_path, platforms, ("telegram", "instagram"))
    requests = len(platforms.requests)
    result = cli("publish", "--site", str(site), "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"telegram: would post '{FIRST}' (jembatan)" in result.output
    assert f"instagram: would post '{SECOND}' (vaksin)" in result.output
    assert "+ image http://127.0.0.1:" in result.output and "    | " in result.output
    assert len(platforms.requests) == requests                 # not one request
    assert not (site / "output" / RECORD).exists()


def test_corrected_release_is_reposted_only_when_asked(tmp_path, platforms):
    site = make(tmp_path, platforms, ("mastodon",))
    publish(site)
    path = site / "content" / "jembatan.md"
    path.write_text(path.read_text().replace("dibuka untuk umum", "dibuka untuk umum hari ini"))
    build(BuildOptions(site, site / "output", NOW))
    publish(site)
    assert len(platforms.posts["mastodon"]) == 2
    publish(site, republish=("jembatan",))
    assert len(platforms.posts["mastodon"]) == 3
    path.write_text(path.read_text().replace("title:", "republish: true\ntitle:").replace("hari ini", "pagi ini"))
    build(BuildOptions(site, site / "output", NOW))
    publish(site)
    publish(site)
    assert len(platforms.posts["mastodon"]) == 4


def test_not_live_yet_is_not_posted(tmp_path, platforms):
    site = make(tmp_path, platforms, ("x",))
    (site / "content" / "nanti.md").write_text(release("Rilis Terjadwal untuk Besok Pagi di Balai Kota",
                                                       "2026-11-21 09:00"))
    build(BuildOptions(site, site / "output", NOW))
    publish(site)
    assert len(platforms.posts["x"]) == 2
    # Its time has come, but the deployed manifest does not have it yet: still not posted.
    publish(site, now=NOW + timedelta(days=1))
    assert len(platforms.posts["x"]) == 2
    build(BuildOptions(site, site / "output", NOW + timedelta(days=1)))
    publish(site, now=NOW + timedelta(days=1))
    assert "Terjadwal" in platforms.posts["x"][-1]["text"]


def test_token_expiry_is_warned_before_it_happens(tmp_path, platforms):
    site = make(tmp_path, platforms, ("instagram", "threads"), extra='token_expires = "2026-11-25"\n')
    report, _ = publish(site)
    warnings = [p for p in report.problems if p.severity == "warning"]
    assert {w.message.split(":")[0] for w in warnings} == {"instagram", "threads"}
    assert all("expires in" in w.message and "CI secret" in w.hint for w in warnings)
    assert not report.failed


def test_missing_secret_names_the_variable(tmp_path, platforms, cli):
    site = make(tmp_path, platforms, ("facebook",))
    result = cli("publish", "--site", str(site))
    assert result.exit_code == 1
    assert "humasgen.toml:5: error: facebook: HUMASGEN_FACEBOOK_TOKEN and HUMASGEN_FACEBOOK_PAGE_ID" in result.output


def test_post_by_hand_list_for_whatsapp_and_tiktok(tmp_path, platforms):
    site = make(tmp_path, platforms, ())
    report, _ = publish(site)
    text = report.by_hand.read_text()
    assert report.by_hand == site / "social" / "post-by-hand.md"
    assert text.index(SECOND) < text.index(FIRST)                 # newest first
    assert text.count("### WhatsApp Channels") == 2 and text.count("### TikTok") == 2


def test_unknown_publish_key_and_bad_url_are_config_errors(tmp_path, cli):
    site = tmp_path / "s"
    site.mkdir()
    (site / "humasgen.toml").write_text('[publish.mastodon]\nenabled = true\ninstanse = "https://x"\n'
                                        '[publish.bluesky]\nservice = "bsky.social"\n')
    result = cli("publish", "--site", str(site))
    assert result.exit_code == 1
    assert "humasgen.toml:3: error: kunci 'publish.mastodon.instanse' tidak dikenal (maksud Anda 'instance'?)" in result.output
    assert "humasgen.toml:5: error: publish.bluesky.service must be an absolute http(s) URL" in result.output


def test_ci_templates_publish_after_the_deploy_with_the_secrets_named(cli, tmp_path):
    import shlex

    import yaml
    site = tmp_path / "baru"
    assert cli("init", str(site), "--timezone", "WITA").exit_code == 0
    workflow = yaml.safe_load((site / ".github/workflows/humasgen.yml").read_text())
    job = workflow["jobs"]["publish"]
    assert job["needs"] == "deploy"
    step = next(s for s in job["steps"] if "humasgen publish" in s.get("run", ""))
    line = next(shlex.split(l) for l in step["run"].splitlines() if l.strip().startswith("humasgen publish"))
    assert line[line.index("--previous") + 1] == "$BASE_URL/manifest.json"
    for name in ENV:
        assert step["env"][name] == "${{ secrets.%s }}" % name
    uses = [s.get("uses", "").split("@")[0] for s in job["steps"]]
    assert uses.index("actions/deploy-pages") > uses.index("actions/upload-pages-artifact") > job["steps"].index(step)
    gitlab = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert gitlab["publish"]["stage"] == ".post" and gitlab["publish"]["dependencies"] == ["pages"]
    assert any(l.startswith("humasgen publish --output public --previous") for l in gitlab["publish"]["script"])
    assert ".humasgen/" in gitlab["publish"]["cache"]["paths"] and gitlab["publish"]["cache"]["key"] == \
        gitlab["pages"]["cache"]["key"]


def test_several_images_make_an_album_and_a_carousel(tmp_path, platforms):
    from PIL import Image
    site = make(tmp_path, platforms, ("telegram", "instagram", "mastodon"))
    (site / "static" / "images").mkdir(parents=True)
    for name, colour in (("a.jpg", "red"), ("b.jpg", "blue")):
        Image.new("RGB", (800, 600), colour).save(site / "static" / "images" / name, "JPEG")
    (site / "content" / "jembatan.md").unlink()
    (site / "content" / "vaksin.md").write_text(release(
        SECOND, "2026-11-20 18:00", "Samarinda - Layanan dimulai.\n\n![Petugas di posko](/images/a.jpg)\n\n"
        "![Warga antre](/images/b.jpg)", image="/images/a.jpg", image_alt="Petugas vaksin"))
    build(BuildOptions(site, site / "output", NOW))
    report, _ = publish(site)
    assert not report.problems, report.problems
    assert platforms.posts["telegram"][0]["method"] == "sendMediaGroup"
    assert platforms.posts["telegram"][0]["photos"] == 2 and SECOND in platforms.posts["telegram"][0]["text"]
    assert platforms.posts["instagram"][0]["children"] == 2
    assert platforms.posts["mastodon"][0]["media"] == 2


def test_an_image_over_the_blob_limit_is_made_smaller():
    import io

    from PIL import Image

    from humasgen.publish.bluesky import BLOB_LIMIT, fit_blob
    noise = Image.frombytes("RGB", (1600, 1600), os.urandom(1600 * 1600 * 3))
    data = io.BytesIO()
    noise.save(data, "PNG")
    assert len(data.getvalue()) > BLOB_LIMIT
    smaller = fit_blob(data.getvalue())
    assert len(smaller) <= BLOB_LIMIT
    assert Image.open(io.BytesIO(smaller)).format == "JPEG"


def test_a_rebuild_keeps_the_record_and_stays_deterministic(tmp_path, platforms):
    site = make(tmp_path, platforms, ("bluesky",))
    publish(site)
    before = (site / "output" / RECORD).read_bytes()
    build(BuildOptions(site, site / "output", NOW))
    assert (site / "output" / RECORD).read_bytes() == before
    shutil.rmtree(site / ".humasgen")
    build(BuildOptions(site, site / "output", NOW))
    assert (site / "output" / RECORD).read_bytes() == before
    publish(site)
    assert len(platforms.posts["bluesky"]) == 2
