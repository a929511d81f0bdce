"""``manage.py generate_data --listings 1000000``: realistic data in bulk, for benchmarks.

A thin wrapper around :func:`bench.generate.load`. It refuses a database whose name does not
say ``bench`` (the generator fills tables in bulk and may empty them first), unless told
``--any-database``.
"""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Generate realistic data at scale with COPY (PostgreSQL), deterministic for a seed."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=5000)
        parser.add_argument("--enterprises", type=int, default=None, help="default: listings/10")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--anchor",
            type=date.fromisoformat,
            default=None,
            help="the last day of the generated two years (default: today)",
        )
        parser.add_argument("--planted", type=int, default=None, help="planted offer/request pairs")
        parser.add_argument(
            "--replace", action="store_true", help="empty the generated tables first"
        )
        parser.add_argument(
            "--planted-file",
            type=Path,
            default=None,
            help="write the planted pairs to this JSON file",
        )
        parser.add_argument(
            "--any-database",
            action="store_true",
            help="allow a database whose name does not contain 'bench'",
        )

    def handle(self, *args, **options):
        from bench.generate import load

        name = connection.settings_dict["NAME"]
        if "bench" not in str(name) and not options["any_database"]:
            raise CommandError(f"refusing to fill database {name!r}: its name lacks 'bench'")
        try:
            result = load(
                listings=options["listings"],
                enterprises=options["enterprises"],
                seed=options["seed"],
                anchor=options["anchor"],
                planted=options["planted"],
                replace=options["replace"],
            )
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if options["planted_file"]:
            options["planted_file"].write_text(json.dumps(result.planted, indent=1))
        for table, count in result.counts.items():
            self.stdout.write(f"{table:36} {count:>10}")
        self.stdout.write(f"seconds: {result.seconds}")
