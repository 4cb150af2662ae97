"""Site -> HTML pages: the page plan, the Jinja environment, and rendering one page.

A planned page carries a base key (its template and path, the config, theme, static files and
plugins). Rendering it records every value it reads from the site model (see reads.py); the
base key and those values make its full key, which a warm build replays to decide whether the
page would come out the same.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterator, Mapping

import jinja2
from markupsafe import Markup

from . import __version__, i18n, reads, structured
from .content import Release
from .errors import Diagnostic, HumasgenError
from .images import EMPTY as NO_IMAGES, Images as ResponsiveImages, add_srcsets
from .search import SEARCH_URL
from .site import ARCHIVE_URL, LANGUAGE_NAMES, TAXONOMIES, Site, Term, term_slug, terms_of
from .theme import Theme

PAGE_SEGMENT = "halaman"


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    total: int
    base: str                           # URL of page 1

    def url(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}{PAGE_SEGMENT}/{number}/"

    @property
    def prev_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.total else None

    @property
    def shown(self) -> tuple[tuple[int, bool], ...]:
        """The numbers a pager links: first, last and two either side of this page, each with
        whether a gap (…) comes before it."""
        numbers = sorted({1, self.total, *range(max(self.number - 2, 1), min(self.number + 2, self.total) + 1)})
        return tuple((n, i > 0 and n - numbers[i - 1] > 1) for i, n in enumerate(numbers))


@dataclass(frozen=True, slots=True)
class Page:
    kind: str                           # home, release, term, terms, month, months, notfound, search
    url: str                            # site path; '' for the 404 page
    path: str                           # output file, e.g. 'kategori/ekonomi/index.html'
    template: str
    title: str = ""
    release: Release | None = None
    items: tuple[Release, ...] = ()
    term: Term | None = None
    taxonomy: str = ""
    pagination: Pagination | None = None
    key: str = ""
    item: Any = None                    # the content-type item of the page (a StaticPage...), see humasgen/types


def output_path(url: str) -> str:
    return url.lstrip("/") + "index.html"


def plan(site: Site, theme_key: str) -> tuple[Page, ...]:
    """Every HTML page of the site, each with its base key (see `base_key`)."""
    site_key = _site_key(site, theme_key)
    pages: list[Page] = [*_list_pages(site, site_key, _home_listing(site))]
    pages += (_release_page(site_key, release) for release in site.releases)
    for name, taxonomy in site.taxonomies.items():
        pages.append(_terms_page(site_key, name, taxonomy))
        for term in taxonomy.terms:
            pages += _list_pages(site, site_key, _term_listing(name, term))
    pages.append(_months_page(site_key))
    for month in site.archives:
        pages += _list_pages(site, site_key, _month_listing(site, month))
    pages.append(_notfound_page(site_key))
    if site.config.search:
        pages.append(_search_page(site_key))
    pages += _type_pages(site, site_key)
    for term in site.languages:
        pages += _list_pages(site, site_key, _language_listing(term))
    return tuple(pages)


def _type_pages(site: Site, site_key: str) -> list[Page]:
    """Pages of the content types (humasgen/types/plan.py) and the embargo previews."""
    from .types import plan as types_plan
    return [*types_plan.pages(site, site_key), *(_preview_page(site_key, preview) for preview in site.previews)]


def _preview_page(site_key: str, preview: Any) -> Page:
    """An embargoed release before its time, at its secret URL (noindex; in no list, feed or sitemap)."""
    return Page("preview", preview.url, output_path(preview.url), "release.html", title=preview.release.title,
                release=preview.release, key=base_key(site_key, "preview", "release.html", preview.url))


def _language_listing(term: Term) -> "_Listing":
    return _Listing("language", term.url, "language.html", term.releases, term=term, taxonomy="lang",
                    title=term.name)


@dataclass(frozen=True, slots=True)
class Router:
    """The one page behind an output path, planned alone, with the same key as in plan().

    `serve` renders pages on request and must not plan 20,000 pages after every save.
    """
    site: Site
    site_key: str
    releases: Mapping[str, Release]         # url -> release
    listings: Mapping[str, "_Listing"]      # url of page 1 -> paginated list
    singles: Mapping[str, Any]              # url -> function making the page

    def page(self, path: str) -> Page | None:
        if path == "404.html":
            return _notfound_page(self.site_key)
        if path != "index.html" and not path.endswith("/index.html"):
            return None
        url = "/" + path.removesuffix("index.html")
        if url in self.releases:
            return _release_page(self.site_key, self.releases[url])
        if url in self.singles:
            return self.singles[url]()
        if url in self.listings:
            return _list_page(self.site, self.site_key, self.listings[url], 1)
        match = _PAGED_URL.match(url)
        listing = self.listings.get(match[1]) if match else None
        if listing is None:
            return None
        number = int(match[2])
        page = _list_page(self.site, self.site_key, listing, number) \
            if 1 <= number <= listing.total(self.site) else None
        return page if page is not None and page.url == url else None


_PAGED_URL = re.compile(rf"^(.*/){PAGE_SEGMENT}/([0-9]{{1,9}})/$")


def router(site: Site, theme_key: str) -> Router:
    site_key = _site_key(site, theme_key)
    listings = [_home_listing(site),
                *(_term_listing(name, term) for name, taxonomy in site.taxonomies.items() for term in taxonomy.terms),
                *(_month_listing(site, month) for month in site.archives)]
    singles: dict[str, Any] = {t.url: (lambda n=n, t=t: _terms_page(site_key, n, t))
                               for n, t in site.taxonomies.items()}
    singles[ARCHIVE_URL] = lambda: _months_page(site_key)
    for made in _type_pages(site, site_key):
        singles[made.url] = lambda made=made: made
    listings += [_language_listing(term) for term in site.languages]
    if site.config.search:
        singles[SEARCH_URL] = lambda: _search_page(site_key)
    return Router(site, site_key, site.by_url,
                  MappingProxyType({listing.base: listing for listing in listings}), MappingProxyType(singles))


@dataclass(frozen=True, slots=True)
class _Listing:
    """A paginated list of releases (home, a term, a month) before it is cut into pages."""
    kind: str
    base: str
    template: str
    items: tuple[Release, ...]
    term: Term | None = None
    taxonomy: str = ""
    title: str = ""

    def total(self, site: Site) -> int:
        return max(1, -(-len(self.items) // site.config.per_page))


def _home_listing(site: Site) -> _Listing:
    return _Listing("home", "/", "home.html", site.releases)


def _term_listing(name: str, term: Term) -> _Listing:
    return _Listing("term", term.url, "term.html", term.releases, term=term, taxonomy=name, title=term.name)


def _month_listing(site: Site, month: Any) -> _Listing:
    return _Listing("month", month.url, "month.html", month.releases,
                    title=i18n.month_name(month.year, month.month, site.config.language))


def _list_pages(site: Site, site_key: str, listing: _Listing) -> list[Page]:
    return [_list_page(site, site_key, listing, number) for number in range(1, listing.total(site) + 1)]


def _list_page(site: Site, site_key: str, listing: _Listing, number: int) -> Page:
    per_page = site.config.per_page
    pagination = Pagination(number, listing.total(site), listing.base)
    chunk = listing.items[(number - 1) * per_page: number * per_page]
    url = pagination.url(number)
    extra: dict[str, Any] = {"title": listing.title} if listing.title else {}
    if listing.term is not None:
        extra.update(term=listing.term, taxonomy=listing.taxonomy)
    return Page(listing.kind, url, output_path(url), listing.template, items=chunk,
                pagination=pagination, key=base_key(site_key, listing.kind, listing.template, url), **extra)


def _release_page(site_key: str, release: Release) -> Page:
    return Page("release", release.url, output_path(release.url), "release.html",
                title=release.title, release=release, key=base_key(site_key, "release", "release.html", release.url))


def _terms_page(site_key: str, name: str, taxonomy: Any) -> Page:
    return Page("terms", taxonomy.url, output_path(taxonomy.url), "terms.html", taxonomy=name,
                key=base_key(site_key, "terms", "terms.html", taxonomy.url))


def _months_page(site_key: str) -> Page:
    return Page("months", ARCHIVE_URL, output_path(ARCHIVE_URL), "months.html",
                key=base_key(site_key, "months", "months.html", ARCHIVE_URL))


def _notfound_page(site_key: str) -> Page:
    return Page("notfound", "", "404.html", "404.html", key=base_key(site_key, "notfound", "404.html", ""))


def _search_page(site_key: str) -> Page:
    return Page("search", SEARCH_URL, output_path(SEARCH_URL), "search.html",
                key=base_key(site_key, "search", "search.html", SEARCH_URL))


def base_key(*parts: Any) -> str:
    """What a page is, before it reads anything: which template makes which path, with which
    config, theme, static files and plugins. The rest of its key comes from what it reads."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def _site_key(site: Site, theme_key: str) -> str:
    """What every page depends on without reading it through the model: config, theme, static
    files, plugins (all in theme_key) and humasgen itself."""
    return base_key(__version__, repr(site.config), theme_key)


