"""A release prints as a clean document: letterhead, title, date, unit, body, image with credit, its URL; no navigation."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from demo_site import RELEASE, build_demo, chromium, serve

URL = "https://diskominfo.nusaharapan.example.go.id" + RELEASE


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> str:
    """Text of the release's print preview: Chromium's PDF, read back with poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is missing (apt-get install poppler-utils); .ci/run installs it")
    folder = tmp_path_factory.mktemp("print")
    output = build_demo(folder)
    pdf = folder / "release.pdf"
    with serve(output) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + RELEASE)
        page.emulate_media(media="print")
        page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_the_release_is_all_there(printed):
    for part in ("Harga Kebutuhan Pokok Menjelang Akhir Tahun Terpantau Stabil",     # title
                 "Rabu, 18 November 2026 14.15 WITA",                               # date
                 "Biro Perekonomian",                                              # unit
                 "BANDAR HARAPAN – Tim Pengendalian Inflasi Daerah",                # body
                 "Foto: Diskominfo Nusa Harapan/Nurul Fadhilah Rasyid",             # image credit
                 "Narahubung", "Citra Maharani Lubis",                              # press contact
                 "Dinas Komunikasi dan Informatika Provinsi Nusa Harapan"):         # letterhead
        assert part in printed
    # The URL, printed so a reader of the paper can find the page (pdftotext may break it across lines).
    assert URL.replace("-", "") in printed.replace(" ", "").replace("-", "")


def test_navigation_and_sharing_are_left_out(printed):
    for screen_only in ("Langsung ke konten", "Beranda", "Bagikan", "Baca juga", "Sebelumnya",
                        "Ikuti rilis kami", "Cari siaran pers", "Jelajahi"):
        assert screen_only not in printed
