"""The preview's revised model equals the model made anew from every release (site.revise,
build.revise_site, content.load_changes), over random edits an officer makes while writing."""
from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW, release
from humasgen import build, content, serve
from humasgen import config as config_mod
from humasgen import site as site_mod
from humasgen.errors import HumasgenError

CATEGORIES = ["Ekonomi", "Sosial", "Kesehatan", "Pendidikan"]
UNITS = ["Biro Hukum", "Dinas Sosial", "Bappeda", ""]
TAGS = ["banjir", "Banjir", "jalan", "pangan", "guru", "nelayan", "vaksin", "pasar"]
CONFIG = 'social.video.enabled = false\ntitle = "Uji"\nbase_url = "https://uji.example.go.id"\nrelated = 3\n'


def release_text(rng: random.Random, number: int, **fixed) -> str:
    """A release with random terms; `fixed` overrides (date as text, slug...)."""
    when = NOW - timedelta(hours=rng.randint(-72, 24 * 120))
    meta = {
        "category": rng.choice(CATEGORIES),
        "tags": "[" + ", ".join(rng.sample(TAGS, rng.randint(0, 3))) + "]",
        "author": rng.choice(["Ani", "Budi", "Citra"]),
    }
    unit = rng.choice(UNITS)
    if unit:
        meta["unit"] = unit
    if rng.random() < 0.15:
        meta["lang"] = "en"
    if rng.random() < 0.1:
        meta["draft"] = "true"
    meta.update(fixed.pop("meta", {}))
    date = fixed.pop("date", when.strftime("%Y-%m-%d %H:%M"))
    return release(fixed.pop("title", f"Rilis nomor {number}"), date, f"Isi rilis {number}.", **meta)


def plain(model: site_mod.Site) -> dict:
    """Everything a page can read from the model, as values (releases compare by all their fields)."""
    related = {r.id: model.related[r.id] for r in model.releases}
    return {
        "now": model.now,
        "releases": model.releases,
        "taxonomies": {name: (t.url, t.terms) for name, t in model.taxonomies.items()},
        "archives": model.archives,
        "related": related,
        "neighbours": dict(model.neighbours),
        "next_scheduled": model.next_scheduled,
        "alternates": dict(model.alternates),
        "languages": model.languages,
        "by_id": dict(model.by_id),
        "by_url": dict(model.by_url),
    }


def fresh_model(site: Path, settings, config):
    releases, problems = content.load(site, settings)
    assert not problems
    return site_mod.collect(releases, config, NOW, drafts=True, future=True, preview=True)


def edit(rng: random.Random, site: Path, sources: list[str], step: int, clash: bool = True) -> list[str]:
    """One save (one to three files) of the kinds an officer makes; the files it wrote or removed.
    `clash`: a new slug given to two files of one save (two releases at one URL) may happen."""
    kind = rng.choice(["title", "date", "terms", "terms", "draft", "lang", "add", "delete", "slug", "same-date"])
    if kind == "add" or not sources:
        source = f"content/2026/{rng.randint(1, 11):02d}/baru-{step}.md"
        (site / source).parent.mkdir(parents=True, exist_ok=True)
        (site / source).write_text(release_text(rng, 1000 + step), encoding="utf-8")
        sources.append(source)
        return [source]
    picked = rng.sample(sources, min(len(sources), rng.randint(1, 3)))
    for number, source in enumerate(picked):
        path = site / source
        if kind == "delete":
            path.unlink()
            sources.remove(source)
            continue
        text = path.read_text(encoding="utf-8")
        if kind == "title":
            text = text.replace("title: '", f"title: 'Ubah {step} ", 1)
        elif kind == "same-date":        # ties: the order is by id, then
            text = "\n".join("date: 2026-10-01 08:00" if line.startswith("date:") else line
                             for line in text.splitlines()) + "\n"
        elif kind == "slug":
            text = "\n".join(line for line in text.splitlines() if not line.startswith("slug:")) + "\n"
            text = text.replace("---\n", f"---\nslug: alamat-baru-{step}{'' if clash else f'-{number}'}\n", 1)
        else:
            text = release_text(rng, step, title=f"Rilis diubah {step} {number}",
                                **({"date": "2027-01-15 09:00"} if kind == "date" and rng.random() < 0.3 else {}))
        path.write_text(text, encoding="utf-8")
    return picked


def loaded(site: Path):
    """The site's config, settings, a filled memo, and the model as the preview makes it."""
    from humasgen import types as content_types
    config = config_mod.load(site)
    settings = content.Settings(config.timezone, config.language, config.permalink)
    kinds, problems = content_types.load(site, settings)
    assert not problems
    memo = content.Memo()
    releases, _ = content.load(site, settings, memo=memo)
    model = site_mod.collect(releases, config, NOW, drafts=True, future=True, preview=True, types=kinds)
    return config, settings, memo, model


