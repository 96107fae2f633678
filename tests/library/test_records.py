"""The library record format: clean records, JSON Lines and CSV files, every kind of error."""

import codecs
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facetscope.library.records import (
    ACTIONS,
    CAPABILITIES,
    CSV_FACET_COLUMNS,
    FACETS,
    FIELD_NAMES,
    FIELDS,
    LEVELS,
    MAX_ERRORS,
    REQUIRED,
    SECTORS,
    STAGES,
    TYPES,
    Problem,
    RecordError,
    clean_record,
    country_name,
    read_records,
    write_csv,
    write_jsonl,
)

DATA = Path(__file__).resolve().parents[2] / "src" / "facetscope" / "library" / "data"
STARTER_FILES = ("cases.jsonl", "toolkits.jsonl")

BASE = {"key": "k", "type": "case", "title": "A title", "summary": "A summary."}


def starter(name):
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def clean(**fields):
    return clean_record({**BASE, **fields}, where="line 7")


def problems(raw, where="line 7"):
    with pytest.raises(RecordError) as caught:
        clean_record(raw, where=where)
    return caught.value.errors


def problem(**fields):
    """The single problem of BASE with ``fields``."""
    found = problems({**BASE, **fields})
    assert len(found) == 1, found
    return found[0]


def jsonl_bytes(*objects):
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects).encode()


def csv_bytes(rows, delimiter=","):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def read_errors(data, filename, **kwargs):
    with pytest.raises(RecordError) as caught:
        read_records(data, filename, **kwargs)
    return caught.value


def read_csv(rows, **kwargs):
    return [record for _where, record in read_records(csv_bytes(rows, **kwargs), "x.csv")]


CSV_HEADER = ["key", "type", "title", "summary"]


def csv_one(**columns):
    """The clean record of one CSV row: BASE plus ``columns``."""
    header = [*CSV_HEADER, *columns]
    row = [BASE[name] for name in CSV_HEADER] + list(columns.values())
    (record,) = read_csv([header, row])
    return record


# --------------------------------------------------------------------------- fields


def test_fields_in_order_with_kinds():
    assert FIELD_NAMES == (
        "key", "type", "title", "summary", "country", "level", "organisation_type", "year",
        "sectors", "stage", "stages", "facets", "tags", "results", "lessons", "url",
        "language", "publisher", "discipline", "toolkit_type", "format", "licence",
        "actions", "capabilities", "good_for",
    )  # fmt: skip
    assert REQUIRED == ("key", "type", "title", "summary")
    kinds = {field.name: field.kind for field in FIELDS}
    assert kinds["sectors"] == kinds["actions"] == "choice_list"
    assert kinds["tags"] == "tag_list"
    assert kinds["year"] == "year" and kinds["facets"] == "facets"
    assert {field.name: field.choices for field in FIELDS if field.choices} == {
        "type": TYPES,
        "level": LEVELS,
        "sectors": SECTORS,
        "stage": STAGES,
        "stages": STAGES,
        "actions": ACTIONS,
        "capabilities": CAPABILITIES,
    }
    assert all(field.help for field in FIELDS)


# --------------------------------------------------------------------------- starter library


@pytest.mark.parametrize("name", STARTER_FILES)
def test_starter_records_are_clean_as_they_are(name):
    records = starter(name)
    assert len(records) > 40
    for number, record in enumerate(records, start=1):
        assert clean_record(record, where=f"line {number}") == record


@pytest.mark.parametrize("name", STARTER_FILES)
def test_starter_files_read_and_round_trip(name):
    records = starter(name)
    read = read_records((DATA / name).read_bytes(), name)
    assert [where for where, _record in read] == [f"line {n}" for n in range(1, len(records) + 1)]
    assert [record for _where, record in read] == records
    for text, filename in ((write_jsonl(records), "out.jsonl"), (write_csv(records), "out.csv")):
        again = [record for _where, record in read_records(text.encode(), filename)]
        assert again == records
        # Key order is stable: FIELDS order, whatever order the input had.
        assert [list(record) for record in again] == [
            [name for name in FIELD_NAMES if name in record] for record in records
        ]


