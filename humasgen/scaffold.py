"""`humasgen init` and `humasgen new`: files a writer starts from."""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import config as config_mod
from .content import make_slug
from .errors import HumasgenError

CONFIG_TEMPLATE = '''# humasgen site settings. Every key is optional; see the README for all of them.
title = "{title}"
agency = "{title}"
tagline = "Siaran pers resmi"
base_url = "https://example.go.id"
language = "id"
# Zona waktu jam rilis ({zone_name}). WIB = "Asia/Jakarta", WITA = "Asia/Makassar", WIT = "Asia/Jayapura".
timezone = "{timezone}"
permalink = "/{{year}}/{{month}}/{{slug}}/"
per_page = 10
logo = ""
address = ""
phone = ""
email = ""

[social]
# Tagar instansi di setiap unggahan media sosial (ganti dengan tagar kantor Anda).
hashtags = ["{agency_hashtag}"]

# Nama pendek unit untuk tagar: nama yang lebih dari 20 huruf menjadi tagar yang terlalu panjang.
# [units."Dinas Pekerjaan Umum dan Penataan Ruang"]
# short = "DinasPUPR"
{deploy}'''

# Where the site goes, for `--hosting` other than Pages: a [deploy] table for `humasgen deploy`.
DEPLOY_TABLES = {
    "pages": "",
    "rsync": '''
# Hosting di server sendiri atau pusat data dalam negeri (PP 71/2019): `humasgen deploy` mengunggah
# output/ lewat rsync+SSH ke PATH/releases/<waktu>/ lalu memindahkan tautan PATH/current ke sana.
# Arahkan document root server web ke PATH/current. Kunci privat: secret HUMASGEN_DEPLOY_SSH_KEY.
[deploy]
method = "rsync"
host = "web.example.go.id"
port = 22
user = "deploy"
path = "/srv/humas"
# Kunci host server (baris dari `ssh-keyscan -t ed25519 web.example.go.id`, tanpa nama host).
host_key = ""
''',
    "s3": '''
# Hosting di object storage S3-compatible di pusat data dalam negeri (PP 71/2019). `humasgen deploy`
# mengunggah berkas baru dan yang berubah lebih dulu, halaman sesudahnya, manifest.json terakhir,
# lalu menghapus berkas lama. Kunci: secret AWS_ACCESS_KEY_ID dan AWS_SECRET_ACCESS_KEY.
[deploy]
method = "s3"
endpoint = "https://s3.example.co.id"
bucket = "humas"
region = ""
prefix = ""
''',
}

