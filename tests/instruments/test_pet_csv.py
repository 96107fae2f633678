"""Import of PET's module-1 CSV export (facetscope.instruments.pet_csv); no Django."""

import copy
import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facetscope.instruments import pet_csv
from facetscope.instruments.loader import load_builtin
from facetscope.instruments.pet_csv import (
    Issue,
    ParsedRow,
    PetCsvError,
    parse_pet_csv,
    write_pet_csv,
)
from facetscope.instruments.scoring import normalize_answers, score

PET = load_builtin("portfolio-exploration", 1)
FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = Path(__file__).parents[2] / "docs" / "instruments" / "pet-export-sample.csv"
EXAMPLE = json.loads((FIXTURES / "codebook_example.json").read_text(encoding="utf-8"))
MODULE1 = {k: v for k, v in EXAMPLE.items() if k != "projects"}  # module 2 has no CSV column

# The columns as the definition gives them (csv on rows/rank options and on
# multi-selects; items without one use their id in capitals).
Q_ITEMS = [i for i in PET.items if i.id.startswith("q")]
COLUMN_OF: dict[tuple[str, str | None], str] = {}
for _item in Q_ITEMS:
    if _item.type in ("likert_group", "half_likert_group", "capability_likert_group", "rank"):
        for _opt in _item.options:
            COLUMN_OF[(_item.id, _opt.id)] = _opt.csv
    else:
        COLUMN_OF[(_item.id, None)] = _item.csv or _item.id.upper()
Q_COLUMNS = list(COLUMN_OF.values())
HEADER = next(csv.reader(io.StringIO(write_pet_csv([], PET))))
BASE = next(csv.DictReader(io.StringIO(write_pet_csv([MODULE1], PET))))  # a valid row


def make_csv(rows, *, header=None, delimiter=",", base=None) -> str:
    """A CSV with ``header`` (default: the writer's); each row = base cells updated by a dict."""
    header = header or HEADER
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        cells = dict(BASE if base is None else base)
        cells.update(row)
        writer.writerow([cells.get(name, "") for name in header])
    return out.getvalue()


def errors_of(text, definition=PET) -> list[Issue]:
    with pytest.raises(PetCsvError) as info:
        parse_pet_csv(text, definition)
    return info.value.errors


def one(text) -> dict:
    rows = parse_pet_csv(text, PET)
    assert len(rows) == 1
    return rows[0].answers


# ------------------------------------------------------------------ layout


def test_every_q_column_of_the_definition_is_written():
    assert HEADER[:5] == ["id", "organisation", "country", "n_people", "sector"]
    assert HEADER[5:] == Q_COLUMNS
    assert len(Q_COLUMNS) == 84
    for expected in ("Q1a", "Q2d", "Q6f", "Q10", "Q16h", "Q17", "Q18b", "Q19", "Q20", "Q24k"):
        assert expected in Q_COLUMNS


def test_no_option_label_contains_the_multi_select_separator():
    for item in PET.items:
        for option in item.options:
            assert all(";" not in label for label in option.label.values())


# --------------------------------------------------------------- round trip


def test_codebook_example_round_trips():
    text = write_pet_csv([MODULE1], PET)
    rows = parse_pet_csv(text, PET)
    assert rows == [ParsedRow(row=2, answers=MODULE1, source_id="resp-001")]
    assert rows.warnings == []


def test_codebook_example_scores_after_import_match_the_hand_checked_figures():
    answers = parse_pet_csv(write_pet_csv([EXAMPLE], PET), PET)[0].answers
    result = score(PET, answers)
    assert result["pet_percent"] == {"enh": 54, "mis": 46, "ada": 54, "ant": 12}
    assert result["raw"] == {"enh": 34.5, "mis": 29.5, "ada": 34.5, "ant": 7.5}
    assert result["tendency_group"] == "adaptive_enhancement"
    assert result["capability"] == {"score": 59.0, "band": "medium"}
    assert result["pet_as_coded"] == {
        "pet_percent": {"enh": 48, "mis": 40, "ada": 43, "ant": 9},
        "raw": {"enh": 30.5, "mis": 25.5, "ada": 27.5, "ant": 5.5},
        "tendency_group": "weak_in_all_facets",
        "capability": {"score": 43.0, "band": "medium"},
    }


