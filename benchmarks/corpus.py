"""Seeded benchmark corpus: N realistic Indonesian press releases, as a humasgen, Pelican or Hugo site.

    python benchmarks/corpus.py DIR --count N [--seed S] [--format humasgen|pelican|hugo]

The same seed and count give the same releases, byte for byte, in every format, so the
three generators build the same text. Releases run 300-1,200 words (about 700 on average)
with subheadings, lists, tables, quotes and images, spread over ten years.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
import phrases as P  # noqa: E402  (the script's own folder)

FORMATS = ("humasgen", "pelican", "hugo")
TITLE = "Diskominfo Provinsi Nusa Harapan"
BASE_URL = "https://diskominfo.nusaharapan.example.go.id"
TZ = timezone(timedelta(hours=8))               # Asia/Makassar has no DST
START = datetime(2016, 7, 1, tzinfo=TZ)         # ten years of releases ...
END = datetime(2026, 6, 30, 18, 0, tzinfo=TZ)   # ... ending here; bench.py builds "now" = END + 1 day
TITLE_MAX, SUMMARY_MAX = 70, 160   # humasgen check's title-length and summary-length limits
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
SMALL_WORDS = {"di", "dan", "bagi", "untuk", "yang", "ke", "dari", "dengan", "secara", "hingga"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True, slots=True)
class Item:
    """One release, independent of the generator that will build it."""
    index: int
    title: str
    slug: str
    date: datetime
    category: str
    tags: tuple[str, ...]
    unit: str
    author: str
    summary: str
    image: tuple[str, str, str] | None      # (file, alt, caption)
    number: str
    dateline: str
    contact: tuple[str, str, str, str]      # (name, role, phone, email)
    body: str                               # Markdown, without dateline and contact

    @property
    def folder(self) -> str:
        return f"{self.date:%Y}/{self.date:%m}"


def slugify(text: str, limit: int = 60) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


class _Writer:
    """Builds one release body from the phrase tables, counting words as it goes."""

    def __init__(self, rng: random.Random, when: datetime):
        self.rng, self.year = rng, when.year
        self.day = f"{DAYS[when.weekday()]} ({when.day}/{when.month}/{when.year})"
        self.blocks: list[str] = []
        self.words = 0

    def fill(self, template: str, **given: str) -> str:
        r = self.rng
        official = r.choice(P.OFFICIALS)
        values = {
            "unit": r.choice(P.UNITS), "verb": r.choice(P.VERBS), "verb2": r.choice(P.VERBS2),
            "program": r.choice(P.PROGRAMS), "place": r.choice(P.PLACES), "venue": r.choice(P.VENUES),
            "name": official[0], "role": official[1], "year": str(self.year),
            "count": f"{r.randint(120, 48000):,}".replace(",", "."), "small": r.randint(3, 90),
            "pct": f"{r.uniform(12, 99):.1f}".replace(".", ","), "money": f"{r.uniform(1.5, 480):.1f}".replace(".", ","),
            "day": self.day,
        }
        values.update(given)
        return template.format(**values)

    def add(self, block: str) -> None:
        self.blocks.append(block)
        self.words += len(re.findall(r"\w+", block))

    def sentence(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.35:
            return self.fill(r.choice(P.FACT_SENTENCES))
        subject, predicate, complement = r.choice(P.SUBJECTS), r.choice(P.PREDICATES), r.choice(P.COMPLEMENTS)
        if kind < 0.7:
            return f"{subject} {predicate} {complement}."
        name, role = r.choice(P.OFFICIALS)
        return f"Menurut {name.split(',')[0]}, {subject.lower()} {predicate} {complement}."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def quote(self) -> str:
        name, role = self.rng.choice(P.OFFICIALS)
        text = self.rng.choice(P.QUOTES)
        text = text[:-1] + "," if text.endswith(".") else text
        return f'> "{text}" kata {role}, {name.rstrip(".")}.'

    def bullet_list(self) -> str:
        r = self.rng
        items = r.sample(P.LIST_ITEMS, r.randint(3, 6))
        marker = (lambda i: f"{i}.") if r.random() < 0.3 else (lambda i: "-")
        lines = [f"{marker(i)} {item};" for i, item in enumerate(items, 1)]
        lines[-1] = lines[-1][:-1] + "."
        return r.choice(P.LIST_INTROS) + "\n\n" + "\n".join(lines)

    def table(self) -> str:
        r = self.rng
        caption, header, pool, kinds = r.choice(P.TABLES)
        labels = {"places": P.PLACES, "quarters": P.QUARTERS, "goods": P.GOODS}[pool]
        labels = labels if pool == "quarters" else r.sample(labels, r.randint(4, 8))
        rows = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["--:"] * (len(header) - 1)) + "|"]
        for label in labels:
            cells = [self.fill({"money": "{money}", "count": "{count}", "pct": "{pct}%",
                                "price": f"{r.randint(9, 95) * 1000:,}".replace(",", "."),
                                "change": f"{r.uniform(-6, 6):+.1f}%".replace(".", ",")}[kind]) for kind in kinds]
            rows.append(f"| {label} | " + " | ".join(cells) + " |")
        return f"**{caption}, {self.year}:**\n\n" + "\n".join(rows)


def _title(r: random.Random, year: int) -> str:
    """A headline of at most 70 characters (what humasgen's title-length check asks for)."""
    for _ in range(20):
        tail = r.choice(P.TITLE_TAILS).format(place=r.choice(P.PLACES), count=r.randint(12, 450), year=year,
                                              money=r.randint(3, 250))
        program = " ".join(w if w in SMALL_WORDS or not w.islower() else w.capitalize()
                           for w in r.choice(P.PROGRAMS).split())
        title = f"{r.choice(P.TITLE_SUBJECTS)} {r.choice(P.TITLE_VERBS)} {program} {tail}"
        if len(title) <= TITLE_MAX:
            return title
    return title[:TITLE_MAX].rsplit(" ", 1)[0]


def _summary(opening: str, w: "_Writer") -> str:
    """One sentence of news for the meta description, at most 160 characters."""
    if len(opening) <= SUMMARY_MAX:
        return opening
    for _ in range(20):
        program = w.rng.choice(P.PROGRAMS)
        text = w.fill("{unit} {verb} {program} di {place}.", program=program)
        text = text[0].upper() + text[1:]
        if len(text) <= SUMMARY_MAX:
            return text
    return opening[:SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"


def _zipf_weights(n: int) -> list[float]:
    return [1 / (rank ** 1.1) for rank in range(1, n + 1)]


def releases(count: int, seed: int = 1) -> Iterator[Item]:
    """The corpus, oldest first. Release i depends only on (seed, i, count)."""
    span = (END - START).total_seconds()
    tag_weights = _zipf_weights(len(P.TAGS))
    categories, category_weights = zip(*P.CATEGORIES)
    for index in range(count):
        r = random.Random(f"{seed}:{index}")
        slot = span / count
        when = START + timedelta(seconds=index * slot + r.random() * slot * 0.9)
        when = when.replace(hour=r.randint(7, 17), minute=r.choice((0, 15, 30, 45)), second=0, microsecond=0)
        year = when.year
        title = _title(r, year)
        w = _Writer(r, when)
        target = int(r.triangular(300, 1200, 600))      # mean 700 words
        opening = w.fill(r.choice(P.OPENINGS))
        w.add(opening + " " + w.paragraph())
        image = r.choice(P.IMAGES) if r.random() < 0.75 else None
        body_image = r.random() < 0.3
        while w.words < target:
            roll = r.random()
            if roll < 0.55:
                w.add(w.paragraph())
            elif roll < 0.66:
                w.add(w.quote())
            elif roll < 0.76:
                w.add(w.bullet_list())
            elif roll < 0.84:
                w.add(w.table())
            elif roll < 0.94:
                w.add(f"## {r.choice(P.SUBHEADINGS)}\n\n{w.paragraph()}")
            elif body_image:
                file, alt, caption = r.choice(P.IMAGES)
                w.add(f"![{alt}](/images/{file})\n*{caption}*")
                body_image = False
        w.add(w.fill(r.choice(P.CLOSINGS)))
        name, role = r.choice(P.OFFICIALS)
        unit = r.choice(P.UNITS)
        yield Item(
            index=index, title=title, slug=f"{slugify(title)}-{index + 1}", date=when,
            category=r.choices(categories, category_weights)[0],
            tags=tuple(dict.fromkeys(r.choices(P.TAGS, tag_weights, k=r.randint(2, 5)))),
            unit=unit, author=r.choice(P.AUTHORS), summary=_summary(opening, w),
            image=image,
            number=f"{index % 900 + 1:03d}/SP/HUMAS/{ROMAN[when.month - 1]}/{year}",
            dateline=r.choice(P.PLACES).removeprefix("Kabupaten ").removeprefix("Kota "),
            contact=(name.split(",")[0], role, f"0812-0000-{r.randint(0, 9999):04d}",
                     f"humas{r.randint(1, 14)}@nusaharapan.example.go.id"),
            body="\n\n".join(w.blocks) + "\n",
        )


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _plain_body(item: Item) -> str:
    """Body for Pelican and Hugo, which have no dateline/number/contact fields: put them in the text."""
    name, role, phone, email = item.contact
    first, _, rest = item.body.partition("\n\n")
    return (f"Nomor: {item.number}\n\n**{item.dateline.upper()}** – {first}\n\n{rest}\n"
            f"Narahubung: {name} ({role}), telepon {phone}, surel {email}.\n")


def humasgen_text(item: Item) -> str:
    lines = ["---", f"title: {_q(item.title)}", f"date: {item.date:%Y-%m-%d %H:%M}", f"slug: {item.slug}",
             f"summary: {_q(item.summary)}", f"category: {item.category}",
             "tags: [" + ", ".join(_q(t) for t in item.tags) + "]", f"unit: {item.unit}",
             f"author: {item.author}"]
    if item.image:
        file, alt, caption = item.image
        lines += [f"image: /images/{file}", f"image_alt: {_q(alt)}", f"image_caption: {_q(caption)}",
                  f"image_credit: {_q('Foto: Diskominfo/' + item.author)}"]
    name, role, phone, email = item.contact
    lines += [f"number: {_q(item.number)}", f"dateline: {item.dateline}", "contact:", f"  name: {_q(name)}",
              f"  role: {_q(role)}", f"  phone: {_q(phone)}", f"  email: {email}", "---", "", item.body]
    return "\n".join(lines)


def pelican_text(item: Item) -> str:
    lines = [f"Title: {item.title}", f"Date: {item.date:%Y-%m-%d %H:%M}", f"Category: {item.category}",
             f"Tags: {', '.join(item.tags)}", f"Slug: {item.slug}", f"Author: {item.author}",
             f"Summary: {item.summary}"]
    body = _plain_body(item)
    if item.image:
        file, alt, caption = item.image
        body = f"![{alt}](/images/{file})\n*{caption}*\n\n" + body
    return "\n".join(lines) + "\n\n" + body


def hugo_text(item: Item) -> str:
    lines = ["---", f"title: {_q(item.title)}", f"date: {item.date.isoformat()}", f"slug: {item.slug}",
             f"summary: {_q(item.summary)}", f"categories: [{_q(item.category)}]",
             "tags: [" + ", ".join(_q(t) for t in item.tags) + "]", f"units: [{_q(item.unit)}]",
             f"author: {_q(item.author)}"]
    if item.image:
        file, alt, caption = item.image
        lines += [f"image: /images/{file}", f"image_alt: {_q(alt)}", f"image_caption: {_q(caption)}"]
    lines += ["---", "", _plain_body(item)]
    return "\n".join(lines)


def release_path(root: Path, item: Item, fmt: str) -> Path:
    """Where `write` puts a release, so bench.py can edit one."""
    if fmt == "humasgen":
        return root / "content" / item.folder / f"{item.slug}.md"
    if fmt == "pelican":
        return root / "content" / f"{item.slug}.md"
    return root / "content" / "rilis" / item.folder / f"{item.slug}.md"


def write_images(folder: Path, seed: int) -> None:
    """A handful of small, seeded JPEG photos-to-be (sky, ground, a few shapes), shared by all releases."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    for number, (name, _alt, _caption) in enumerate(P.IMAGES):
        r = random.Random(f"{seed}:image:{number}")
        image = Image.new("RGB", (640, 360))
        draw = ImageDraw.Draw(image)
        sky = [r.randint(90, 200) for _ in range(3)]
        ground = [r.randint(30, 140) for _ in range(3)]
        horizon = r.randint(150, 250)
        for y in range(360):
            base, top = (sky, 0) if y < horizon else (ground, horizon)
            shade = (y - top) / 360
            draw.line([(0, y), (639, y)], fill=tuple(int(c * (1 - shade * 0.5)) for c in base))
        for _ in range(r.randint(4, 9)):
            x, y = r.randint(0, 600), r.randint(horizon - 80, 330)
            w, h = r.randint(20, 140), r.randint(20, 90)
            colour = tuple(r.randint(20, 235) for _ in range(3))
            (draw.ellipse if r.random() < 0.4 else draw.rectangle)([x, y, x + w, y + h], fill=colour)
        image.save(folder / name, "JPEG", quality=80, optimize=True)


HUGO_CONFIG = f'''baseURL = "{BASE_URL}/"
locale = "id"
title = "{TITLE}"
timeZone = "Asia/Makassar"
disableKinds = []

[services.rss]
  limit = 50    # humasgen's feeds hold 50 releases; Hugo's default is every page, in every feed

[pagination]
  pagerSize = 10

[taxonomies]
  category = "categories"
  tag = "tags"
  unit = "units"

[permalinks.page]
  rilis = "/:year/:month/:slug/"

# Related releases weigh shared tags, units and categories 3:2:1, as humasgen does.
[related]
  includeNewer = true
  threshold = 1
  toLower = true
  [[related.indices]]
    name = "tags"
    weight = 3
  [[related.indices]]
    name = "units"
    weight = 2
  [[related.indices]]
    name = "categories"
    weight = 1
'''

# Shaped so Hugo scales linearly: "Baca juga" is scored within the release's month (site-wide .Related scored
# every page sharing a tag or category with each page: O(N²), 215 s at 10k), and lists print the front-matter
# summary (.Summary goes through Hugo's rendered-content cache, which overflows and thrashes at 20k).
HUGO_LAYOUTS = {
    "baseof.html": '''<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="alternate" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
</head><body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav>{{ partialCached "nav.html" . }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>&copy; {{ site.Title }}</footer></body></html>
''',
    "single.html": '''{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006 15:04" }}</time>
{{ with .Params.author }}· {{ . }}{{ end }}</p>
{{ with .Params.image }}<figure><img src="{{ . }}" alt="{{ $.Params.image_alt }}"><figcaption>{{ $.Params.image_caption }}</figcaption></figure>{{ end }}
{{ .Content }}
<p>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "units" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ $related := (index (partialCached "months.html" .) (.Date.Format "2006-01")).Related . }}
{{ if lt (len $related) 4 }}{{ $related = site.RegularPages.Related . }}{{ end }}
{{ with $related | first 4 }}<h2>Baca juga</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
''',
    "list.html": '''{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ else if eq .Kind "section" }}{{ $pages = .RegularPagesRecursive }}{{ end }}
{{ $pager := .Paginate $pages }}
{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time>{{ .Date.Format "2 January 2006" }}</time><p>{{ .Params.summary }}</p></article>{{ end }}
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">Sebelumnya</a>{{ end }} {{ $pager.PageNumber }}/{{ $pager.TotalPages }}
{{ with $pager.Next }}<a href="{{ .URL }}">Berikutnya</a>{{ end }}</nav>{{ end }}
''',
    "_partials/nav.html": '''{{ range site.Taxonomies.categories.ByCount }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}
''',
    "_partials/months.html": '''{{ $months := newScratch }}
{{ range site.RegularPages.GroupByDate "2006-01" }}{{ $months.SetInMap "pages" .Key .Pages }}{{ end }}
{{ return $months.Get "pages" }}
''',
}

PELICAN_CONFIG = f'''import os

AUTHOR = "Diskominfo"
SITENAME = "{TITLE}"
SITEURL = "{BASE_URL}"
PATH = "content"
TIMEZONE = "Asia/Makassar"
DEFAULT_LANG = "id"
DEFAULT_PAGINATION = 10
STATIC_PATHS = ["images"]
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{{slug}}.rss.xml"
CACHE_PATH = "cache"
# bench.py sets BENCH_PELICAN_CACHE=1 for the "content cache on" runs.
CACHE_CONTENT = LOAD_CONTENT_CACHE = os.environ.get("BENCH_PELICAN_CACHE") == "1"
'''


def write(root: Path, count: int, seed: int = 1, fmt: str = "humasgen") -> list[Item]:
    """Write the corpus as a site of the given format; returns the releases, oldest first."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    render = {"humasgen": humasgen_text, "pelican": pelican_text, "hugo": hugo_text}[fmt]
    root.mkdir(parents=True, exist_ok=True)
    items = list(releases(count, seed))
    for item in items:
        path = release_path(root, item, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(item), encoding="utf-8")
    if fmt == "humasgen":
        (root / "humasgen.toml").write_text(
            f'title = "{TITLE}"\nbase_url = "{BASE_URL}"\nlanguage = "id"\ntimezone = "Asia/Makassar"\n',
            encoding="utf-8")
        write_images(root / "static" / "images", seed)
    elif fmt == "pelican":
        (root / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
        write_images(root / "content" / "images", seed)
    else:
        (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
        for name, text in HUGO_LAYOUTS.items():
            (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "layouts" / name).write_text(text, encoding="utf-8")
        write_images(root / "static" / "images", seed)
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="site folder to create (its content/ must not exist yet)")
    parser.add_argument("--count", type=int, default=1000, help="number of releases [1000]")
    parser.add_argument("--seed", type=int, default=1, help="random seed [1]")
    parser.add_argument("--format", choices=FORMATS, default="humasgen", help="site format [humasgen]")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    if (args.directory / "content").exists():
        parser.error(f"{args.directory / 'content'} already exists; pick an empty folder")
    items = write(args.directory, args.count, args.seed, args.format)
    words = sum(len(re.findall(r"\w+", item.body)) for item in items)
    print(f"wrote {len(items)} releases ({words // len(items)} words on average) as a {args.format} site "
          f"in {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
