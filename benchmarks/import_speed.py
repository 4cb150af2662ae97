"""Time and peak memory of `humasgen import wordpress` on a generated export (target: < 400 MB RSS).

    python benchmarks/import_speed.py [--count 50000] [--work DIR] [--build]

Generates the export with wxr.py (kept in --work for the next run), imports it into a fresh
site in a child process and prints the wall time and the child's peak resident memory.
--build also builds the imported site and reports the same for the build.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measured(args: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one child process.

    Run in a fresh wrapper so the peaks of two runs do not mix. CPU time (user + system) is
    the figure to compare on a shared machine, where wall time depends on the other users.
    """
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
               "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
               "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", wrapper, *args], check=True, capture_output=True, text=True)
    seconds, cpu, mb = out.stdout.split()
    return float(seconds), float(cpu), float(mb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "humasgen-import-bench")
    parser.add_argument("--build", action="store_true")
    args = parser.parse_args()
    export = args.work / f"wxr-{args.count}.xml"
    if not export.is_file():
        subprocess.run([sys.executable, str(HERE / "wxr.py"), str(export), "--count", str(args.count)], check=True)
    site = args.work / "site"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    (site / "humasgen.toml").write_text('title = "Bench"\nbase_url = "https://bench.example.go.id"\n')
    print(f"export: {export} ({export.stat().st_size / 1e6:.0f} MB, {args.count} posts)")
    seconds, cpu, mb = measured([sys.executable, "-m", "humasgen", "import", "wordpress", str(export),
                                 "--site", str(site)])
    print(f"import: {seconds:.1f} s wall, {cpu:.1f} s CPU ({1000 * cpu / args.count:.1f} ms a post), "
          f"peak RSS {mb:.0f} MB ({'under' if mb < 400 else 'OVER'} the 400 MB target)", flush=True)
    if args.build:
        seconds, cpu, mb = measured([sys.executable, "-m", "humasgen", "build", "--site", str(site)])
        print(f"build of the imported site: {seconds:.1f} s wall, {cpu:.1f} s CPU, peak RSS {mb:.0f} MB")


if __name__ == "__main__":
    main()