def test_writer_leaves_projects_out_and_uses_english_labels():
    text = write_pet_csv([EXAMPLE], PET)
    assert "Open data portal" not in text
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["Q1a"] == "Agree"
    assert row["Q2c"] == "3"
    assert (
        row["Q13"] == "Contextual or ethnographic data; Administrative and performance data; "
        "Extreme or unusual cases"
    )
    assert row["Q14"] == "None of these"
    assert row["Q19"] == "Not sure"
    assert row["sector"] == "Public-sector reform; Digital society"
    assert row["Q4d"] == ""  # unanswered row


def test_several_rows_keep_their_line_numbers_and_ids():
    second = copy.deepcopy(MODULE1) | {"id": "resp-002", "q17": "no"}
    rows = parse_pet_csv(write_pet_csv([MODULE1, second], PET), PET)
    assert [(r.row, r.source_id, r.answers["q17"]) for r in rows] == [
        (2, "resp-001", "yes"),
        (3, "resp-002", "no"),
    ]


def test_without_an_id_column_source_id_is_none():
    text = make_csv([{}], header=HEADER[1:])
    rows = parse_pet_csv(text, PET)
    assert rows[0].source_id is None
    assert "id" not in rows[0].answers


# ---------------------------------------------------------------- headers


def test_headers_are_matched_case_and_whitespace_insensitively_and_with_pet_prefixes():
    renamed = {
        "Q1a": "  q1A ",
        "Q1b": "Q 1 b",
        "Q1c": "Facet Q1c - made-up question text, with commas",
        "Q17": "Portfolio Mgmt Q17 - made-up question?",
        "Q24k": "Portfolio Mgmt Q24k – made-up",
    }
    header = [renamed.get(name, name) for name in HEADER]
    base = {renamed.get(k, k): v for k, v in BASE.items()}
    rows = parse_pet_csv(make_csv([{}], header=header, base=base), PET)
    assert rows[0].answers == MODULE1
    assert rows.warnings == []


def test_pet_group_columns_are_ignored_silently_and_unknown_columns_with_a_warning():
    header = ["Submission ID", "First Name", "Facet Q1", *HEADER[1:], "Results - Group"]
    base = dict(BASE) | {"Submission ID": "77", "First Name": "Ada", "Facet Q1": "Text?"}
    rows = parse_pet_csv(make_csv([{}], header=header, base=base), PET)
    assert rows[0].source_id == "77"
    assert rows[0].answers["id"] == "77"
    assert rows.warnings == ['ignored 2 unknown column(s): "First Name", "Results - Group"']


@pytest.mark.parametrize(
    ("organisation", "country", "n_people", "sector"),
    [
        ("Organisation Explored", "Country", "Number of people", "Sector or topic"),
        ("organization", "COUNTRY", "n_people", "Sectors"),
        ("Unit name", "Pays", "Headcount", "Policy areas"),
        ("profile.organisation", "profile.country", "profile.n_people", "profile.sector"),
    ],
)
def test_profile_header_spellings(organisation, country, n_people, sector):
    header = ["Respondent ID", organisation, country, n_people, sector, *Q_COLUMNS]
    base = dict(BASE) | {
        "Respondent ID": "r1",
        organisation: "Unit A",
        country: "Chile",
        n_people: "1 200",
        sector: "Santé; public_admin; ENVIRONMENT, CLIMATE AND AGRICULTURE; Ocean policy",
    }
    answers = one(make_csv([{}], header=header, base=base))
    assert answers["id"] == "r1"
    assert answers["profile"] == {
        "organisation": "Unit A",
        "country": "Chile",
        "n_people": 1200,
        "sector": ["health", "public_admin", "environmental", "Ocean policy"],
    }


def test_profile_sector_listed_twice_is_an_error():
    errs = errors_of(make_csv([{"sector": "Health; Santé"}]))
    assert errs == [Issue(2, "sector", "option 'health' is listed twice")]


def test_a_missing_q_column_refuses_the_whole_file():
    header = [h for h in HEADER if h not in ("Q2c", "Q17")]
    errs = errors_of(make_csv([{}], header=header))
    assert errs == [Issue(1, "Q2c", "missing column"), Issue(1, "Q17", "missing column")]


def test_a_duplicated_column_is_an_error():
    header = [*HEADER, "q1a"]
    errs = errors_of(make_csv([{"q1a": "Agree"}], header=header))
    assert errs == [Issue(1, "Q1a", f"appears twice (columns 6 and {len(header)})")]


# ------------------------------------------------------------- cell formats


