"""Deploy over SSH with rsync, switching a `current` link atomically on the server.

    PATH/releases/20261205T091500Z/   one folder per upload (unchanged files hard-linked
                                      to the previous upload: only changes cross the wire)
    PATH/current -> releases/...      the web server's document root; replaced by rename(2)

The private key comes from HUMASGEN_DEPLOY_SSH_KEY (the key itself, as a CI secret) or
HUMASGEN_DEPLOY_SSH_KEY_FILE (a path). The server is trusted only when it shows the host
key written in `[deploy] host_key`: no first-use trust, no prompt.
"""
from __future__ import annotations

import shlex
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

from ..config import DeployConfig
from ..errors import HumasgenError
from . import Deployed

KEY_ENV = "HUMASGEN_DEPLOY_SSH_KEY"
KEY_FILE_ENV = "HUMASGEN_DEPLOY_SSH_KEY_FILE"
TIMEOUT = 600                       # seconds for one ssh or rsync call
STAMP = "%Y%m%dT%H%M%SZ"


def deploy(output: Path, settings: DeployConfig, now: datetime, env: Mapping[str, str]) -> Deployed:
    stamp = now.astimezone(timezone.utc).strftime(STAMP)
    base = settings.path.rstrip("/") or "/"
    with tempfile.TemporaryDirectory(prefix="humasgen-deploy-") as scratch:
        ssh = _ssh_command(settings, Path(scratch), env)
        target = f"{settings.user}@{settings.host}"
        remote = _quote_path(base)
        # 1. a new, empty folder for this upload (never an existing one)
        state = _run([*ssh, target, f"mkdir -p {remote}/releases && cd {remote} && "
                      f"test ! -e releases/{stamp} && mkdir releases/{stamp} && "
                      "{ test -d current && echo previous || echo first; }"], settings, "prepare the upload folder")
        link_dest = ["--link-dest", f"{base}/current/"] if state.strip().endswith("previous") else []
        # 2. the files, unchanged ones hard-linked to the live copy
        listing = _run(["rsync", "-rlt", "--delete", "--chmod=D755,F644", "--out-format=%i %n", *link_dest,
                        "-e", shlex.join(ssh), f"{output}/", f"{target}:{base}/releases/{stamp}/"],
                       settings, "upload the site")
        sent = [line for line in listing.splitlines() if line[:2] in ("<f", ">f")]
        files = sum(1 for p in output.rglob("*") if p.is_file())
        # 3. the switch: a new link renamed over the old one (atomic), then old uploads pruned
        _run([*ssh, target, f"cd {remote} && ln -sfn releases/{stamp} .current.new && mv -Tf .current.new current"],
             settings, "switch the current link")
        names = _run([*ssh, target, f"ls -1 {remote}/releases"], settings, "list old uploads").split()
        old = [n for n in sorted(names) if n != stamp][: max(0, len(names) - 1 - settings.keep)]
        if old:
            _run([*ssh, target, "cd " + remote + "/releases && rm -rf -- " + " ".join(map(shlex.quote, old))],
                 settings, "remove old uploads")
    return Deployed("rsync", f"{target}:{base}/current -> releases/{stamp}", len(sent), files - len(sent), len(old))


def _quote_path(path: str) -> str:
    return shlex.quote(path)


def _ssh_command(settings: DeployConfig, scratch: Path, env: Mapping[str, str]) -> list[str]:
    """ssh with our key, the pinned host key and nothing from ~/.ssh."""
    key = env.get(KEY_ENV, "")
    if not key and env.get(KEY_FILE_ENV):
        try:
            key = Path(env[KEY_FILE_ENV]).read_text(encoding="utf-8")
        except OSError as exc:
            raise HumasgenError.single(env[KEY_FILE_ENV], None, f"cannot read the deploy key: {exc.strerror}",
                                       f"set {KEY_FILE_ENV} to the private key's path") from None
    if "PRIVATE KEY" not in key:
        raise HumasgenError.single(KEY_ENV, None, "no SSH deploy key in the environment",
                                   f"store the private deploy key as the CI secret {KEY_ENV} "
                                   f"(or give its path in {KEY_FILE_ENV})")
    host_key = settings.host_key.split()
    if len(host_key) == 3:                          # a whole ssh-keyscan line: "host type key"
        host_key = host_key[1:]
    if len(host_key) < 2 or not host_key[0].startswith(("ssh-", "ecdsa-", "sk-")):
        raise HumasgenError.single("humasgen.toml", None, "deploy.host_key is not an SSH public host key",
                                   f"write the line that 'ssh-keyscan -p {settings.port} -t ed25519 "
                                   f"{settings.host}' prints, e.g. host_key = \"ssh-ed25519 AAAA...\"")
    key_file = scratch / "key"
    key_file.touch(mode=0o600)
    key_file.write_text(key.strip() + "\n", encoding="utf-8")
    known = scratch / "known_hosts"
    name = settings.host if settings.port == 22 else f"[{settings.host}]:{settings.port}"
    known.write_text(f"{name} {host_key[0]} {host_key[1]}\n", encoding="utf-8")
    return ["ssh", "-F", "none", "-i", str(key_file), "-p", str(settings.port),
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
            "-o", f"UserKnownHostsFile={known}", "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "ConnectTimeout=30"]


def _run(command: list[str], settings: DeployConfig, what: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except FileNotFoundError:
        raise HumasgenError.single("deploy", None, f"cannot {what}: '{command[0]}' is not installed",
                                   f"install {command[0]} (Debian/Ubuntu: apt-get install openssh-client rsync)") from None
    except subprocess.TimeoutExpired:
        raise HumasgenError.single("deploy", None, f"cannot {what}: no answer in {TIMEOUT} s",
                                   "check the server and the network") from None
    if done.returncode == 0:
        return done.stdout
    stderr = done.stderr.strip()
    if "Host key verification failed" in stderr or "REMOTE HOST IDENTIFICATION HAS CHANGED" in stderr:
        hint = ("the server did not show the host key in [deploy] host_key; compare it with the server's "
                "/etc/ssh/ssh_host_ed25519_key.pub (asked the server's administrator, not over the network)")
        raise HumasgenError.single("humasgen.toml", None, f"cannot {what}: the server's host key does not match",
                                   hint)
    if "Permission denied" in stderr:
        raise HumasgenError.single("deploy", None, f"cannot {what}: the server refused the deploy key",
                                   f"add the deploy key's public half to ~{settings.user}/.ssh/authorized_keys "
                                   "on the server")
    last = stderr.splitlines()[-1] if stderr else f"exit status {done.returncode}"
    raise HumasgenError.single("deploy", None, f"cannot {what} on {settings.host}: {last}",
                               "check [deploy] host, port, user and path; the live site was not changed"
                               if what != "remove old uploads" else "the new site is live; remove them by hand")
