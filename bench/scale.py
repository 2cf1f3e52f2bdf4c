"""Scale figures (issue 15), each from one run: `python bench/scale.py [--json FILE]`, also
part of `make bench`. About 4 minutes on an idle machine.

- pacing: a `sync users` that needs several rate-limit windows of the sandbox (a short
  window, `rate_limit_window`), with pacing (the CLI's default) and without (--no-pacing):
  wall time over the ideal (requests sent ÷ the allowed rate) and the 429s the server sent.
- requests per row: what each kind of row cost in that sync and in a second one that
  updates, leaves unchanged and deactivates (from the report's `requests`), against the
  minimum a plan needs (1 per create, update and deactivate, 0 per unchanged row; the
  directory in ceil(users / page size) pages per pass).
- export: peak RSS of `purecloud-scim export users` (JSON and CSV) for 10,000 and 50,000
  users, and of a dry-run sync's directory read (what sync holds per user), each CLI run in a
  child of a small launcher process whose `ru_maxrss` is read with `os.wait4`. The users come
  from a page server in its own process (generated users, fast, so the CLI is what is measured).
- sync --dry-run of N rows: peak RSS of a dry run of 50,000 and 200,000 new users (a CSV of
  every column, as tests/cli/support.make_rows writes) against an empty in-memory sandbox
  (`--sandbox`), in the same launcher; bytes per row from the slope between the two.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PACING = {"allowed": 100, "window": 4.0, "rows": 800, "workers": 8}  # 8 windows of 4 s
EXPORT_SIZES = (10_000, 50_000)
DRY_RUN_SIZES = (50_000, 200_000)
PAGE_SIZE = 100
RSS_FLAT_MIB = 5.0  # "flat": the larger org may add at most this much peak RSS

# A launcher that runs one CLI command as its child and prints the child's peak RSS (KiB).
# The launcher itself stays small, so what Linux carries over from it into the child's
# ru_maxrss (the parent's peak at fork) is below the CLI's own.
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen([sys.executable, "-m", "PureCloudPlatformClientV2.cli", *sys.argv[1:]],
                         stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def env_for(url: str, token: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENESYSCLOUD_")}
    env.update(PYTHONPATH=str(ROOT), GENESYSCLOUD_API_HOST=url, GENESYSCLOUD_ACCESS_TOKEN=token)
    return env


def cli_json(args: list[str], env: dict[str, str], cwd: str) -> tuple[int, Any, float]:
    """(exit code, the JSON it printed, wall seconds) of one CLI run."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "PureCloudPlatformClientV2.cli", *args], env=env, cwd=cwd,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    try:
        return done.returncode, json.loads(done.stdout), elapsed
    except ValueError:
        raise SystemExit(f"purecloud-scim {' '.join(args)} failed ({done.returncode}):\n{done.stderr}") from None


def peak_rss_mib(args: list[str], env: dict[str, str], cwd: str) -> float:
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *args], env=env, cwd=cwd, capture_output=True,
                          text=True, check=True)
    code, kib = done.stdout.split()
    if code != "0":
        raise SystemExit(f"purecloud-scim {' '.join(args)} exited {code}:\n{done.stderr}")
    return int(kib) / 1024


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# -- pacing and requests per row --------------------------------------------------------------
def measure_sync(pacing: bool, folder: str) -> dict[str, Any]:
    """Create PACING['rows'] users against a rate-limited sandbox; with pacing, then also a
    second sync that updates, leaves unchanged and deactivates, for the per-row figures."""
    from PureCloudPlatformClientV2.sandbox import Sandbox

    allowed, window, rows, workers = PACING["allowed"], PACING["window"], PACING["rows"], PACING["workers"]
    with Sandbox(rate_limit=allowed, rate_limit_window=window) as sandbox:
        refused = [0]
        admit = sandbox.app.faults.admit

        def counting_admit(headers: dict[str, str]) -> None:
            try:
                admit(headers)
            except Exception:
                refused[0] += 1
                raise

        sandbox.app.faults.admit = counting_admit  # type: ignore[method-assign]
        people = [{"userName": f"user{i}@example.com", "displayName": f"User {i}", "title": "Agent"}
                  for i in range(rows)]
        write_rows(Path(folder, "create.csv"), people)
        env = env_for(sandbox.url, sandbox.token)
        flags = ["--workers", str(workers), "--json", *([] if pacing else ["--no-pacing"])]
        code, report, elapsed = cli_json(["sync", "users", "create.csv", *flags], env, folder)
        sent = report["requests"]["total"]
        needed = rows + 2  # a POST per row, and the directory of an empty org: one page per pass
        ideal = needed / (allowed / window)
        result: dict[str, Any] = {
            "pacing": pacing, "rows": rows, "allowed_per_window": allowed, "window_s": window,
            "windows_needed": needed / allowed, "exit": code, "seconds": elapsed, "requests": sent, "needed": needed,
            "ideal_s": ideal, "ratio": elapsed / ideal, "429s": refused[0],
            "rate_per_min": sent / elapsed * 60, "allowed_per_min": allowed / window * 60,
            "report": report["requests"]}
        if pacing:  # the second sync: a fifth updated, a tenth left out (deactivated), the rest unchanged
            changed = [dict(p, title="Lead") if i % 5 == 0 else p for i, p in enumerate(people) if i % 10 != 1]
            write_rows(Path(folder, "mixed.csv"), changed)
            _, mixed, _ = cli_json(["sync", "users", "mixed.csv", "--deactivate-missing", "--yes",
                                    "--max-deactivate-share", "20", *flags], env, folder)
            result["mixed"] = mixed["requests"]
            result["mixed_counts"] = mixed["counts"]
            result["directory_minimum"] = [2, math.ceil(rows / PAGE_SIZE) + 1]  # active pages + the inactive pass
        return result


