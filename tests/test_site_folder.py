"""Small things a new user meets first: the wrong folder, viewing output/, tests that skip."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.parametrize("command", ["build", "check"])
def test_outside_a_site_folder_is_an_error_not_an_empty_site(tmp_path, cli, command):
    folder = tmp_path / "dokumen"
    folder.mkdir()
    (folder / "catatan.txt").write_text("bukan situs", encoding="utf-8")
    result = cli(command, "--site", str(folder))
    assert result.exit_code == 1
    assert "bukan situs humasgen: tidak ada humasgen.toml dan tidak ada content/" in result.output
    assert "humasgen init" in result.output
    assert not (folder / "output").exists() and not (folder / ".humasgen").exists()


def test_readme_says_how_to_view_the_output_locally():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "python -m http.server -d output" in readme
    assert "file://" in readme      # why double-clicking index.html is not enough


def test_schema_tests_say_why_they_skip_and_how_to_run_them(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         str(REPO / "tests" / "test_sitemaps.py"), "-k", "index"],
        capture_output=True, text=True, cwd=REPO,
        env={**os.environ, "HUMASGEN_SCHEMAS": str(tmp_path), "HUMASGEN_NO_SKIP": "0"})
    assert "SKIPPED" in result.stdout
    assert "not part of this repository" in result.stdout and "HUMASGEN_SCHEMAS" in result.stdout
