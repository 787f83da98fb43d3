"""Load the national-scale bench dataset (1,000,000 teachers and 65,000 schools at --scale 1.0)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from shikhon.demo import bench_data, bench_library


class Command(BaseCommand):
    help = ("Load the bench dataset: teachers, schools with head teachers, upazila, district and division "
            "officers in the real 494 upazilas. Idempotent: skips when already at the scale asked for, "
            "else drops the bench rows (phones +880199…, EIINs 800000+) and loads them again.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0,
                            help="1.0 = 1,000,000 teachers and 65,000 schools; 0.01 for a quick run.")
        parser.add_argument("--method", choices=["auto", "copy", "orm"], default="auto",
                            help="copy (PostgreSQL COPY) or orm (bulk_create, small scales); auto picks.")
        parser.add_argument("--reload", action="store_true", help="Drop and load again even if already loaded.")
        parser.add_argument("--json", dest="json_path", help="Also write counts and timings to this JSON file.")
        parser.add_argument("--no-champions", dest="champions", action="store_false",
                            help="Do not time the weekly champion selection and the library search after the load.")
        parser.add_argument("--any-database", action="store_true",
                            help="Allow a database whose name says neither 'bench' nor 'test'.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = str(connection.settings_dict.get("NAME") or "")
        if not options["any_database"] and not any(word in name.lower() for word in ("bench", "test", "memory")):
            raise CommandError(
                f"The database {name!r} does not look like a bench or test database, and this command drops "
                "and reloads rows. Use a database named like shikhon_bench, or pass --any-database.")
        verbose = options["verbosity"] > 0
        try:
            report = bench_data.load(scale=options["scale"], method=options["method"], reload=options["reload"],
                                     log=lambda msg: self.stdout.write(msg) if verbose else None)
        except bench_data.BenchDataError as exc:
            raise CommandError(str(exc)) from exc
        data = {**report.as_dict(), "database": connection.vendor}
        if options["champions"] and bench_library.is_supported() and data["counts"].get("library_ratings"):
            # Batch work of issue 12: the weekly champion selection over the whole ratings table.
            data["champion_selection"] = bench_library.time_selection()
            if verbose:
                found = data["champion_selection"]
                self.stdout.write(f"Champion selection of the week of {found['week']} over "
                                  f"{found['ratings_in_table']:,} ratings ({found['ratings_in_week']:,} that week): "
                                  f"{found['seconds']} s, {found['candidates']:,} candidates")
            # Search over the whole library: the first page of a mix of words, filters and orders.
            data["library_search"] = bench_library.time_searches()
            if verbose:
                timed = data["library_search"]
                self.stdout.write(f"Library search, {timed['searches']} searches × 3: p50 {timed['p50_ms']} ms, "
                                  f"p95 {timed['p95_ms']} ms (cold p95 {timed['cold_p95_ms']} ms); slowest: "
                                  + "; ".join(f"{s['search']} {s['median_ms']} ms" for s in timed["slowest"][:3]))
        if options["json_path"]:
            Path(options["json_path"]).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        if verbose:
            action = "already loaded" if report.skipped else f"loaded in {report.timings['total']:.1f} s"
            self.stdout.write(self.style.SUCCESS(f"Bench dataset at scale {report.scale} {action} "
                                                 f"({report.method}): {report.counts}"))
