"""The output plan and the output tree: every path known and checked before the first render;
the record of the output folder testable on its own."""
from __future__ import annotations

import os

import pytest

from conftest import NOW, release, tree
from humasgen import build as build_mod, outputs, write
from humasgen.errors import HumasgenError
from humasgen.output_tree import OutputTree

CONFIG = 'title = "Diskominfo Uji"\nbase_url = "https://uji.example.go.id"\n'


def small_site(make_site, extra=None):
    files = {f"content/r{i}.md": release(f"Rilis Nomor {i} Tentang Layanan Publik", date=f"2026-11-{10 + i} 09:00",
                                         category="Ekonomi", tags="[layanan]") for i in range(4)}
    files["static/images/logo.png"] = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    return make_site({**files, **(extra or {})}, config=CONFIG)


def test_the_plan_names_every_file_a_cold_build_writes(make_site, build_site):
    site = small_site(make_site)
    loaded = build_mod.load_site(site, NOW)
    planned = outputs.plan(loaded.site, loaded.theme_key, loaded.static, {})
    build_site(site)
    assert set(planned.paths()) == set(tree(site / "output"))
    assert planned.cards, "recent releases without a lead image get a share card"


def test_a_clash_is_found_before_any_page_renders(make_site, cli):
    # home.html is broken: had any page rendered, the build would stop with a template error.
    site = small_site(make_site, {"themes/default/templates/home.html": "{{ tidak_ada.sama_sekali }}",
                                  "static/feed.xml": "<rss/>"})
    result = cli("build", "--site", str(site))
    assert result.exit_code == 1
    assert "keluaran feed.xml juga akan ditulis oleh generated file" in result.output
    assert "template error" not in result.output
    assert not (site / "output").exists()


def test_a_share_card_clashing_with_a_static_file_is_an_error(make_site):
    site = small_site(make_site)
    loaded = build_mod.load_site(site, NOW)
    card = next(iter(outputs.plan(loaded.site, loaded.theme_key, loaded.static, {}).cards))
    (site / "static" / card).parent.mkdir(parents=True)
    (site / "static" / card).write_bytes(b"\xff\xd8 bukan kartu")
    loaded = build_mod.load_site(site, NOW)
    with pytest.raises(HumasgenError) as caught:
        outputs.plan(loaded.site, loaded.theme_key, loaded.static, {})
    assert f"output {card} would also be written by share card of" in str(caught.value)


def test_output_tree_records_and_trusts_only_its_own_folder(tmp_path):
    out, cache = tmp_path / "output", tmp_path / "cache"
    empty = OutputTree.open(out, cache)
    assert empty.state == write.TreeState() and not empty.kept("index.html")

    def entries(fresh):
        yield "manifest.json", b"{}"
        yield "index.html", b"<p>beranda</p>"
    stats, done = empty.commit(entries)
    assert stats.written == 2
    done.save({"feed.xml": "k1"}, {"paths": [], "groups": {}, "pages": {}})
    again = OutputTree.open(out, cache)
    assert again.kept("index.html") and again.feed_keys == {"feed.xml": "k1"}
    assert again.feed_kept("feed.xml", "k1") is False       # recorded, but no such file in the folder
    os.remove(out / "index.html")                            # deleted by hand: no longer kept
    assert not OutputTree.open(out, cache).kept("index.html")
    (out / "manifest.json").write_bytes(b'{"diganti": true}')  # folder replaced by hand: record ignored
    os.utime(out / "manifest.json", ns=(1, 1))
    assert OutputTree.open(out, cache).feed_keys == {}


def test_a_build_that_dies_while_writing_leaves_no_page_reads_to_trust(tmp_path):
    """The record is rewritten before the idle tree changes; a build killed after that keeps
    nothing of the last reads (the next build renders every page again), never a stale page."""
    out, cache = tmp_path / "output", tmp_path / "cache"
    record = {"paths": [["site", ["a", "title"]]], "groups": [], "pages": {"index.html": ["k", [0], []]}}

    def entries(body: bytes):
        def make(fresh):
            yield "manifest.json", b"{}"
            yield "index.html", body
        return make
    for body in (b"<p>satu</p>", b"<p>dua</p>"):      # two builds: both trees known
        _, done = OutputTree.open(out, cache).commit(entries(body))
        done.save({}, record)
    assert OutputTree.open(out, cache).pages == record

    def dying(fresh):
        yield "index.html", b"<p>tiga</p>"
        raise RuntimeError("killed")
    with pytest.raises(RuntimeError):
        OutputTree.open(out, cache).commit(dying)
    after = OutputTree.open(out, cache)
    assert after.pages == {} and after.kept("index.html")
    assert (out / "index.html").read_bytes() == b"<p>dua</p>"


def test_the_record_keeps_the_second_tree_as_its_differences_and_reads_back_the_same():
    """The two output trees list the same files but for the last build's changes: the record
    holds the second as differences (half the file), and reading it back gives both in full."""
    import orjson
    a = {f"{n}/index.html": f"hash-{n}" for n in range(50)}
    b = {**{k: v for k, v in a.items() if k != "3/index.html"}, "7/index.html": "baru", "baru/index.html": "x"}
    state = write.TreeState("b", {"a": a, "b": b})
    written = orjson.loads(orjson.dumps(state.to_json()))
    assert len(orjson.dumps(written["hashes"]["b"])) < len(orjson.dumps(b)) / 5
    again = write.TreeState.from_json(written)
    assert again == state and again.live_hashes == b
    # A record of an earlier version (both trees in full) still reads.
    assert write.TreeState.from_json({"live": "b", "hashes": {"a": a, "b": b}}) == state
    # Differences of the wrong shape: the second tree is unknown (written afresh), never guessed.
    for broken in ({"differs": {"7/index.html": 1}, "absent": []}, {"differs": {}, "absent": "3/index.html"}):
        read = write.TreeState.from_json({"live": "a", "hashes": {"a": a, "b": broken}})
        assert "b" not in read.hashes and read.live_hashes == a
