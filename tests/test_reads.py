"""What a render reads is recorded and replayed: theme overrides, plugins and the preview get
fresh pages exactly when something they showed changed."""
from __future__ import annotations

import contextlib

from conftest import NOW, release
from humasgen import build as build_mod, reads, render
from humasgen.site import Term

CONFIG = 'title = "Diskominfo Uji"\nbase_url = "https://uji.example.go.id"\n'


def files(n=4, **overrides):
    out = {f"content/r{i}.md": release(f"Rilis Nomor {i} Tentang Layanan Publik", date=f"2026-11-{10 + i} 09:00",
                                       category="Ekonomi" if i % 2 else "Kesehatan") for i in range(n)}
    out.update(overrides)
    return out


def test_proxies_record_what_a_template_reads_and_replay_finds_changes(make_site):
    site_dir = make_site(files(), config=CONFIG)
    site = build_mod.load_site(site_dir, NOW).site
    tracker = reads.Tracker()
    view = reads.wrap(site, ("site",), tracker)
    newest = [r.title for r in view.releases[:2]]
    count = len(view.taxonomies.category.terms)
    first = view.taxonomies.category.terms[0]
    assert isinstance(first, reads.Proxy) and first.name == "Ekonomi" and len(first.releases) == 2
    assert view.related.get("tidak-ada", ()) == ()
    assert newest == [site.releases[0].title, site.releases[1].title] and count == 2
    recorded = {reads.encode(p): v for p, v in tracker.reads.items()}
    replay = reads.Replay({"paths": [reads.decode(p) for p in sorted(recorded)], "groups": [], "pages": {}},
                          {"site": site})
    assert all(replay._value(i, None, None) == recorded[p] for i, p in enumerate(sorted(recorded)))
    # one more Ekonomi release: the length of its term's list reads differently now
    bigger = build_mod.load_site(make_site(files(6), config=CONFIG), NOW).site
    changed = [p for p in sorted(recorded) if reads.evaluate(bigger, reads.decode(p)) != recorded[p]]
    assert changed and any('"len"' in p for p in changed)


def test_a_plugin_reading_the_site_is_rerendered_when_what_it_read_changes(make_site, build_site, tmp_path):
    plugin = ("import humasgen\n@humasgen.hookimpl\ndef page_context(page, site):\n"
              "    return {'greeting': f'{len(site.releases)} rilis'} if page.kind == 'home' else None\n")
    home = '{% extends "base.html" %}{% block main %}<p id="salam">{{ greeting }}</p>{% endblock %}'
    site = make_site(files(3, **{"hooks.py": plugin, "themes/default/templates/home.html": home}), config=CONFIG)
    build_site(site)
    build_site(site)
    assert '<p id="salam">3 rilis</p>' in (site / "output/index.html").read_text()
    (site / "content/r9.md").write_text(release("Rilis Tambahan Tentang Layanan Publik", date="2026-10-01 09:00"))
    warm = build_site(site)
    assert '<p id="salam">4 rilis</p>' in (site / "output/index.html").read_text()
    assert warm.rendered < warm.pages


def test_the_preview_renders_a_cached_page_again_when_a_value_it_read_changed(make_site):
    site_dir = make_site(files(3), config=CONFIG)
    loaded = build_mod.load_site(site_dir, NOW)
    env = render.make_env(loaded.theme, loaded.site, loaded.static)
    page = render.router(loaded.site, loaded.theme_key).page("index.html")
    done = render.render_page(env, page)
    assert reads.still_valid(page, done.key, done.reads, done.group_paths, env.roots)
    (site_dir / "content/r1.md").write_text(release("Rilis Nomor 1 Tentang Layanan Publik",
                                                    date="2026-11-11 09:00", category="Pendidikan"))
    after = build_mod.load_site(site_dir, NOW)
    env2 = render.make_env(after.theme, after.site, after.static)
    page2 = render.router(after.site, after.theme_key).page("index.html")
    assert not reads.still_valid(page2, done.key, done.reads, done.group_paths, env2.roots)
    assert isinstance(after.site.taxonomies["category"].terms[0], Term)