class _Environment(jinja2.Environment):
    """Templates see the environment's globals as one plain dict, fixed once make_env has set them.

    Jinja chains them (a ChainMap), and every `{% from ... import %}` compares key sets
    through the chain: a tenth of a release page's render time.
    """

    def make_globals(self, d: Mapping[str, Any] | None) -> dict[str, Any]:   # type: ignore[override]
        return {**self.globals, **(d or {})}


SOURCE_LANGUAGE = "id"      # the language the templates are written in: no catalogue needed


def make_env(theme: Theme, site: Site, static: Mapping[str, Path],
             images: ResponsiveImages | None = None) -> jinja2.Environment:
    config = site.config
    images = images or NO_IMAGES
    env = _new_environment(theme)
    translations = i18n.translations(config.language, theme.locales)
    env.install_gettext_translations(translations, newstyle=True)
    env.static_translations = translations
    language = config.language
    base_path = config.base_path
    image_size = _image_sizer(static)
    tracker = reads.Tracker()
    env.tracker = tracker
    env.group_keys = {}
    env.roots = {"site": site, "fn": Derived(site)}
    env.globals["site"] = reads.wrap(site, ("site",), tracker)
    card_of = reads.wrap(env.roots["fn"], ("fn",), tracker).card

    def share_card_url(release: Release) -> str:
        """Absolute URL of the release's generated og:image card, '' when it has none."""
        path = card_of(release.id)
        return config.url(path) if path else ""

    env.globals.update(
        config=config, lang=language,
        url=lambda path: path if "://" in path else base_path + path,   # images may live on a CDN
        absolute=config.url,
        term_url=lambda taxonomy, name: f"/{TAXONOMIES[taxonomy]}/{term_slug(name)}/",
        terms_of=terms_of,
        feed_links=lambda page: feed_links(page, config.feeds.per_tag),
        month_name=i18n.month_name,
        language_name=lambda code: LANGUAGE_NAMES.get(code, code),
        image_size=image_size,
        share_card_url=share_card_url,
        srcset=lambda path, kind="fallback": images.srcset(path, kind, base_path),
        release_meta=lambda release: structured.release_meta(config, release, image_size, share_card_url(release),
                                                             images.share),
        site_meta=lambda page: structured.site_meta(config, page.title, page.url or "/", image_size),
    )
    from .types import plan as types_plan
    env.globals.update(types_plan.template_globals(config, image_size))
    rendered_once = _rendered_once(env)
    env.globals["card_html"] = _card_renderer(rendered_once)
    env.globals["fragment"] = _fragment_renderer(rendered_once)
    long_date = lru_cache(maxsize=8192)(i18n.long_date)     # Babel is slow; dates repeat across lists
    short_date = lru_cache(maxsize=65536)(i18n.short_date)
    env.filters.update(
        long_date=lambda d, with_time=True: long_date(d, language, with_time),
        short_date=lambda d: short_date(d, language),
        iso=lambda d: d.isoformat(),
        human_size=lambda n: i18n.human_size(n, language),
        site_links=lambda html: Markup(_prefix_links(_size_images(html, image_size), base_path)),
        tojson_ld=_json_ld,
        responsive_images=lambda html, sizes: Markup(add_srcsets(str(html), images, base_path, sizes)),
    )
    _add_languages(env, theme, language)
    return env