def test_whole_library_round_trips_through_both_formats_as_one_file():
    records = starter("cases.jsonl") + starter("toolkits.jsonl")
    jsonl, table = write_jsonl(records), write_csv(records)
    assert [r for _w, r in read_records(jsonl.encode(), "all.jsonl")] == records
    assert [r for _w, r in read_records(table.encode("utf-8-sig"), "all.csv")] == records
    assert write_jsonl(records) == jsonl and write_csv(reversed(records)) != table  # stable
    header = table.split("\r\n", 1)[0].split(",")
    assert header[:4] == ["key", "type", "title", "summary"]
    assert "facets" not in header and header.count("facet_enh") == 1
    assert json.loads(jsonl.splitlines()[0]) == records[0]


# --------------------------------------------------------------------------- clean records


def test_clean_record_normalises():
    record = clean_record(
        {
            "summary": "  Text.  ",
            "title": " Title ",
            "key": " a-1 ",
            "type": "Toolkit",
            "level": " National ",
            "sectors": ["Public admin reform", "health", "public-admin-reform", "HEALTH"],
            "stages": "Generating ideas; implementation;;",
            "tags": ["Design ", "design", "Service  DESIGN", ""],
            "year": "2019",
            "language": "FR",
            "results": "",
            "lessons": None,
            "capabilities": [],
            "facets": {},
            "url": "https://example.org/a?b=c",
        },
        where="line 1",
    )
    assert record == {
        "key": "a-1",
        "type": "toolkit",
        "title": "Title",
        "summary": "Text.",
        "level": "national",
        "year": 2019,
        "sectors": ["public_admin_reform", "health"],
        "stages": ["generating_ideas", "implementation"],
        "tags": ["design", "service design"],
        "url": "https://example.org/a?b=c",
        "language": "fr",
    }
    assert list(record) == [name for name in FIELD_NAMES if name in record]


def test_language_defaults_to_english_and_input_is_left_alone():
    raw = dict(BASE)
    assert clean_record(raw, where="x")["language"] == "en"
    assert clean(language="")["language"] == "en"
    assert raw == BASE


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("SE", "SE"),
        ("se", "SE"),
        ("Sweden", "SE"),
        ("  sweden ", "SE"),
        ("SWE", "SE"),  # alpha-3
        ("United Kingdom", "GB"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("The Netherlands", "NL"),
        ("South Korea", "KR"),
        ("Korea (the Republic of)", "KR"),
        ("Taiwan", "TW"),
        ("Cote d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Czech Republic", "CZ"),
        ("United States of America", "US"),
        ("United States", "US"),
        ("UK", "GB"),
        ("Wales", "GB"),
        ("Congo", "CG"),
        ("EU", "EU"),
        ("European Union", "EU"),
        ("int", "INT"),
        ("International", "INT"),
    ],
)
def test_country_codes_and_english_names(name, code):
    assert clean(country=name)["country"] == code


def test_country_errors():
    assert problem(country="Atlantis") == (
        "line 7",
        "country",
        "unknown country 'Atlantis' (use a two-letter ISO code such as SE, or the English name "
        "of the country; EU or INT for others)",
    )
    assert problem(country="XX") == ("line 7", "country", "unknown country code 'XX'")
    # Ambiguous without its qualifier: both Koreas, both Virgin Islands.
    assert problem(country="Korea").field == "country"
    assert problem(country="Virgin Islands").field == "country"


def test_country_names_for_display():
    assert country_name("SE") == "Sweden"
    assert country_name("EU") == "European Union"


