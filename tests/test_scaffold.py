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
from humasgen.scaffold import CI_FILES
from conftest import NOW, release

FIFTEEN_MINUTES = "*/15 * * * *"


def init(cli, tmp_path: Path) -> Path:
    site = tmp_path / "situs"
    result = cli("init", str(site))
    assert result.exit_code == 0, result.output
    return site


def commands(script: list[str] | str) -> list[list[str]]:
    """The humasgen command lines of a CI script, split like a shell would."""
    lines = script if isinstance(script, list) else script.splitlines()
    return [shlex.split(line) for line in lines if line.strip().startswith("humasgen ")]


def github_steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def test_init_writes_ci_files_that_parse_and_validate(cli, tmp_path):
    site = init(cli, tmp_path)
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
    assert workflow["env"]["HUMASGEN_PACKAGE"] == "humasgen"

    steps = github_steps(workflow, "build")
    runs = [step.get("run", "") for step in steps]
    assert 'pip install "$HUMASGEN_PACKAGE"' in runs
    lines = [c for run in runs for c in commands(run)]
    assert ["humasgen", "check", "--format", "github"] in lines
    build = next(c for c in lines if c[:2] == ["humasgen", "build"] and "--previous" in c)
    assert build[build.index("--previous") + 1] == "$MANIFEST"
    assert 'MANIFEST="$BASE_URL/manifest.json"' in "\n".join(runs)
    assert build[build.index("--base-url") + 1] == "$BASE_URL"
    output = build[build.index("--output") + 1]
    uses = {step.get("uses", "").split("@")[0]: step for step in steps}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == output
    assert uses["actions/upload-artifact"]["with"]["path"].rstrip("/") == "social"
    assert lines.index(["humasgen", "check", "--format", "github"]) < lines.index(build)
    deploy = [step.get("uses", "").split("@")[0] for step in github_steps(workflow, "deploy")]
    assert deploy == ["actions/deploy-pages"]
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    # Runs never overlap (a release must be announced once), and a scheduled run never cancels a deploy.
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_gitlab_pipeline_checks_builds_into_public_and_runs_on_schedule(cli, tmp_path):
    site = init(cli, tmp_path)
    pipeline = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    assert pipeline["variables"]["HUMASGEN_PACKAGE"] == "humasgen"
    assert pipeline["default"]["before_script"] == ['pip install "$HUMASGEN_PACKAGE"']
    sources = {rule["if"] for rule in pipeline["workflow"]["rules"]}
    assert '$CI_PIPELINE_SOURCE == "schedule"' in sources and '$CI_PIPELINE_SOURCE == "push"' in sources

    pages = pipeline["pages"]
    lines = commands("\n".join(pages["script"]))
    assert lines[0] == ["humasgen", "check"]
    builds = [c for c in lines if c[:2] == ["humasgen", "build"]]
    assert all(c[c.index("--output") + 1] == "public" for c in builds)
    assert [c[c.index("--previous") + 1] for c in builds if "--previous" in c] == ["$MANIFEST"]
    assert 'MANIFEST="$BASE_URL/manifest.json"' in pages["script"][1]
    assert set(pages["artifacts"]["paths"]) == {"public", "social"}
    assert ".humasgen/" in pages["cache"]["paths"]
    assert pages["resource_group"]                                   # one deploy at a time
    # The schedule itself lives in GitLab's settings; the file says where, with the 15-minute pattern.
    assert FIFTEEN_MINUTES in (site / ".gitlab-ci.yml").read_text()
    assert commands(pipeline["check"]["script"]) == [["humasgen", "check"]]


def test_scaffolded_site_builds(cli, tmp_path, build_site):
    site = init(cli, tmp_path)
    result = build_site(site)
    assert len(result.site.releases) == 1
    release_page = site / "output" / result.site.releases[0].url.lstrip("/") / "index.html"
    assert "Siaran Pers Pertama" in release_page.read_text()
    assert "output/" in (site / ".gitignore").read_text().split()


def test_scaffolded_site_passes_check(cli, tmp_path):
    """The CI templates run `humasgen check` first: a fresh site must pass it cleanly."""
    site = init(cli, tmp_path)
    result = cli("check", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output and "error:" not in result.output


def test_init_keeps_existing_files_and_refuses_an_existing_site(cli, tmp_path):
    site = tmp_path / "repo"
    (site).mkdir()
    (site / ".gitlab-ci.yml").write_text("include: other.yml\n")
    result = cli("init", str(site))
    assert result.exit_code == 0, result.output
    assert (site / ".gitlab-ci.yml").read_text() == "include: other.yml\n"
    assert (site / ".github/workflows/humasgen.yml").is_file()
    again = cli("init", str(site))
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
    assert empty.exit_code == 1 and "title is empty" in empty.output


def test_ci_templates_ship_in_the_wheel(tmp_path):
    """init reads the YAML from inside the package: a pip-installed humasgen must carry it."""
    import subprocess
    import sys
    import zipfile
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
                   cwd=root, check=True, capture_output=True)
    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    for name in CI_FILES.values():
        assert f"humasgen/scaffold_files/{name}" in names


def build_script(site: Path, kind: str) -> tuple[str, dict[str, str]]:
    """The shell text of a template's build step, and the variables CI would give it."""
    if kind == "github":
        workflow = yaml.safe_load((site / ".github/workflows/humasgen.yml").read_text())
        step = next(s for s in github_steps(workflow, "build") if s.get("name") == "Build")
        return step["run"], {"BASE_URL": workflow["env"]["BASE_URL"], "PAGES_URL": "{pages}"}
    pipeline = yaml.safe_load((site / ".gitlab-ci.yml").read_text())
    return pipeline["pages"]["script"][1], {"BASE_URL": pipeline["variables"]["BASE_URL"], "CI_PAGES_URL": "{pages}"}


@pytest.mark.parametrize("kind, output", [("github", "output"), ("gitlab", "public")])
def test_build_step_announces_nothing_first_then_only_new_releases(cli, tmp_path, kind, output):
    """Run the template's build step in bash against a real local 'Pages' server."""
    site = init(cli, tmp_path)
    script, variables = build_script(site, kind)
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