def _new_environment(theme: Theme) -> jinja2.Environment:
    return _Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in theme.templates]),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        extensions=["jinja2.ext.i18n", i18n.StaticGettext],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False,      # an env lives for one build or one preview update: no stat() per include
    )


_GETTEXT = ("gettext", "ngettext", "pgettext", "npgettext", "_")


def _add_languages(env: jinja2.Environment, theme: Theme, language: str) -> None:
    """`in_language(code, template, **values)`: a partial rendered in another language, e.g. the
    article of a `lang: en` release on an Indonesian site (its labels and its date line).

    The other language's environment has the same templates, globals and filters, with its own
    catalogue, date filters and template cache (translations are folded in when a template
    compiles). Its `site` is this environment's recording view, and the partial is given the
    page's, so what the partial reads counts for the page that includes it.
    """
    known = {SOURCE_LANGUAGE, *(p.stem for d in theme.locales for p in d.glob("*.po"))}
    others: dict[str, jinja2.Environment] = {}

    def for_language(code: str) -> jinja2.Environment:
        code = code.split("-")[0].lower()
        if code == language or code not in known:
            return env
        if code not in others:
            other = _new_environment(theme)
            other.globals.update({k: v for k, v in env.globals.items() if k not in _GETTEXT})
            other.filters.update(env.filters)
            translations = i18n.translations(code, theme.locales)
            other.install_gettext_translations(translations, newstyle=True)
            other.static_translations = translations
            long_date = lru_cache(maxsize=8192)(i18n.long_date)
            other.globals["lang"] = code
            other.filters.update(long_date=lambda d, with_time=True: long_date(d, code, with_time),
                                 short_date=lambda d: i18n.short_date(d, code),
                                 human_size=lambda n: i18n.human_size(n, code))
            others[code] = other
        return others[code]

    env.globals["in_language"] = lambda code, name, **values: Markup(
        for_language(code).get_template(name).render(**values))