def test_french_labels():
    answers = one(
        make_csv(
            [
                {
                    "Q1a": "Plutôt d'accord",
                    "Q1b": "tout à fait d’accord",  # typographic apostrophe, lower case
                    "Q1c": "Ni d'accord ni pas d'accord",
                    "Q1d": "PAS DU TOUT D'ACCORD",
                    "Q3a": "Plutôt pas d'accord",
                    "Q3b": "neutre",
                    "Q15": "Méthodes agiles; Design de services; Veille prospective",
                    "Q14": "Aucune de ces réponses",
                    "Q17": "Oui",
                    "Q19": "Incertain",
                    "Q20": "Non",
                    "sector": "Santé; Société numérique",
                }
            ]
        )
    )
    assert answers["q1"] == {"mis": 3, "enh": 4, "ant": 2, "ada": 0}
    assert answers["q3"]["enh"] == 1
    assert answers["q3"]["mis"] == 2
    assert answers["q15"] == ["ada3", "enh4", "ant1"]
    assert answers["q14"] == ["none"]
    assert (answers["q17"], answers["q19"], answers["q20"]) == ("yes", "unsure", "no")
    assert answers["profile"]["sector"] == ["health", "information"]


def test_english_labels_any_case_and_neutral():
    answers = one(
        make_csv(
            [
                {
                    "Q1a": "strongly DISAGREE",
                    "Q1b": "Neutral",
                    "Q1c": "neither agree nor disagree",
                    "Q1d": " Strongly agree ",
                    "Q17": "YES",
                    "Q19": "unsure",
                    "Q20": "not sure",
                }
            ]
        )
    )
    assert answers["q1"] == {"mis": 0, "enh": 2, "ant": 2, "ada": 4}
    assert (answers["q17"], answers["q19"], answers["q20"]) == ("yes", "unsure", "unsure")


def test_scale_positions_and_option_ids():
    answers = one(
        make_csv(
            [
                {
                    "Q1a": "0",
                    "Q1b": "4",
                    "Q1c": "2.0",
                    "Q13": "ADA1;enh2 ;  ant2",
                    "Q10": "none",
                }
            ]
        )
    )
    assert answers["q1"] == {"mis": 0, "enh": 4, "ant": 2, "ada": 4}
    assert answers["q13"] == ["ada1", "enh2", "ant2"]
    assert answers["q10"] == ["none"]


def test_pet_stored_values_for_multi_selects_and_yes_no():
    answers = one(
        make_csv(
            [
                {
                    "Q10": "mis-4; ant-4",
                    "Q13": "ada-2-bis; enh-2",
                    "Q14": "mis-0",
                    "Q15": "enh-1-quat; ada-1-ter",
                    "Q17": "4",
                    "Q19": "0-bis",
                    "Q20": "8",
                }
            ]
        )
    )
    assert answers["q10"] == ["mis", "ant"]
    assert answers["q13"] == ["ada2", "enh1"]
    assert answers["q14"] == ["none"]
    assert answers["q15"] == ["enh4", "ada3"]
    assert (answers["q17"], answers["q19"], answers["q20"]) == ("yes", "unsure", "yes")
    assert one(make_csv([{"Q17": "0"}]))["q17"] == "no"


def test_a_stored_yes_value_of_another_item_is_rejected():
    errs = errors_of(make_csv([{"Q20": "4", "Q17": "8"}]))
    assert errs == [
        Issue(2, "Q17", 'unknown answer "8": expected yes, no, unsure'),
        Issue(2, "Q20", 'unknown answer "4": expected yes, no, unsure'),
    ]


def test_half_weight_rows_with_pet_stored_values():
    cells = {"Q6a": "1.5", "Q6b": "2", "Q6c": "0", "Q6d": "0.5", "Q6e": "1", "Q6f": "0,5"}
    rows = parse_pet_csv(make_csv([cells]), PET)
    assert rows[0].answers["q6"] == {
        "ada1": 3, "ada2": 4, "mis1": 0, "mis2": 1, "enh1": 2, "enh2": 1,
    }  # fmt: skip
    assert rows[0].answers["q16"] == MODULE1["q16"]  # labels: unaffected
    assert rows.warnings == []


