"""Time and memory of parsing a 10,000-project XLSX import file.

    .venv/bin/python benchmarks/portfolio_import.py [--projects 10000] [--repeat 3]

Generates an XLSX with every import column filled, then measures
``parse_projects`` on it: wall time (best of ``--repeat``) and peak Python
memory (tracemalloc, a separate run, since tracing slows the code down).
The baseline, measured in the same run on the same bytes, is openpyxl alone
reading the workbook the same way (read-only, formulas kept) and touching
every cell's value and type, without any of our parsing; ratios are against it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from openpyxl import Workbook, load_workbook

from facetscope.portfolio.importing import COLUMNS, parse_projects

UNITS = [f"Unit {i}" for i in range(25)]
STAGES = ["idea", "Exploration", "prototype", "Implementation", "scaling", "completed"]
_WORD_TEXT = (
    "service digital citizens data pilot permit health school energy mobility climate "
    "housing procurement open tax benefits youth ageing water waste safety training"
)
WORDS = _WORD_TEXT.split()


def build_xlsx(n: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("projects")
    sheet.append(list(COLUMNS))
    for i in range(n):
        start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(1500))
        row = {
            "key": f"P-{i:05d}",
            "title": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} project {i}",
            "description": " ".join(rng.choices(WORDS, k=40)),
            "unit": rng.choice(UNITS),
            "owner_email": f"owner{i % 300}@example.org",
            "team": "Team " + rng.choice(WORDS),
            "partners": "; ".join(rng.sample(["City", "NGO", "University", "Region", "OECD"], 2)),
            "stage": rng.choice(STAGES),
            "start_date": start,
            "end_date": (start + dt.timedelta(days=rng.randrange(30, 900))).strftime("%d/%m/%Y"),
            "budget": rng.choice([round(rng.uniform(0, 2e6), 2), "1 200,50", "25,000.00"]),
            "fte": round(rng.uniform(0, 12), 1),
            "funding_source": rng.choice(["Core budget", "EU grant", "Innovation fund"]),
            "policy_goals": "; ".join(rng.sample(["Net zero", "Digital by default", "Equity"], 2)),
            "sdgs": "; ".join(str(g) for g in rng.sample(range(1, 18), 2)),
            "tags": "; ".join(rng.sample(WORDS, 3)),
            "links": f"https://example.org/projects/{i}",
            "priority": rng.choice(["high", "Medium", "low", ""]),
            "purpose": rng.choice(["enh", "mis", "Adaptive", "anticipatory", "all"]),
            "driver": rng.choice(["enh", "Mission-oriented", "ada", "ant"]),
        }
        sheet.append([row[name] for name in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def openpyxl_only(data: bytes) -> int:
    """The baseline: read every cell the way parse_projects does, and nothing else."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    sheet = workbook["projects"]
    sheet.reset_dimensions()
    cells = 0
    for row in sheet.iter_rows():
        for cell in row:
            _ = (cell.value, cell.data_type)
            cells += 1
    workbook.close()
    return cells


def best_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(fn: Callable[[], object]) -> tuple[int, int]:
    """Peak traced memory during ``fn``, and what its result still holds afterwards."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        gc.collect()
        retained = tracemalloc.get_traced_memory()[0]
        del result
        return tracemalloc.get_traced_memory()[1], retained
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--save", action="store_true", help="also import the file into a fresh SQLite database"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    data = build_xlsx(args.projects)
    print(
        f"generated {args.projects:,} projects × {len(COLUMNS)} columns: "
        f"{len(data) / 1e6:.2f} MB in {time.perf_counter() - start:.1f} s"
    )
    units = set(UNITS)

    def ours() -> object:
        return parse_projects(data, "projects.xlsx", known_units=units)

    result = ours()
    if not result.ok or len(result.rows) != args.projects:
        raise SystemExit(f"unexpected result: {len(result.rows)} rows, {result.errors[:5]}")
    del result

    base_t = best_time(lambda: openpyxl_only(data), args.repeat)
    ours_t = best_time(ours, args.repeat)
    base_m, _ = peak_memory(lambda: openpyxl_only(data))
    ours_m, rows_m = peak_memory(ours)
    print(
        f"  baseline: openpyxl read only     {base_t * 1000:8.1f} ms   peak {base_m / 1e6:6.1f} MB"
    )
    print(
        f"  parse_projects                   {ours_t * 1000:8.1f} ms   peak {ours_m / 1e6:6.1f} MB"
        f"   ({ours_t / base_t:.2f}x time, {ours_m / base_m:.2f}x memory)"
    )
    print(f"  of which the returned rows       {'':8}      {rows_m / 1e6:6.1f} MB")
    print(f"  per project                      {ours_t / args.projects * 1e6:8.1f} µs")
    if args.save:
        save(data, args.projects)


def save(data: bytes, count: int) -> None:
    """The whole import as a steward runs it: check, preview, then commit in one transaction."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _setup import django_setup

    django_setup()
    from facetscope.accounts.models import User
    from facetscope.organisations.models import Membership
    from facetscope.organisations.services import organisation_create, unit_create
    from facetscope.portfolio import importer
    from facetscope.portfolio.models import Project

    steward = User.objects.create_user(email="bench@example.org", name="Bench", password=None)
    org = organisation_create(
        actor=steward, name="Bench", country="FR", government_level="national", size_band="5000+"
    )
    for name in UNITS:
        unit_create(actor=steward, organisation=org, name=name)
    # the project owners named in the file are members (set up directly: not what is timed)
    owners = User.objects.bulk_create(
        [User(email=f"owner{i}@example.org", name=f"Owner {i}") for i in range(300)]
    )
    Membership.objects.bulk_create([Membership(organisation=org, user=u) for u in owners])
    tracemalloc.start()
    start = time.perf_counter()
    upload, _plan = importer.import_prepare(
        actor=steward, organisation=org, data=data, filename="projects.xlsx"
    )
    prepared = time.perf_counter() - start
    counts = importer.import_commit(actor=steward, upload=upload)
    total = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert Project.objects.count() == count == counts["created"]
    print(
        f"  save to SQLite: check and preview {prepared:8.1f} s; check, create and place "
        f"all {total:6.1f} s; peak {peak / 1e6:.1f} MB (traced, so slower)"
    )


if __name__ == "__main__":
    main()
