"""Shell hooks run with bounded memory and a timeout that means what it says.

A hook's error output is read as it comes, keeping only the last `TAIL` bytes (a
hook that prints gigabytes costs no memory); its standard output is not kept at
all. A hook that starts a job in the background (`upload.sh &`) is done when the
hook itself exits: the job may keep the error pipe open, but humasgen does not
wait for it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
from dataclasses import dataclass

TAIL = 4096                 # bytes of error output kept
GRACE = 1.0                 # seconds to collect the error output of a failed hook after it exits


@dataclass(frozen=True, slots=True)
class Outcome:
    returncode: int | None          # None: killed after the timeout
    stderr_tail: bytes


def run(command: str, data: bytes, cwd: os.PathLike, env: dict, timeout: float) -> Outcome:
    """Run `command` in a shell of its own process group, `data` on its standard input."""
    process = subprocess.Popen(command, shell=True, cwd=cwd, env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    tail = bytearray()

    def feed() -> None:
        try:
            process.stdin.write(data)
        except (BrokenPipeError, OSError):
            pass                    # the hook does not read its input: its own business
        finally:
            try:
                process.stdin.close()
            except OSError:
                pass

    def drain() -> None:
        for chunk in iter(lambda: process.stderr.read1(65536), b""):
            tail.extend(chunk)
            del tail[:-TAIL]
    threads = [threading.Thread(target=feed, daemon=True), threading.Thread(target=drain, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        process.wait()
        return Outcome(None, bytes(tail))
    if code != 0:
        threads[1].join(GRACE)      # the last words of a failing hook
    return Outcome(code, bytes(tail))


def kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