def test_countries_need_no_django_settings():
    """django_countries' names are lazy translations; reading them must not need settings."""
    code = (
        "from django.conf import settings\n"
        "from facetscope.library.records import clean_record, country_name\n"
        "r = clean_record({'key': 'a', 'type': 'case', 'title': 't', 'summary': 's',\n"
        "                  'country': 'Sweden'}, where='x')\n"
        "assert r['country'] == 'SE' and country_name('NO') == 'Norway'\n"
        "assert not settings.configured\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize(
    ("facets", "shares"),
    [
        # mappings: kept when they add up to 1, missing facets are 0, codes in any case
        ({"enh": 0.1, "mis": 0.55, "ada": 0.2, "ant": 0.15}, (0.1, 0.55, 0.2, 0.15)),
        ({"MIS": 0.7, " ant ": 0.3}, (0, 0.7, 0, 0.3)),
        ({"enh": 1}, (1, 0, 0, 0)),
        ({"enh": "0.25", "mis": "0.25", "ada": "0.25", "ant": "0.25"}, (0.25,) * 4),
        # within 0.02 of 1: normalised to exactly 1 in hundredths
        ({"enh": 0.33, "mis": 0.33, "ada": 0.33}, (0.34, 0.33, 0.33, 0)),
        ({"enh": 0.51, "mis": 0.51}, (0.5, 0.5, 0, 0)),
        ({"enh": 0.333, "mis": 0.333, "ada": 0.334}, (0.33, 0.33, 0.34, 0)),
        ({"enh": 0.005, "mis": 0.995}, (0.01, 0.99, 0, 0)),
        ({"enh": 0.5, "mis": 0.5, "ant": 0.02}, (0.49, 0.49, 0, 0.02)),
        # a single facet, a list of facets (equal shares, ties go in facet order)
        ("mis", (0, 1, 0, 0)),
        (" ANT ", (0, 0, 0, 1)),
        (["enh", "mis"], (0.5, 0.5, 0, 0)),
        (["ant", "ada", "mis"], (0, 0.34, 0.33, 0.33)),
        (["enh", "mis", "ada", "ant", "enh"], (0.25,) * 4),
        # text, as in a CSV "facets" column
        ("enh; mis", (0.5, 0.5, 0, 0)),
        ("enh:0.3;mis:0.7", (0.3, 0.7, 0, 0)),
        (" enh : 0.3 ; mis: .7 ;", (0.3, 0.7, 0, 0)),
    ],
)
def test_facet_forms(facets, shares):
    result = clean(facets=facets)["facets"]
    assert list(result) == list(FACETS)
    assert tuple(result.values()) == shares
    assert sum(round(v * 100) for v in result.values()) == 100
    assert all(round(v, 2) == v for v in result.values())


def test_empty_facets_are_left_out():
    for empty in (None, "", " ; ", [], {}):
        assert "facets" not in clean(facets=empty)