# -- export and the directory read ------------------------------------------------------------
class PageServer(ThreadingHTTPServer):
    """Answers GET /api/v2/scim/v2/users with pages of `total` generated users (managers on
    other pages, before and after), `active eq false` with none."""

    daemon_threads = True

    def __init__(self, total: int) -> None:
        from PureCloudPlatformClientV2.sandbox.fake import make_users

        super().__init__(("127.0.0.1", 0), PageHandler)
        self.total = total
        self.templates = make_users(200)


def user_id(i: int) -> str:
    return f"{i:08x}-0000-4000-8000-{i:012x}"


class PageHandler(BaseHTTPRequestHandler):
    server: PageServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        query = parse_qs(urlsplit(self.path).query)
        total = 0 if "active eq false" in query.get("filter", [""])[0] else self.server.total
        start, count = int(query.get("startIndex", ["1"])[0]), int(query.get("count", ["100"])[0])
        users = []
        for i in range(start - 1, min(total, start - 1 + count)):
            user = dict(self.server.templates[i % 200], id=user_id(i), userName=f"user{i}@example.com")
            enterprise = dict(user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"])
            enterprise["manager"] = {"value": user_id((i * 7919 + 13) % total)}
            user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = enterprise
            users.append(user)
        body = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": total,
                           "startIndex": start, "itemsPerPage": len(users), "Resources": users}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/scim+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(total: int) -> None:
    """`python bench/scale.py serve N`: a page server until stdin closes."""
    server = PageServer(total)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


