"""`humasgen deploy`: rsync over SSH to a real OpenSSH server, and an S3-compatible server (moto), on 127.0.0.1.

Hosting in Indonesia (PP 71/2019) means the office's own server or a domestic data centre,
not Pages abroad. The server side must switch atomically: a new upload folder, then the
`current` link renamed over the old one.
"""
from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import BASIC_CONFIG, release

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
needs_ssh = pytest.mark.skipif(not (os.path.exists(SSHD) and shutil.which("rsync") and shutil.which("ssh")),
                               reason="needs openssh-server, openssh-client and rsync (Debian; .ci/run installs them)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def keygen(path: Path) -> str:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return Path(f"{path}.pub").read_text()


@pytest.fixture
def sshd(tmp_path):
    """A real sshd on 127.0.0.1 with a temporary host key, trusting one fresh client key."""
    folder = tmp_path / "sshd"
    folder.mkdir()
    host_pub = keygen(folder / "host")
    client_pub = keygen(folder / "client")
    (folder / "authorized_keys").write_text(client_pub)
    os.chmod(folder / "authorized_keys", 0o600)
    port = free_port()
    (folder / "sshd_config").write_text(f"""
Port {port}
ListenAddress 127.0.0.1
HostKey {folder}/host
PidFile {folder}/sshd.pid
AuthorizedKeysFile {folder}/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
LogLevel ERROR
""")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(exist_ok=True)          # privilege separation directory
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(folder / "sshd_config")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for _ in range(200):                                  # wait until it accepts connections
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"sshd did not start: {process.stdout.read().decode()}")
            time.sleep(0.05)
    yield {"port": port, "host_key": " ".join(host_pub.split()[:2]), "key": (folder / "client").read_text(),
           "root": tmp_path / "srv" / "humas"}
    process.terminate()
    process.wait(timeout=10)


def rsync_site(make_site, build_site, server, host_key: str | None = None) -> Path:
    site = make_site({"content/a.md": release("Gubernur Resmikan Jembatan Sungai Harapan"),
                      "static/images/logo.png": b"\x89PNG not really"},
                     config=BASIC_CONFIG + f"""
[deploy]
method = "rsync"
host = "127.0.0.1"
port = {server['port']}
user = "{getpass.getuser()}"
path = "{server['root']}"
host_key = "{host_key or server['host_key']}"
keep = 1
""")
    build_site(site)
    return site


def run_deploy(site: Path, env: dict[str, str]):
    from humasgen.cli import main
    return CliRunner().invoke(main, ["deploy", "--site", str(site)], env=env, catch_exceptions=False)


@needs_ssh
def test_rsync_uploads_a_new_folder_then_switches_the_current_link(make_site, build_site, sshd):
    site = rsync_site(make_site, build_site, sshd)
    env = {"HUMASGEN_DEPLOY_SSH_KEY": sshd["key"]}
    first = run_deploy(site, env)
    assert first.exit_code == 0, first.output
    root = sshd["root"]
    live = root / "current"
    assert live.is_symlink() and os.readlink(live).startswith("releases/")
    first_folder = (root / os.readlink(live)).resolve()
    assert (live / "index.html").read_bytes() == (site / "output" / "index.html").read_bytes()
    assert (live / "manifest.json").is_file()
    page = next(live.glob("*/*/gubernur-resmikan-jembatan-sungai-harapan/index.html"))
    assert "Gubernur Resmikan Jembatan" in page.read_text()

    # A second deploy: a new folder, unchanged files hard-linked to the first, the link switched.
    (site / "content/b.md").write_text(release("Bupati Buka Pekan Raya Daerah 2026", "2026-11-19 10:00"))
    build_site(site)
    time.sleep(1.1)                                   # upload folders are named by the second
    second = run_deploy(site, env)
    assert second.exit_code == 0, second.output
    second_folder = (root / os.readlink(live)).resolve()
    assert second_folder != first_folder
    assert any(live.glob("*/*/bupati-buka-pekan-raya-daerah-2026/index.html"))
    logo = second_folder / "images/logo.png"
    assert logo.stat().st_nlink == 2                  # keep = 1: the first upload is still there, sharing it
    assert first_folder.is_dir() and not (first_folder / "2026/11/bupati-buka-pekan-raya-daerah-2026").exists()

    # A third: only `keep` earlier uploads stay.
    time.sleep(1.1)
    third = run_deploy(site, env)
    assert third.exit_code == 0, third.output
    assert "1 removed" in third.output
    assert not first_folder.exists()
    assert len(list((root / "releases").iterdir())) == 2


