"""humasgen import wordpress: WordPress pages become the site's pages (content/halaman/), old page
addresses keep working, and a page alias that is the address of something else is a clear error."""
from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from lxml import etree

from humasgen.content import CONTENT_DIR

from test_import import EXPORT, _post, _uploads_from, _wxr, needs_export, resolve

PAGES = f"{CONTENT_DIR}/halaman"


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:])


def export_pages(export: Path) -> list[dict]:
    """Every page item of the export, as lxml reads it: id, title, status, password, link."""
    tree = etree.parse(str(export), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    out = []
    for item in tree.iter("item"):
        values = {etree.QName(c).localname: (c.text or "").strip() for c in item if isinstance(c.tag, str)}
        if values.get("post_type") == "page":
            out.append(values)
    return out


def imported_pages(site: Path) -> dict[str, tuple[Path, dict]]:
    """WordPress id -> (file, front matter) of the page files the import wrote."""
    found = {}
    for path in sorted((site / PAGES).rglob("*.md")):
        meta = front_matter(path)
        found[str(meta["extra"]["wordpress_id"])] = (path, meta)
    return found


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@needs_export
def test_wordpress_pages_become_site_pages_and_their_old_addresses_redirect(tmp_path, cli, build_site):
    site = tmp_path / "situs"
    assert cli("init", str(site), "--timezone", "WITA").exit_code == 0
    uploads = tmp_path / "uploads"
    _uploads_from(EXPORT, uploads)
    result = cli("import", "wordpress", str(EXPORT), "--site", str(site), "--uploads", str(uploads))
    assert result.exit_code == 0, result.output

    wanted = [p for p in export_pages(EXPORT) if p["status"] == "publish" and not p.get("post_password")]
    assert len(wanted) > 15
    report = json.loads((site / "import-report.json").read_text(encoding="utf-8"))
    assert report["counts"]["pages"] == len(wanted)
    assert re.search(rf"Diimpor \d+ rilis \(\d+ draf\) dan {len(wanted)} halaman \(0 draf\)", result.output)

    pages = imported_pages(site)
    assert set(pages) == {p["post_id"] for p in wanted}
    about = pages["2"][1]
    assert about["title"] == "About The Tests" and about["slug"] == "about"
    assert about["aliases"] == ["/?page_id=2"]                 # /about/ is still its address
    assert about["extra"]["wordpress_menu_order"] == 1
    level3_path, level3 = pages["172"]                          # /level-1/level-2/level-3/ on WordPress
    assert level3_path == site / PAGES / "level-3.md"
    assert level3["slug"] == "level-3" and level3["extra"]["wordpress_parent"] == 173
    assert level3["aliases"] == ["/level-1/level-2/level-3/", "/?page_id=172"]
    assert pages["155"][1]["aliases"] == ["/about/page-with-comments/", "/?page_id=155"]
    greek = pages["1813"][1]                                    # Επίπεδο 3: a Greek slug, made ASCII
    assert greek["title"] == "Επίπεδο 3" and re.fullmatch(r"[a-z0-9-]+", greek["slug"])
    assert all("draft" not in meta for _, meta in pages.values())
    alignment = (site / PAGES / "page-image-alignment.md").read_text(encoding="utf-8")
    assert "/wp-content/uploads/2013/03/image-alignment-580x300.jpg" in alignment     # copied upload
    assert "wpthemetestdata.wordpress.com/wp-content" not in alignment

    check = cli("check", "--site", str(site))
    assert check.exit_code == 0, check.output
    build_site(site)
    output = site / "output"
    for page in wanted:
        path, meta = pages[page["post_id"]]
        url = f"/{meta['slug']}/"
        built = output / meta["slug"] / "index.html"
        assert built.is_file(), path
        assert f'<h1 class="page-title">{html.escape(meta["title"], quote=False)}</h1>' in \
            built.read_text(encoding="utf-8")
        old = urlsplit(page["link"]).path
        for address in (re.sub("/+", "/", old), f"/?page_id={page['post_id']}"):
            assert resolve(output, address) == url, (address, url)
    # the images of the pages are on the site
    for src in re.findall(r'<img[^>]+src="(/[^"]+)"', (output / "page-image-alignment/index.html").read_text("utf-8")):
        assert (output / urlsplit(src).path.lstrip("/")).is_file(), src

    # Importing again changes nothing and says the pages are already there.
    before = digest(site / CONTENT_DIR)
    again = cli("import", "wordpress", str(EXPORT), "--site", str(site), "--uploads", str(uploads))
    assert again.exit_code == 0, again.output
    assert re.search(r"sudah ada: (\d+)", again.output).group(1) == str(report["counts"]["posts"] + len(wanted))
    assert digest(site / CONTENT_DIR) == before


SPAM = '<p>Profil dinas.</p><div style="display:none"><a href="https://slot.example.com/">slot gacor maxwin</a></div>'


def _page(page_id: int, title: str, body: str, name: str, link: str, parent: int = 0, status: str = "publish",
          order: int = 0) -> str:
    item = _post(page_id, title, body, status=status, name=name, post_type="page", date="2015-01-05 02:00:00")
    item = re.sub(r"<link>[^<]*</link>", f"<link>https://lama.example.go.id{link}</link>", item)
    item = item.replace("<wp:post_parent>0</wp:post_parent>", f"<wp:post_parent>{parent}</wp:post_parent>")
    return item.replace("</item>", f"<wp:menu_order>{order}</wp:menu_order></item>")


def test_statuses_nesting_spam_missing_files_and_links_of_pages(make_site, cli, build_site, tmp_path):
    site = make_site({})
    export = tmp_path / "ekspor.xml"
    export.write_text(_wxr(
        _post(10, "Kunjungan Kerja Gubernur ke Kabupaten Sukamaju",
              '<p>Lihat <a href="https://lama.example.go.id/profil/sejarah/">sejarah dinas</a>.</p>', name="kunjungan")
        + _page(29, "Kontak Profil", "<p>Kontak.</p>", "kontak-kami", "/profil/kontak-kami/", parent=20)
        + _page(20, "Profil", '<p>Tentang dinas. <img src="https://lama.example.go.id/wp-content/uploads/2015/01/'
                              'kantor.jpg" alt="Kantor dinas"></p>', "profil", "/profil/", order=1)
        + _page(21, "Sejarah", "<p>Sejarah dinas sejak 1950.</p>", "sejarah", "/profil/sejarah/", parent=20)
        + _page(22, "Layanan", "<p>Layanan.</p>", "layanan", "/layanan/")
        + _page(23, "Sejarah Layanan", "<p>Sejarah layanan.</p>", "sejarah", "/layanan/sejarah/", parent=22)
        + _page(24, "Konsep Visi", "<p>Belum jadi.</p>", "visi", "/?page_id=24", status="draft")
        + _page(25, "Kontak Rahasia", "<p>x</p>", "kontak", "/kontak/", status="private")
        + _page(26, "Halaman Lama", "<p>x</p>", "lama", "/lama/", status="trash")
        + _page(27, "Tautan", SPAM, "tautan", "/tautan/")
        + _page(28, "Arsip", "<p>Arsip lama.</p>", "arsip", "/arsip/")
        + _page(30, "Kontak Kami", "<p>Telepon.</p>", "kontak-kami", "/kontak-kami/")), encoding="utf-8")
    result = cli("import", "wordpress", str(export), "--site", str(site), "--since", "2024-01-01")
    assert result.exit_code == 0, result.output
    # --since is for the news archive: the pages of 2015 are imported all the same
    assert "halaman 20 (content/halaman/profil.md): warning: berkas 2015/01/kantor.jpg tidak ada di " \
           "folder unggahan (pakai --uploads)" in result.output
    report = json.loads((site / "import-report.json").read_text(encoding="utf-8"))
    assert report["skipped"] == {"pages in the trash": 1}
    assert report["counts"]["pages"] == 10 and report["counts"]["page_drafts"] == 3
    assert [q["path"] for q in report["quarantined"]] == ["content/halaman/karantina/tautan.md"]

    pages = imported_pages(site)
    assert pages["21"][1]["slug"] == "sejarah" and pages["21"][1]["aliases"] == ["/profil/sejarah/", "/?page_id=21"]
    assert pages["23"][1]["slug"] == "layanan-sejarah"           # the parent's slug in front when taken
    assert pages["23"][1]["aliases"] == ["/layanan/sejarah/", "/?page_id=23"]
    # a top-level page keeps its address, even when a nested page with its slug comes first in the export
    assert pages["30"][1]["slug"] == "kontak-kami" and pages["30"][1]["aliases"] == ["/?page_id=30"]
    assert pages["29"][1]["slug"] == "profil-kontak-kami"
    assert pages["24"][1]["draft"] is True and "aliases" not in pages["24"][1]
    assert pages["25"][1]["draft"] is True
    assert pages["27"][1]["draft"] is True and pages["27"][1]["extra"]["quarantine"]
    assert pages["27"][0] == site / PAGES / "karantina/tautan.md"
    # /arsip/ is the build's own list of months: the page goes to /arsip-2/ and the old address stays the build's
    assert pages["28"][1]["slug"] == "arsip-2" and pages["28"][1]["aliases"] == ["/?page_id=28"]
    assert "halaman 28 (content/halaman/arsip-2.md): warning: alamat lama /arsip/ kini dipakai halaman lain" \
        in result.output
    post = next((site / CONTENT_DIR).rglob("kunjungan.md")).read_text(encoding="utf-8")
    assert "(/sejarah/)" in post                                     # a link to an old page address, made new

    build_site(site)
    output = site / "output"
    assert (output / "sejarah/index.html").is_file() and (output / "layanan-sejarah/index.html").is_file()
    assert resolve(output, "/layanan/sejarah/") == "/layanan-sejarah/"
    assert resolve(output, "/?page_id=20") == "/profil/"
    for hidden in ("visi", "kontak", "tautan"):
        assert not (output / hidden).exists()
    assert resolve(output, "/?page_id=24") is None and resolve(output, "/kontak/") is None


def test_a_page_alias_at_the_address_of_another_output_is_a_clear_error(make_site, cli):
    site = make_site({
        "content/2026/11/rapat.md": "---\ntitle: Rapat Koordinasi Penanganan Banjir Daerah\ndate: 2026-11-19 09:00\n"
                                    "slug: rapat\n---\nIsi.\n",
        "content/halaman/profil.md": "---\ntitle: Profil Dinas\nslug: profil\n"
                                     "aliases: [/tentang/, /2026/11/rapat/]\n---\nTentang dinas.\n"})
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert ("content/halaman/profil.md:4: error: alamat lama /2026/11/rapat/ adalah alamat sebuah halaman situs "
            "ini (2026/11/rapat/index.html) (hapus alamat itu dari aliases atau [redirects])") in result.output
    assert not (site / "output").exists()
    checked = cli("check", "--site", str(site))
    assert checked.exit_code == 1 and "content/halaman/profil.md:4: error: alamat lama /2026/11/rapat/" in checked.output

    (site / "content/halaman/profil.md").write_text("---\ntitle: Profil Dinas\naliases: tentang kami\n---\nx\n",
                                                    encoding="utf-8")
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "content/halaman/profil.md:3: error: 'aliases' tidak terbaca: 'tentang kami' (alias adalah alamat lama" \
        in result.output

    (site / "content/halaman/profil.md").write_text("---\ntitle: Profil Dinas\naliases: [/tentang/]\n---\nx\n",
                                                    encoding="utf-8")
    assert cli("build", "--site", str(site)).exit_code == 0
    assert resolve(site / "output", "/tentang/") == "/profil/"