def saved(site: Path, settings, memo: content.Memo, sources: list[str]) -> list:
    """The changes the preview's watcher would hand on after `sources` were saved."""
    memo.mark(sources)
    changes, problems = content.load_changes(site, settings, memo)
    assert not problems
    return list(changes.values())


def test_revised_model_equals_the_model_made_anew(make_site):
    rng = random.Random(20261205)
    files = {f"content/2026/{rng.randint(1, 11):02d}/rilis-{n}.md": release_text(rng, n) for n in range(80)}
    # The next scheduled release is no draft, even when a draft comes earlier.
    files["content/2026/11/draf-terjadwal.md"] = release("Draf", "2026-11-21 09:00", draft="true")
    files["content/2026/11/terjadwal.md"] = release("Terjadwal", "2026-11-22 09:00")
    site = make_site(files, config=CONFIG)
    sources = sorted(files)
    config, settings, memo, model = loaded(site)
    for r in model.releases[:30]:
        model.related[r.id]             # lists computed before a change, as pages asked for them
    revised_steps = collisions = 0
    for step in range(120):
        written = edit(rng, site, sources, step)
        changes = saved(site, settings, memo, written)
        try:
            expected = plain(fresh_model(site, settings, config))
        except HumasgenError as error:      # two releases at one URL: the revision must say so too
            with pytest.raises(HumasgenError) as raised:
                site_mod.revise(model, changes, NOW)
            assert {d.message for d in raised.value.diagnostics} == {d.message for d in error.diagnostics}
            collisions += 1
            for number, source in enumerate(written):      # the officer gives each its own address
                path = site / source
                path.write_text(path.read_text(encoding="utf-8").replace(
                    f"slug: alamat-baru-{step}\n", f"slug: alamat-baru-{step}-{number}\n"), encoding="utf-8")
            saved(site, settings, memo, written)
            model = fresh_model(site, settings, config)     # as the preview: the next save loads it all
            continue
        revised = site_mod.revise(model, changes, NOW)
        assert revised is not None
        assert plain(revised) == expected, f"step {step}"
        model = revised
        revised_steps += 1
        for r in rng.sample(model.releases, min(10, len(model.releases))):
            model.related[r.id]
    assert revised_steps > 100 and collisions > 0


def test_related_lists_kept_from_before_are_the_ones_that_cannot_change(make_site):
    """A title edit in place keeps the lists of releases far from it and remakes those near it."""
    rng = random.Random(7)
    files = {f"content/2026/05/rilis-{n:02d}.md": release_text(
        rng, n, date=f"2026-05-{n + 1:02d} 09:00", meta={"tags": "[jalan]" if n < 10 else "[pangan]",
                                                       "category": "Ekonomi" if n < 10 else "Sosial"})
        for n in range(20)}
    site = make_site(files, config=CONFIG)
    config, settings, memo, model = loaded(site)
    before = {r.id: model.related[r.id] for r in model.releases}
    path = site / "content/2026/05/rilis-03.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: '", "title: 'Baru ", 1), encoding="utf-8")
    changes = saved(site, settings, memo, ["content/2026/05/rilis-03.md"])
    revised = site_mod.revise(model, changes, NOW)
    far = "2026/05/rilis-15"                      # another tag, another category
    assert revised.related._done[far] is before[far]
    assert "2026/05/rilis-04" not in revised.related._done      # shares 'jalan' with the edited one
    assert [r.title for r in revised.related["2026/05/rilis-04"] if r.id.endswith("03")] == \
        [r.title for r in revised.by_id.values() if r.id.endswith("rilis-03")]


def test_a_model_without_an_index_is_made_anew(make_site):
    """A model not made by collect() (built by hand, by a plugin) cannot be revised: None, not a wrong model."""
    site = make_site({"content/2026/11/a.md": release("A")}, config=CONFIG)
    config = config_mod.load(site)
    settings = content.Settings(config.timezone, config.language, config.permalink)
    releases, _ = content.load(site, settings)
    bare = site_mod.Site(config, NOW, releases, {}, (), {}, {}, None)
    assert site_mod.revise(bare, [(releases[0], releases[0])], NOW) is None


def served_pages(preview: serve.Preview, paths: list[str]) -> dict[str, bytes]:
    """The pages as served, without the reload script (its version differs between previews)."""
    out = {}
    for path in paths:
        response = preview.respond(path)
        body = response.body
        at = body.find(b"<script>/* humasgen serve")
        out[path] = (response.status, body[:at] if at >= 0 else body)
    return out


