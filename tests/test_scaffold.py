"""`humasgen init` (site + CI set-ups) and `humasgen new`."""
from __future__ import annotations

import functools
import http.server
import shlex
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from check_jsonschema.cli.main_command import main as check_jsonschema
from click.testing import CliRunner

from humasgen import content
from humasgen.scaffold import CI_FILES, DEPLOY_CI_FILES, install_source, source_from_record
from conftest import NOW, release

FIFTEEN_MINUTES = "*/15 * * * *"


def init(cli, tmp_path: Path, *options: str) -> Path:
    site = tmp_path / "situs"
    result = cli("init", str(site), "--timezone", "WITA", *options)
    assert result.exit_code == 0, result.output
    return site


def no_reels(site: Path) -> None:
    """Publishing the sample announces it: no reel for it (test_social_video.py tests them)."""
    with (site / "humasgen.toml").open("a", encoding="utf-8") as config:
        config.write("\n[social.video]\nenabled = false\n")


def publish(site: Path, release_file: Path) -> None:
    """What the officer does with the sample release: make it public."""
    release_file.write_text(release_file.read_text().replace("draft: true", "draft: false"))


def commands(script: list[str] | str) -> list[list[str]]:
    """The humasgen command lines of a CI script, split like a shell would."""
    lines = script if isinstance(script, list) else script.splitlines()
    return [shlex.split(line) for line in lines if line.strip().startswith("humasgen ")]


def github_steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


@pytest.mark.parametrize("hosting", ["pages", "rsync", "s3"])
def test_init_writes_ci_files_that_parse_and_validate(cli, tmp_path, hosting):
    site = init(cli, tmp_path, "--hosting", hosting)
    for target in CI_FILES:
        path = site / target
        assert path.is_file(), target
        yaml.safe_load(path.read_text())
    # The JSON schemas GitHub and GitLab publish for these files (vendored by check-jsonschema).
    for schema, target in [("vendor.github-workflows", ".github/workflows/humasgen.yml"),
                           ("vendor.gitlab-ci", ".gitlab-ci.yml")]:
        result = CliRunner().invoke(check_jsonschema, ["--builtin-schema", schema, str(site / target)])
        assert result.exit_code == 0, result.output


