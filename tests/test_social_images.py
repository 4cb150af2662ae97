"""Share images: exact sizes, real content, legible title area, og:image cards cached."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageOps, ImageStat

from conftest import release
from humasgen import config as config_mod
from humasgen import render, theme as theme_mod
from humasgen.build import load_site
from humasgen.social import images

from conftest import NOW

SIZES = {"card.jpg": (1200, 630), "portrait.jpg": (1080, 1350), "story.jpg": (1080, 1920)}


def photo(path: Path) -> None:
    """A busy, light photo: the hardest background for white text."""
    image = Image.new("RGB", (1600, 900), (235, 228, 210))
    draw = ImageDraw.Draw(image)
    for i in range(0, 1600, 40):
        draw.rectangle((i, 300 + (i * 7) % 400, i + 30, 900), fill=(120 + i % 120, 170, 90 + i % 90))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90)


def logo(path: Path) -> None:
    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((16, 16, 240, 240), fill=(200, 16, 46, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


@pytest.fixture
def art_pair(make_site):
    site = make_site({
        "content/a.md": release("Pekan Raya Nusa Harapan 2026 Hadirkan 300 UMKM dan Festival Kuliner Nusantara",
                                image="/images/lead.jpg", category="Ekonomi"),
        # written by hand: release() uses repr(), which would escape the zero-width joiners
        "content/b.md": "---\ntitle: Posko Siaga Banjir 👨\u200d👩\u200d👧\u200d👦 Dibuka di 12 Kecamatan 🇮🇩\n"
                        "date: 2026-11-19 09:00\ncategory: Kebencanaan\n---\nIsi rilis.\n",
    }, config='title = "Diskominfo Uji"\nagency = "Dinas Komunikasi dan Informatika Provinsi Uji"\n'
              'base_url = "https://uji.example.go.id"\nlogo = "/images/logo.png"\n')
    photo(site / "static/images/lead.jpg")
    logo(site / "static/images/logo.png")
    loaded = load_site(site, NOW)
    by_id = {r.id: r for r in loaded.site.releases}
    return site, [images.artwork(by_id[i], loaded.config, loaded.static) for i in ("a", "b")]


def test_sizes_are_exact_and_images_not_blank(art_pair, tmp_path):
    _, arts = art_pair
    for number, art in enumerate(arts):
        for name, data in images.render_all(art).items():
            image = Image.open(io.BytesIO(data))
            assert image.format == "JPEG"
            assert image.size == SIZES[name]
            stat = ImageStat.Stat(image.convert("L"))
            assert stat.stddev[0] > 20, f"{name} looks blank"
            image.save(tmp_path / f"look-{number}-{name}.png")    # for a human look: see the report


def test_title_area_has_white_text_on_dark(art_pair):
    """Legibility proxy: the title band holds near-white pixels on a dark background."""
    _, arts = art_pair
    for art in arts:
        card = Image.open(io.BytesIO(images.render(art, "card"))).convert("L")
        band = card.crop((60, 280, 1140, 520))
        histogram = band.histogram()
        bright = sum(histogram[235:]) / sum(histogram)
        dark = sum(histogram[:110]) / sum(histogram)
        assert bright > 0.05 and dark > 0.4, (bright, dark)


def test_emoji_are_left_out_of_the_picture_not_drawn_as_boxes(art_pair):
    _, arts = art_pair
    with_emoji = arts[1]
    from dataclasses import replace
    without = replace(with_emoji, title="Posko Siaga Banjir Dibuka di 12 Kecamatan")
    assert images.render(with_emoji, "card") == images.render(without, "card")


def test_same_input_same_bytes_and_key_follows_what_is_drawn(art_pair):
    _, arts = art_pair
    from dataclasses import replace
    art = arts[0]
    assert images.render(art, "story") == images.render(art, "story")
    assert art.key("card") == replace(art).key("card")
    assert art.key("card") != replace(art, title=art.title + "!").key("card")
    assert art.key("card") != art.key("story")


def test_og_card_for_releases_without_lead_image(make_site, build_site):
    site = make_site({"content/a.md": release("Dengan Foto", image="/images/lead.jpg"),
                      "content/b.md": release("Tanpa Foto Sama Sekali")})
    photo(site / "static/images/lead.jpg")
    result = build_site(site)
    out = site / "output"
    card = out / "2026/11/tanpa-foto-sama-sekali" / images.CARD_NAME
    assert Image.open(card).size == (1200, 630)
    assert not (out / "2026/11/dengan-foto" / images.CARD_NAME).exists()
    # the template global the OG partial uses
    loaded = load_site(site, NOW)
    env = render.make_env(loaded.theme, loaded.site, loaded.static)
    by_id = {r.id: r for r in loaded.site.releases}
    assert env.globals["share_card_url"](by_id["b"]) == \
        "https://uji.example.go.id/2026/11/tanpa-foto-sama-sekali/og-image.jpg"
    assert env.globals["share_card_url"](by_id["a"]) == ""
    cached = sorted((site / ".humasgen" / "cards").glob("*.jpg"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    # an ordinary rebuild draws nothing and writes nothing
    again = build_site(site)
    assert again.stats.written == 0
    assert cached[0].stat().st_mtime_ns == stamp
    assert result.announcements.new == ()


def test_og_cards_switched_off(make_site, build_site):
    site = make_site({"content/b.md": release("Tanpa Foto")},
                     config='base_url = "https://uji.example.go.id"\n[social]\nimages = false\n')
    build_site(site)
    assert not list((site / "output").rglob(images.CARD_NAME))
    config = config_mod.load(site)
    loaded = load_site(site, NOW)
    assert render.make_env(theme_mod.resolve(site, "default"), loaded.site, {}).globals["share_card_url"](
        loaded.site.releases[0]) == ""
    assert config.social.images is False


def test_og_cards_only_for_recent_releases(make_site, build_site):
    """A cold build of an old archive draws no cards: only releases of the last card_days."""
    site = make_site({"content/old.md": release("Rilis Lama Sekali", date="2026-01-05 09:00"),
                      "content/new.md": release("Rilis Baru Sekali", date="2026-11-19 09:00")})
    build_site(site)
    out = site / "output"
    assert (out / "2026/11/rilis-baru-sekali" / images.CARD_NAME).is_file()
    assert not (out / "2026/01/rilis-lama-sekali" / images.CARD_NAME).exists()
    assert len(list((site / ".humasgen" / "cards").glob("*.jpg"))) == 1


def test_cards_keep_the_photo_bright_outside_the_title(art_pair):
    """The photo is the news: darkened only where the text needs it, not veiled all over."""
    site, arts = art_pair
    source = Image.open(site / "static/images/lead.jpg").convert("L")
    card = Image.open(io.BytesIO(images.render_all(arts[0])["card.jpg"])).convert("L")
    fitted = ImageOps.fit(source, card.size, centering=(0.5, 0.4))
    # The upper half of the card, right of the text column's start: mostly photo.
    box = (card.width // 2, card.height // 8, card.width, card.height // 2)
    kept = ImageStat.Stat(card.crop(box)).mean[0] / ImageStat.Stat(fitted.crop(box)).mean[0]
    assert kept > 0.6, f"the photo keeps only {kept:.0%} of its brightness there"
    whole = ImageStat.Stat(card).mean[0] / ImageStat.Stat(fitted).mean[0]
    assert whole > 0.45, f"the card keeps only {whole:.0%} of the photo's brightness"
