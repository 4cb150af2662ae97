"""The reel and the carousel: read back with PyAV and Pillow, made only for announced releases, cached."""
from __future__ import annotations

import json
import math
import struct
import wave
from dataclasses import replace
from pathlib import Path

import av
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

from conftest import NOW, release
from humasgen import config as config_mod
from humasgen.build import BuildOptions, build, load_site
from humasgen.content import Settings, parse
from humasgen.errors import HumasgenError
from humasgen.social import highlights, reel, story

VIDEO_CONFIG = '''title = "Diskominfo Provinsi Uji"
agency = "Dinas Komunikasi dan Informatika Provinsi Uji"
base_url = "https://uji.example.go.id"
logo = "/images/logo.png"

[social.video]
min_seconds = 12
max_seconds = 13
'''
HOOK = '[hooks]\ncommands = ["cat > hook-payload.json"]\n'

BODY = """
Pemerintah Provinsi Uji membuka 12 posko siaga banjir di enam kecamatan rawan mulai Kamis (19/11/2026).
Posko melayani warga selama 24 jam hingga akhir musim hujan.

![Petugas menyiapkan perahu karet di posko](/images/posko.jpg)

Sebanyak 350 personel gabungan dan 40 perahu karet disiagakan di seluruh posko.

"Kami ingin warga tahu ke mana harus pergi ketika air naik, dan posko itu harus dekat," kata Rina Wulandari.

Warga dapat melapor melalui nomor darurat yang tersedia di setiap kantor kecamatan.
"""