def measure_memory(folder: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    write_rows(Path(folder, "one.csv"), [{"userName": "user0@example.com", "displayName": "User 0"}])
    for total in EXPORT_SIZES:
        server = subprocess.Popen([sys.executable, __file__, "serve", str(total)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        try:
            url = (server.stdout.readline() if server.stdout else "").strip()
            env = env_for(url, "bench-token")
            figures = {}
            for fmt in ("json", "csv"):
                started = time.perf_counter()
                figures[f"export_{fmt}_mib"] = peak_rss_mib(
                    ["export", "users", "--format", fmt, "--out", f"users-{total}.{fmt}", "--quiet"], env, folder)
                figures[f"export_{fmt}_s"] = time.perf_counter() - started
                os.unlink(Path(folder, f"users-{total}.{fmt}"))
            figures["sync_read_mib"] = peak_rss_mib(["sync", "users", "one.csv", "--dry-run", "--json"], env, folder)
            results[str(total)] = figures
        finally:
            if server.stdin:
                server.stdin.close()
            server.wait()
    small, large = (results[str(n)] for n in EXPORT_SIZES)
    extra_users = EXPORT_SIZES[1] - EXPORT_SIZES[0]
    results["growth_mib"] = {k: large[k] - small[k] for k in small if k.endswith("_mib")}
    results["sync_bytes_per_user"] = (large["sync_read_mib"] - small["sync_read_mib"]) * 1024 * 1024 / extra_users
    return results


def write_people(path: Path, count: int) -> None:
    """`count` new users in every column, as the CLI tests generate them (36 MB for 200,000)."""
    from tests.cli.support import make_rows

    write_rows(path, make_rows(count))


def measure_dry_run(folder: str) -> dict[str, Any]:
    """Peak RSS of `sync users FILE --dry-run` for files of new users (what planning holds per row)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENESYSCLOUD_")}
    env.update(PYTHONPATH=str(ROOT))
    results: dict[str, Any] = {}
    for count in DRY_RUN_SIZES:
        path = Path(folder, f"new-{count}.csv")
        write_people(path, count)
        started = time.perf_counter()
        results[str(count)] = {"mib": peak_rss_mib(["--sandbox", "sync", "users", path.name, "--dry-run"], env, folder),
                               "s": time.perf_counter() - started, "file_mb": path.stat().st_size / 1e6}
        path.unlink()
    small, large = (results[str(n)]["mib"] for n in DRY_RUN_SIZES)
    results["bytes_per_row"] = (large - small) * 1024 * 1024 / (DRY_RUN_SIZES[1] - DRY_RUN_SIZES[0])
    return results


def measure() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        print("scale: sync with pacing ...", file=sys.stderr, flush=True)
        paced = measure_sync(True, folder)
        print("scale: sync without pacing ...", file=sys.stderr, flush=True)
        unpaced = measure_sync(False, folder)
        print(f"scale: export and sync's directory read of {' and '.join(f'{n:,}' for n in EXPORT_SIZES)} users ...",
              file=sys.stderr, flush=True)
        memory = measure_memory(folder)
        print(f"scale: sync --dry-run of {' and '.join(f'{n:,}' for n in DRY_RUN_SIZES)} new users ...",
              file=sys.stderr, flush=True)
        dry_run = measure_dry_run(folder)
    return {"paced": paced, "unpaced": unpaced, "memory": memory, "dry_run": dry_run}


def table(results: dict[str, Any]) -> str:
    paced, unpaced, memory = results["paced"], results["unpaced"], results["memory"]
    lines = [f"Sync of {paced['rows']} new users, {PACING['workers']} workers, "
             f"sandbox limit {paced['allowed_per_window']} "
             f"requests per {paced['window_s']:g} s window ({paced['allowed_per_min']:.0f}/min; "
             f"{paced['windows_needed']:.1f} windows of requests):", "",
             "| run | requests sent (needed) | wall time | ideal | ratio | target | 429s | rate |",
             "|---|---|---|---|---|---|---|---|"]
    for name, run in (("pacing (default)", paced), ("--no-pacing (before)", unpaced)):
        target = "≤ 1.1, 0 429s" if run["pacing"] else "-"
        lines.append(f"| {name} | {run['requests']} ({run['needed']}) | {run['seconds']:.1f} s | "
                     f"{run['ideal_s']:.1f} s | "
                     f"{run['ratio']:.2f}x | {target} | {run['429s']} | {run['rate_per_min']:.0f}/min |")
    lines += ["", "Requests per row (paced; minimum: create, update, deactivate 1, unchanged 0):", "",
              "| sync | directory read | create | update | unchanged | deactivate |", "|---|---|---|---|---|---|"]
    runs = (("create all", paced["report"]), ("update/unchanged/deactivate", paced["mixed"]))
    for (name, figures), minimum in zip(runs, paced["directory_minimum"]):
        cells = [f"{r['perRow']:.2f} ({r['rows']} rows)" if r["rows"] else "-" for r in figures["rows"].values()]
        lines.append(f"| {name} | {figures['directory']} (minimum {minimum}) | "
                     + " | ".join(cells) + " |")
    lines += ["", "Peak RSS of the CLI (child process):", "",
              "| command | " + " | ".join(f"{n:,} users" for n in EXPORT_SIZES) + " | growth | flat (≤ "
              f"{RSS_FLAT_MIB:g} MiB) |", "|---|---|---|---|---|"]
    for key, label in (("export_json_mib", "export users (JSON)"), ("export_csv_mib", "export users (CSV)"),
                       ("sync_read_mib", "sync --dry-run (directory read)")):
        values = [memory[str(n)][key] for n in EXPORT_SIZES]
        growth = memory["growth_mib"][key]
        flat = "-" if key.startswith("sync") else ("yes" if growth <= RSS_FLAT_MIB else "**no**")
        lines.append(f"| {label} | " + " | ".join(f"{v:.1f} MiB" for v in values) + f" | {growth:+.1f} MiB | {flat} |")
    lines.append(f"\nsync holds about {memory['sync_bytes_per_user']:,.0f} bytes per user while planning "
                 "(the slope of the dry run's peak RSS).")
    dry_run = results["dry_run"]
    lines += ["", "Peak RSS of a dry run of new users (empty --sandbox; the file's rows, not the directory):", "",
              "| command | " + " | ".join(f"{n:,} rows" for n in DRY_RUN_SIZES) + " | per row (slope) |",
              "|---|---|---|---|",
              "| sync --dry-run of N rows | " + " | ".join(
                  f"{dry_run[str(n)]['mib']:.1f} MiB ({dry_run[str(n)]['file_mb']:.0f} MB file, "
                  f"{dry_run[str(n)]['s']:.0f} s)" for n in DRY_RUN_SIZES)
              + f" | {dry_run['bytes_per_row']:,.0f} bytes |"]
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["serve"]:
        serve(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="FILE", help="also write the raw results here")
    args = parser.parse_args()
    results = measure()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))


if __name__ == "__main__":
    main()