def test_half_weight_stored_values_are_detected_over_the_whole_file():
    first = {"Q16a": "1", "Q16b": "2", "Q16c": "0", "Q16d": "1"}  # 0..2 only: ambiguous alone
    second = {"Q16a": "1.5"}  # ...but this row shows the file holds PET's stored values
    rows = parse_pet_csv(make_csv([first, second]), PET)
    assert rows[0].answers["q16"] == MODULE1["q16"] | {
        "enh1": 2, "enh2": 4, "mis1": 0, "mis2": 2,
    }  # fmt: skip
    assert rows[1].answers["q16"]["enh1"] == 3


def test_half_weight_numbers_are_positions_unless_halves_occur():
    rows = parse_pet_csv(make_csv([{"Q6a": "3", "Q6b": "4", "Q6c": "1"}]), PET)
    assert rows[0].answers["q6"] == MODULE1["q6"] | {"ada1": 3, "ada2": 4, "mis1": 1}
    assert rows.warnings == []


def test_half_weight_numbers_that_fit_both_readings_give_a_warning():
    cells = {f"Q6{c}": "" for c in "abcdef"} | {"Q6a": "1", "Q6b": "2"}
    rows = parse_pet_csv(make_csv([cells]), PET)
    assert rows[0].answers["q6"] == {"ada1": 1, "ada2": 2}
    assert rows.warnings == [
        "Q6: numbers were read as scale positions 0–4; if they are PET's stored values "
        "(0, 0.5, 1, 1.5, 2), use labels instead"
    ]


def test_half_weight_stored_values_mixed_with_positions_is_an_error():
    errs = errors_of(make_csv([{"Q6a": "0.5", "Q6b": "3"}]))
    assert errs == [
        Issue(
            2,
            "Q6b",
            "this column holds PET's stored values (0, 0.5, 1, 1.5, 2) in other cells; "
            '"3" is not one of them',
        )
    ]


def test_reverse_rows_accept_pet_negative_stored_values():
    answers = one(make_csv([{"Q18b": "-3", "Q24d": "-4", "Q24g": "-0", "Q24h": "2"}]))
    assert answers["q18"] == {"q18a": 3, "q18b": 3}
    assert answers["q24"] == MODULE1["q24"] | {"q24d": 4, "q24g": 0, "q24h": 2}
    assert score(PET, answers)["capability"]["score"] < score(PET, MODULE1)["capability"]["score"]


def test_negative_numbers_on_other_rows_are_errors():
    errs = errors_of(make_csv([{"Q18a": "-2", "Q6a": "-1"}]))
    assert [(e.column, e.message) for e in errs] == [
        (
            "Q6a",
            'negative numbers are PET\'s stored values for reverse-scored rows only (got "-1")',
        ),
        (
            "Q18a",
            'negative numbers are PET\'s stored values for reverse-scored rows only (got "-2")',
        ),
    ]


def test_pet_stored_rank_points_are_read_back_as_ranks():
    rows = parse_pet_csv(make_csv([{"Q2a": "0", "Q2b": "4", "Q2c": "1", "Q2d": "2"}]), PET)
    assert rows[0].answers["q2"] == {"enh": 4, "mis": 1, "ant": 3, "ada": 2}
    assert rows.warnings == [
        "Q2: cells held PET's stored rank points (4/2/1/0) and were read as ranks 1–4"
    ]


def test_empty_cells_are_unanswered():
    blank = dict.fromkeys(["Q1a", "Q1b", "Q2a", "Q2b", "Q2c", "Q2d", "Q10", "Q17", "Q21a"], "")
    answers = one(make_csv([blank]))
    assert answers["q1"] == {"ant": 0, "ada": 4}
    for item in ("q2", "q10", "q17", "q21"):
        assert item not in answers


def test_blank_rows_are_skipped_and_row_numbers_are_file_lines():
    text = make_csv([{}, {"id": "b"}])
    lines = text.splitlines(keepends=True)
    text = lines[0] + "\r\n" + lines[1] + "," * (len(HEADER) - 1) + "\r\n" + lines[2]
    rows = parse_pet_csv(text, PET)
    assert [(r.row, r.source_id) for r in rows] == [(3, "resp-001"), (5, "b")]


def test_a_quoted_line_break_keeps_later_row_numbers_right():
    text = make_csv([{"organisation": "Line one\nline two"}, {"Q2a": "9"}])
    errs = errors_of(text)
    assert errs == [Issue(4, "Q2a", 'rank must be 1 to 4 (got "9")')]


# ---------------------------------------------------------------- errors