@pytest.mark.parametrize(
    ("facets", "messages"),
    [
        ({"enh": 0.5, "mis": 0.45}, ["the facet shares add up to 0.95, not 1"]),
        ({"enh": 0.5, "mis": 0.53}, ["the facet shares add up to 1.03, not 1"]),
        ({"enh": 30, "mis": 70}, ["the facet shares add up to 100, not 1"]),
        ({"enh": 0, "mis": 0}, ["the facet shares are all 0"]),
        ({"enh": -0.1, "mis": 1.1}, ["the share of 'enh' cannot be negative (-0.1)"]),
        ({"enh": "lots", "mis": 1}, ["the share of 'enh' is not a number: 'lots'"]),
        ({"enh": None, "mis": 1}, ["the share of 'enh' must be a number, not NoneType"]),
        ({"enh": True}, ["the share of 'enh' must be a number, not true/false"]),
        ({"enh": float("nan"), "mis": 1}, ["the share of 'enh' is not a number: 'nan'"]),
        ({"enh": 0.5, "ENH": 0.5}, ["facet 'enh' appears more than once"]),
        (
            {"inn": 0.5, "mis": 0.5, "xyz": 0},
            [
                "unknown facet 'inn' (use enh, mis, ada, ant)",
                "unknown facet 'xyz' (use enh, mis, ada, ant)",
            ],
        ),
        ("mission", ["unknown facet 'mission' (use enh, mis, ada, ant)"]),
        (["enh", 3], ["facet codes must be text, not a number"]),
        (
            "enh; mis:0.5",
            ["write facet codes (enh; mis) or codes with shares (enh:0.3; mis:0.7), not both"],
        ),
        ("enh:;mis:1", ["the share of 'enh' is not a number: ''"]),
        (0.5, ["must be facet shares, not a number"]),
    ],
)
def test_facet_errors(facets, messages):
    assert problems({**BASE, "facets": facets}) == [
        ("line 7", "facets", message) for message in messages
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"colour": "red"}, ("colour", "unknown field 'colour'")),
        ({"key": ""}, ("key", "a key is required")),
        ({"title": "   "}, ("title", "a title is required")),
        ({"summary": None}, ("summary", "a summary is required")),
        ({"type": ""}, ("type", "a type is required")),
        ({"type": "project"}, ("type", "unknown type 'project' (use one of: case, toolkit)")),
        (
            {"key": "Vision Zero"},
            (
                "key",
                "not a valid key: 'Vision Zero' (use lowercase letters, digits and hyphens, "
                "starting with a letter or digit)",
            ),
        ),
        (
            {"key": "-a"},
            (
                "key",
                "not a valid key: '-a' (use lowercase letters, digits and "
                "hyphens, starting with a letter or digit)",
            ),
        ),
        ({"key": "a" * 101}, ("key", "at most 100 characters (this has 101)")),
        ({"key": 7}, ("key", "must be text, not a number")),
        ({"title": "t" * 301}, ("title", "at most 300 characters (this has 301)")),
        ({"summary": ["a"]}, ("summary", "must be text, not a list")),
        ({"results": {"a": 1}}, ("results", "must be text, not an object")),
        ({"lessons": "a\x00b"}, ("lessons", "contains a NUL character")),
        ({"lessons": "a\ud800"}, ("lessons", "contains an invalid character (U+D800)")),
        ({"tags": ["a", "\udfff"]}, ("tags", "contains an invalid character (U+DFFF)")),
        (
            {"level": "federal"},
            (
                "level",
                "unknown level 'federal' (use one of: national, regional, local, "
                "supranational, other)",
            ),
        ),
        (
            {"stage": "scaling"},
            ("stage", "unknown stage 'scaling' (use one of: " + ", ".join(STAGES) + ")"),
        ),
        ({"year": 1899}, ("year", "the year must be between 1900 and 2100, not 1899")),
        ({"year": "2101"}, ("year", "the year must be between 1900 and 2100, not 2101")),
        ({"year": "2019/20"}, ("year", "not a year: '2019/20'")),
        ({"year": 2019.5}, ("year", "not a year: 2019.5")),
        ({"year": True}, ("year", "must be a year, not true/false")),
        ({"year": [2019]}, ("year", "must be a year, not a list")),
        (
            {"url": "www.example.org"},
            ("url", "not a web address: 'www.example.org' (start it with http:// or https://)"),
        ),
        (
            {"url": "ftp://example.org/x"},
            ("url", "not a web address: 'ftp://example.org/x' (start it with http:// or https://)"),
        ),
        (
            {"url": "https://example.org/a b"},
            (
                "url",
                "not a web address: 'https://example.org/a b' (start it with http:// or https://)",
            ),
        ),
        ({"url": "https://e.org/" + "a" * 490}, ("url", "at most 500 characters (this has 504)")),
        ({"language": "eng"}, ("language", "not a two-letter language code: 'eng'")),
        ({"tags": "design"}, None),  # text separated by ";" is fine
        ({"tags": ["a;b"]}, ("tags", "an item cannot contain ';': 'a;b'")),
        ({"tags": ["a", 1]}, ("tags", "list items must be text, not a number")),
        ({"sectors": {"health": 1}}, ("sectors", "must be a list, not an object")),
        (
            {"capabilities": ["learning", "sensing"]},
            (
                "capabilities",
                "unknown capability 'sensing' (use one of: " + ", ".join(CAPABILITIES) + ")",
            ),
        ),
        (
            {"actions": ["drive", "push"]},
            ("actions", "unknown action 'push' (use one of: " + ", ".join(ACTIONS) + ")"),
        ),
    ],
)
def test_each_field_error(fields, expected):
    if expected is None:
        clean(**fields)
        return
    assert problem(**fields) == ("line 7", *expected)


def test_every_problem_of_a_record_is_reported():
    found = problems(
        {"key": "Bad Key", "title": "", "sectors": ["health", "wealth", "stealth"], "extra": 1},
        where="row 3",
    )
    assert [(p.where, p.field) for p in found] == [
        ("row 3", "extra"),
        ("row 3", "key"),
        ("row 3", "type"),
        ("row 3", "title"),
        ("row 3", "summary"),
        ("row 3", "sectors"),
        ("row 3", "sectors"),
    ]
    assert found[-1].message.startswith("unknown sector 'stealth'")
    assert all(isinstance(p, Problem) for p in found)


def test_a_record_must_be_a_mapping():
    assert problems(["key"]) == [("line 7", "", "expected an object with fields, not a list")]


def test_record_error_message():
    error = RecordError([("line 1", "a", "x"), ("file", "", "y")], more=5)
    assert error.count == 7
    assert str(error) == "line 1, a: x\nfile: y\n(and 5 more)"
    assert str(RecordError([("", "", "z")])) == "z"
    assert error.errors == [("line 1", "a", "x"), ("file", "", "y")]


# --------------------------------------------------------------------------- reading files


