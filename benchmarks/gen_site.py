"""A tiny synthetic site generator (N releases) for serve benchmarks."""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

CATEGORIES = ["Pemerintahan", "Ekonomi", "Kesehatan", "Pendidikan", "Infrastruktur", "Sosial", "Budaya", "Lingkungan"]
UNITS = [f"Dinas {n}" for n in ("Kesehatan", "Pendidikan", "PUPR", "Sosial", "Perhubungan", "Pariwisata",
                                "Kominfo", "Pertanian", "Perikanan", "Koperasi dan UKM", "Lingkungan Hidup", "BPBD")]
TAGS = [f"topik {i}" for i in range(120)]
WORDS = ("pemerintah provinsi warga layanan program desa kota anggaran sekolah rumah sakit jalan jembatan "
         "bantuan bencana banjir pasar harga pangan petani nelayan pelatihan digital data terbuka").split()


def generate(site: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    (site / "content").mkdir(parents=True, exist_ok=True)
    (site / "humasgen.toml").write_text(
        'title = "Diskominfo Provinsi Uji Beban"\nbase_url = "https://uji.example.go.id"\n'
        'timezone = "Asia/Makassar"\n', encoding="utf-8")
    start = datetime(2026, 11, 20, 9, 0)
    for i in range(count):
        when = start - timedelta(hours=7 * i + rng.randint(0, 5))
        title = f"Rilis {i:05d}: " + " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
        tags = rng.sample(TAGS, 3)
        paras = ["\n".join(" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(4))
                 for _ in range(5)]
        body = "\n\n".join(paras)
        path = site / "content" / f"{when:%Y}" / f"{when:%m}" / f"rilis-{i:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: \"{title}\"\ndate: {when:%Y-%m-%d %H:%M}\nslug: rilis-{i:05d}\n"
            f"category: {rng.choice(CATEGORIES)}\nunit: {rng.choice(UNITS)}\n"
            f"tags: [{', '.join(tags)}]\nauthor: Penulis {rng.randint(1, 30)}\n---\n\n{body}\n",
            encoding="utf-8")
    return site


if __name__ == "__main__":
    import sys
    generate(Path(sys.argv[1]), int(sys.argv[2]))