def test_rank_out_of_range_names_row_and_column():
    text = make_csv([{}, {}, {}, {}, {}, {"Q2c": "5"}])  # the sixth data row is line 7
    errs = errors_of(text)
    assert errs == [Issue(7, "Q2c", 'rank must be 1 to 4 (got "5")')]
    with pytest.raises(PetCsvError, match=r'row 7, column Q2c: rank must be 1 to 4 \(got "5"\)'):
        parse_pet_csv(text, PET)


def test_rank_ties_are_reported_on_the_item_column():
    text = make_csv([{}, {}, {"Q2a": "1", "Q2b": "1", "Q2c": "3", "Q2d": "4"}])
    assert errors_of(text) == [Issue(4, "Q2", "ranks must be 1, 2, 3, 4 once each")]
    with pytest.raises(PetCsvError, match="row 4, column Q2: ranks must be 1, 2, 3, 4 once each"):
        parse_pet_csv(text, PET)


def test_partial_ranking_is_an_error():
    errs = errors_of(make_csv([{"Q5c": "", "Q5d": ""}]))
    assert errs == [Issue(2, "Q5", "ranks must be 1, 2, 3, 4 once each")]


def test_unknown_multi_select_option():
    text = make_csv([{}] * 7 + [{"Q13": "ada1; Big data"}])
    assert errors_of(text) == [Issue(9, "Q13", 'unknown option "Big data"')]
    with pytest.raises(PetCsvError, match='row 9, column Q13: unknown option "Big data"'):
        parse_pet_csv(text, PET)


def test_none_combined_with_other_options_is_an_error():
    errs = errors_of(make_csv([{"Q15": "None of these; Lean"}]))
    assert errs == [Issue(2, "Q15", "'none' cannot be combined with other options")]


def test_an_option_listed_twice_is_an_error():
    errs = errors_of(make_csv([{"Q13": "ada-2; Contextual or ethnographic data"}]))
    assert errs == [Issue(2, "Q13", "option 'ada1' is listed twice")]


def test_unknown_likert_and_yes_no_answers():
    errs = errors_of(make_csv([{"Q1a": "Somewhat", "Q3a": "7", "Q4a": "2.5", "Q17": "maybe"}]))
    assert errs == [
        Issue(2, "Q1a", 'unknown answer "Somewhat": expected 0–4 or an agreement label such as '
              '"Agree"'),
        Issue(2, "Q3a", 'expected 0–4 or an agreement label such as "Agree" (got "7")'),
        Issue(2, "Q4a", 'expected 0–4 or an agreement label such as "Agree" (got "2.5")'),
        Issue(2, "Q17", 'unknown answer "maybe": expected yes, no, unsure'),
    ]  # fmt: skip


def test_profile_errors_name_the_file_column():
    header = ["Number of people", *Q_COLUMNS]
    errs = errors_of(make_csv([{"Number of people": "many"}, {"Number of people": "0"}],
                              header=header))  # fmt: skip
    assert errs == [
        Issue(2, "Number of people", 'expected a whole number (got "many")'),
        Issue(3, "Number of people", "must be at least 1 (got 0)"),
    ]


def test_all_problems_of_all_rows_are_collected_and_nothing_is_returned():
    rows = [{"Q2c": "5", "Q13": "Big data"}, {}, {"Q17": "perhaps", "Q1a": "=1+1"}]
    errs = errors_of(make_csv(rows))
    assert [(e.row, e.column) for e in errs] == [(2, "Q2c"), (2, "Q13"), (4, "Q1a"), (4, "Q17")]


def test_the_message_shows_at_most_30_problems():
    text = make_csv([{"Q17": "maybe"}] * 40)
    with pytest.raises(PetCsvError) as info:
        parse_pet_csv(text, PET)
    message = str(info.value)
    assert len(info.value.errors) == 40
    assert message.startswith("the CSV file was refused (40 problems):")
    assert message.count("unknown answer") == 30
    assert message.endswith("… and 10 more problems")


def test_a_row_with_more_cells_than_the_header_is_an_error():
    text = make_csv([{}]).rstrip("\r\n") + ",surplus\r\n"
    assert errors_of(text) == [
        Issue(2, None, f"{len(HEADER) + 1} cells but the header has {len(HEADER)} columns "
              "(a delimiter inside an unquoted cell?)"),
    ]  # fmt: skip


