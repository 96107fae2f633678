"""Page saves per second while 200 simulated respondents answer, against a real server.

    .venv/bin/python benchmarks/response_load.py [--respondents 200] [--concurrency 40]
        [--postgres postgresql://postgres@127.0.0.1:5432/test] [--workers 3]

Starts gunicorn on 127.0.0.1 against a fresh PostgreSQL database (SQLite with
--sqlite), runs the respondents (each starts, says its level, then saves every
page of the portfolio-exploration questionnaire), and measures, in the same run
and with the same concurrency, the throughput of a minimal Django view (/ping)
as the baseline. Prints both and their ratio. Traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _setup import ROOT, django_setup, fresh_postgres_database

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


class Respondent:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, fields: list[tuple[str, str]], csrf: str) -> str:
        data = urllib.parse.urlencode([("csrfmiddlewaretoken", csrf), *fields]).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        try:
            with self.opener.open(request, timeout=30) as response:
                response.read()
                return response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303):
                return exc.headers.get("Location", "")
            raise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sqlite", action="store_true", help="use SQLite instead of PostgreSQL")
    args = parser.parse_args()

    url = None if args.sqlite else fresh_postgres_database(args.postgres, "facetscope_load")
    data_dir = django_setup(url)
    import datetime as dt

    from django.core.management import call_command

    from facetscope.accounts.models import User
    from facetscope.assessments.demo import UNIT_LEANINGS, generate_answers
    from facetscope.assessments.questionnaire import page_form_data, sections_for_level
    from facetscope.assessments.services import campaign_create
    from facetscope.instruments.scoring import normalize_answers
    from facetscope.instruments.selectors import latest_version
    from facetscope.organisations.services import organisation_create

    call_command("collectstatic", interactive=False, verbosity=0)
    steward = User.objects.create_user(email="load@example.org", name="Load", password=None)
    org = organisation_create(
        actor=steward,
        name="Load agency",
        country="FR",
        government_level="national",
        size_band="5000+",
    )
    version = latest_version("portfolio-exploration")
    today = dt.date.today()
    campaign = campaign_create(
        actor=steward,
        organisation=org,
        instrument_version=version,
        title="Load",
        opens_on=today,
        closes_on=today + dt.timedelta(days=3),
        audience="link",
        languages=["en"],
    )
    definition = version.definition
    sections = sections_for_level(definition, "individual")
    rng = random.Random(3)
    pages = []
    for _ in range(args.respondents):
        flat = normalize_answers(
            definition,
            generate_answers(
                definition,
                rng,
                leaning=rng.choice(list(UNIT_LEANINGS.values())),
                level="individual",
                capability=2.0,
            ),
        )
        pages.append(
            [page_form_data(definition, s, level="individual", answers=flat) for s in sections]
        )

    port = free_port()
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1",
        "FACETSCOPE_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT / "src"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "facetscope.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=str(Path(data_dir)),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/ping")

        def baseline_one(_i: int) -> None:
            client = Respondent(base)
            for _ in range(len(sections)):
                client.get("/ping")

        def begin(_i: int) -> tuple[Respondent, str, str]:
            client = Respondent(base)
            csrf = CSRF.search(client.get(f"/c/{campaign.link_token}/")).group(1)
            location = client.post(f"/c/{campaign.link_token}/", [], csrf)
            token = location.split("/respond/")[1].split("/")[0]
            client.post(
                f"/respond/{token}/about/", [("level", "individual"), ("language", "en")], csrf
            )
            return client, token, csrf

        def answer(args: tuple[int, tuple[Respondent, str, str]]) -> None:
            i, (client, token, csrf) = args
            for number, fields in enumerate(pages[i], start=1):
                client.post(f"/respond/{token}/page/{number}/", [*fields, ("action", "next")], csrf)

        with ThreadPoolExecutor(args.concurrency) as pool:
            t = time.perf_counter()
            list(pool.map(baseline_one, range(args.respondents)))
            baseline_time = time.perf_counter() - t
            started = list(pool.map(begin, range(args.respondents)))
            t = time.perf_counter()
            list(pool.map(answer, enumerate(started)))
            total_time = time.perf_counter() - t
        requests = args.respondents * len(sections)
        from facetscope.assessments.models import Answer, Response

        saved = Answer.objects.filter(response__campaign=campaign).count()
        responses = Response.objects.filter(campaign=campaign).count()
    finally:
        server.terminate()
        server.wait(timeout=10)

    from django.db import connection

    baseline_rate = requests / baseline_time
    save_rate = requests / total_time
    print(
        f"database: {connection.vendor}; gunicorn: {args.workers}x{args.threads} threads; "
        f"respondents: {args.respondents}; concurrency: {args.concurrency}"
    )
    print(f"responses created: {responses}; answers stored: {saved}")
    print(f"baseline /ping (minimal Django view): {baseline_rate:8.1f} requests/s")
    print(f"questionnaire page saves:             {save_rate:8.1f} saves/s")
    print(f"ratio saves / minimal view:           {save_rate / baseline_rate:8.2f}")


if __name__ == "__main__":
    main()