def test_pages_checked_in_worker_processes_are_the_ones_checked_in_one(make_site, build_site, monkeypatch):
    """A large site checks its pages in forked workers while the parent plans: same verdicts."""
    site = make_site(files(8), config=CONFIG)
    build_site(site)
    (site / "content/r3.md").write_text(release("Rilis Nomor 3 Tentang Layanan Publik", date="2026-11-13 09:00",
                                                category="Pendidikan"))
    by_one = build_site(site, output_dir=site / "satu")
    build_site(site, output_dir=site / "dua")
    (site / "content/r5.md").write_text(release("Rilis Nomor 5 Diubah Lagi Hari Ini", date="2026-11-15 09:00"))
    # A page deleted by hand is written again: the workers see that it is gone, as one process does.
    gone = next(r.url for r in by_one.site.releases if r.id == "r0").strip("/") + "/index.html"
    for tree in ("satu", "dua"):
        (site / tree / gone).unlink()
    monkeypatch.setattr(reads, "PARALLEL_REPLAY", 2)
    kept = {}
    checking = reads.Replay.checking

    def spy(self, pages, jobs=1, also=None):
        with checking(self, pages, jobs, also) as checked:
            yield lambda: kept.setdefault(jobs, checked())
    monkeypatch.setattr(reads.Replay, "checking", contextlib.contextmanager(spy))
    two = build_site(site, output_dir=site / "dua", jobs=2)
    one = build_site(site, output_dir=site / "satu")
    assert by_one.rendered == by_one.pages
    assert [p.path for p in kept[2]] == [p.path for p in kept[1]]
    assert gone not in {p.path for p in kept[2]} and (site / "dua" / gone).is_file()
    assert 0 < two.rendered < two.pages and two.rendered == one.rendered
    for path in (site / "satu").rglob("*.html"):
        assert path.read_bytes() == (site / "dua" / path.relative_to(site / "satu")).read_bytes(), path


def recorded_paths(site_dir) -> list:
    """The distinct read paths of the output record the last build saved."""
    import orjson
    record = next((site_dir / ".humasgen").glob("output-*.json"))
    return orjson.loads(record.read_bytes())["pages"]["paths"]


def texts(path) -> set[str]:
    """Every text in a recorded path (its keys and call arguments)."""
    return {path} if isinstance(path, str) else set().union(*map(texts, path)) if isinstance(path, list) else set()


def test_a_read_of_the_pages_own_url_is_one_path_for_every_page(make_site, build_site):
    """`site.alternates.get(page.url)` (every page's language links) is recorded with a stand-in for
    the URL: the record holds one such path, not one per page (282,000 of them at 100,000 releases)."""
    site_dir = make_site(files(9), config=CONFIG)
    result = build_site(site_dir)
    paths = recorded_paths(site_dir)
    urls = {r.url for r in result.site.releases} | {"/", "/kategori/", "/arsip/"}
    assert not any(urls & texts(p) for p in paths)
    about_url = [p for p in paths if reads.PAGE_URL in texts(p)]
    assert 0 < len(about_url) <= 2 < result.pages


def test_a_translation_added_later_changes_the_pages_that_read_their_url(make_site, build_site):
    """The stand-in is replayed with each page's own URL: a new translation re-renders its original."""
    site_dir = make_site(files(3), config=CONFIG)
    build_site(site_dir)
    original = site_dir / "content/r1.md"
    original.write_text(original.read_text().replace("---\nIsi", "translation_key: layanan\n---\nIsi"))
    build_site(site_dir)
    (site_dir / "content/r1-en.md").write_text(release("Public Service Release", date="2026-11-11 10:00",
                                                       lang="en", translation_key="layanan"))
    warm = build_site(site_dir)
    page = (site_dir / "output/2026/11/rilis-nomor-1-tentang-layanan-publik/index.html").read_text()
    assert 'hreflang="en"' in page and warm.rendered < warm.pages