def test_preview_revises_on_release_saves_and_serves_what_a_fresh_preview_serves(make_site, monkeypatch):
    rng = random.Random(11)
    files = {f"content/2026/{rng.randint(8, 11):02d}/rilis-{n}.md": release_text(rng, n) for n in range(40)}
    files["content/halaman/profil.md"] = "---\ntitle: Profil\n---\nProfil dinas.\n"
    site = make_site(files, config=CONFIG)
    sources = sorted(s for s in files if "/halaman/" not in s)
    preview = serve.Preview(site, "", clock=lambda: NOW)
    preview.update(None)
    full_loads = []
    load_site = build.load_site
    monkeypatch.setattr(build, "load_site", lambda *a, **k: full_loads.append(1) or load_site(*a, **k))
    for step in range(12):
        written = edit(rng, site, sources, step, clash=False)
        preview.update(set(written))
        assert preview.snapshot.error is None, str(preview.snapshot.error)
        model = preview.snapshot.loaded.site
        paths = ["/", "/arsip/", "/kategori/", "/feed.xml", "/sitemap.xml",
                 *(r.url for r in rng.sample(model.releases, 6)),
                 *(t.url for t in model.taxonomies["tag"].terms[:4]),
                 *(m.url for m in model.archives[:3])]
        fresh = serve.Preview(site, "", clock=lambda: NOW)
        fresh.update(None)
        assert served_pages(preview, paths) == served_pages(fresh, paths), f"step {step}"
    assert len(full_loads) == 12, "each fresh preview loaded the site; every save revised the model"
    # A page of another type, or the config, is not a release: the model is made anew.
    count = len(full_loads)
    (site / "content/halaman/profil.md").write_text("---\ntitle: Profil\n---\nProfil baru.\n", encoding="utf-8")
    preview.update({"content/halaman/profil.md"})
    assert len(full_loads) == count + 1
    assert b"Profil baru." in preview.respond("/profil/").body


def test_a_broken_save_then_its_fix_in_the_preview(make_site):
    """An error in a saved release is shown; the fix after it is served, with the lists right."""
    site = make_site({"content/2026/11/a.md": release("Rilis A", "2026-11-18 09:00", tags="[jalan]"),
                      "content/2026/11/b.md": release("Rilis B", "2026-11-19 09:00", tags="[jalan]")},
                     config=CONFIG)
    preview = serve.Preview(site, "", clock=lambda: NOW)
    preview.update(None)
    source = site / "content/2026/11/a.md"
    source.write_text("---\ntitle: [rusak\n---\nIsi.\n", encoding="utf-8")
    preview.update({"content/2026/11/a.md"})
    assert preview.snapshot.error is not None
    assert "content/2026/11/a.md" in str(preview.snapshot.error)
    source.write_text(release("Rilis A diperbaiki", "2026-11-18 09:00", tags="[jalan]"), encoding="utf-8")
    preview.update({"content/2026/11/a.md"})
    assert preview.snapshot.error is None
    assert b"Rilis A diperbaiki" in preview.respond("/tag/jalan/").body
    assert b"Rilis A diperbaiki" in preview.respond("/2026/11/rilis-b/").body     # the neighbour's link


def test_the_clock_moves_on_between_saves_in_the_revised_model(make_site):
    """While the preview runs, an agenda item passes and the next release comes due: a save then
    revises the model at the new time, as a model made anew at that time would have it."""
    site = make_site({
        "content/2026/11/a.md": release("Rilis A", "2026-11-19 09:00"),
        "content/2026/11/b.md": release("Rilis B", "2026-11-20 21:00"),       # after NOW, before later
        "content/agenda/rapat.md": "---\ntitle: Rapat Koordinasi\nstart: 2026-11-20 20:30\nplace: Aula\n---\nIsi.\n",
    }, config=CONFIG)
    config, settings, memo, model = loaded(site)
    assert [e.title for e in model.types.upcoming] == ["Rapat Koordinasi"] and model.next_scheduled is not None
    later = NOW + timedelta(hours=2)
    path = site / "content/2026/11/a.md"
    path.write_text(release("Rilis A diubah", "2026-11-19 09:00"), encoding="utf-8")
    revised = site_mod.revise(model, saved(site, settings, memo, ["content/2026/11/a.md"]), later)
    releases, _ = content.load(site, settings)
    anew = site_mod.collect(releases, config, later, drafts=True, future=True, preview=True, types=model.types)
    assert revised.types == anew.types and revised.types.upcoming == ()
    assert revised.next_scheduled == anew.next_scheduled is None and revised.now == later


def test_two_releases_trading_places_in_one_save(make_site):
    """Each takes the other's date: the same places are taken, by other releases."""
    files = {f"content/2026/10/r{n}.md": release(f"Rilis {n}", f"2026-10-{n + 1:02d} 09:00",
                                                tags="[jalan]" if n % 2 else "[pangan]") for n in range(8)}
    site = make_site(files, config=CONFIG)
    config, settings, memo, model = loaded(site)
    for r in model.releases:
        model.related[r.id]
    (site / "content/2026/10/r1.md").write_text(release("Rilis 1", "2026-10-06 09:00", tags="[jalan]"))
    (site / "content/2026/10/r5.md").write_text(release("Rilis 5", "2026-10-02 09:00", tags="[jalan]"))
    changes = saved(site, settings, memo, ["content/2026/10/r1.md", "content/2026/10/r5.md"])
    revised = site_mod.revise(model, changes, NOW)
    assert plain(revised) == plain(fresh_model(site, settings, config))
