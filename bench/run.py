"""`make bench` (or `python bench/run.py [--official /venv/bin/python]`): the figures of the
performance issue, each as a ratio against a baseline measured in the same run.

- import: fresh processes, `import PureCloudPlatformClientV2` vs `pass`, alternating;
  wall time around each process, peak RSS from the process's own VmHWM.
- decode, encode, memory, request (and, for ours, the no-checks floors and the large pages of
  1,000 to 100,000 users): bench/cases.py in a fresh process per SDK.
- the sandbox's list pages at 10,000 to 200,000 users (ours): bench/sandbox_pages.py.
- scale (ours only): pacing against a rate-limited sandbox, requests per sync row, peak RSS of
  exports of 10k and 50k users and of dry runs of 50k and 200k rows: bench/scale.py, about 4
  more minutes (--no-scale leaves it out).

With `--official`, the same figures are measured for the official SDK, installed in its own
virtual environment (`python3 -m venv /tmp/official && /tmp/official/bin/pip install
purecloudplatformclientv2==269.0.0`). Method and results: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
HEAVY = ("urllib3", "certifi", "dateutil", "ssl", "json", "typing", "PureCloudPlatformClientV2.sandbox",
         "PureCloudPlatformClientV2.models")
TARGETS = {"import": 2.0, "decode": 2.5, "decode_models": 2.5, "encode": 2.0, "request": 1.2, "memory": 2.0,
           "async_request": 1.2}
RSS_LIMIT_MB = 25


def write_data(folder: Path) -> None:
    """The shared realistic users (sandbox/fake.py) as the JSON texts every case reads."""
    sys.path.insert(0, str(ROOT))
    from PureCloudPlatformClientV2.sandbox.fake import make_users

    users = make_users(1000)
    for count in (1000, 100):
        page = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": count,
                "startIndex": 1, "itemsPerPage": count, "Resources": users[:count]}
        (folder / f"users-{count}.json").write_text(json.dumps(page), encoding="utf-8")
    (folder / "user.json").write_text(json.dumps(users[1]), encoding="utf-8")


def child_env(ours: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    if ours:  # the checkout, also when it is not installed; the official venv gets its own
        env["PYTHONPATH"] = str(ROOT)
    return env


def spawn(python: str, code: str, env: dict[str, str], cwd: str) -> float:
    """Wall seconds of one `python -c code` process."""
    start = time.perf_counter()
    subprocess.run([python, "-c", code], env=env, cwd=cwd, check=True)
    return time.perf_counter() - start


# VmHWM is the peak RSS of the process's own memory map. ru_maxrss would be no good here: Linux
# carries the parent's peak across fork and exec, and this parent holds the benchmark data.
PEAK_RSS = "\nfor line in open('/proc/self/status'):\n    if line.startswith('VmHWM:'): print(line.split()[1])"


def peak_rss_kb(python: str, code: str, env: dict[str, str], cwd: str) -> int:
    done = subprocess.run([python, "-c", code + PEAK_RSS], env=env, cwd=cwd, check=True,
                          capture_output=True, text=True)
    return int(done.stdout.split()[-1])


def measure_import(python: str, env: dict[str, str], runs: int) -> dict:
    """Medians over `runs` alternating pairs of fresh processes (after warm-up runs that also
    write .pyc files), run from an empty folder so `-c` finds no package in the cwd."""
    code = "import PureCloudPlatformClientV2"
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(3):
            spawn(python, code, env, cwd)
            spawn(python, "pass", env, cwd)
        bare, imported = [], []
        for _ in range(runs):
            bare.append(spawn(python, "pass", env, cwd))
            imported.append(spawn(python, code, env, cwd))
        has_proc = os.path.exists("/proc/self/status")
        rss = [peak_rss_kb(python, code, env, cwd) for _ in range(5)] if has_proc else [0]
        rss_bare = [peak_rss_kb(python, "pass", env, cwd) for _ in range(5)] if has_proc else [0]
        # only what the import adds: some interpreters load e.g. typing at startup (site .pth files)
        probe = ("import sys; before = set(sys.modules); import PureCloudPlatformClientV2; "
                 f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules and m not in before))")
        loaded = subprocess.run([python, "-c", probe], env=env, cwd=cwd, capture_output=True, text=True, check=True)
    ratio = statistics.median(i / b for i, b in zip(imported, bare))  # pairs run back to back
    return {"sdk": statistics.median(imported), "baseline": statistics.median(bare), "ratio": ratio,
            "rss_kb": statistics.median(rss),
            "rss_bare_kb": statistics.median(rss_bare), "loaded": loaded.stdout.split()}


def measure(python: str, sdk: str, data: Path, runs: int) -> dict:
    env = child_env(ours=sdk == "ours")
    print(f"measuring {sdk} with {python} ...", file=sys.stderr, flush=True)
    results = {"import": measure_import(python, env, runs)}
    done = subprocess.run([python, str(BENCH / "cases.py"), sdk, str(data)], env=env, cwd=str(data),
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench/cases.py failed for {sdk}:\n{done.stderr}")
    results.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


# -- the table ------------------------------------------------------------------------------
ROWS = [  # key, label, baseline label, unit, scale
    ("import", "import wall time", "python -c pass", "ms", 1e3),
    ("decode", "deserialize 1,000 users", "json.loads", "ms", 1e3),
    ("decode_models", "…model layer alone (ours only)", "json.loads", "ms", 1e3),
    ("decode_floor", "…floor: adopt, no checks (reference)", "json.loads", "ms", 1e3),
    ("encode", "serialize 1,000 users to JSON text", "json.dumps", "ms", 1e3),
    ("encode_dicts", "…via sanitize_for_serialization + json.dumps (ours only)", "json.dumps", "ms", 1e3),
    ("encode_floor", "…floor: json writes the models' dicts, no checks (reference)", "json.dumps", "ms", 1e3),
    ("request", "get_scim_v2_user (per call)", "urllib3 + json.loads", "µs", 1e6),
    ("memory", "memory per decoded user", "json.loads dicts", "KiB", 1 / 1024),
    ("async_request", "200 concurrent get_scim_v2_user, AsyncSCIMApi (per call)", "asyncio + httpx + json.loads",
     "µs", 1e6),
    ("threaded_request", "…the same 200 by SCIMApi in 16 threads (reference)", "asyncio + httpx + json.loads",
     "µs", 1e6),
]


def table(results: dict[str, dict]) -> str:
    official = results.get("official")
    head = "| figure | ours | baseline | ratio | target | met |"
    rule = "|---|---|---|---|---|---|"
    if official:
        head += " official SDK | official ratio |"
        rule += "---|---|"
    lines = [head, rule]
    for key, label, base_label, unit, scale in ROWS:
        if key not in results["ours"]:  # the concurrency rows need httpx (the [async] extra)
            continue
        ours = results["ours"][key]
        target = TARGETS.get(key)
        met = "-" if target is None else "yes" if ours["ratio"] <= target else "**no**"
        line = (f"| {label} | {ours['sdk'] * scale:,.1f} {unit} | {ours['baseline'] * scale:,.1f} {unit} "
                f"({base_label}) | {ours['ratio']:.2f}x | {'-' if target is None else f'≤ {target}x'} | {met} |")
        if official and key in official:
            line += f" {official[key]['sdk'] * scale:,.1f} {unit} | {official[key]['ratio']:.2f}x |"
        elif official:
            line += " - | - |"
        lines.append(line)
    rss = results["ours"]["import"]["rss_kb"] / 1024
    line = (f"| import peak RSS | {rss:.1f} MiB | {results['ours']['import']['rss_bare_kb'] / 1024:.1f} MiB "
            f"(python -c pass) | - | < {RSS_LIMIT_MB} MiB | {'yes' if rss < RSS_LIMIT_MB else '**no**'} |")
    if official:
        line += f" {official['import']['rss_kb'] / 1024:.1f} MiB | - |"
    lines.append(line)
    return "\n".join(lines)


SANDBOX_ROWS = [  # key, label
    ("walk_start", "a page of 100, walking from the start"), ("walk_middle", "…walking from the middle"),
    ("walk_end", "…walking the last pages"), ("jump_deep", "…jumping to the last page (no walk)"),
    ("userName eq", "userName eq"), ("externalId eq", "externalId eq"), ("emails eq", "emails eq"),
    ("id eq", "id eq"), ("active eq false", "active eq false (first page)"),
    ("displayName eq (groups)", "groups: displayName eq"), ("total", "the unfiltered total"),
]


def measure_sandbox(python: str) -> dict[str, dict[str, float]]:
    print("measuring the sandbox's list pages ...", file=sys.stderr, flush=True)
    done = subprocess.run([python, str(BENCH / "sandbox_pages.py")], env=child_env(ours=True), capture_output=True,
                          text=True)
    if done.returncode:
        raise SystemExit(f"bench/sandbox_pages.py failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def sandbox_table(pages: dict[str, dict[str, float]]) -> str:
    sizes = list(pages)
    lines = ["| Directory.list_users | " + " | ".join(f"{int(size):,} users" for size in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    for key, label in SANDBOX_ROWS:
        lines.append(f"| {label} | " + " | ".join(f"{pages[size][key] * 1e3:.2f} ms" for size in sizes) + " |")
    lines.append("| (seeding, bulk insert) | " + " | ".join(f"{pages[size]['seed_s']:.1f} s" for size in sizes) + " |")
    return "\n".join(lines)


SCALE_TARGET = 1.5  # the target for decode and encode at every size


def scale_table(scale: dict[str, dict]) -> str:
    """Ours only: the cost per user of large pages (bench/cases.py case_scale), with the
    no-checks floors (cases.adopting_floor, cases.writing_floor) for reference."""
    target = f"≤ {SCALE_TARGET}x"
    lines = ["| users | decode per user | ÷ json.loads | ÷ json.loads, paused too | floor ÷ json.loads, paused "
             f"| met ({target}) | encode per user | ÷ json.dumps | floor ÷ json.dumps | met ({target}) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for count, row in scale.items():
        decode_met = max(row["decode_ratio"], row["decode_ratio_paused"]) <= SCALE_TARGET
        lines.append(f"| {int(count):,} | {row['decode_per_user'] * 1e6:.1f} µs | {row['decode_ratio']:.2f}x | "
                     f"{row['decode_ratio_paused']:.2f}x | {row['decode_floor_ratio']:.2f}x | "
                     f"{'yes' if decode_met else '**no**'} | {row['encode_per_user'] * 1e6:.1f} µs | "
                     f"{row['encode_ratio']:.2f}x | {row['encode_floor_ratio']:.2f}x | "
                     f"{'yes' if row['encode_ratio'] <= SCALE_TARGET else '**no**'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--official", metavar="PYTHON", help="interpreter of a venv with the official SDK")
    parser.add_argument("--runs", type=int, default=21, help="process pairs for the import figures")
    parser.add_argument("--json", metavar="FILE", help="also write the raw results here")
    parser.add_argument("--no-scale", action="store_true", help="leave out bench/scale.py (about 4 minutes)")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        write_data(data)
        results = {"ours": measure(sys.executable, "ours", data, args.runs)}
        results["ours"]["sandbox"] = measure_sandbox(sys.executable)
        if args.official:
            results["official"] = measure(args.official, "official", data, args.runs)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load:.1f} at the start. "
          "Times are medians; a ratio is the median of per-round ratios against its baseline, "
          "timed back to back in the same run.")
    if load > (os.cpu_count() or 1) / 2:
        print("The machine was busy: expect noisy figures, and run again when it is idle.")
    print()
    print(table(results))
    concurrent = {key: results["ours"][key] for key in ("async_request", "threaded_request") if key in results["ours"]}
    if concurrent:
        floor = concurrent["async_request"]["baseline_calls_per_s"]
        print("\nThroughput of 200 concurrent calls: "
              f"AsyncSCIMApi {concurrent['async_request']['calls_per_s']:,.0f}/s, "
              f"SCIMApi in 16 threads {concurrent['threaded_request']['calls_per_s']:,.0f}/s, "
              f"raw asyncio + httpx {floor:,.0f}/s.")
    if "scale" in results["ours"]:
        print("\nLarge pages (ours; CPU time, medians; each call ends with gc.collect(0) in the clock; "
              "\"paused too\": json.loads inside the same collector pause ours decodes in):\n")
        print(scale_table(results["ours"]["scale"]))
    print("\nThe sandbox's list pages (CPU time per call, medians; bench/sandbox_pages.py):\n")
    print(sandbox_table(results["ours"]["sandbox"]))
    for name, measured in results.items():
        loaded = " ".join(measured["import"]["loaded"]) or "none of " + ", ".join(HEAVY)
        print(f"\n{name}: modules loaded by `import PureCloudPlatformClientV2`: {loaded}")
    if not args.no_scale:  # pacing, requests per row, bounded memory: bench/scale.py (about 4 minutes)
        import scale

        print()
        print(scale.table(scale.measure()))


if __name__ == "__main__":
    main()
