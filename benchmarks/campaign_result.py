"""Time the organisation result of a campaign with 10,000 submitted responses.

    .venv/bin/python benchmarks/campaign_result.py [--responses 10000] [--postgres URL]

Prints: set-up time, the result cold (computed) and cached (read back), and,
as the baseline measured in the same run, the time to read the same rows from
the database without any computing; ratios are against that baseline.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from _setup import django_setup, fresh_postgres_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--postgres", help="e.g. postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = fresh_postgres_database(args.postgres, "facetscope_bench") if args.postgres else None
    django_setup(url)

    from django.db import connection

    from facetscope.accounts.models import User
    from facetscope.assessments.demo import UNIT_LEANINGS, generate_answers
    from facetscope.assessments.models import Response
    from facetscope.assessments.results import summary_of
    from facetscope.assessments.selectors import campaign_result
    from facetscope.assessments.services import campaign_create
    from facetscope.instruments.scoring import normalize_answers, score_normalized
    from facetscope.instruments.selectors import latest_version
    from facetscope.organisations.models import hash_token
    from facetscope.organisations.services import organisation_create, unit_create

    started = time.perf_counter()
    steward = User.objects.create_user(email="bench@example.org", name="Bench", password=None)
    org = organisation_create(
        actor=steward,
        name="Benchmark agency",
        country="FR",
        government_level="national",
        size_band="5000+",
    )
    units = []
    for name in UNIT_LEANINGS:
        units.append(unit_create(actor=steward, organisation=org, name=name))
    version = latest_version("portfolio-exploration")
    definition = version.definition
    import datetime as dt

    today = dt.date.today()
    campaign = campaign_create(
        actor=steward,
        organisation=org,
        instrument_version=version,
        title="Benchmark",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        languages=["en", "fr"],
    )
    rng = random.Random(7)
    rows = []
    for i in range(args.responses):
        unit = units[i % len(units)]
        level = rng.choices(["individual", "team_lead", "senior_manager"], [6, 3, 1])[0]
        nested = generate_answers(
            definition,
            rng,
            leaning=UNIT_LEANINGS[unit.name],
            level=level,
            capability=2 + rng.gauss(0, 0.5),
        )
        clean = normalize_answers(definition, nested)
        result = score_normalized(definition, clean)
        rows.append(
            Response(
                campaign=campaign,
                resume_token_hash=hash_token(f"bench-{i}"),
                pseudonym=f"B{i:09d}",
                level=level,
                unit=unit,
                language=rng.choice(["en", "fr"]),
                status="submitted",
                submitted_on=today - dt.timedelta(days=i % 20),
                submitted_answers=clean,
                result=result,
                summary=summary_of(result, clean, definition),
            )
        )
    Response.objects.bulk_create(rows, batch_size=1000)
    setup = time.perf_counter() - started

    def timed(fn):
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    def read_rows():
        list(
            Response.objects.filter(campaign=campaign, status="submitted").values_list(
                "level", "unit_id", "language", "submitted_on", "summary"
            )
        )

    baseline = timed(read_rows)
    cold = timed(lambda: campaign_result(campaign=campaign, use_cache=False))
    campaign_result(campaign=campaign)
    cached = timed(lambda: campaign_result(campaign=campaign))
    result = campaign_result(campaign=campaign)
    print(
        f"database: {connection.vendor}; responses: {args.responses}; "
        f"groups shown: {sum(1 for g in result['groups'].values() if not g.get('suppressed'))}"
        f" of {len(result['groups'])}"
    )
    print(f"set-up (generate, score and insert): {setup:.2f} s")
    print(f"baseline: read the rows only      {baseline * 1000:8.1f} ms")
    print(
        f"organisation result, cold          {cold * 1000:8.1f} ms  "
        f"({cold / baseline:.1f}x baseline)"
    )
    print(
        f"organisation result, cached        {cached * 1000:8.1f} ms  "
        f"({cached / baseline:.2f}x baseline)"
    )


if __name__ == "__main__":
    main()
