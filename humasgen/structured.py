"""What search engines and social networks read in a page's <head>.

schema.org JSON-LD (NewsArticle on a release, WebSite + Organization on the
home and list pages), Open Graph and Twitter card tags. Built here as plain
data so the templates only print it and the tests can check it field by field.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from babel.core import get_global

from .config import Config
from .content import Release
from .links import absolute_url, clean
from .site import TAXONOMIES, term_slug

Sizer = Callable[[str], "tuple[int, int] | None"]
CONTEXT = "https://schema.org"


@dataclass(frozen=True, slots=True)
class HeadMeta:
    """<meta> tags as (attribute, name, content) and one JSON-LD object."""
    tags: tuple[tuple[str, str, str], ...]
    json_ld: dict[str, Any]


def og_locale(language: str) -> str:
    """'id' -> 'id_ID', 'en' -> 'en_US' (Open Graph wants language_TERRITORY)."""
    code = language.replace("-", "_")
    if "_" in code:
        lang, _, territory = code.partition("_")
        return f"{lang.lower()}_{territory.upper()}"
    likely = get_global("likely_subtags").get(code.lower(), "")
    territory = likely.split("_")[-1] if likely else code.upper()
    return f"{code.lower()}_{territory}"


def organization_id(config: Config) -> str:
    return config.url("/#organization")


def organization(config: Config, sizer: Sizer) -> dict[str, Any]:
    """The agency as publisher; Google News matches its name with the news sitemap's."""
    org: dict[str, Any] = {"@type": "Organization", "@id": organization_id(config),
                           "name": clean(config.title), "url": config.url("/")}
    if config.agency and config.agency != config.title:
        org["legalName"] = clean(config.agency)
    if config.logo:
        org["logo"] = _image_object(config, config.logo, sizer)
    if config.email:
        org["email"] = config.email
    if config.phone:
        org["telephone"] = config.phone
    if config.address:
        org["address"] = clean(config.address)
    return org


def site_graph(config: Config, sizer: Sizer) -> dict[str, Any]:
    """WebSite + Organization, for the home page and every list page."""
    website = {"@type": "WebSite", "@id": config.url("/#website"), "url": config.url("/"),
               "name": clean(config.title), "inLanguage": config.language,
               "publisher": {"@id": organization_id(config)}}
    if config.tagline:
        website["description"] = clean(config.tagline)
    return {"@context": CONTEXT, "@graph": [website, organization(config, sizer)]}


def news_article(config: Config, release: Release, sizer: Sizer, image: str | None = None) -> dict[str, Any]:
    """NewsArticle; `image` overrides the lead image (a generated share card for releases without one)."""
    url = config.url(release.url)
    image = release.image if image is None else image
    article: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "@id": url + "#article",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": clean(release.title),
        "description": clean(release.summary),
        "datePublished": release.date.isoformat(),
        "dateModified": release.modified.isoformat(),
        "inLanguage": release.lang,
        "isAccessibleForFree": True,
    }
    if image:
        article["image"] = [_image_object(config, image, sizer)]
    if release.author:                        # the author's page lists their releases
        article["author"] = [{"@type": "Person", "name": clean(release.author),
                              "url": config.url(f"/{TAXONOMIES['author']}/{term_slug(release.author)}/")}]
    else:
        article["author"] = [{"@type": "Organization", "name": clean(release.unit or config.agency_name),
                              "url": config.url("/")}]
    publisher = organization(config, sizer)
    publisher.pop("address", None)
    article["publisher"] = publisher
    if release.category:
        article["articleSection"] = clean(release.category)
    if release.tags:
        article["keywords"] = [clean(t) for t in release.tags]
    if release.number:
        article["identifier"] = clean(release.number)
    return article


def _image_object(config: Config, path: str, sizer: Sizer) -> dict[str, Any]:
    image: dict[str, Any] = {"@type": "ImageObject", "url": absolute_url(config, path)}
    size = sizer(path)
    if size:
        image["width"], image["height"] = size
    return image


def release_meta(config: Config, release: Release, sizer: Sizer, card_url: str = "",
                 share: Callable[[str], tuple[str, int, int] | None] | None = None) -> HeadMeta:
    """Open Graph, Twitter card and NewsArticle JSON-LD for a release page.

    The picture is the lead image (its 1200-px copy from `share`, see images.py, when
    there is one: not the full-size original), else the generated share card
    (`card_url`, see humasgen/social/images.py), else (og:image only) the site logo.
    """
    title, description = clean(release.title), clean(release.summary)
    image, alt = release.image, release.image_alt
    copy = share(image) if image and share else None
    if copy:
        image, copy_size, plain_sizer = copy[0], copy[1:], sizer
        sizer = lambda path: copy_size if path == image else plain_sizer(path)   # noqa: E731
    if not image and card_url:
        from .social.images import FORMATS
        card_size = FORMATS["card"][:2]
        image, alt, plain = card_url, title, sizer
        sizer = lambda path: card_size if path == card_url else plain(path)   # noqa: E731
    tags = _og_basics(config, "article", release.lang, title, description, release.url)
    tags += _og_image(config, image or config.logo, alt if image else "", sizer)
    tags += [("property", "article:published_time", release.date.isoformat()),
             ("property", "article:modified_time", release.modified.isoformat())]
    if release.category:
        tags.append(("property", "article:section", clean(release.category)))
    tags += [("property", "article:tag", clean(t)) for t in release.tags]
    tags += _twitter(config, title, description, image, alt)
    return HeadMeta(tuple(tags), news_article(config, release, sizer, image))


def _og_basics(config: Config, kind: str, lang: str, title: str, description: str,
               url: str) -> list[tuple[str, str, str]]:
    return [("property", "og:type", kind), ("property", "og:site_name", clean(config.title)),
            ("property", "og:locale", og_locale(lang)), ("property", "og:title", title),
            ("property", "og:description", description), ("property", "og:url", config.url(url))]


def site_meta(config: Config, title: str, url: str, sizer: Sizer) -> HeadMeta:
    """Open Graph, Twitter card and WebSite/Organization JSON-LD for home and list pages."""
    full_title = clean(f"{title} – {config.title}" if title else config.title)
    description = clean(config.tagline or config.agency_name)
    tags = _og_basics(config, "website", config.language, full_title, description, url)
    tags += _og_image(config, config.logo, "", sizer)
    tags += _twitter(config, full_title, description, "", "")
    return HeadMeta(tuple(tags), site_graph(config, sizer))


def _og_image(config: Config, path: str, alt: str, sizer: Sizer) -> list[tuple[str, str, str]]:
    if not path:
        return []
    tags = [("property", "og:image", absolute_url(config, path))]
    size = sizer(path)
    if size:
        tags += [("property", "og:image:width", str(size[0])), ("property", "og:image:height", str(size[1]))]
    if alt:
        tags.append(("property", "og:image:alt", clean(alt)))
    return tags


def _twitter(config: Config, title: str, description: str, image: str, alt: str) -> list[tuple[str, str, str]]:
    tags = [("name", "twitter:card", "summary_large_image" if image else "summary"),
            ("name", "twitter:title", title), ("name", "twitter:description", description)]
    picture = image or config.logo
    if picture:
        tags.append(("name", "twitter:image", absolute_url(config, picture)))
        if image and alt:
            tags.append(("name", "twitter:image:alt", clean(alt)))
    return tags