RELEASE_TEMPLATE = '''---
title: "{title}"
date: {date}
slug: {slug}
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

# The build trees: `output` is a link to one of the two .output.* buffers (see write.py).
GITIGNORE = "output\n.output.a/\n.output.b/\npublic/\nsocial/\n.humasgen/\n"

# CI set-ups written by `init`: kept as real YAML files inside the package (they ship in the wheel).
CI_FILES = {
    ".github/workflows/humasgen.yml": "github-workflow.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
}
# --hosting rsync / s3: the same pipelines, deploying with `humasgen deploy` instead of Pages.
DEPLOY_CI_FILES = {
    ".github/workflows/humasgen.yml": "github-deploy.yml",
    ".gitlab-ci.yml": "gitlab-deploy.yml",
}
HOSTINGS = tuple(DEPLOY_TABLES)

# WIB/WITA/WIT as Indonesians name them -> the IANA name written into humasgen.toml.
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
ZONE_HELP = ("WIB (Asia/Jakarta: Sumatra, Jawa, Kalimantan Barat dan Tengah), WITA (Asia/Makassar: Bali, "
             "Nusa Tenggara, Kalimantan Selatan, Timur dan Utara, Sulawesi) or WIT (Asia/Jayapura: Maluku, Papua)")


def ci_template(name: str) -> str:
    from importlib.resources import files
    return files("humasgen").joinpath("scaffold_files", name).read_text(encoding="utf-8")


def _toml_text(text: str) -> str:
    """Text for inside a TOML basic string ("...")."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def timezone_name(value: str) -> str:
    """'WIB' -> 'Asia/Jakarta'; an IANA name as it is; anything else an error naming the three zones."""
    name = ZONES.get(value.strip().upper(), value.strip())
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise HumasgenError.single("--timezone", None, f"unknown timezone '{value}'",
                                   f"use {ZONE_HELP}, or an IANA name") from None
    return name


def zone_label(name: str) -> str:
    return next((f"{short}, {name}" for short, iana in ZONES.items() if iana == name), name)


@dataclass(frozen=True, slots=True)
class Source:
    """Where the running humasgen was installed from, as a pip requirement for CI."""
    requirement: str            # e.g. 'git+https://example.org/humasgen.git@<commit>' or 'humasgen==0.1.0'
    note: str                   # one line for the comment above it
    installable: bool = True    # False: a local path CI cannot reach


def install_source() -> Source:
    """Where the running humasgen came from, read from its PEP 610 record (direct_url.json)."""
    from importlib.metadata import PackageNotFoundError, distribution
    from . import __version__
    try:
        record = distribution("humasgen").read_text("direct_url.json")
    except PackageNotFoundError:
        record = None
    return source_from_record(record, __version__)


def source_from_record(record: str | None, version: str) -> Source:
    """A pip requirement CI can install: git URL + commit when known, else a URL or a path (flagged)."""
    index = Source(f"humasgen=={version}", f"humasgen {version} from a package index")
    try:
        info = json.loads(record) if record else None
    except ValueError:
        info = None
    if not isinstance(info, dict):
        return index
    url = str(info.get("url", ""))
    vcs = info.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return Source(f"git+{url}@{vcs['commit_id']}", f"humasgen {version}, git {url} at {vcs['commit_id']}")
    if url.startswith("file://") and "dir_info" in info:
        folder = Path(unquote(urlsplit(url).path))
        remote, commit = _git(folder, "remote", "get-url", "origin"), _git(folder, "rev-parse", "HEAD")
        if remote and commit and "://" in remote:
            return Source(f"git+{remote}@{commit}", f"humasgen {version}, git {remote} at {commit} "
                          f"(installed from the checkout {folder})")
        where = f"the folder {folder}" + (f" at commit {commit}" if commit else "")
        return Source(str(folder), f"humasgen {version} from {where}: CI cannot reach it; write "
                      "a git+https://...@COMMIT URL or a wheel URL here", installable=False)
    return Source(url, f"humasgen {version} from {url}") if url else index


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


PACKAGE_LINE = 'HUMASGEN_PACKAGE: "humasgen"'


def pin_package(template: str, source: Source) -> str:
    """The CI template with the package line set to `source`, under one comment saying how to pin it."""
    indent = template[: template.index(PACKAGE_LINE)].rsplit("\n", 1)[-1]
    comment = (f"# Installed by `humasgen init` from: {source.note}.\n{indent}# To pin another version, write "
               f"a pip requirement here: git+https://HOST/REPO.git@COMMIT, a wheel URL or humasgen==X.Y.\n{indent}")
    return template.replace(PACKAGE_LINE, comment + f"HUMASGEN_PACKAGE: {json.dumps(source.requirement)}", 1)


def set_deploy_method(template: str, hosting: str) -> str:
    return template.replace('HUMASGEN_DEPLOY: "rsync"', f'HUMASGEN_DEPLOY: "{hosting}"', 1)


def agency_hashtag(title: str) -> str:
    from .social.snippets import hashtag
    return hashtag(title) or "#SiaranPers"


def init_site(directory: Path, title: str, now: datetime, timezone: str, hosting: str = "pages",
              source: Source | None = None) -> list[Path]:
    """A new site: config, .gitignore, CI set-ups and a first (draft) release. Files already there are kept."""
    if (directory / config_mod.CONFIG_NAME).exists():
        raise HumasgenError.single(str(directory / config_mod.CONFIG_NAME), None, "a site already exists here",
                                   "choose an empty folder for 'humasgen init'")
    zone = timezone_name(timezone)
    source = source or install_source()
    ci_files = CI_FILES if hosting == "pages" else DEPLOY_CI_FILES
    files = {
        directory / config_mod.CONFIG_NAME: CONFIG_TEMPLATE.format(
            title=_toml_text(title), timezone=zone, zone_name=zone_label(zone),
            agency_hashtag=_toml_text(agency_hashtag(title)), deploy=DEPLOY_TABLES[hosting]),
        directory / ".gitignore": GITIGNORE,
        directory / "static" / ".gitkeep": "",
        **{directory / target: set_deploy_method(pin_package(ci_template(name), source), hosting)
           for target, name in ci_files.items()},
    }
    created = []
    for path, text in files.items():
        if path.exists():           # e.g. a repository that already has a .gitignore or a CI file
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    # A draft: placeholder text must never become the site's top story by itself.
    created.append(new_release(directory, "Siaran Pers Pertama dari Situs Baru", now, draft=True))
    return created


def new_release(site_dir: Path, title: str, now: datetime, draft: bool = True) -> Path:
    """A release file dated now (site timezone), as a draft, with every key ready to fill.

    The slug is written out: editing the headline later must not change the release's URL.
    """
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
    path.write_text(RELEASE_TEMPLATE.format(title=quoted, date=local.strftime("%Y-%m-%d %H:%M"), slug=slug,
                                              draft="true" if draft else "false"), encoding="utf-8")
    return path
