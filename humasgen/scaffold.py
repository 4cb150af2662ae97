"""`humasgen init` and `humasgen new`: files a writer starts from."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from . import config as config_mod
from .content import make_slug
from .errors import HumasgenError

CONFIG_TEMPLATE = '''# humasgen site settings. Every key is optional; see the README for all of them.
title = "{title}"
agency = "{title}"
tagline = "Siaran pers resmi"
base_url = "https://example.go.id"
language = "id"
timezone = "Asia/Makassar"
permalink = "/{{year}}/{{month}}/{{slug}}/"
per_page = 10
logo = ""
address = ""
phone = ""
email = ""
'''

RELEASE_TEMPLATE = '''---
title: "{title}"
date: {date}
summary: ""
category: ""
tags: []
unit: ""
author: ""
number: ""
dateline: ""
image: ""
image_alt: ""
image_caption: ""
image_credit: ""
contact:
  name: ""
  role: ""
  phone: ""
  email: ""
draft: {draft}
---
Tulis paragraf pembuka di sini: apa, siapa, kapan, di mana, mengapa, dan bagaimana.

Tambahkan kutipan narasumber dan rincian kegiatan pada paragraf berikutnya.
'''

GITIGNORE = "output/\npublic/\nsocial/\n.humasgen/\n"

# CI set-ups written by `init`: kept as real YAML files inside the package (they ship in the wheel).
CI_FILES = {
    ".github/workflows/humasgen.yml": "github-workflow.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
}


def ci_template(name: str) -> str:
    from importlib.resources import files
    return files("humasgen").joinpath("scaffold_files", name).read_text(encoding="utf-8")


def _toml_text(text: str) -> str:
    """Text for inside a TOML basic string ("...")."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def init_site(directory: Path, title: str, now: datetime) -> list[Path]:
    """A new site: config, .gitignore, CI set-ups and a first release. Files already there are kept."""
    if (directory / config_mod.CONFIG_NAME).exists():
        raise HumasgenError.single(str(directory / config_mod.CONFIG_NAME), None, "a site already exists here",
                                   "choose an empty folder for 'humasgen init'")
    files = {
        directory / config_mod.CONFIG_NAME: CONFIG_TEMPLATE.format(title=_toml_text(title)),
        directory / ".gitignore": GITIGNORE,
        directory / "static" / ".gitkeep": "",
        **{directory / target: ci_template(name) for target, name in CI_FILES.items()},
    }
    created = []
    for path, text in files.items():
        if path.exists():           # e.g. a repository that already has a .gitignore or a CI file
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    created.append(new_release(directory, "Siaran Pers Pertama dari Situs Baru", now, draft=False))
    return created


def new_release(site_dir: Path, title: str, now: datetime, draft: bool = True) -> Path:
    """A release file dated now (site timezone), as a draft, with every key ready to fill."""
    if not title.strip():
        raise HumasgenError.single("<title>", None, "the title is empty", 'give a title: humasgen new "Judul Rilis"')
    config = config_mod.load(site_dir)
    local = now.astimezone(config.tz)
    slug = make_slug(title)
    path = site_dir / "content" / f"{local:%Y}" / f"{local:%m}" / f"{slug}.md"
    if path.exists():
        raise HumasgenError.single(str(path), None, "a release with this name already exists",
                                   "choose another title, or edit the existing file")
    path.parent.mkdir(parents=True, exist_ok=True)
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(RELEASE_TEMPLATE.format(title=quoted, date=local.strftime("%Y-%m-%d %H:%M"),
                                              draft="true" if draft else "false"), encoding="utf-8")
    return path
