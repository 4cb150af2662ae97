"""What an import did: counts, lists and warnings; printed as a summary and saved as JSON."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPORT_NAME = "import-report.json"     # in the site folder, next to humasgen.toml


@dataclass(slots=True)
class Report:
    """Filled while an import streams through its source (the one mutable object of an import)."""
    source: str
    posts: int = 0                  # releases written (published and drafts)
    drafts: int = 0                 # of the releases written
    existing: int = 0               # releases and pages left alone: a file was already there
    skipped: dict[str, int] = field(default_factory=dict)       # reason -> count
    quarantined: list[dict] = field(default_factory=list)       # {id, title, path, reasons}
    pages: list[dict] = field(default_factory=list)             # pages written: {id, title, path, url, draft, aliases}
    images_copied: int = 0
    files_copied: int = 0
    shortcodes: dict[str, int] = field(default_factory=dict)    # unknown shortcode -> posts using it
    redirects: int = 0                                          # old addresses kept working
    warnings: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)            # release files, site-relative

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}: warning: {message}")

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "counts": {"posts": self.posts, "drafts": self.drafts, "existing": self.existing,
                       "pages": len(self.pages), "page_drafts": self.page_drafts,
                       "skipped": sum(self.skipped.values()),
                       "quarantined": len(self.quarantined), "images_copied": self.images_copied,
                       "files_copied": self.files_copied, "redirects": self.redirects,
                       "warnings": len(self.warnings)},
            "skipped": dict(sorted(self.skipped.items())),
            "quarantined": self.quarantined,
            "pages": self.pages,
            "unknown_shortcodes": dict(sorted(self.shortcodes.items())),
            "warnings": self.warnings,
        }

    def save(self, site_dir: Path) -> Path:
        path = site_dir / REPORT_NAME
        path.write_text(json.dumps(self.as_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path

    @property
    def page_drafts(self) -> int:
        return sum(bool(p.get("draft")) for p in self.pages)

    def summary(self, tr: Callable[[str], str] = lambda text: text) -> list[str]:
        """The lines shown after an import; `tr` puts an English message in the site's language
        (messages.translate: humasgen/locale/<lang>.po has every line below with placeholders)."""
        skipped = ", ".join(f"{n} {tr(why)}" for why, n in sorted(self.skipped.items())) or tr("none")
        lines = [tr(f"Imported {self.posts} releases ({self.drafts} drafts) and {len(self.pages)} pages "
                    f"({self.page_drafts} drafts) from {self.source}"),
                 "  " + tr(f"skipped: {skipped}; already there: {self.existing}"),
                 "  " + tr(f"quarantined (suspected spam, drafts in a karantina/ folder): {len(self.quarantined)}"),
                 "  " + tr(f"images copied: {self.images_copied}, other files: {self.files_copied}; "
                           f"old addresses redirected: {self.redirects}"),
                 "  " + tr(f"warnings: {len(self.warnings)}")]
        if self.shortcodes:
            lines.append("  " + tr("unknown shortcodes kept as text: " +
                                   ", ".join(f"[{name}] ×{n}" for name, n in sorted(self.shortcodes.items()))))
        return lines