def _rendered_once(env: jinja2.Environment) -> Callable[[Any, str, Mapping[str, Any]], Markup]:
    """render(key, template, variables): a partial's HTML, rendered the first time its key is asked for.

    What the partial read is kept with it and counted as read by every page that uses it.
    """
    done: dict[Any, tuple[Markup, str, dict]] = {}
    tracker: reads.Tracker = env.tracker

    def render(key: Any, name: str, variables: Mapping[str, Any]) -> Markup:
        found = done.get(key)
        if found is None:
            tracker.push()
            try:
                html = Markup(env.get_template(name).render(**variables))
            finally:
                read = tracker.pop()
            found = done[key] = (html, repr(key), read)
        if found[2]:
            tracker.use_group(found[1], found[2])
        return found[0]
    return render


def _card_renderer(render: Callable[[Any, str, Mapping[str, Any]], Markup]) -> Any:
    """A release's card HTML, rendered once and reused by every list that shows it."""
    def card_html(release: Release, heading: str = "h2") -> Markup:
        return render(("card", release.id, heading), "partials/card.html", {"release": release, "heading": heading})
    return card_html


def _fragment_renderer(render: Callable[[Any, str, Mapping[str, Any]], Markup]) -> Any:
    """A partial rendered once per distinct set of arguments (header, footer): the parts every page repeats.

    The arguments are the cache key, so they must be hashable: strings, numbers, booleans.
    """
    def fragment(name: str, **variables: Any) -> Markup:
        # A tracked object passed in is read whole here; the fragment then sees it plain.
        plain = {k: v._whole() if isinstance(v, reads.Proxy) else v for k, v in variables.items()}
        return render((name, *sorted(plain.items())), name, plain)
    return fragment