def test_short_rows_and_trailing_empty_cells_are_accepted():
    text = make_csv([{}]).rstrip("\r\n") + ",,\r\n"
    assert one(text) == MODULE1
    header_only = ",".join(HEADER) + "\r\n"
    short = header_only + "x,Unit\r\n"
    assert parse_pet_csv(short, PET)[0].answers == {"id": "x", "profile": {"organisation": "Unit"}}


# ------------------------------------------------------------ file-level limits


@pytest.mark.parametrize("text", ["", "   \r\n\r\n", "\ufeff", b"", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(text):
    assert errors_of(text) == [Issue(None, None, "the file is empty")]


def test_a_header_without_data_rows_is_refused():
    text = ",".join(HEADER) + "\r\n" + "," * (len(HEADER) - 1) + "\r\n\r\n"
    assert errors_of(text) == [Issue(1, None, "the file has a header but no data rows")]


def test_utf8_with_bom_as_bytes_and_as_text():
    text = make_csv([{"organisation": "Équipe numérique"}])
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), "\ufeff" + text, text.encode()):
        rows = parse_pet_csv(data, PET)
        assert rows[0].answers["profile"]["organisation"] == "Équipe numérique"
        assert rows[0].source_id == "resp-001"  # the BOM did not stick to the first header
        assert rows.warnings == []


def test_windows_1252_is_read_with_a_warning():
    data = make_csv([{"organisation": "Équipe numérique", "Q1a": "Plutôt d’accord"}]).encode(
        "cp1252"
    )
    rows = parse_pet_csv(data, PET)
    assert rows[0].answers["profile"]["organisation"] == "Équipe numérique"
    assert rows[0].answers["q1"]["mis"] == 3
    assert len(rows.warnings) == 1
    assert "read as Windows-1252 (cp1252)" in rows.warnings[0]


def test_text_decoded_with_surrogateescape_is_treated_as_its_bytes():
    data = make_csv([{"organisation": "Équipe"}]).encode("cp1252")
    rows = parse_pet_csv(data.decode("utf-8", "surrogateescape"), PET)
    assert rows[0].answers["profile"]["organisation"] == "Équipe"
    assert "Windows-1252" in rows.warnings[0]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"id,Q1a\r\n\x81\x8d,\x90\r\n", "is not UTF-8 text (invalid byte at position 8)"),
        ("Q1a,Q1b\r\nAgree,\ufffd\r\n", "U+FFFD replacement characters"),
        ("id,Q1a".encode("utf-16"), "UTF-16"),
        ("id,Q1a\r\nx\x00,1\r\n", "NUL bytes"),
    ],
)
def test_undecodable_or_binary_input_is_refused(data, fragment):
    [issue] = errors_of(data)
    assert fragment in issue.message


def test_semicolon_delimited_file():
    text = make_csv([{"Q6a": "0,5", "Q6b": "1,5", "organisation": "Unité, Paris"}], delimiter=";")
    answers = one(text)
    assert answers["q6"]["ada1"] == 1
    assert answers["q6"]["ada2"] == 3
    assert answers["profile"]["organisation"] == "Unité, Paris"
    assert answers["q1"] == MODULE1["q1"]


def test_semicolon_file_with_unquoted_commas_in_headers_is_still_sniffed():
    header = [f"Facet {h} - goals, deadlines, outputs" if h.startswith("Q") else h for h in HEADER]
    base = {header[HEADER.index(k)]: v for k, v in BASE.items()}
    text = make_csv([{}], header=header, base=base, delimiter=";")
    assert '"Facet' not in text  # the headers' commas are not quoted in a ";" file
    assert one(text) == MODULE1


def test_excel_sep_line_sets_the_delimiter():
    text = "sep=;\r\n" + make_csv([{}], delimiter=";")
    rows = parse_pet_csv(text, PET)
    assert rows[0].row == 3
    assert rows[0].answers == MODULE1


@pytest.mark.parametrize(("delimiter", "name"), [("\t", "tabs"), ("|", "vertical bars")])
def test_other_delimiters_are_refused(delimiter, name):
    text = make_csv([{}], delimiter=delimiter)
    assert errors_of(text) == [
        Issue(1, None, f"columns are separated by {name}; only commas and semicolons are accepted")
    ]


def test_more_than_50000_rows_are_refused():
    assert pet_csv.MAX_ROWS == 50_000
    body = ("x" + "," * (len(HEADER) - 1) + "\r\n") * 50_001
    errs = errors_of(",".join(HEADER) + "\r\n" + body)
    assert errs == [Issue(50_002, None, "more than 50,000 data rows; split the file")]