def test_jsonl_lines_and_blank_lines():
    data = b"\n" + jsonl_bytes({**BASE, "key": "a"}) + b"  \r\n" + jsonl_bytes({**BASE, "key": "b"})
    read = read_records(data, "lib.jsonl")
    assert [(where, record["key"]) for where, record in read] == [("line 2", "a"), ("line 4", "b")]
    assert read_records(codecs.BOM_UTF8 + data, "LIB.JSON") == read


def test_jsonl_every_error_of_the_file_at_once():
    lines = [
        json.dumps({**BASE, "key": "a", "country": "Atlantis"}),
        "{not json",
        "[1, 2]",
        json.dumps({**BASE, "key": "b"}),
        json.dumps({**BASE, "key": "a"}),
        '{"key": "c", "key": "d", "type": "case", "title": "t", "summary": "s"}',
        '{"key": "e", "type": "case", "title": "t", "summary": "s", "year": NaN}',
        json.dumps({**BASE, "key": "b", "year": 3000}),
    ]
    error = read_errors("\n".join(lines).encode(), "lib.jsonl")
    found = error.errors
    assert found[0] == (
        "line 1",
        "country",
        "unknown country 'Atlantis' (use a two-letter ISO code such as SE, or the English name "
        "of the country; EU or INT for others)",
    )
    assert found[1][:2] == ("line 2", "") and found[1].message.startswith("not valid JSON: ")
    assert found[2] == ("line 3", "", "expected an object with fields, not a list")
    assert found[3] == ("line 5", "key", "the key 'a' is used both on line 1 and on line 5")
    assert found[4] == ("line 6", "key", "the field 'key' appears more than once")
    assert found[5] == ("line 7", "", "not valid JSON: NaN is not allowed")
    assert found[6] == ("line 8", "year", "the year must be between 1900 and 2100, not 3000")
    assert found[7] == ("line 8", "key", "the key 'b' is used both on line 4 and on line 8")
    assert len(found) == 8 and error.more == 0


def test_jsonl_escaped_lone_surrogate_is_refused():
    data = b'{"key": "a", "type": "case", "title": "T", "summary": "\\ud800"}\n'
    assert read_errors(data, "lib.jsonl").errors == [
        ("line 1", "summary", "contains an invalid character (U+D800)")
    ]


def test_jsonl_array_is_refused():
    error = read_errors(json.dumps([BASE]).encode(), "lib.json")
    assert error.errors == [
        ("file", "", "expected one JSON object per line (JSON Lines), not a JSON array")
    ]


def test_errors_are_capped_with_a_count():
    data = b"".join(jsonl_bytes({**BASE, "key": f"k{n}", "year": 1}) for n in range(250))
    error = read_errors(data, "many.jsonl")
    assert len(error.errors) == MAX_ERRORS == 200
    assert error.more == 50 and error.count == 250
    assert error.errors[-1].where == "line 200"
    assert str(error).endswith(
        "\nline 200, year: the year must be between 1900 and 2100, not 1\n(and 50 more)"
    )


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.jsonl", "the file is empty"),
        (b" \r\n\n ", "a.csv", "the file is empty"),
        (codecs.BOM_UTF8, "a.csv", "the file is empty"),
        (b"key,type\n", "a.txt", "unsupported file type: use a .jsonl, .json or .csv file"),
        (b"key,type\n", "jsonl", "unsupported file type: use a .jsonl, .json or .csv file"),
        (
            b'{"key": "a"}\n{"title": "caf\xe9"}\n',
            "a.jsonl",
            "the file is not UTF-8 text (first unreadable byte on line 2); "
            "save it as UTF-8 and try again",
        ),
        (
            "key,type".encode("utf-16"),
            "a.csv",
            "the file is UTF-16 text; save it as UTF-8 and try again",
        ),
        (b"key,type,title,summary\r\n", "a.csv", "the file has no records (no filled rows)"),
        (b"key,type,title,summary\r\n,,,\r\n", "a.csv", "the file has no records (no filled rows)"),
    ],
)
def test_file_errors(data, filename, message):
    assert read_errors(data, filename).errors == [("file", "", message)]


def test_files_over_the_size_limit_are_refused():
    data = jsonl_bytes(BASE)
    assert read_records(data, "a.jsonl", max_bytes=len(data))
    assert read_errors(data, "a.jsonl", max_bytes=len(data) - 1).errors == [
        (
            "file",
            "",
            f"the file is {len(data):,} bytes; files up to {len(data) - 1:,} bytes are accepted",
        )
    ]
    big = read_errors(b" " * 200_001, "a.csv", max_bytes=150_000)
    assert big.errors[0].message == "the file is 0.2 MB; files up to 0.1 MB are accepted"