class Derived:
    """Values pages compute from more than the model holds (the clock), as a root of tracked
    reads: `fn.card(id)` is replayed by a warm build like any other read."""

    __slots__ = ("_site",)

    def __init__(self, site: Site) -> None:
        self._site = site

    def card(self, release_id: str) -> str:
        """Site path of a release's og:image card (only recent releases without a lead image have one)."""
        from .social.images import card_path
        release = self._site.by_id.get(release_id)
        return card_path(release, self._site.config, self._site.now) or "" if release is not None else ""


def _image_sizer(static: Mapping[str, Path]) -> Any:
    """(width, height) of a site image, read from its header once; None when unknown."""
    from PIL import Image, UnidentifiedImageError

    @lru_cache(maxsize=4096)
    def size(path: str) -> tuple[int, int] | None:
        source = static.get(path.lstrip("/"))
        if source is None:
            return None
        try:
            with Image.open(source) as image:
                return image.size
        except (OSError, UnidentifiedImageError):
            return None
    return size


def feed_links(page: Page, per_tag: bool = False) -> list[tuple[str, str, str]]:
    """(type, title-suffix, site path) of the feeds a page links in <head>."""
    links = [("application/rss+xml", "", "/feed.xml"), ("application/atom+xml", "", "/atom.xml"),
             ("application/feed+json", "", "/feed.json")]
    if page.term is not None and page.taxonomy in ("category", "unit", "lang", *(("tag",) if per_tag else ())):
        links += [("application/rss+xml", page.term.name, page.term.url + "feed.xml"),
                  ("application/atom+xml", page.term.name, page.term.url + "atom.xml")]
    return links


_ROOT_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')


def _prefix_links(html: str, base_path: str) -> str:
    """Body links written as site paths (/2026/11/x/) must follow a base_url with a path."""
    return _ROOT_LINK.sub(rf"\1{base_path}/", html) if base_path else html


_BODY_IMG = re.compile(r'<img\s[^>]*?src="(/[^/"][^"]*)"[^>]*>')


def _size_images(html: str, image_size: Any) -> str:
    """Body images of the site get their width and height, so the text does not jump as they load."""
    def sized(match: re.Match[str]) -> str:
        tag = match.group(0)
        size = None if " width=" in tag else image_size(match.group(1))
        if size is None:
            return tag
        return tag[:-1].rstrip("/ ") + f' width="{size[0]}" height="{size[1]}">'
    return _BODY_IMG.sub(sized, html) if "<img" in html else html


