"""Bulk classification: JSON Lines and CSV in, JSON Lines out, per-line errors, exit codes."""

from __future__ import annotations

import io
import json

import pytest

from facetscope.suggest.classifier import FACETS
from facetscope.suggest.stream import MAX_TEXT_CHARS, classify_stream

MISSION = "The government sets a national target to halve road deaths by 2030 across ministries."
ANTICIPATORY = "A foresight lab explores scenarios for how artificial intelligence could change."


def run(path, classifier, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    code = classify_stream(str(path), out, err, False, classifier=classifier, **kwargs)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return code, lines, err.getvalue()


def test_jsonl_in_order_with_probabilities(tmp_path, tfidf_classifier):
    path = tmp_path / "projects.jsonl"
    path.write_text(
        json.dumps({"id": "p1", "text": MISSION}) + "\n\n"
        + json.dumps({"id": 2, "text": ANTICIPATORY}) + "\n",
        encoding="utf-8",
    )
    code, lines, err = run(path, tfidf_classifier)
    assert code == 0 and err == ""
    assert [line["id"] for line in lines] == ["p1", 2]
    assert [line["top"] for line in lines] == ["mis", "ant"]
    for line in lines:
        assert set(line) == {"id", "facets", "top"}
        assert list(line["facets"]) == list(FACETS)
        assert sum(line["facets"].values()) == pytest.approx(1.0, abs=1e-9)


def test_csv_with_quoted_commas_and_a_bom(tmp_path, tfidf_classifier):
    path = tmp_path / "projects.csv"
    path.write_text(f'\ufeffid,text\nA,"{MISSION}"\nB,"Hello, {ANTICIPATORY}"\n',
                    encoding="utf-8")
    code, lines, _ = run(path, tfidf_classifier)
    assert code == 0
    assert [(line["id"], line["top"]) for line in lines] == [("A", "mis"), ("B", "ant")]


def test_bad_lines_get_error_objects_in_place_and_exit_1(tmp_path, tfidf_classifier):
    path = tmp_path / "projects.jsonl"
    rows = [
        json.dumps({"id": 1, "text": MISSION}),
        json.dumps({"id": 2, "text": "   "}),
        "{not json",
        json.dumps({"id": 4}),
        json.dumps({"id": 5, "text": "x" * (MAX_TEXT_CHARS + 1)}),
        json.dumps({"text": MISSION}),
        json.dumps(["a list"]),
        json.dumps({"id": 8, "text": ANTICIPATORY}),
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, lines, err = run(path, tfidf_classifier, batch_size=2)
    assert code == 1
    assert [line.get("id") for line in lines] == [1, 2, None, 4, 5, None, None, 8]
    assert lines[0]["top"] == "mis" and lines[-1]["top"] == "ant"
    assert lines[1] == {"id": 2, "error": "line 2: text is empty"}
    assert lines[2]["error"].startswith("line 3: invalid JSON")
    assert lines[3]["error"] == "line 4: text is missing"
    assert lines[4]["error"].startswith("line 5: text is too long")
    assert lines[5]["error"] == "line 6: id is missing"
    assert lines[6]["error"] == "line 7: expected a JSON object, got list"
    assert err.splitlines() == [line["error"] for line in lines if "error" in line]


def test_csv_row_errors_report_their_line(tmp_path, tfidf_classifier):
    path = tmp_path / "projects.csv"
    path.write_bytes(
        b"id,text\n"
        b"1,\n"
        b"2,unquoted, comma\n"
        b'3,"multi\nline text about a national target by 2030"\n'
        b"4,caf\xe9 is not UTF-8\n"
        b"5,A foresight lab explores scenarios\n"
    )
    code, lines, _ = run(path, tfidf_classifier)
    assert code == 1
    assert [line["id"] for line in lines] == ["1", "2", "3", "4", "5"]
    assert lines[0]["error"] == "line 2: text is empty"
    assert lines[1]["error"].startswith("line 3: expected 2 fields, found 3")
    assert "top" in lines[2]
    assert lines[3]["error"] == "line 6: text is not valid UTF-8"
    assert lines[4]["top"] == "ant"


def test_unreadable_inputs_exit_2(tmp_path, tfidf_classifier):
    code, lines, err = run(tmp_path / "missing.jsonl", tfidf_classifier)
    assert code == 2 and lines == [] and "missing.jsonl" in err

    no_header = tmp_path / "projects.csv"
    no_header.write_text("name,description\nx,y\n", encoding="utf-8")
    code, lines, err = run(no_header, tfidf_classifier)
    assert code == 2 and lines == [] and "id and text" in err

    code, _, _ = run(tmp_path, tfidf_classifier)  # a directory
    assert code == 2


def test_format_is_detected_from_content_without_a_known_extension(tmp_path, tfidf_classifier):
    jsonl = tmp_path / "export.txt"
    jsonl.write_text(json.dumps({"id": "j", "text": MISSION}) + "\n", encoding="utf-8")
    csv_file = tmp_path / "export.dat"
    csv_file.write_text(f'id,text\nc,"{ANTICIPATORY}"\n', encoding="utf-8")
    assert run(jsonl, tfidf_classifier)[1][0]["top"] == "mis"
    assert run(csv_file, tfidf_classifier)[1][0]["top"] == "ant"


def test_a_json_array_is_accepted(tmp_path, tfidf_classifier):
    path = tmp_path / "projects.json"
    path.write_text(json.dumps([{"id": 1, "text": MISSION}, {"id": 2, "text": ""}]),
                    encoding="utf-8")
    code, lines, _ = run(path, tfidf_classifier)
    assert code == 1
    assert lines[0]["top"] == "mis" and lines[1]["error"] == "record 2: text is empty"


def test_no_progress_bar_when_err_is_not_a_terminal(tmp_path, tfidf_classifier):
    path = tmp_path / "projects.jsonl"
    path.write_text(json.dumps({"id": 1, "text": MISSION}) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert classify_stream(str(path), out, err, True, classifier=tfidf_classifier) == 0
    assert err.getvalue() == ""


def test_progress_bar_on_a_terminal(tmp_path, tfidf_classifier):
    pytest.importorskip("tqdm")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    path = tmp_path / "projects.jsonl"
    path.write_text(json.dumps({"id": 1, "text": MISSION}) + "\n{bad\n", encoding="utf-8")
    out, err = io.StringIO(), Terminal()
    assert classify_stream(str(path), out, err, True, classifier=tfidf_classifier) == 1
    assert "classifying" in err.getvalue() and "line 2: invalid JSON" in err.getvalue()
    assert len(out.getvalue().splitlines()) == 2