def test_the_row_limit_counts_data_rows_only(monkeypatch):
    monkeypatch.setattr(pet_csv, "MAX_ROWS", 3)
    assert len(parse_pet_csv(make_csv([{}] * 3), PET)) == 3
    assert errors_of(make_csv([{}] * 4))[0].row == 5


@pytest.mark.parametrize("cell", ["=SUM(A1:A3)", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "=1"])
def test_formula_like_cells_are_refused(cell):
    errs = errors_of(make_csv([{"Q1a": cell, "organisation": cell, "sector": f"Health; {cell}"}]))
    assert errs == [
        Issue(2, "organisation", f'cell "{cell}" looks like a spreadsheet formula'),
        Issue(2, "sector", f'entry "{cell}" looks like a spreadsheet formula'),
        Issue(2, "Q1a", f'cell "{cell}" looks like a spreadsheet formula'),
    ]


def test_plain_signed_numbers_are_not_formulas():
    answers = one(make_csv([{"Q18b": "-2", "Q24d": "-1,0", "Q1a": "+3", "n_people": "+12"}]))
    assert answers["q18"]["q18b"] == 2
    assert answers["q24"]["q24d"] == 1
    assert answers["q1"]["mis"] == 3
    assert answers["profile"]["n_people"] == 12


# ------------------------------------------------------------------ writer


def test_writer_rejects_invalid_answers_and_formula_text():
    with pytest.raises(ValueError, match=r"answers #2: q2: ranks must be 1, 2, 3, 4 once each"):
        write_pet_csv([MODULE1, {"q2": {"enh": 1, "mis": 1, "ant": 3, "ada": 4}}], PET)
    with pytest.raises(ValueError, match="spreadsheet formula"):
        write_pet_csv([{"profile": {"organisation": "=HYPERLINK(1)"}}], PET)
    with pytest.raises(ValueError, match="contains ';'"):
        write_pet_csv([{"profile": {"sector": ["a; b"]}}], PET)


# ------------------------------------------------------------------ sample


def test_the_documented_sample_file_imports():
    rows = parse_pet_csv(SAMPLE.read_bytes(), PET)
    assert [(r.row, r.source_id) for r in rows] == [(2, "demo-1"), (3, "demo-2"), (4, "demo-3")]
    assert rows.warnings == [
        "Q2: cells held PET's stored rank points (4/2/1/0) and were read as ranks 1–4"
    ]
    for row in rows:
        normalize_answers(PET, row.answers, complete=True)  # every item answered
    assert rows[1].answers["profile"]["sector"] == ["health", "Ocean policy"]
    assert rows[2].answers["q6"] == {
        "ada1": 3, "ada2": 4, "mis1": 2, "mis2": 1, "enh1": 0, "enh2": 2,
    }  # fmt: skip
    assert rows[2].answers["q18"]["q18b"] == 3


# ------------------------------------------------------------- properties

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROW_ITEMS = [i for i in Q_ITEMS if i.type.endswith("likert_group")]
RANK_ITEMS = [i for i in Q_ITEMS if i.type == "rank"]
MULTI_ITEMS = [i for i in Q_ITEMS if i.type == "multi_select"]
YES_NO_ITEMS = [i for i in Q_ITEMS if i.type == "yes_no_unsure"]
SECTOR = PET.item("profile.sector")
KNOWN_SECTOR_WORDS = {
    s.casefold() for o in SECTOR.options for s in (o.id, o.code, *o.label.values()) if s is not None
}
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufffd"),
    min_size=1,
    max_size=40,
).filter(lambda s: s == s.strip() and s and not s.startswith(("=", "+", "-", "@")))
FREE_SECTOR = st.from_regex(r"[A-Za-z][A-Za-z ]{0,20}[A-Za-z]", fullmatch=True).filter(
    lambda s: s.casefold() not in KNOWN_SECTOR_WORDS
)


def _rank(item):
    ids = [o.id for o in item.options]
    return st.permutations(range(1, len(ids) + 1)).map(lambda r: dict(zip(ids, r, strict=True)))


def _multi(item):
    ids = [o.id for o in item.options if not o.exclusive]
    return st.one_of(st.just(["none"]), st.lists(st.sampled_from(ids), unique=True, min_size=1))


