"""score_stream: the engine behind `facetscope score <instrument> --answers FILE`."""

import io
import json
from pathlib import Path

import pytest

from facetscope.instruments.cli_score import MAX_REPORTED, score_stream

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = json.loads((FIXTURES / "codebook_example.json").read_text(encoding="utf-8"))


def run(tmp_path, text, key="portfolio-exploration", fmt="json"):
    path = tmp_path / "answers.jsonl"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = score_stream(key, str(path), out, err, fmt=fmt)
    return code, out.getvalue(), err.getvalue()


def lines(objects):
    return "\n".join(json.dumps(o) for o in objects) + "\n"


def test_one_pretty_printed_object_gives_one_compact_line(tmp_path):
    code, out, err = run(tmp_path, json.dumps(EXAMPLE, indent=2))
    assert (code, err) == (0, "")
    assert out.count("\n") == 1
    assert out.startswith('{"id":"resp-001","pet_percent":{"enh":54,"mis":46,"ada":54,"ant":12}')
    result = json.loads(out)
    assert result["pet_as_coded"]["capability"] == {"score": 43.0, "band": "medium"}
    assert " " not in out.split('"projects"')[0]


def test_json_lines_are_scored_in_order_and_blank_lines_skipped(tmp_path):
    text = "\n" + json.dumps({"id": "a"}) + "\n\n   \n" + json.dumps(EXAMPLE) + "\n\n"
    code, out, err = run(tmp_path, text)
    assert (code, err) == (0, "")
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in results] == ["a", "resp-001"]
    assert results[1]["projects"][1]["zone"] == "transformative"


def test_output_keys_keep_the_result_order(tmp_path):
    code, out, _ = run(tmp_path, json.dumps({"id": 1, "q17": "yes"}))
    assert code == 0
    assert list(json.loads(out)) == [
        "id",
        "pet_percent",
        "raw",
        "tendency_group",
        "capability",
        "pet_as_coded",
        "percent",
        "projects",
    ]


def test_single_object_error_names_the_item(tmp_path):
    code, out, err = run(tmp_path, json.dumps({"q2": {"enh": 1, "mis": 1, "ant": 3, "ada": 4}}))
    assert (code, out) == (2, "")
    assert err == "q2: ranks must be 1, 2, 3, 4 once each\n"


def test_json_lines_errors_name_line_and_item_and_nothing_is_printed(tmp_path):
    rows = [{"id": 1}, {"id": 2}, {"q2": {"enh": 1}}, {"id": 4}, {"q17": "maybe", "zz": 1}]
    code, out, err = run(tmp_path, lines(rows))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "line 3: q2: ranks must be 1, 2, 3, 4 once each",
        "line 5: zz: unknown item",
        'line 5: q17: expected one of "yes", "no", "unsure" (got "maybe")',
        "2 of 5 lines invalid; no results written",
    ]


def test_line_numbers_count_blank_lines(tmp_path):
    text = json.dumps({"id": 1}) + "\n\n" + json.dumps({"q1": {"enh": 7}}) + "\n"
    code, _, err = run(tmp_path, text)
    assert code == 2
    assert err.startswith("line 3: q1: 'enh' must be an integer from 0 to 4 (got 7)\n")


def test_invalid_json_and_non_object_lines_are_reported(tmp_path):
    text = '{"id": 1}\n{"id": 2,}\n[1, 2]\n{"id": 4}\n'
    code, out, err = run(tmp_path, text)
    assert (code, out) == (2, "")
    reported = err.splitlines()
    assert reported[0].startswith("line 2: invalid JSON: ")
    assert reported[1] == "line 3: expected a JSON object"


def test_at_most_twenty_bad_lines_are_reported(tmp_path):
    rows = [{"q1": {"enh": 9}} for _ in range(35)]
    code, _, err = run(tmp_path, lines(rows))
    reported = err.splitlines()
    assert code == 2
    assert len([r for r in reported if r.startswith("line ")]) == MAX_REPORTED == 20
    assert reported[-2] == "… and 15 more invalid lines"
    assert reported[-1] == "35 of 35 lines invalid; no results written"


def test_broken_single_object_reports_the_json_error(tmp_path):
    code, out, err = run(tmp_path, '{\n  "q1": {"enh": 1,\n}\n')
    assert (code, out) == (2, "")
    assert err.startswith("not valid JSON: ")
    assert "line 3" in err
    assert err.count("\n") == 1


def test_top_level_array_is_rejected(tmp_path):
    code, _, err = run(tmp_path, "[{}, {}]")
    assert code == 2
    assert "expected one JSON object, or JSON Lines" in err


def test_empty_file_is_an_error(tmp_path):
    code, out, err = run(tmp_path, "\n  \n")
    assert (code, out) == (2, "")
    assert "empty" in err


def test_missing_file_is_an_error(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = score_stream("portfolio-exploration", str(tmp_path / "nope.json"), out, err)
    assert code == 2
    assert err.getvalue().startswith("error: cannot read ")


def test_unknown_instrument_and_format_are_errors(tmp_path):
    code, _, err = run(tmp_path, "{}", key="nope")
    assert code == 2
    assert "unknown instrument 'nope'" in err
    code, _, err = run(tmp_path, "{}", fmt="csv")
    assert code == 2
    assert "unknown format 'csv'" in err


def test_byte_order_mark_is_tolerated(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "x"}).encode())
    out, err = io.StringIO(), io.StringIO()
    assert score_stream("portfolio-exploration", str(path), out, err) == 0
    assert json.loads(out.getvalue())["id"] == "x"


def test_project_facets_can_be_scored_too(tmp_path):
    rows = [{"id": "p1", "purpose": "2", "driver": "d"}, {"id": "p2", "purpose": "all"}]
    code, out, err = run(tmp_path, lines(rows), key="project-facets")
    assert (code, err) == (0, "")
    results = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["zone"]) for r in results] == [("p1", "transformative"), ("p2", "mixed")]


def test_ten_thousand_lines_are_all_scored(tmp_path):
    variants = [
        EXAMPLE,
        {"q17": "no", "q10": ["none"]},
        {"q2": {"enh": 4, "mis": 3, "ant": 2, "ada": 1}},
        {},
    ]
    rows = [{**variants[n % 4], "id": n} for n in range(10_000)]
    code, out, err = run(tmp_path, lines(rows))
    assert (code, err) == (0, "")
    results = out.splitlines()
    assert len(results) == 10_000
    assert json.loads(results[9_996])["id"] == 9_996
    assert json.loads(results[9_996])["capability"]["score"] == 59.0


@pytest.mark.parametrize("bad_line", [1, 5_000, 10_000])
def test_one_bad_line_among_ten_thousand_blocks_all_output(tmp_path, bad_line):
    rows = [{"id": n} for n in range(1, 10_001)]
    rows[bad_line - 1] = {"q12": {"ada": 1}}
    code, out, err = run(tmp_path, lines(rows))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == f"line {bad_line}: q12: ranks must be 1, 2, 3, 4 once each"
