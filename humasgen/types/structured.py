"""schema.org JSON-LD of the content types: Event (agenda), ImageGallery of ImageObjects (galeri)."""
from __future__ import annotations

from typing import Any

from ..config import Config
from ..links import absolute_url, clean
from ..structured import CONTEXT, organization_id
from .agenda import SCHEMA_STATUS, Event
from .galleries import Gallery


def event(config: Config, item: Event) -> dict[str, Any]:
    """Event with eventStatus (postponed, cancelled...) as Google's event results read it."""
    place: dict[str, Any] = {"@type": "Place", "name": clean(item.place)}
    place["address"] = clean(item.address or item.place)
    data: dict[str, Any] = {
        "@context": CONTEXT, "@type": "Event", "@id": config.url(item.url) + "#event",
        "name": clean(item.title), "url": config.url(item.url), "description": clean(item.summary),
        "startDate": item.start.isoformat(), "endDate": (item.end or item.start).isoformat(),
        "eventStatus": SCHEMA_STATUS[item.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place, "inLanguage": item.lang,
        "organizer": {"@type": "Organization", "name": clean(item.organizer or config.agency_name),
                      "url": config.url("/")},
    }
    if not item.organizer:
        data["organizer"]["@id"] = organization_id(config)
    return data


def gallery(config: Config, item: Gallery, sizer: Any) -> dict[str, Any]:
    """ImageGallery whose photos carry their credit, copyright notice and licence."""
    images = []
    for photo in item.photos:
        image: dict[str, Any] = {"@type": "ImageObject", "contentUrl": absolute_url(config, photo.src),
                                 "url": absolute_url(config, photo.src), "name": clean(photo.alt),
                                 "creditText": clean(photo.credit or item.credit)}
        if photo.caption:
            image["caption"] = clean(photo.caption)
        if item.copyright:
            image["copyrightNotice"] = clean(item.copyright)
        if item.license:
            image["license"] = item.license
        image["acquireLicensePage"] = config.url(item.url)
        size = sizer(photo.src)
        if size:
            image["width"], image["height"] = size
        images.append(image)
    return {"@context": CONTEXT, "@type": "ImageGallery", "@id": config.url(item.url) + "#gallery",
            "name": clean(item.title), "url": config.url(item.url), "description": clean(item.summary),
            "datePublished": item.date.isoformat(), "inLanguage": item.lang,
            "publisher": {"@id": organization_id(config)}, "image": images}
