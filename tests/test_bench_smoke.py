"""Smoke test of benchmarks/: the corpus generator writes a site humasgen builds, in every format.

Pelican and Hugo are not run here (bench.py installs them into a throwaway virtualenv);
their projects are only checked to hold the same releases.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
COUNT = 30


def generate(target: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCH / "corpus.py"), str(target), "--count", str(COUNT), *args],
                          capture_output=True, text=True, check=True)


def tree(root: Path) -> dict[str, bytes]:
    """The generated files (not the build cache another test leaves in the site)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".humasgen" not in p.parts}


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("corpus") / "site"
    done = generate(site, "--seed", "7")
    assert f"wrote {COUNT} releases" in done.stdout
    return site


def test_generated_corpus_builds_with_humasgen(corpus_site, build_site, tmp_path):
    result = build_site(corpus_site, output_dir=tmp_path / "output")

    assert len(result.site.releases) == COUNT
    assert [w.format() for w in result.warnings] == []      # a realistic corpus passes the content checks
    pages = [p for p in (tmp_path / "output").glob("20*/*/*/index.html")]
    assert len(pages) == COUNT
    html = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "<table>" in html and "<td" in html
    assert "<ul>" in html and "<li>" in html
    assert "<blockquote>" in html
    assert '<img alt="' in html or "<img " in html
    assert (tmp_path / "output" / "images" / "kegiatan-lapangan.jpg").is_file()


def test_corpus_is_realistic(corpus_site):
    files = sorted((corpus_site / "content").rglob("*.md"))
    assert len(files) == COUNT
    words = [len(re.findall(r"\w+", f.read_text(encoding="utf-8").split("\n---\n", 1)[1])) for f in files]
    assert min(words) >= 250 and max(words) <= 1500
    assert 500 <= sum(words) / len(words) <= 900
    years = {f.parent.parent.name for f in files}
    assert len(years) >= 8          # spread over ten years
    categories = {re.search(r"^category: (.+)$", f.read_text(encoding="utf-8"), re.M).group(1) for f in files}
    assert len(categories) >= 4


def test_same_seed_same_bytes_other_seed_other_text(corpus_site, tmp_path):
    generate(tmp_path / "again", "--seed", "7")
    generate(tmp_path / "other", "--seed", "8")

    assert tree(tmp_path / "again") == tree(corpus_site)
    assert tree(tmp_path / "other") != tree(corpus_site)


def test_pelican_and_hugo_projects_hold_the_same_releases(corpus_site, tmp_path):
    generate(tmp_path / "pelican", "--seed", "7", "--format", "pelican")
    generate(tmp_path / "hugo", "--seed", "7", "--format", "hugo")

    def titles(root: Path, pattern: str) -> set[str]:
        return {re.search(pattern, p.read_text(encoding="utf-8"), re.M).group(1).strip('"')
                for p in (root / "content").rglob("*.md")}

    ours = titles(corpus_site, r"^title: (.+)$")
    assert len(ours) == COUNT
    assert titles(tmp_path / "pelican", r"^Title: (.+)$") == ours
    assert titles(tmp_path / "hugo", r"^title: (.+)$") == ours
    assert (tmp_path / "pelican" / "pelicanconf.py").is_file()
    assert (tmp_path / "pelican" / "content" / "images" / "rapat-koordinasi.jpg").is_file()
    assert (tmp_path / "hugo" / "hugo.toml").is_file()
    assert {p.name for p in (tmp_path / "hugo" / "layouts").iterdir()} >= {"baseof.html", "single.html", "list.html"}


def test_markdown_floor_renders_every_release(corpus_site):
    done = subprocess.run([sys.executable, str(BENCH / "floor.py"), str(corpus_site / "content"), "--jobs", "2"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith(f"rendered {COUNT} files")


def test_generated_corpus_passes_check(corpus_site, cli):
    result = cli("check", "--site", str(corpus_site))
    assert result.exit_code == 0, result.output


def test_bench_rejects_unknown_skip():
    done = subprocess.run([sys.executable, str(BENCH / "bench.py"), "--skip", "pelicn"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "unknown --skip pelicn" in done.stderr


def test_bench_prints_the_archive_scale_table(tmp_path):
    """bench.py end to end on a small corpus (humasgen and the preview only): the README's table comes from it."""
    done = subprocess.run([sys.executable, str(BENCH / "bench.py"), "--sizes", str(COUNT), "--repeat", "1",
                           "--skip", "pelican,pelican-cache,hugo,jobs1", "--work", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    row = next(line for line in done.stdout.splitlines() if line.startswith(f"| {COUNT} | "))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    cold, warm, edit = float(cells[1]), float(cells[3]), float(cells[4])
    assert 0 < warm and 0 < edit and 0 < cold
    median, top = (float(v) for v in cells[7].split(" / "))
    assert 0 < median <= top                # seven saves, each served fresh (a stale page stops the bench)
    assert cells[9] != "–"                  # the floor ran: cold / floor is a number