def test_github_workflow_checks_builds_with_previous_and_deploys(cli, tmp_path):
    site = init(cli, tmp_path)
    workflow = yaml.safe_load((site / ".github/workflows/humasgen.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]    # YAML 1.1 reads `on:` as true
    assert "push" in triggers
    assert [entry["cron"] for entry in triggers["schedule"]] == [FIFTEEN_MINUTES]
    assert workflow["env"]["HUMASGEN_PACKAGE"] == install_source().requirement

    steps = github_steps(workflow, "build")
    runs = [step.get("run", "") for step in steps]
    assert 'pip install "$HUMASGEN_PACKAGE"' in runs
    lines = [c for run in runs for c in commands(run)]
    assert ["humasgen", "check", "--published-only", "--format", "github"] in lines
    build = next(c for c in lines if c[:2] == ["humasgen", "build"] and "--previous" in c)
    assert build[build.index("--previous") + 1] == "$MANIFEST"
    assert 'MANIFEST="$BASE_URL/manifest.json"' in "\n".join(runs)
    assert build[build.index("--base-url") + 1] == "$BASE_URL"
    output = build[build.index("--output") + 1]
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == output
    assert uses["actions/upload-artifact"]["with"]["path"].rstrip("/") == "social"
    assert lines.index(["humasgen", "check", "--published-only", "--format", "github"]) < lines.index(build)
    deploy = [step.get("uses", "").split("@")[0] for step in github_steps(workflow, "deploy")]
    assert deploy == ["actions/deploy-pages"]
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    # Runs never overlap (a release must be announced once), and a scheduled run never cancels a deploy.
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_gitlab_pipeline_checks_builds_into_public_and_runs_on_schedule(cli, tmp_path):
    site = init(cli, tmp_path)
    pipeline = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert pipeline["variables"]["HUMASGEN_PACKAGE"] == install_source().requirement
    assert pipeline["default"]["before_script"] == ['pip install "$HUMASGEN_PACKAGE"']
    sources = {rule["if"] for rule in pipeline["workflow"]["rules"]}
    assert '$CI_PIPELINE_SOURCE == "schedule"' in sources and '$CI_PIPELINE_SOURCE == "push"' in sources

    pages = pipeline["pages"]
    lines = commands("\n".join(pages["script"]))
    assert ["humasgen", "check", "--published-only"] in lines
    builds = [c for c in lines if c[:2] == ["humasgen", "build"]]
    assert all(c[c.index("--output") + 1] == "public" for c in builds)
    assert [c[c.index("--previous") + 1] for c in builds if "--previous" in c] == ["$MANIFEST"]
    assert 'MANIFEST="$BASE_URL/manifest.json"' in gitlab_build_script(pipeline, "pages")
    assert set(pages["artifacts"]["paths"]) == {"public", "social"}
    assert ".humasgen/" in pages["cache"]["paths"]
    assert pages["resource_group"]                                   # one deploy at a time
    # The schedule itself lives in GitLab's settings; the file says where, with the 15-minute pattern.
    assert FIFTEEN_MINUTES in (site / ".gitlab-ci.yml").read_text()
    assert commands(pipeline["check"]["script"]) == [["humasgen", "check"]]


def test_scaffolded_site_builds(cli, tmp_path, build_site):
    site = init(cli, tmp_path)
    no_reels(site)
    (sample,) = (site / "content").rglob("*.md")
    assert build_site(site).site.releases == ()           # the sample is a draft: not the top story
    publish(site, sample)
    result = build_site(site)
    assert len(result.site.releases) == 1
    release_page = site / "output" / result.site.releases[0].url.lstrip("/") / "index.html"
    assert "Siaran Pers Pertama" in release_page.read_text()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_add_all_after_a_build_stages_no_build_tree(cli, tmp_path, build_site):
    """`git add .` in a built site must not commit the two output buffers, the link, caches or snippets."""
    site = init(cli, tmp_path)
    (sample,) = (site / "content").rglob("*.md")
    publish(site, sample)
    build_site(site)
    build_site(site)                                       # both buffers exist after a second build
    assert (site / "output").is_symlink() and (site / ".output.a").is_dir() and (site / ".output.b").is_dir()
    (site / "social" / "x").mkdir(parents=True)
    (site / "social" / "x" / "post.txt").write_text("teks")
    git = ["git", "-c", "user.name=Uji", "-c", "user.email=uji@example.go.id", "-C", str(site)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    staged = subprocess.run([*git, "diff", "--cached", "--name-only"], check=True, capture_output=True,
                            text=True).stdout.split()
    assert "humasgen.toml" in staged and any(name.startswith("content/") for name in staged)
    built = [n for n in staged if n.split("/")[0] in ("output", ".output.a", ".output.b", ".humasgen", "social")]
    assert built == []


def test_init_sample_release_is_a_draft_and_says_so(cli, tmp_path):
    site = tmp_path / "situs"
    result = cli("init", str(site), "--timezone", "WIB")
    assert result.exit_code == 0, result.output
    (sample,) = (site / "content").rglob("*.md")
    assert yaml.safe_load(sample.read_text().split("---")[1])["draft"] is True
    assert "draft" in result.output


def test_init_without_a_terminal_needs_the_timezone(cli, tmp_path):
    result = cli("init", str(tmp_path / "situs"))
    assert result.exit_code == 2
    assert "--timezone" in result.output and "WIB" in result.output and "WITA" in result.output
    assert not (tmp_path / "situs").exists()


@pytest.mark.parametrize("given, iana", [("WIB", "Asia/Jakarta"), ("wita", "Asia/Makassar"),
                                         ("WIT", "Asia/Jayapura"), ("Asia/Pontianak", "Asia/Pontianak")])
def test_init_timezone_is_written_as_its_iana_name_with_the_indonesian_names(cli, tmp_path, given, iana):
    from humasgen import config as config_mod
    site = tmp_path / "situs"
    result = cli("init", str(site), "--timezone", given)
    assert result.exit_code == 0, result.output
    assert config_mod.load(site).timezone == iana
    text = (site / "humasgen.toml").read_text()
    comment = text[: text.index("timezone =")].splitlines()[-1]
    assert comment.startswith("#") and all(name in comment for name in ("WIB", "WITA", "WIT"))
    assert iana in result.output                     # said, not silently assumed


def test_init_rejects_an_unknown_timezone(cli, tmp_path):
    result = cli("init", str(tmp_path / "situs"), "--timezone", "WITB")
    assert result.exit_code == 1
    # messages in Indonesian (the default language)
    assert "zona waktu 'WITB' tidak dikenal" in result.output and "WIB" in result.output
    assert not (tmp_path / "situs" / "humasgen.toml").exists()


def test_init_asks_for_the_timezone_on_a_terminal(tmp_path):
    """A real pseudo-terminal as stdin: init prompts, and the answer is what goes into humasgen.toml."""
    import os
    import pty
    master, slave = pty.openpty()
    site = tmp_path / "situs"
    process = subprocess.Popen([sys.executable, "-m", "humasgen", "init", str(site)], stdin=slave,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**os.environ, "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))})
    os.close(slave)
    os.write(master, b"WIT\n")
    output, _ = process.communicate(timeout=120)
    os.close(master)
    assert process.returncode == 0, output.decode()
    assert "Zona waktu" in output.decode()
    assert 'timezone = "Asia/Jayapura"' in (site / "humasgen.toml").read_text()


def test_install_source_as_a_pip_requirement(tmp_path):
    git = {"url": "https://git.example.go.id/humasgen.git",
           "vcs_info": {"vcs": "git", "commit_id": "0123456789abcdef0123456789abcdef01234567"}}
    import json
    source = source_from_record(json.dumps(git), "0.1.0")
    assert source.requirement == "git+https://git.example.go.id/humasgen.git@0123456789abcdef0123456789abcdef01234567"
    assert source.installable and "0.1.0" in source.note
    assert source_from_record(None, "0.1.0").requirement == "humasgen==0.1.0"
    # Installed from a local checkout with a remote: CI installs the same commit from the remote.
    checkout = tmp_path / "humasgen"
    checkout.mkdir()
    run = ["git", "-c", "user.name=U", "-c", "user.email=u@example.go.id", "-C", str(checkout)]
    subprocess.run([*run, "init", "-q"], check=True)
    subprocess.run([*run, "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    subprocess.run([*run, "remote", "add", "origin", "https://git.example.go.id/humasgen.git"], check=True)
    commit = subprocess.run([*run, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    local = source_from_record(json.dumps({"url": checkout.as_uri(), "dir_info": {"editable": True}}), "0.1.0")
    assert local.requirement == f"git+https://git.example.go.id/humasgen.git@{commit}"
    # A folder without a remote: said plainly, never a requirement that only works on this machine unnoticed.
    (checkout / ".git").rename(tmp_path / "away")
    bare = source_from_record(json.dumps({"url": checkout.as_uri(), "dir_info": {}}), "0.1.0")
    assert not bare.installable and "CI cannot reach it" in bare.note


@pytest.mark.parametrize("target", [".github/workflows/humasgen.yml", ".gitlab-ci.yml"])
def test_ci_templates_install_what_init_was_installed_from_and_say_how_to_pin(cli, tmp_path, target):
    site = init(cli, tmp_path)
    text = (site / target).read_text()
    data = yaml.safe_load(text)
    package = (data.get("env") or data.get("variables"))["HUMASGEN_PACKAGE"]
    assert package == install_source().requirement and package != "humasgen"
    before = text[: text.index("HUMASGEN_PACKAGE:")].splitlines()
    assert "Installed by `humasgen init` from" in "\n".join(before[-3:])
    assert "To pin" in before[-2] and "git+https://" in before[-2]


def test_ci_templates_skip_idle_schedules_and_cache_under_a_stable_key(cli, tmp_path):
    site = init(cli, tmp_path)
    workflow = yaml.safe_load((site / ".github/workflows/humasgen.yml").read_text())
    steps = github_steps(workflow, "build")
    due = next(step for step in steps if step.get("id") == "due")
    assert ["humasgen", "due", "--previous", "$BASE_URL/manifest.json"] in [
        shlex.split(line.strip().split(" || ")[0]) for line in due["run"].splitlines() if "humasgen due" in line]
    guarded = [s for s in steps[steps.index(due) + 1:]]
    assert guarded and all(s.get("if") == "steps.due.outputs.due == 'true'" for s in guarded)
    assert workflow["jobs"]["deploy"]["if"] == "needs.build.outputs.due == 'true'"
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert "run_id" not in cache["with"]["key"] and "hashFiles(" in cache["with"]["key"]
    # The check reads the parsed releases too (an archive is not parsed again), and so does a
    # pull request's check, which restores the main branch's cache without saving one.
    checking = next(s for s in steps if "humasgen check" in s.get("run", ""))
    assert steps.index(cache) < steps.index(checking)
    pull = github_steps(workflow, "check")
    restore = next(s for s in pull if s.get("uses", "").startswith("actions/cache/restore@"))
    assert restore["with"] == cache["with"]
    assert pull.index(restore) < next(i for i, s in enumerate(pull) if "humasgen check" in s.get("run", ""))
    text = (site / ".github/workflows/humasgen.yml").read_text()
    assert "2,000 minutes" in text and "rounds each job up" in text

    pipeline = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert "humasgen due --previous" in pipeline["pages"]["script"][0]
    assert pipeline["pages"]["allow_failure"] == {"exit_codes": [3]}
    assert pipeline["pages"]["cache"]["key"] == "humasgen"
    assert "400" in (site / ".gitlab-ci.yml").read_text()


@pytest.mark.parametrize("hosting", ["pages", "rsync"])
def test_ci_templates_publish_to_the_channels_after_the_deploy(cli, tmp_path, hosting):
    site = init(cli, tmp_path, "--hosting", hosting)
    for target in CI_FILES:
        text = (site / target).read_text()
        publish = text.index("humasgen publish --output")
        deploy = max(text.find("deploy-pages@"), text.find("humasgen deploy --output"), text.find("stage: deploy"))
        assert 0 < deploy < publish, target


def test_deploy_templates_build_then_run_humasgen_deploy(cli, tmp_path):
    site = init(cli, tmp_path, "--hosting", "s3")
    workflow = yaml.safe_load((site / ".github/workflows/humasgen.yml").read_text())
    assert workflow["env"]["HUMASGEN_DEPLOY"] == "s3"
    assert "pages" not in workflow["permissions"]
    runs = [step.get("run", "") for step in github_steps(workflow, "build")]
    lines = [c for run in runs for c in commands(run)]
    build = next(i for i, c in enumerate(lines) if c[:2] == ["humasgen", "build"])
    assert lines.index(["humasgen", "deploy", "--output", "output"]) > build
    deploy_step = next(s for s in github_steps(workflow, "build") if s.get("name") == "Deploy")
    assert set(deploy_step["env"]) == {"HUMASGEN_DEPLOY_SSH_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    pipeline = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert pipeline["variables"]["HUMASGEN_DEPLOY"] == "s3"
    gitlab = commands("\n".join(pipeline["deploy"]["script"]))
    assert gitlab.index(["humasgen", "deploy", "--output", "output"]) > next(
        i for i, c in enumerate(gitlab) if c[:2] == ["humasgen", "build"])
    from humasgen import config as config_mod
    assert config_mod.load(site).deploy.method == "s3"


def test_scaffolded_site_passes_check(cli, tmp_path):
    """The CI templates run `humasgen check` first: a fresh site must pass it. Its sample release is a
    draft whose placeholder text is shown as a warning, to be replaced before it is published."""
    site = init(cli, tmp_path)
    result = cli("check", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert "error:" not in result.output
    assert "warning: teks contoh: teks contoh rilis baru" in result.output


def test_init_keeps_existing_files_and_refuses_an_existing_site(cli, tmp_path):
    site = tmp_path / "repo"
    (site).mkdir()
    (site / ".gitlab-ci.yml").write_text("include: other.yml\n")
    result = cli("init", str(site), "--timezone", "WIB")
    assert result.exit_code == 0, result.output
    assert (site / ".gitlab-ci.yml").read_text() == "include: other.yml\n"
    assert (site / ".github/workflows/humasgen.yml").is_file()
    again = cli("init", str(site), "--timezone", "WIB")
    assert again.exit_code == 1
    assert "a site already exists here" in again.output


def test_new_creates_a_dated_release_in_the_site_timezone(cli, make_site, build_site):
    # NOW is 2026-11-20 12:00 UTC: already 21 November at UTC+14.
    site = make_site(config='title = "Uji"\ntimezone = "Pacific/Kiritimati"\n')
    result = cli("new", "Gubernur Resmikan Jembatan: Tahap 2!", "--site", str(site))
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path == site / "content/2026/11/gubernur-resmikan-jembatan-tahap-2.md"
    text = path.read_text()
    release, problems = content.parse("x.md", "x", text.encode(), content.Settings("Pacific/Kiritimati", "id",
                                                                                   "/{year}/{month}/{slug}/"))
    assert problems == [] and release is not None
    assert release.title == "Gubernur Resmikan Jembatan: Tahap 2!"
    assert release.date.isoformat() == "2026-11-21T02:00:00+14:00"
    assert release.draft is True
    front = yaml.safe_load(text.split("---")[1])
    for key in ("summary", "category", "tags", "unit", "author", "image", "image_alt", "image_caption",
                "image_credit", "number", "dateline", "contact"):
        assert key in front, key
    # A draft: out of the build until it is made public, in with --drafts.
    assert build_site(site).site.releases == ()
    assert [r.title for r in build_site(site, drafts=True).site.releases] == [release.title]


def test_new_rejects_empty_and_duplicate_titles(cli, make_site):
    site = make_site()
    assert cli("new", "Rapat Koordinasi", "--site", str(site)).exit_code == 0
    again = cli("new", "Rapat Koordinasi", "--site", str(site))
    assert again.exit_code == 1 and "already exists" in again.output
    empty = cli("new", "  ", "--site", str(site))
    assert empty.exit_code == 1 and "judulnya kosong" in empty.output     # an Indonesian site


def test_ci_templates_ship_in_the_wheel(tmp_path):
    """init reads the YAML from inside the package: a pip-installed humasgen must carry it."""
    import subprocess
    import sys
    import zipfile
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
                   cwd=root, check=True, capture_output=True)
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    for name in (*CI_FILES.values(), *DEPLOY_CI_FILES.values()):
        assert f"humasgen/scaffold_files/{name}" in names


def build_script(site: Path, kind: str, hosting: str = "pages") -> tuple[str, dict[str, str]]:
    """The shell text of a template's build step, and the variables CI would give it."""
    if kind == "github":
        workflow = yaml.safe_load((site / ".github/workflows/humasgen.yml").read_text())
        step = next(s for s in github_steps(workflow, "build") if s.get("name") == "Build")
        if hosting != "pages":                          # the site's own address, set in the file
            return step["run"], {"BASE_URL": "{pages}"}
        return step["run"], {"BASE_URL": workflow["env"]["BASE_URL"], "PAGES_URL": "{pages}"}
    pipeline = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    if hosting != "pages":
        return gitlab_build_script(pipeline, "deploy"), {"BASE_URL": "{pages}"}
    return gitlab_build_script(pipeline, "pages"), {"BASE_URL": pipeline["variables"]["BASE_URL"],
                                                   "CI_PAGES_URL": "{pages}"}


def gitlab_build_script(pipeline: dict, job: str) -> str:
    return next(entry for entry in pipeline[job]["script"] if "humasgen build" in entry)


@pytest.mark.parametrize("kind, output, hosting", [("github", "output", "pages"), ("gitlab", "public", "pages"),
                                                   ("github", "output", "rsync"), ("gitlab", "output", "s3")])
def test_build_step_announces_nothing_first_then_only_new_releases(cli, tmp_path, kind, output, hosting):
    """Run the template's build step in bash against a real local 'Pages' server."""
    site = init(cli, tmp_path, "--hosting", hosting)
    no_reels(site)
    script, variables = build_script(site, kind, hosting)
    deployed = tmp_path / "deployed"
    deployed.mkdir()
    shims = tmp_path / "bin"
    shims.mkdir()
    root = Path(__file__).resolve().parents[1]
    for name, command in (("humasgen", f'"{sys.executable}" -m humasgen'), ("python", f'"{sys.executable}"')):
        (shims / name).write_text(f'#!/bin/sh\nPYTHONPATH="{root}" exec {command} "$@"\n')
        (shims / name).chmod(0o755)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(deployed)))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def run(pages_url: str) -> subprocess.CompletedProcess:
        env = {"PATH": f"{shims}:/usr/bin:/bin", "SOURCE_DATE_EPOCH": str(int(NOW.timestamp())),
               **{k: v.format(pages=pages_url) for k, v in variables.items()}}
        shutil.rmtree(site / output, ignore_errors=True)          # every CI run starts from a fresh clone
        return subprocess.run(["bash", "-e", "-c", script], cwd=site, env=env, capture_output=True, text=True,
                              timeout=300)

    try:
        base = f"http://127.0.0.1:{server.server_port}"
        first = run(base)                                          # nothing deployed yet: HTTP 404
        assert first.returncode == 0, first.stderr
        assert "first deploy, nothing is announced" in first.stdout
        assert (site / output / "manifest.json").is_file()
        assert not (site / "social").exists() or not any((site / "social").iterdir())
        shutil.copytree(site / output, deployed, dirs_exist_ok=True)          # "deploy"

        (site / "content/2026/11/jembatan-baru.md").write_text(
            release("Gubernur Resmikan Jembatan Sungai Harapan", "2026-11-20 10:00"), encoding="utf-8")
        second = run(base)
        assert second.returncode == 0, second.stderr
        assert "first deploy" not in second.stdout
        announced = sorted(p.name for p in (site / "social").iterdir())
        assert len(announced) == 1 and "jembatan" in announced[0]
    finally:
        server.shutdown()
        server.server_close()
    unreachable = run("http://127.0.0.1:9")                       # not a 404: the build must stop
    assert unreachable.returncode == 1
    assert "previous manifest" in unreachable.stderr


def shim_path(tmp_path: Path) -> Path:
    """`humasgen` and `python` on PATH as CI has them, running this checkout."""
    shims = tmp_path / "bin"
    shims.mkdir(exist_ok=True)
    root = Path(__file__).resolve().parents[1]
    for name, command in (("humasgen", f'"{sys.executable}" -m humasgen'), ("python", f'"{sys.executable}"')):
        (shims / name).write_text(f'#!/bin/sh\nPYTHONPATH="{root}" exec {command} "$@"\n')
        (shims / name).chmod(0o755)
    return shims


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_scheduled_run_skips_the_build_until_a_release_is_due(cli, tmp_path, kind):
    """The templates' due step, in bash, against a local 'Pages' server holding the deployed manifest."""
    from datetime import timedelta
    site = init(cli, tmp_path)
    (site / "content/2026/11").mkdir(parents=True, exist_ok=True)
    (site / "content/2026/11/terjadwal.md").write_text(
        release("Gubernur Resmikan Jembatan Sungai Harapan", "2026-11-20 22:00"), encoding="utf-8")  # 14:00 UTC
    result = cli("build", "--site", str(site), "--output", str(tmp_path / "deployed"))
    assert result.exit_code == 0, result.output
    shims = shim_path(tmp_path)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(tmp_path / "deployed")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    if kind == "github":
        workflow = yaml.safe_load((site / ".github/workflows/humasgen.yml").read_text())
        script = next(s for s in github_steps(workflow, "build") if s.get("id") == "due")["run"]
    else:
        script = yaml.safe_load((site / ".gitlab-ci.yml").read_text())["pages"]["script"][0]

    def run(event: str, now, pages_url: str = base) -> tuple[int, str]:
        output = tmp_path / "github_output"
        output.write_text("")
        env = {"PATH": f"{shims}:/usr/bin:/bin", "SOURCE_DATE_EPOCH": str(int(now.timestamp())),
               "BASE_URL": "", "PAGES_URL": pages_url, "CI_PAGES_URL": pages_url, "GITHUB_OUTPUT": str(output),
               "GITHUB_EVENT_NAME": event, "CI_PIPELINE_SOURCE": event}
        done = subprocess.run(["bash", "-e", "-c", script], cwd=site, env=env, capture_output=True, text=True,
                              timeout=120)
        if kind == "github":       # the step always succeeds; its output says whether to build
            assert done.returncode == 0, done.stderr
            return (0 if "due=true" in output.read_text() else 3), done.stdout
        return done.returncode, done.stdout

    try:
        code, said = run("schedule", NOW)                          # 12:00 UTC, the release is at 14:00
        assert code == 3 and "not due" in said and "2026-11-20T22:00:00+08:00" in said
        assert run("push", NOW)[0] == 0                            # a push always builds
        assert run("schedule", NOW + timedelta(hours=2))[0] == 0   # 14:00: due
        assert run("schedule", NOW, base + "/nowhere")[0] == 0     # no manifest yet (404): first deploy, build
    finally:
        server.shutdown()
        server.server_close()