# --------------------------------------------------------------------------- CSV


def test_csv_rows_and_lists():
    rows = [
        ["Key", "TYPE", " Title ", "summary", "Organisation type", "sectors", "tags", "stages"],
        [
            "a",
            "case",
            "First",
            "Multi\nline",
            "ministry",
            "health;Digital; health",
            "X; y ;; x",
            "",
        ],
        [],
        ["", "", "", "", "", "", "", ""],
        ["b", "toolkit", "Second", "S", "", "", "", "implementation"],
    ]
    read = read_records(csv_bytes(rows), "lib.csv")
    assert [where for where, _record in read] == ["row 2", "row 5"]
    first, second = (record for _where, record in read)
    assert first == {
        "key": "a",
        "type": "case",
        "title": "First",
        "summary": "Multi\nline",
        "organisation_type": "ministry",
        "sectors": ["health", "digital"],
        "tags": ["x", "y"],
        "language": "en",
    }
    assert second == {
        "key": "b",
        "type": "toolkit",
        "title": "Second",
        "summary": "S",
        "stages": ["implementation"],
        "language": "en",
    }


def test_csv_row_numbers_count_records_not_lines():
    rows = [
        CSV_HEADER,
        ["a", "case", "T", "two\nlines"],
        ["b", "case", "T", "S"],
        ["c", "x", "T", "S"],
    ]
    error = read_errors(csv_bytes(rows), "x.csv")
    assert [p[:2] for p in error.errors] == [("row 4", "type")]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(delimiter):
    rows = [[*CSV_HEADER, "tags"], ["a", "case", "T", "S, with a comma; and more", "a;b"]]
    (record,) = read_csv(rows, delimiter=delimiter)
    assert record["summary"] == "S, with a comma; and more"
    assert record["tags"] == ["a", "b"]


@pytest.mark.parametrize(
    ("columns", "shares"),
    [
        ({"facets": "mis"}, (0, 1, 0, 0)),
        ({"facets": "enh:0.3;mis:0.7"}, (0.3, 0.7, 0, 0)),
        ({"facets": "enh; ada"}, (0.5, 0, 0.5, 0)),
        (
            dict(zip(CSV_FACET_COLUMNS, ("0.1", "0.55", "0.2", "0.15"), strict=True)),
            (0.1, 0.55, 0.2, 0.15),
        ),
        ({"facet_mis": "0.6", "facet_ant": ".4", "facet_enh": ""}, (0, 0.6, 0, 0.4)),
        ({"Facet ADA": "1"}, (0, 0, 1, 0)),
    ],
)
def test_csv_facets(columns, shares):
    assert tuple(csv_one(**columns)["facets"].values()) == shares


def test_csv_facets_empty_cells_leave_facets_out():
    assert "facets" not in csv_one(facet_enh="", facet_mis=" ")
    assert "facets" not in csv_one(facets="")


def test_csv_facet_errors():
    rows = [
        [*CSV_HEADER, *CSV_FACET_COLUMNS],
        ["a", "case", "T", "S", "0.5", "0.4", "", ""],
        ["b", "case", "T", "S", "half", "0.5", "", ""],
    ]
    assert read_errors(csv_bytes(rows), "x.csv").errors == [
        ("row 2", "facets", "the facet shares add up to 0.9, not 1"),
        ("row 3", "facets", "the share of 'enh' is not a number: 'half'"),
    ]


def test_csv_header_errors():
    rows = [
        ["key", "type", "title", "Colour", "title", "facets", "facet_enh", "", "Summary "],
        ["a", "case", "T", "red", "T", "mis", "", "", "S"],
    ]
    assert read_errors(csv_bytes(rows), "x.csv").errors == [
        ("row 1", "Colour", "unknown column 'Colour'"),
        ("row 1", "title", "the column 'title' appears more than once"),
        (
            "row 1",
            "facets",
            "use either a 'facets' column or the columns facet_enh, facet_mis, facet_ada, "
            "facet_ant, not both",
        ),
    ]
    missing = read_errors(csv_bytes([["key", "title"], ["a", "T"]]), "x.csv").errors
    assert missing == [
        ("row 1", "type", "missing required column 'type'"),
        ("row 1", "summary", "missing required column 'summary'"),
    ]