def photo(path: Path, tint: tuple[int, int, int]) -> None:
    image = Image.new("RGB", (1280, 720), tint)
    draw = ImageDraw.Draw(image)
    for i in range(0, 1280, 64):
        draw.rectangle((i, 200 + (i * 5) % 300, i + 40, 720), fill=(255 - tint[0], 180, i % 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=90)


def logo(path: Path) -> None:
    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((16, 16, 240, 240), fill=(11, 74, 139, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def run_build(site: Path, **options):
    options.setdefault("output_dir", site / "output")
    return build(BuildOptions(site_dir=site, now=NOW, jobs=1, **options))


@pytest.fixture(scope="module")
def announced(tmp_path_factory):
    """An archive built once (nothing announced), then one new release announced: one reel encoded."""
    site = tmp_path_factory.mktemp("video") / "site"
    (site / "content").mkdir(parents=True)
    (site / "humasgen.toml").write_text(VIDEO_CONFIG + HOOK, encoding="utf-8")
    photo(site / "static/images/lead.jpg", (30, 90, 160))
    photo(site / "static/images/posko.jpg", (160, 60, 30))
    logo(site / "static/images/logo.png")
    for number in range(1, 4):
        (site / f"content/lama-{number}.md").write_text(
            release(f"Rilis Lama Nomor {number} tentang Pelayanan Publik", date=f"2026-11-1{number} 09:00",
                    body="Sebanyak 120 warga hadir dalam kegiatan ini di Kota Uji."), encoding="utf-8")
    first = run_build(site)
    cold_cache = sorted(p.name for p in (site / ".humasgen").iterdir())
    (site / "content/posko.md").write_text(release(
        "Dua Belas Posko Siaga Banjir Dibuka di Enam Kecamatan", date="2026-11-20 08:00", body=BODY,
        image="/images/lead.jpg", image_credit="'Dok. Diskominfo Uji'", category="Kebencanaan",
        dateline="Kota Uji"), encoding="utf-8")
    second = run_build(site)
    folder = site / "social/2026-11-20-dua-belas-posko-siaga-banjir-dibuka-di-enam-kecamatan"
    return {"site": site, "first": first, "second": second, "folder": folder, "cold_cache": cold_cache,
            "index": json.loads((folder / "snippets.json").read_text(encoding="utf-8"))}


def decode_at(path: Path, seconds: list[float]) -> list[Image.Image]:
    """Frames shown at the given times, decoded with PyAV."""
    wanted = sorted(seconds)
    found: dict[float, Image.Image] = {}
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            while wanted and frame.time is not None and frame.time >= wanted[0] - 1e-6:
                found[wanted.pop(0)] = frame.to_image()
            if not wanted:
                break
    return [found[s] for s in seconds]


def test_reel_container_codec_size_rate_duration_and_audio(announced):
    path = announced["folder"] / "reel.mp4"
    with av.open(str(path)) as container:
        assert "mp4" in container.format.name
        video = container.streams.video[0]
        assert video.codec_context.name == "h264"
        assert (video.codec_context.width, video.codec_context.height) == (1080, 1920)
        assert video.codec_context.pix_fmt == "yuv420p"
        assert video.average_rate == 30
        seconds = float(container.duration / av.time_base)
        assert 12 <= seconds <= 13.1, seconds
        assert [s.codec_context.name for s in container.streams.audio] == ["aac"]
        frames = sum(1 for _ in container.decode(video=0))
    assert 12 * 30 <= frames <= 13 * 30
    assert path.stat().st_size < 50 * 1024 * 1024      # far below every platform's upload limit


def test_caption_frames_are_drawn_differ_and_keep_out_of_the_apps_buttons(announced):
    index = announced["index"]
    scenes = index["reel"]["scenes"]
    assert [s["kind"] for s in scenes][0] == "title" and scenes[-1]["kind"] == "closing"
    captions = [s for s in scenes if s["kind"] == "caption"]
    assert 2 <= len(captions) <= 4
    assert [c["text"] for c in captions] == [h["text"] for h in index["highlights"]][:len(captions)]
    times = [(s["start"] + s["end"]) / 2 for s in scenes]
    frames = decode_at(announced["folder"] / "reel.mp4", times)
    for number, frame in enumerate(frames):
        assert frame.size == (1080, 1920)
        grey = frame.convert("L")
        assert ImageStat.Stat(grey).stddev[0] > 20, f"scene {number} looks blank"
        # Below the safe area (the apps' captions and buttons): the soft backdrop only, no text edges.
        # (Pillow leaves a filtered image's outer pixels as they were: they are cut off.)
        edges = grey.crop((0, reel.SAFE[3] + 12, 1080, 1920)).filter(ImageFilter.FIND_EDGES).crop((1, 1, 1079, 427))
        assert ImageStat.Stat(edges).mean[0] < 3 and edges.getextrema()[1] < 60, number
    for a in range(len(frames)):
        for b in range(a + 1, len(frames)):
            diff = ImageStat.Stat(ImageChops.difference(frames[a], frames[b]).convert("L")).mean[0]
            assert diff > 4, (a, b, diff)


def test_highlights_follow_the_rules(announced):
    rules = [h["rule"] for h in announced["index"]["highlights"]]
    texts = [h["text"] for h in announced["index"]["highlights"]]
    assert rules[0] == "lead" and texts[0].startswith("Pemerintah Provinsi Uji membuka 12 posko")
    assert "figure" in rules and any("350 personel" in t for t in texts)
    assert "quote" in rules


def test_carousel_slides_sizes_count_and_alt_texts(announced):
    folder = announced["folder"]
    slides = sorted((folder / "carousel").iterdir())
    assert 3 <= len(slides) <= 8
    assert [p.name for p in slides] == [f"{n:02d}.jpg" for n in range(1, len(slides) + 1)]
    for path in slides:
        with Image.open(path) as image:
            assert image.format == "JPEG" and image.size == (1080, 1350)
            assert ImageStat.Stat(image.convert("L")).stddev[0] > 15
    alts = announced["index"]["carousel"]
    assert [a["file"] for a in alts] == [f"carousel/{p.name}" for p in slides]
    assert all(len(a["alt"]) > 20 for a in alts)
    assert alts[0]["alt"].startswith("Sampul: Dua Belas Posko")
    assert any(a["alt"].startswith("Kutipan, Rina Wulandari") for a in alts)     # the quote slide
    assert "uji.example.go.id/2026/11/" in alts[-1]["alt"]


def test_shell_hooks_get_the_video_and_the_slides(announced):
    payload = json.loads((announced["site"] / "hook-payload.json").read_text(encoding="utf-8"))
    assert payload["id"] == "posko"
    assert Path(payload["social"]["video"]) == (announced["folder"] / "reel.mp4").resolve()
    slides = payload["social"]["carousel"]
    assert [Path(s["path"]).name for s in slides] == sorted(p.name for p in (announced["folder"] / "carousel").iterdir())
    assert all(Path(s["path"]).is_file() and s["alt"] for s in slides)


def test_cold_build_of_an_archive_encodes_nothing(announced):
    assert announced["first"].announcements.new == ()
    assert "reels" not in announced["cold_cache"] and "carousels" not in announced["cold_cache"]
    assert [r.id for r in announced["second"].announcements.new] == ["posko"]
    assert len(list((announced["site"] / ".humasgen/reels").glob("*.mp4"))) == 1
    assert sorted(p.name for p in (announced["site"] / "social").iterdir() if not p.name.startswith(".")) \
        == [announced["folder"].name]


def test_regenerating_uses_the_cache_without_encoding_again(announced, cli):
    site, folder = announced["site"], announced["folder"]
    cached = list((site / ".humasgen/reels").glob("*.mp4"))
    before = {p: p.stat().st_mtime_ns for p in cached}
    old = (folder / "reel.mp4").read_bytes()
    result = cli("social", "dua-belas-posko-siaga-banjir-dibuka-di-enam-kecamatan", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert (folder / "reel.mp4").read_bytes() == old
    assert {p: p.stat().st_mtime_ns for p in (site / ".humasgen/reels").glob("*.mp4")} == before
    assert len(list((folder / "carousel").iterdir())) == len(announced["index"]["carousel"])


def test_off_switch_per_release_and_old_releases_get_no_video(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "humasgen.toml").write_text(VIDEO_CONFIG, encoding="utf-8")
    run_build(site)
    (site / "content/mati.md").write_text(release("Rilis Tanpa Video untuk Media Sosial", date="2026-11-20 08:00",
                                                  body=BODY, video="false"), encoding="utf-8")
    (site / "content/lama.md").write_text(release("Rilis Lama yang Baru Diumumkan Hari Ini", date="2026-09-01 08:00",
                                                  body=BODY), encoding="utf-8")
    result = run_build(site)
    assert sorted(r.id for r in result.announcements.new) == ["lama", "mati"]
    for folder in (site / "social").iterdir():
        names = {p.name for p in folder.iterdir()}
        assert "snippets.json" in names and "x.txt" in names
        assert "reel.mp4" not in names and "carousel" not in names, folder.name
        assert "reel" not in json.loads((folder / "snippets.json").read_text())
    assert not (site / ".humasgen/reels").exists()


def test_video_switch_must_be_true_or_false():
    _, problems = parse("content/a.md", "a", release("Judul Rilis Uji", video="'tidak'").encode(),
                        Settings("Asia/Makassar", "id", "/{slug}/"))
    assert [p.message for p in problems] == ["'video' must be true or false, not 'tidak'"]
    assert problems[0].line == 4


def test_config_is_validated(tmp_path):
    def problems(text: str) -> list[str]:
        (tmp_path / "humasgen.toml").write_text(text, encoding="utf-8")
        with pytest.raises(HumasgenError) as caught:
            config_mod.load(tmp_path)
        return [d.format() for d in caught.value.diagnostics]

    assert problems("[social.video]\nmax_second = 20\n") == [
        "humasgen.toml:2: error: unknown key 'social.video.max_second' (did you mean 'max_seconds'?)"]
    assert any("min_seconds is more than max_seconds" in p
               for p in problems("[social.video]\nmin_seconds = 25\nmax_seconds = 20\n"))
    assert problems('[social.video]\nbrand = "biru"\n')[0].startswith(
        "humasgen.toml:2: error: social.video.brand must be a colour like \"#0B4A8B\"")
    assert "no file 'musik/latar.mp3'" in problems('[social.video]\nmusic = "musik/latar.mp3"\n')[0]
    assert "between 6 and 90" in problems("[social.video]\nmax_seconds = 600\n")[0]
    (tmp_path / "humasgen.toml").write_text("[social.video]\nenabled = false\n", encoding="utf-8")
    assert config_mod.load(tmp_path).social.video.enabled is False


# --- the parts, without encoding -------------------------------------------------------------

def make_release(body: str, **meta):
    item, problems = parse("content/a.md", "a", release("Judul Rilis Uji Coba Video", body=body, **meta).encode(),
                           Settings("Asia/Makassar", "id", "/{slug}/"))
    assert not problems, problems
    return item


def test_sentences_do_not_break_at_titles_and_initials():
    text = ("Kepala Dinas PUPR, Ir. Gregorius Tanamal, M.T., meninjau lokasi. Pekerjaan dimulai "
            "pada Senin (7/9/2026). Dr. Ani hadir.")
    assert highlights.sentences(text) == ["Kepala Dinas PUPR, Ir. Gregorius Tanamal, M.T., meninjau lokasi.",
                                          "Pekerjaan dimulai pada Senin (7/9/2026).", "Dr. Ani hadir."]


def test_figures_count_amounts_not_dates_or_names():
    assert highlights.figures("Anggaran Rp9,42 triliun naik 6,8 persen dari 2026 untuk 150 sekolah.") == 3
    assert highlights.figures("Diresmikan di SMA Negeri 2 pada Kamis (12/11/2026).") == 0
    assert highlights.figures("Inflasi 2,6% pada 17 September 2026.") == 1


def test_front_matter_highlights_replace_the_rules():
    item = make_release(BODY, extra="{highlights: ['Posko buka 24 jam.', 'Lapor lewat nomor darurat.']}")
    chosen = highlights.choose(item)
    assert [(h.text, h.rule) for h in chosen] == [("Posko buka 24 jam.", "front matter"),
                                                  ("Lapor lewat nomor darurat.", "front matter")]
    bad = make_release(BODY, extra="{highlights: 'satu kalimat saja'}")
    problem = highlights.check_override(bad)
    assert problem is not None and "extra.highlights" in problem.message


def test_quote_and_speaker_are_found():
    found = highlights.quote(make_release(BODY))
    assert found == highlights.Quote("Kami ingin warga tahu ke mana harus pergi ketika air naik, "
                                     "dan posko itu harus dekat", "Rina Wulandari")
    assert highlights.quote(make_release("Tidak ada kutipan di sini sama sekali.")) is None


@pytest.fixture
def demo_story(demo_site):
    loaded = load_site(demo_site, NOW, drafts=True, future=True)
    item = next(r for r in loaded.site.releases if r.slug.startswith("progres-jembatan"))
    return story.story(item, loaded.config, loaded.static, demo_site)


@pytest.mark.parametrize("bounds", [(12, 30), (12, 13), (20, 25), (6, 8)])
def test_length_follows_the_text_within_the_bounds(demo_story, bounds):
    told = replace(demo_story, min_seconds=bounds[0], max_seconds=bounds[1])
    scenes = reel.plan(told)
    seconds = sum(s.frames for s in scenes) / reel.FPS
    assert bounds[0] <= seconds <= bounds[1]
    assert 2 <= sum(s.kind == "caption" for s in scenes) <= 4
    short = replace(told, title="Rapat", highlights=(highlights.Highlight("Rapat berjalan lancar hari ini.", "lead"),))
    assert bounds[0] <= sum(s.frames for s in reel.plan(short)) / reel.FPS <= bounds[1]


def test_english_release_gets_english_words(demo_story):
    english = replace(demo_story, lang="en")
    from humasgen.social import carousel
    alts = [alt for _, _, alt in carousel.slides(english)]
    assert alts[0].startswith("Cover: ") and alts[-1].startswith("Closing: Read the full release")


def sine_wav(path: Path, seconds: float) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22_050)
        out.writeframes(b"".join(struct.pack("<h", int(12_000 * math.sin(2 * math.pi * 440 * i / 22_050)))
                                 for i in range(int(22_050 * seconds))))


def test_music_is_looped_faded_and_a_bad_file_is_a_diagnostic(demo_story, tmp_path):
    import numpy as np
    silent = reel.soundtrack(demo_story, 44_100 * 3, ("humasgen.toml", 7))
    assert silent.shape == (2, 44_100 * 3) and not silent.any()
    sine_wav(tmp_path / "latar.wav", 1.0)
    track = reel.soundtrack(replace(demo_story, music=tmp_path / "latar.wav"), 44_100 * 3, ("humasgen.toml", 7))
    middle = track[:, 44_100:44_100 * 2]
    assert np.sqrt((middle ** 2).mean()) > 0.1                  # looped: still sound after the file's 1 s
    assert abs(track[:, -1]).max() < 0.01                        # faded out at the end
    (tmp_path / "rusak.mp3").write_bytes(b"bukan audio")
    with pytest.raises(HumasgenError) as caught:
        reel.soundtrack(replace(demo_story, music=tmp_path / "rusak.mp3"), 44_100, ("humasgen.toml", 7))
    assert caught.value.diagnostics[0].format().startswith("humasgen.toml:7: error: cannot read the music file")


def test_cache_key_follows_what_is_shown_and_heard(demo_story, tmp_path):
    same = replace(demo_story)
    assert same.key("reel") == demo_story.key("reel") != demo_story.key("carousel")
    changed = [replace(demo_story, highlights=demo_story.highlights[:1]), replace(demo_story, title="Judul Lain"),
               replace(demo_story, brand=(0, 0, 0)), replace(demo_story, max_seconds=20)]
    sine_wav(tmp_path / "latar.wav", 0.2)
    changed.append(replace(demo_story, music=tmp_path / "latar.wav"))
    photo(tmp_path / "foto.jpg", (10, 20, 30))
    changed.append(replace(demo_story, photos=(tmp_path / "foto.jpg",)))
    keys = {told.key("reel") for told in changed}
    assert len(keys) == len(changed) and demo_story.key("reel") not in keys
    photo(tmp_path / "foto.jpg", (200, 20, 30))            # same file name, other pixels
    assert replace(demo_story, photos=(tmp_path / "foto.jpg",)).key("reel") not in keys


def test_check_flags_highlights_the_video_cannot_use(make_site, cli):
    site = make_site({"content/a.md": release("Posko Siaga Banjir Dibuka di Enam Kecamatan", body=BODY,
                                              extra="{highlights: 'satu kalimat saja'}")})
    result = cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "content/a.md:4: error: 'extra.highlights' must be a list of 1 to 4 sentences" in result.output
    assert "[highlights]" in result.output


def test_the_editor_offers_the_switch_on_and_writes_it_only_when_off():
    from humasgen.editor import backend, schema
    field = next(f for f in schema.release_fields(config_mod.Config()) if f["name"] == "video")
    assert field["widget"] == "boolean" and field["default"] is True and field["label"].startswith("Video")
    on = backend.canonical_release("---\ntitle: Judul Rilis\ndate: 2026-11-19 09:30\nvideo: true\n---\nIsi.\n")
    off = backend.canonical_release("---\ntitle: Judul Rilis\ndate: 2026-11-19 09:30\nvideo: false\n---\nIsi.\n")
    assert "video" not in on and "video: false" in off
