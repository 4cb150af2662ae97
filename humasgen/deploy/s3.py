"""Deploy to an S3-compatible bucket (a domestic provider, MinIO...) at a configurable endpoint.

Object storage has no links to switch, so the order does the work: files that are
new or changed go up first (images, styles), then the pages that use them, then
the feeds and sitemaps, manifest.json last; files no longer built are deleted
after that. Every object is replaced whole, so no page ever points at a file not
yet uploaded. Unchanged files (same MD5 as the object's ETag) are not sent.

Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the names every
S3-compatible tool reads), as CI secrets. Needs boto3 (`pip install 'humasgen[s3]'`).
"""
from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from typing import Mapping

from ..config import DeployConfig
from ..errors import HumasgenError
from . import Deployed

LAST = ("manifest.json",)
LATE_SUFFIXES = (".xml", ".json", ".txt")     # feeds, sitemaps, robots.txt: they point at pages


def deploy(output: Path, settings: DeployConfig, env: Mapping[str, str]) -> Deployed:
    try:
        import boto3
        from botocore.config import Config as BotoConfig
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise HumasgenError.single("deploy", None, "[deploy] method = \"s3\" needs boto3",
                                   "pip install 'humasgen[s3]' (or pip install boto3)") from None
    if not env.get("AWS_ACCESS_KEY_ID") or not env.get("AWS_SECRET_ACCESS_KEY"):
        raise HumasgenError.single("AWS_ACCESS_KEY_ID", None, "no S3 access key in the environment",
                                   "store the bucket's access key as the CI secrets AWS_ACCESS_KEY_ID and "
                                   "AWS_SECRET_ACCESS_KEY")
    prefix = settings.prefix.strip("/") + "/" if settings.prefix.strip("/") else ""
    client = boto3.client("s3", endpoint_url=settings.endpoint, region_name=settings.region or "us-east-1",
                          aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
                          config=BotoConfig(signature_version="s3v4", s3={"addressing_style": "path"},
                                            retries={"max_attempts": 5}))
    files = {p.relative_to(output).as_posix(): p for p in sorted(output.rglob("*")) if p.is_file()}
    try:
        existing = _listing(client, settings.bucket, prefix)
        changed = [rel for rel, path in files.items()
                   if existing.get(prefix + rel) != hashlib.md5(path.read_bytes()).hexdigest()]
        for rel in sorted(changed, key=_order):
            path = files[rel]
            kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/json", "application/xml", "image/svg+xml"):
                kind += "; charset=utf-8"
            client.put_object(Bucket=settings.bucket, Key=prefix + rel, Body=path.read_bytes(), ContentType=kind)
        stale = sorted(key for key in existing if key[len(prefix):] not in files)
        for start in range(0, len(stale), 1000):
            client.delete_objects(Bucket=settings.bucket,
                                  Delete={"Objects": [{"Key": k} for k in stale[start:start + 1000]], "Quiet": True})
    except (BotoCoreError, ClientError) as exc:
        raise HumasgenError.single("deploy", None, f"cannot upload to s3://{settings.bucket}/{prefix} at "
                                   f"{settings.endpoint}: {exc}",
                                   "check [deploy] endpoint, bucket and region, and the access key; files "
                                   "uploaded so far are complete, the manifest still names the old build") from None
    return Deployed("s3", f"s3://{settings.bucket}/{prefix} at {settings.endpoint}", len(changed),
                    len(files) - len(changed), len(stale))


def _order(rel: str) -> tuple[int, str]:
    """Assets, then pages, then feeds and sitemaps, manifest.json last."""
    if rel in LAST:
        return 3, rel
    if rel.endswith(LATE_SUFFIXES):
        return 2, rel
    if rel.endswith(".html"):
        return 1, rel
    return 0, rel


def _listing(client, bucket: str, prefix: str) -> dict[str, str]:
    """key -> MD5 (from the ETag; a multipart ETag never matches, so such a file is sent again)."""
    found: dict[str, str] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", ()):
            found[item["Key"]] = item["ETag"].strip('"')
    return found
