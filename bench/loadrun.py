"""Load each bench page with wrk, then print the table and write bench/results/latest.json.

Run by bench/run.sh once the server is up. Timings never make this fail: only a missing input or a
missing wrk does. Pages answering anything but 2xx are flagged in the table and in the JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

GOAL_RATIO = 0.5
GOAL_P95_MS = 50.0
# The goals of issue 9, in one run: a signed-in page at ≥ 50 % of the signed-in floor (the same tiny view with a
# session, which loads the session and the person), a public page (and the API, by token) at ≥ 50 % of the
# floor, school search at ≥ 25 % of the floor.
SIGNED_IN_FLOOR = "floor_signed_in"
NOT_SIGNED_IN = {"floor", "verify_public", "api_schools"}
GOAL_OVERRIDES = {"school_search": ("floor", 0.25)}


def run_wrk(url: str, headers: dict[str, str], *, seconds: int, connections: int, threads: int,
            script: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = Path(tmp.name)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script)]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(url)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60,
                              env={**os.environ, **(env or {}), "WRK_JSON_OUT": str(out),
                                   "BENCH_WRK_THREADS": str(threads)}, check=False)
        text = out.read_text() if out.exists() else ""
        if proc.returncode != 0 or not text.strip():
            return {"error": f"wrk exited {proc.returncode}: {(proc.stderr or proc.stdout).strip()[:300]}"}
        return json.loads(text)
    except (subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        return {"error": f"wrk failed: {exc}"}
    finally:
        out.unlink(missing_ok=True)


def warm_up(url: str, headers: dict[str, str], seconds: int, script: Path, env: dict[str, str] | None = None) -> None:
    if seconds > 0:
        run_wrk(url, headers, seconds=seconds, connections=4, threads=1, script=script,
                env={**(env or {}), "BENCH_CYCLE_PHASE": "warmup"})


def wrk_plan(target: dict[str, Any], report_script: Path) -> tuple[Path, dict[str, str], dict[str, str]]:
    """Script, environment and headers for a target. A target with a `cycle` file sends a different request
    each time (bench/cycle.lua): its cookies and bodies are in the file, so only the shared headers are
    passed on the command line."""
    if not target.get("cycle"):
        return report_script, {}, target["headers"]
    shared = {k: v for k, v in target["headers"].items() if k != "Cookie"}
    return report_script.with_name("cycle.lua"), {"BENCH_CYCLE_FILE": target["cycle"]}, shared


def ms(us: float, latency: dict[str, Any]) -> float | None:
    # wrk leaves the histogram empty when every request timed out: no latency, not 0 ms.
    return round(us / 1000, 2) if latency["max"] else None


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def fmt(value: float | None, spec: str) -> str:
    if value is None:  # keep the column's width
        width = "".join(ch for ch in spec.split(".")[0] if ch.isdigit())
        return "—".rjust(int(width or 0))
    return format(value, spec)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--targets", required=True, type=Path)
    parser.add_argument("--dataset", required=True, type=Path)
    parser.add_argument("--last-load", type=Path, help="JSON of the last real dataset load (used when skipped).")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--server", default="{}", help="JSON describing the app server configuration.")
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk).", file=sys.stderr)
        return 2
    script = Path(__file__).with_name("report.lua")
    prepared = json.loads(args.targets.read_text())
    dataset = json.loads(args.dataset.read_text())
    if dataset.get("skipped") and args.last_load and args.last_load.exists():
        last = json.loads(args.last_load.read_text())
        if last.get("scale") == dataset.get("scale"):
            dataset["last_load"] = {"timings_s": last.get("timings_s"), "method": last.get("method"),
                                    "fk_checks": last.get("fk_checks")}
    load_before = load_average()

    pages: list[dict[str, Any]] = []
    for target in prepared["targets"]:
        url = args.base_url.rstrip("/") + target["path"]
        print(f"  wrk {target['label']} …", file=sys.stderr, flush=True)
        target_script, env, headers = wrk_plan(target, script)
        warm_up(url, headers, args.warmup, target_script, env)
        result = run_wrk(url, headers, seconds=args.seconds, connections=args.connections,
                         threads=args.threads, script=target_script, env={**env, "BENCH_CYCLE_PHASE": "run"})
        ok_status = {int(code) for code in target.get("ok_status", [])} or set(range(200, 300))
        page: dict[str, Any] = {"name": target["name"], "label": target["label"], "path": target["path"],
                                "method": target.get("method", "GET"), "note": target.get("note", ""),
                                "expected_status": sorted(ok_status) if target.get("ok_status") else "2xx",
                                "probe_cold": target["probe_cold"], "probe_warm": target["probe_warm"]}
        if "error" in result:
            page.update(error=result["error"], rps=None, p50_ms=None, p95_ms=None, p99_ms=None, non_2xx=None,
                        status={})
        else:
            seconds = result["duration_us"] / 1e6
            lat = result["latency_us"]
            socket_errors = sum(result["errors"][k] for k in ("connect", "read", "write", "timeout"))
            # "non_2xx" counts answers other than the expected ones (a form POST answers 302 when it worked).
            unexpected = sum(n for code, n in result["status"].items() if int(code) not in ok_status)
            page.update(
                requests=result["requests"], rps=round(result["requests"] / seconds, 1) if seconds else None,
                p50_ms=ms(lat["p50"], lat), p95_ms=ms(lat["p95"], lat), p99_ms=ms(lat["p99"], lat),
                max_ms=ms(lat["max"], lat),
                status=result["status"], non_2xx=unexpected, socket_errors=socket_errors,
                bytes_per_response=round(result["bytes"] / result["requests"]) if result["requests"] else None,
            )
            if "wraps" in result:
                page["wraps"] = result["wraps"]
        pages.append(page)

    floor = next((p for p in pages if p["name"] == "floor"), None)
    floor_rps = floor.get("rps") if floor else None
    signed_in_floor = next((p for p in pages if p["name"] == SIGNED_IN_FLOOR), None)
    signed_in_floor_rps = signed_in_floor.get("rps") if signed_in_floor else None
    for page in pages:
        rps = page.get("rps")
        page["ratio_to_floor"] = round(rps / floor_rps, 3) if rps and floor_rps else None
        signed_in = page["name"] not in NOT_SIGNED_IN
        page["signed_in"] = signed_in
        page["ratio_to_signed_in_floor"] = (round(rps / signed_in_floor_rps, 3)
                                            if signed_in and rps and signed_in_floor_rps else None)
        against, minimum = GOAL_OVERRIDES.get(page["name"], ("signed_in_floor" if signed_in else "floor", GOAL_RATIO))
        ratio = page["ratio_to_signed_in_floor"] if against == "signed_in_floor" else page["ratio_to_floor"]
        page["goal"] = {"against": against, "min_ratio": minimum}
        problems = []
        if page.get("error"):
            problems.append("wrk failed")
        expected = page["expected_status"] if isinstance(page["expected_status"], list) else [200]
        if page["probe_warm"]["status"] not in expected:
            problems.append(f"answers {page['probe_warm']['status']}")
        page["remarks"] = []
        if page.get("wraps"):
            one_time = any(t.get("one_time") for t in prepared["targets"] if t["name"] == page["name"])
            if one_time:  # e.g. a quiz attempt submitted twice answers "already submitted": a cheaper path
                problems.append(f"ran out of one-time requests {page['wraps']} times (some were sent twice)")
            else:
                page["remarks"].append(f"went through its request list again ({page['wraps']}×)")
        if page.get("non_2xx"):
            problems.append(f"{page['non_2xx']} non-2xx")
        if page.get("socket_errors"):
            problems.append(f"{page['socket_errors']} socket errors")
        page["problems"] = problems
        if not page["name"].startswith("floor") and not problems:
            page["meets_goal"] = bool(ratio is not None and ratio >= minimum)
            page["meets_p95"] = bool(page["p95_ms"] is not None and page["p95_ms"] <= GOAL_P95_MS)

    report = {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scale": dataset.get("scale"),
        "dataset": dataset,
        "busy_upazila": prepared.get("busy_upazila"),
        "search_word": prepared.get("search_word"),
        "machine": {"nproc": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "postgresql": prepared.get("postgresql"), "loadavg_before": load_before,
                    "loadavg_after": load_average()},
        "server": json.loads(args.server),
        "load": {"tool": "wrk", "seconds": args.seconds, "warmup_seconds": args.warmup,
                 "connections": args.connections, "threads": args.threads, "target": args.base_url},
        "goals": {"ratio_min": GOAL_RATIO, "signed_in_against": SIGNED_IN_FLOOR, "overrides": GOAL_OVERRIDES,
                  "p95_ms_max": GOAL_P95_MS},
        "pages": pages,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

    print()
    print(f"Shikhon bench — scale {dataset.get('scale')}, {report['machine']['nproc']} cores, "
          f"wrk {args.connections} connections × {args.seconds} s per page, {report['timestamp']}")
    counts = dataset.get("counts", {})
    if dataset.get("skipped"):
        earlier = dataset.get("last_load", {}).get("timings_s", {}).get("total")
        how = f"already loaded (the load took {earlier} s)" if earlier else "already loaded"
    else:
        how = f"generated and loaded in {dataset.get('timings_s', {}).get('total', 0)} s"
    print(f"Dataset: {counts.get('schools', 0):,} schools, {counts.get('roles_teacher', 0):,} teachers, "
          f"{counts.get('people', 0):,} people; {how}")
    if counts.get("course_enrolments"):
        print(f"Course: {counts['course_enrolments']:,} enrolments ({counts.get('course_enrolments_completed', 0):,} "
              f"completed), {counts.get('course_activity_progress', 0):,} activity progress rows, "
              f"{counts.get('course_quiz_attempts', 0):,} quiz attempts, "
              f"{counts.get('course_certificates', 0):,} certificates")
    if counts.get("practice_records"):
        print(f"Practice: {counts['practice_records']:,} records, {counts.get('practice_plans', 0):,} plans, "
              f"{counts.get('practice_circles', 0):,} school circles with {counts.get('practice_meetings', 0):,} "
              f"meetings, {counts.get('practice_observations', 0):,} observations, "
              f"{counts.get('practice_ongoing_users', 0):,} ongoing users of "
              f"{counts.get('practice_ongoing_latest', 0):,} teachers with a status")
    batch = []
    if dataset.get("champion_selection"):
        chosen = dataset["champion_selection"]
        batch.append(f"champion selection over {chosen['ratings_in_table']:,} ratings: {chosen['seconds']} s "
                     "(goal ≤ 10 s)")
    if dataset.get("library_search"):
        timed = dataset["library_search"]
        batch.append(f"library search, {timed['searches']} searches (words × filters × orders) in-process: "
                     f"p50 {timed['p50_ms']} ms, p95 {timed['p95_ms']} ms (goal ≤ 100 ms), slowest "
                     f"{timed['slowest'][0]['search']} {timed['slowest'][0]['median_ms']} ms")
    for line in batch:
        print(f"Batch: {line}")
    header = (f"{'page':<30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'×floor':>7} {'×signed':>8} {'non-2xx':>8} "
              f"{'SQL q':>6} {'goal':>5}  notes")
    print(header)
    print("-" * len(header))
    for page in pages:
        goal = "" if page["name"].startswith("floor") else ("yes" if page.get("meets_goal") else "no")
        notes = "; ".join(page["problems"])
        if page["problems"]:
            notes = "!! " + notes
        if page.get("remarks"):
            notes = "; ".join(filter(None, [notes, *page["remarks"]]))
        print(f"{page['label'][:30]:<30} {fmt(page.get('rps'), '8.1f')} {fmt(page.get('p50_ms'), '8.2f')} "
              f"{fmt(page.get('p95_ms'), '8.2f')} {fmt(page.get('ratio_to_floor'), '7.2f')} "
              f"{fmt(page.get('ratio_to_signed_in_floor'), '8.2f')} {fmt(page.get('non_2xx'), '8d')} "
              f"{page['probe_warm']['queries']:>6} {goal:>5}  {notes}")
    print(f"Goal: a signed-in page ≥ {GOAL_RATIO:.0%} of the signed-in floor's req/s (×signed), a public page or "
          f"the API ≥ {GOAL_RATIO:.0%} of the floor's, school search ≥ 25% of the floor's (issue 9); "
          f"p95 ≤ {GOAL_P95_MS:.0f} ms at {args.connections} connections (PERFORMANCE.md) is reported in the JSON. "
          f"Load average before/after: {load_before} / {report['machine']['loadavg_after']} "
          "(the machine is shared: compare ratios, not absolute times).")
    print(f"Written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