@st.composite
def valid_answers(draw):
    """Canonical answers: nothing empty, so parse(write(x)) must give x back exactly."""
    answers = {"q17": draw(st.sampled_from(["yes", "no", "unsure"]))}  # never an empty row
    for item in ROW_ITEMS:
        if draw(st.booleans()):
            ids = [o.id for o in item.options]
            answers[item.id] = draw(
                st.dictionaries(st.sampled_from(ids), st.integers(0, 4), min_size=1)
            )
    for items, strategy in ((RANK_ITEMS, _rank), (MULTI_ITEMS, _multi)):
        for item in items:
            if draw(st.booleans()):
                answers[item.id] = draw(strategy(item))
    for item in YES_NO_ITEMS[1:]:
        if draw(st.booleans()):
            answers[item.id] = draw(st.sampled_from(["yes", "no", "unsure"]))
    profile = {}
    if draw(st.booleans()):
        profile["organisation"] = draw(TEXT)
    if draw(st.booleans()):
        profile["country"] = draw(TEXT)
    if draw(st.booleans()):
        profile["n_people"] = draw(st.integers(1, 10**6))
    if draw(st.booleans()):
        known = st.sampled_from([o.id for o in SECTOR.options])
        profile["sector"] = draw(st.lists(st.one_of(known, FREE_SECTOR), min_size=1, unique=True))
    if profile:
        answers["profile"] = profile
    if draw(st.booleans()):
        answers["id"] = draw(TEXT)
    return answers


@SETTINGS
@given(st.lists(valid_answers(), min_size=1, max_size=3))
def test_property_write_then_parse_gives_the_answers_back(batch):
    rows = parse_pet_csv(write_pet_csv(batch, PET), PET)
    assert [r.answers for r in rows] == batch
    assert [r.source_id for r in rows] == [a.get("id") for a in batch]


def _spell_choice(draw, option):
    """An option as its id, PET's stored value or a label (en/fr), in some letter case."""
    forms = [option.id, *option.label.values()]
    if option.code is not None:
        forms.append(option.code)
    text = draw(st.sampled_from(forms))
    return draw(st.sampled_from([text, text.upper(), text.lower(), f" {text} "]))


@SETTINGS
@given(valid_answers(), st.data())
def test_property_any_accepted_spelling_parses_to_the_same_answers(answers, data):
    draw = data.draw
    cells: dict[str, str] = {}
    scale = PET.scale("agreement")
    for item in ROW_ITEMS:
        for option_id, position in answers.get(item.id, {}).items():
            option = item.option(option_id)
            labels = list(scale.values[position].label.values())
            forms = [str(position), *labels, *(label.lower() for label in labels)]
            if option.reverse:
                forms.append(f"-{position}")
            cells[COLUMN_OF[(item.id, option_id)]] = draw(st.sampled_from(forms))
    for item in RANK_ITEMS:
        if item.id in answers:
            as_points = draw(st.booleans())
            for option_id, rank in answers[item.id].items():
                value = (4, 2, 1, 0)[rank - 1] if as_points else rank
                cells[COLUMN_OF[(item.id, option_id)]] = str(value)
    for item in MULTI_ITEMS:
        if item.id in answers:
            parts = [_spell_choice(draw, item.option(o)) for o in answers[item.id]]
            cells[COLUMN_OF[(item.id, None)]] = draw(st.sampled_from([";", "; ", " ;"])).join(parts)
    for item in YES_NO_ITEMS:
        if item.id in answers:
            option = item.option(answers[item.id])
            aliases = {"yes": "oui", "no": "non", "unsure": "incertain"}
            spelled = _spell_choice(draw, option)
            cells[COLUMN_OF[(item.id, None)]] = draw(
                st.sampled_from([spelled, aliases[option.id].capitalize()])
            )
    profile = answers.get("profile", {})
    cells["id"] = answers.get("id", "")
    cells["organisation"] = profile.get("organisation", "")
    cells["country"] = profile.get("country", "")
    cells["n_people"] = str(profile.get("n_people", ""))
    cells["sector"] = "; ".join(
        _spell_choice(draw, SECTOR.option(s)) if s in KNOWN_SECTOR_WORDS else s
        for s in profile.get("sector", [])
    )
    delimiter = draw(st.sampled_from([",", ";"]))
    text = make_csv([cells], base={}, delimiter=delimiter)
    rows = parse_pet_csv(text, PET)
    assert rows[0].answers == answers