def test_csv_values_outside_named_columns():
    rows = [
        [*CSV_HEADER, ""],
        ["a", "case", "T", "S", "stray", "", "more"],
        ["b", "case", "T", "S"],
    ]
    assert read_errors(csv_bytes(rows), "x.csv").errors == [
        ("row 2", "E", "a value in column E, which has no name"),
        ("row 2", "G", "a value in column G, which has no name"),
    ]


def test_csv_short_rows_have_empty_cells():
    rows = [[*CSV_HEADER, "year"], ["a", "case", "T", "S"], ["b", "case", "T"]]
    assert read_errors(csv_bytes(rows), "x.csv").errors == [
        ("row 3", "summary", "a summary is required")
    ]


@pytest.mark.parametrize(
    "cell", ["=1+1", ' =HYPERLINK("x")', "+33 1 23", "@SUM(A1)", "-x", "- a point", "-=1"]
)
def test_csv_formulas_are_refused(cell):
    rows = [[*CSV_HEADER, "results"], ["a", "case", cell, "S", cell]]
    error = read_errors(csv_bytes(rows), "x.csv")
    shown = cell.strip()
    message = f"looks like a spreadsheet formula, which is not accepted: '{shown}'"
    # Only the formula problems: no "a title is required" on top.
    assert error.errors == [("row 2", "title", message), ("row 2", "results", message)]


def test_csv_formula_in_a_facet_column_is_refused_once():
    rows = [[*CSV_HEADER, *CSV_FACET_COLUMNS], ["a", "case", "T", "S", "=1", "", "", ""]]
    assert read_errors(csv_bytes(rows), "x.csv").errors == [
        ("row 2", "facet_enh", "looks like a spreadsheet formula, which is not accepted: '=1'")
    ]


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("-5 cases", "-5 cases"),  # minus and a digit: a number, not a formula
        ("-", "-"),
        ("a = b", "a = b"),
        ("'=1+1", "=1+1"),  # escaped with an apostrophe
        ("''=1", "'=1"),
        ("'@home", "@home"),
        ("'quoted' word", "'quoted' word"),  # apostrophes are kept before anything else
        ("'-5", "'-5"),
    ],
)
def test_csv_cells_that_are_not_formulas(cell, value):
    assert csv_one(results=cell)["results"] == value


def test_csv_duplicate_keys_name_both_rows():
    rows = [CSV_HEADER, ["a", "case", "T", "S"], ["b", "case", "T", "S"], ["a", "case", "U", "S"]]
    assert read_errors(csv_bytes(rows), "x.csv").errors == [
        ("row 4", "key", "the key 'a' is used both in row 2 and in row 4")
    ]


def test_csv_that_cannot_be_parsed():
    data = b'key,type,title,summary\r\na,case,"T"x,S\r\n'
    assert read_records(data, "x.csv")  # lenient quoting still reads
    data = b"key,type,title,summary\r\n" + b"a,case,T," + b"x" * 200_000 + b"\r\n"
    error = read_errors(data, "x.csv")
    assert error.errors[0][:2] == ("row 2", "")
    assert error.errors[0].message.startswith("the file cannot be read as CSV: ")


# --------------------------------------------------------------------------- writing


def test_written_csv_escapes_formulas_and_uses_only_needed_columns():
    records = [
        {**BASE, "key": "a", "summary": "=1+1", "tags": ["@home", "x"], "year": 2020},
        {**BASE, "key": "b", "facets": "mis", "results": "-nothing", "lessons": "'quoted'"},
    ]
    table = write_csv(records)
    rows = list(csv.reader(io.StringIO(table, newline="")))
    assert rows[0] == [
        "key", "type", "title", "summary", "year", *CSV_FACET_COLUMNS, "tags", "results",
        "lessons", "language",
    ]  # fmt: skip
    assert rows[1] == [
        "a",
        "case",
        "A title",
        "'=1+1",
        "2020",
        "",
        "",
        "",
        "",
        "'@home; x",
        "",
        "",
        "en",
    ]
    assert rows[2] == [
        "b", "case", "A title", "A summary.", "", "0.00", "1.00", "0.00", "0.00", "",
        "'-nothing", "'quoted'", "en",
    ]  # fmt: skip
    assert table.endswith("\r\n")
    again = [record for _where, record in read_records(table.encode(), "x.csv")]
    assert again == [clean_record(record, where="") for record in records]


