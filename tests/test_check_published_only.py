"""`humasgen check --published-only` (the CI templates' check): one unfinished draft must not stop publishing."""
from __future__ import annotations

from conftest import release


def test_a_drafts_error_is_a_warning_with_published_only(cli, make_site):
    site = make_site({
        "content/siap.md": release("Gubernur Resmikan Jembatan Sungai Harapan"),
        "content/draf.md": release("Bupati Buka Pekan Raya Daerah Tahun 2026", draft="true",
                                   image="/images/foto.jpg"),          # no alt text: an error
        "static/images/foto.jpg": b"\xff\xd8\xff",
    })
    full = cli("check", "--site", str(site))
    assert full.exit_code == 1
    assert "draf.md" in full.output and "error:" in full.output
    published = cli("check", "--site", str(site), "--published-only")
    assert published.exit_code == 0, published.output
    assert "draf.md" in published.output and "warning:" in published.output and "(dalam draf)" in published.output     # an Indonesian site: messages in Indonesian
    assert "error:" not in published.output


def test_published_only_still_fails_on_a_published_release(cli, make_site):
    site = make_site({
        "content/siap.md": release("Gubernur Resmikan Jembatan Sungai Harapan", image="/images/foto.jpg"),
        "static/images/foto.jpg": b"\xff\xd8\xff",
    })
    result = cli("check", "--site", str(site), "--published-only")
    assert result.exit_code == 1 and "siap.md" in result.output and "error:" in result.output
