"""Dokumen / PPID (content/dokumen/*.md): public information under UU 14/2008 and Perki 1/2021.

Each document has a KIP class (`class:` berkala, serta-merta, setiap-saat or
dikecualikan), a year, the issuing unit and usually a file in static/. Public
documents get a page (/ppid/dokumen/{slug}/) with the file's size and page
count and are listed in the Daftar Informasi Publik (/ppid/dip/, also as CSV and
JSON). A `dikecualikan` document is never published: no page, no file, no body;
the Daftar Informasi yang Dikecualikan (/ppid/dik/) lists only its title, unit,
year and the legal reason (`reason:`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from .. import markup
from ..content import convert_body
from ..content import SUMMARY_LIMIT, make_slug
from ..errors import Diagnostic, did_you_mean
from .fields import Key, validate

FOLDER = "dokumen"
PPID_URL = "/ppid/"
DIP_URL = "/ppid/dip/"
DIK_URL = "/ppid/dik/"
EXCLUDED = "dikecualikan"
CLASSES = MappingProxyType({"berkala": "Informasi Berkala", "serta-merta": "Informasi Serta Merta",
                            "setiap-saat": "Informasi Setiap Saat", EXCLUDED: "Informasi yang Dikecualikan"})
PUBLIC_CLASSES = tuple(c for c in CLASSES if c != EXCLUDED)
KEYS = (Key("title", required=True), Key("class", required=True), Key("year", "int", True),
        Key("unit", required=True), Key("file"), Key("reason"), Key("slug", "slug"), Key("summary"),
        Key("updated", "datetime"), Key("draft", "bool"), Key("extra", "mapping"))


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    source: str
    title: str
    slug: str
    url: str                    # '' for a dikecualikan document: it has no page
    summary: str
    body_html: str              # '' for a dikecualikan document
    content_hash: str
    kip_class: str
    year: int
    unit: str
    file: str = ""
    reason: str = ""
    size: int | None = None     # bytes of the file in static/
    page_count: int | None = None   # pages of a PDF
    lang: str = "id"
    updated: datetime | None = None
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def modified(self) -> datetime | None:
        return self.updated

    @property
    def excluded(self) -> bool:
        return self.kip_class == EXCLUDED

    @property
    def class_name(self) -> str:
        return CLASSES[self.kip_class]


def parse(source: str, item_id: str, meta: dict, key_lines: dict[str, int], body: str, data: bytes,
          tz: ZoneInfo, language: str, problems: list[Diagnostic]) -> Document | None:
    def fail(line: int | None, message: str, hint: str) -> None:
        problems.append(Diagnostic(source, line, message, hint))

    before = len(problems)
    values = validate(meta, key_lines, KEYS, tz, fail, "a document")
    kip_class = values.get("class", "")
    if kip_class and kip_class not in CLASSES:
        fail(key_lines.get("class"), f"unknown information class '{kip_class}'",
             f"{did_you_mean(kip_class, CLASSES)} (UU 14/2008: berkala, serta-merta, setiap-saat, dikecualikan)")
    if kip_class == EXCLUDED:
        if not values.get("reason"):
            fail(key_lines.get("class"), "a dikecualikan document needs the reason it is withheld",
                 "add 'reason:' with the legal basis, e.g. 'Pasal 17 huruf b UU 14/2008'")
        if values.get("file"):
            fail(key_lines.get("file"), "a dikecualikan document must not have a file: it is never published",
                 "remove 'file:' and keep the file outside the site folder (everything in static/ is published)")
    elif values.get("reason"):
        fail(key_lines.get("reason"), "'reason' is only for dikecualikan documents",
             "remove it, or set 'class: dikecualikan'")
    if values.get("file") and not str(values["file"]).startswith("/"):
        fail(key_lines.get("file"), f"'file' must be a site path, not {values['file']!r}",
             "write the path of the file below static/, starting with '/', e.g. /dokumen/lkip-2025.pdf")
    year = values.get("year")
    if year is not None and not 1945 <= year <= 2200:
        fail(key_lines.get("year"), f"year {year} is out of range", "write the four-digit year, e.g. 2026")
    if len(problems) > before:
        return None
    slug = values.get("slug") or make_slug(values["title"])
    excluded = kip_class == EXCLUDED
    html = "" if excluded else convert_body(body, language, 1)
    return Document(
        id=item_id, source=source, title=values["title"], slug=slug,
        url="" if excluded else f"{PPID_URL}dokumen/{slug}/",
        summary="" if excluded else values.get("summary") or markup.truncate(markup.first_paragraph(html),
                                                                             SUMMARY_LIMIT),
        body_html=html, content_hash=hashlib.sha256(data).hexdigest(), kip_class=kip_class, year=year,
        unit=values["unit"], file=values.get("file", ""), reason=values.get("reason", ""), lang=language,
        updated=values.get("updated"), draft=values.get("draft", False),
        extra=MappingProxyType(values.get("extra", {}) if not excluded else {}), lines=MappingProxyType(key_lines))


def with_file_facts(document: Document, static_dir: Path, problems: list[Diagnostic]) -> Document:
    """The file's size and, for a PDF, its page count; a missing file is an error."""
    if not document.file:
        return document
    path = static_dir / document.file.lstrip("/")
    if not path.is_file():
        problems.append(Diagnostic(document.source, document.lines.get("file"),
                                   f"the file {document.file} does not exist",
                                   f"put it at static{document.file}, or fix the path"))
        return document
    pages = None
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
        try:
            pages = len(PdfReader(path).pages)
        except (PdfReadError, OSError, ValueError):
            problems.append(Diagnostic(document.source, document.lines.get("file"),
                                       f"{document.file} is not a readable PDF", "export the PDF again"))
    return replace(document, size=path.stat().st_size, page_count=pages)