def test_written_jsonl_is_one_clean_object_per_line():
    text = write_jsonl([{"summary": "S", "title": "Café", "type": "Case", "key": "a", "tags": "X"}])
    assert text == (
        '{"key": "a", "type": "case", "title": "Café", "summary": "S", "tags": ["x"], '
        '"language": "en"}\n'
    )
    assert write_jsonl([]) == ""


@pytest.mark.parametrize("write", [write_jsonl, write_csv])
def test_writers_refuse_invalid_records(write):
    with pytest.raises(RecordError) as caught:
        write([BASE, {**BASE, "key": "b", "year": 1}, BASE])
    assert caught.value.errors == [
        ("record 2", "year", "the year must be between 1900 and 2100, not 1"),
        ("record 3", "key", "the key 'k' is used both in record 1 and in record 3"),
    ]


# --------------------------------------------------------------------------- round trip property

_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
_formula_text = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(["=", "+", "@", "-", "-1", "'", "'=", "' -x", " ", "\r\n", "\u2028"]),
    _text,
)
_any_text = st.one_of(_text, _formula_text)
_filled = _any_text.filter(str.strip)


def _case_variant(choice):
    return st.sampled_from([choice, choice.upper(), choice.replace("_", " ").title()])


def _optional(strategy):
    return st.one_of(st.none(), strategy)


_facets = st.one_of(
    st.sampled_from(FACETS),
    st.lists(st.sampled_from(FACETS), min_size=1, max_size=5),
    st.lists(st.integers(0, 100), min_size=4, max_size=4)
    .filter(any)
    .map(lambda ws: {f: w / sum(ws) for f, w in zip(FACETS, ws, strict=True)}),
    st.lists(st.integers(0, 100), min_size=4, max_size=4)
    .filter(lambda ws: sum(ws) == 100)
    .map(lambda ws: ";".join(f"{f}:{w / 100}" for f, w in zip(FACETS, ws, strict=True))),
)

raw_records = st.fixed_dictionaries(
    {
        "key": st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True),
        "type": st.sampled_from(TYPES).flatmap(_case_variant),
        "title": _filled.map(lambda s: s[:300]),
        "summary": _filled,
    },
    optional={
        "country": st.sampled_from(["SE", "fr", "EU", "INT", "Sweden", "Viet Nam", "NOR"]),
        "level": st.sampled_from(LEVELS).flatmap(_case_variant),
        "organisation_type": _any_text,
        "year": st.one_of(st.integers(1900, 2100), st.integers(1900, 2100).map(str)),
        "sectors": st.lists(st.sampled_from(SECTORS).flatmap(_case_variant), max_size=4),
        "stage": _optional(st.sampled_from(STAGES)),
        "stages": st.lists(st.sampled_from(STAGES), max_size=3).map("; ".join),
        "facets": _optional(_facets),
        "tags": st.one_of(
            st.lists(_any_text.filter(lambda s: ";" not in s), max_size=4),
            _any_text,
        ),
        "results": _any_text,
        "lessons": _any_text,
        "url": st.sampled_from(["https://example.org/a?b=1;c", "http://x.y", ""]),
        "language": st.sampled_from(["en", "FR", "", "sv"]),
        "publisher": _any_text,
        "discipline": _any_text,
        "toolkit_type": _any_text,
        "format": _any_text,
        "licence": _any_text,
        "actions": st.lists(st.sampled_from(ACTIONS), max_size=3),
        "capabilities": st.lists(st.sampled_from(CAPABILITIES), max_size=3),
        "good_for": _any_text,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(raw_records, min_size=1, max_size=4, unique_by=lambda r: r["key"]))
def test_round_trip_property(raws):
    records = [clean_record(raw, where=f"line {n}") for n, raw in enumerate(raws, 1)]
    # Cleaning is idempotent and the writers give back exactly the clean records.
    assert [clean_record(r, where="x") for r in records] == records
    for text, filename in ((write_jsonl(records), "x.jsonl"), (write_csv(records), "x.csv")):
        again = read_records(text.encode("utf-8-sig"), filename)
        assert [record for _where, record in again] == records
        assert [list(record) for _where, record in again] == [list(r) for r in records]
    for record in records:
        if "facets" in record:
            assert sum(round(v * 100) for v in record["facets"].values()) == 100