@needs_ssh
def test_rsync_refuses_a_server_whose_host_key_is_not_the_pinned_one(make_site, build_site, sshd, tmp_path):
    other = keygen(tmp_path / "impostor")
    site = rsync_site(make_site, build_site, sshd, host_key=" ".join(other.split()[:2]))
    result = run_deploy(site, {"HUMASGEN_DEPLOY_SSH_KEY": sshd["key"]})
    assert result.exit_code == 1
    assert "host key does not match" in result.output
    assert not (sshd["root"] / "current").exists()


@needs_ssh
def test_rsync_without_a_key_says_which_secret_to_set(make_site, build_site, sshd):
    site = rsync_site(make_site, build_site, sshd)
    result = run_deploy(site, {"HUMASGEN_DEPLOY_SSH_KEY": ""})
    assert result.exit_code == 1
    assert "HUMASGEN_DEPLOY_SSH_KEY" in result.output
    assert not (sshd["root"] / "current").exists()


def test_deploy_without_a_deploy_table_is_an_error(make_site, build_site):
    site = make_site({"content/a.md": release("Gubernur Resmikan Jembatan Sungai Harapan")})
    build_site(site)
    result = run_deploy(site, {})
    assert result.exit_code == 1 and "[deploy]" in result.output


@pytest.fixture
def s3_server():
    moto_server = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="uji", aws_secret_access_key="rahasia")
    client.create_bucket(Bucket="humas")
    yield endpoint, client
    server.stop()


def test_s3_uploads_changes_and_removes_what_is_gone(make_site, build_site, s3_server):
    endpoint, client = s3_server
    site = make_site({"content/a.md": release("Gubernur Resmikan Jembatan Sungai Harapan")},
                     config=BASIC_CONFIG + f'\n[deploy]\nmethod = "s3"\nendpoint = "{endpoint}"\n'
                                           'bucket = "humas"\nprefix = "situs"\n')
    build_site(site)
    env = {"AWS_ACCESS_KEY_ID": "uji", "AWS_SECRET_ACCESS_KEY": "rahasia"}
    first = run_deploy(site, env)
    assert first.exit_code == 0, first.output
    output = site / "output"
    files = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}

    def listing() -> dict[str, dict]:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket="humas", Prefix="situs/")
        return {o["Key"][len("situs/"):]: o for page in pages for o in page.get("Contents", ())}

    assert set(listing()) == files
    home = client.get_object(Bucket="humas", Key="situs/index.html")
    assert home["Body"].read() == (output / "index.html").read_bytes()
    assert home["ContentType"].startswith("text/html")

    # The release is withdrawn, another is out: the old page goes, nothing unchanged is sent again.
    (site / "content/a.md").unlink()
    (site / "content/b.md").write_text(release("Bupati Buka Pekan Raya Daerah 2026", "2026-11-19 10:00"))
    build_site(site)
    second = run_deploy(site, env)
    assert second.exit_code == 0, second.output
    now_files = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    assert set(listing()) == now_files
    assert not any("gubernur" in key for key in listing())
    assert "unchanged" in second.output and " 0 unchanged" not in second.output


def test_s3_with_a_missing_bucket_fails_and_says_what_to_check(make_site, build_site, s3_server):
    endpoint, _client = s3_server
    site = make_site({"content/a.md": release("Gubernur Resmikan Jembatan Sungai Harapan")},
                     config=BASIC_CONFIG + f'\n[deploy]\nmethod = "s3"\nendpoint = "{endpoint}"\nbucket = "tidak-ada"\n')
    build_site(site)
    result = run_deploy(site, {"AWS_ACCESS_KEY_ID": "uji", "AWS_SECRET_ACCESS_KEY": "rahasia"})
    assert result.exit_code == 1
    assert "cannot upload to s3://tidak-ada/" in result.output and "bucket" in result.output