def _json_ld(data: Mapping[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False, indent=None, sort_keys=False)
    # '<' escaped so '</script>' in a title can never end the script element.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_page(env: jinja2.Environment, page: Page, context_of: ContextOf | None = None) -> Rendered:
    """One page's HTML and its full key: its base key and every value its render read.

    The template sees `page` and `site` through recording proxies (see reads.py); so does the
    page_context hook (`context_of(page, site)`), whose variables join the template's context.
    """
    tracker: reads.Tracker = env.tracker
    tracker.start(page.release.id if page.release is not None else None, page.url)
    proxy = reads.wrap(page, ("page",), tracker)
    extra = context_of(proxy, env.globals["site"]) if context_of is not None else None
    try:
        template = env.get_template(page.template)
        html = template.render(page=proxy, **(extra or {})).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise HumasgenError([Diagnostic(exc.filename or exc.name or page.template, exc.lineno,
                                        f"template syntax error: {exc.message}",
                                        "fix the template; see the Jinja2 template documentation")]) from None
    except jinja2.TemplateNotFound as exc:
        raise HumasgenError([Diagnostic(page.template, None, f"template not found: {exc.name}",
                                        "add it to your theme's templates/ or remove the reference")]) from None
    except HumasgenError:
        raise
    except Exception as exc:   # any error raised by template code (filters, arithmetic, lookups)
        filename, line = _template_frame(exc)
        raise HumasgenError([Diagnostic(filename or page.template, line,
                                        f"template error while rendering {page.url or page.path}: {exc}",
                                        "check the variable names used in the template")]) from None
    own = {reads.encode(path): value for path, value in tracker.reads.items()}
    groups = {name: _group_key(env, name, group) for name, group in tracker.groups.items()}
    return Rendered(page.path, html, reads.page_key(page.key, own, groups), tuple(sorted(own)),
                    tuple(sorted(groups)), {name: tracker.groups[name] for name in groups})


ContextOf = Callable[[Any, Any], Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered page: its bytes (or what a worker made of them), its full key, and the reads the
    next build replays to find out whether the page would come out the same."""
    path: str
    content: Any
    key: str
    reads: tuple[str, ...]                  # encoded paths the page read itself, sorted
    groups: tuple[str, ...]                 # fragments it used (their reads are kept once), sorted
    group_reads: dict[str, dict[Any, str]] = field(default_factory=dict)

    @property
    def group_paths(self) -> dict[str, list[str]]:
        return {name: sorted(reads.encode(p) for p in read) for name, read in self.group_reads.items()}


def _group_key(env: jinja2.Environment, name: str, group: Mapping[Any, str]) -> str:
    """A fragment's reads, digested once per build (every page of a site uses the header)."""
    done = env.group_keys
    found = done.get(name)
    if found is None or found[0] is not group:
        encoded = {reads.encode(p): v for p, v in group.items()}
        found = done[name] = (group, reads.digest("", (encoded[p] for p in sorted(encoded))))
    return found[1]


def render_many(env: jinja2.Environment, pages: list[Page], jobs: int,
                context_of: ContextOf | None = None,
                deliver: Callable[[str, bytes], Any] | None = None) -> Iterator[list[Rendered]]:
    """Render pages in forked workers, yielding Rendered pages in chunks as they finish.

    `context_of(page, site)` adds variables to a page's template context (the page_context hook).
    `deliver(path, html)`, run in the worker, turns a page into what comes back instead of its
    bytes (the build writes fresh trees from the workers). A fragment's reads come back with the
    first page of a chunk that used it.
    """
    from .parallel import chunks, fork_map

    def work(indices: range) -> list[Rendered] | HumasgenError:
        try:
            done = []
            sent: set[str] = set()
            for i in indices:
                page = render_page(env, pages[i], context_of)
                fresh = {g: page.group_reads[g] for g in page.groups if g not in sent}
                sent.update(fresh)
                content = deliver(page.path, page.content) if deliver else page.content
                done.append(Rendered(page.path, content, page.key, page.reads, page.groups, fresh))
            return done
        except HumasgenError as error:       # returned, not raised: it must cross the process boundary
            return error

    if jobs > 1 and len(pages) >= 200:
        parts = chunks(len(pages), jobs, per_job=16, minimum=32)
    else:   # one process, still in chunks: a cold --jobs 1 build must not hold every page at once
        jobs, parts = 1, chunks(len(pages), 1, per_job=16, minimum=256)
    for result in fork_map(work, parts, jobs):
        if isinstance(result, HumasgenError):
            raise result
        yield result


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja maps them for us)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt", ".j2")):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found
