import json

import pytest
from django.urls import reverse

from facetscope.cli import main
from facetscope.library import services
from facetscope.library.models import LibraryItem
from facetscope.library.records import read_records
from facetscope.library.search import search

pytestmark = pytest.mark.django_db


def test_every_database_starts_with_the_starter_library():
    assert LibraryItem.objects.filter(type="case").count() >= 60
    assert LibraryItem.objects.filter(type="toolkit").count() >= 40


def test_full_text_search_finds_and_explains(settings):
    results = search("digital identity", limit=5, semantic=False)
    keys = [hit.item.key for hit in results.hits]
    assert "in-aadhaar" in keys
    hit = next(h for h in results.hits if h.item.key == "in-aadhaar")
    assert "<mark>" in hit.highlight and "identity" in hit.matched
    assert results.hits == sorted(results.hits, key=lambda h: -h.score)


def test_filters_narrow_the_search():
    results = search(
        "government", filters={"type": "toolkit", "facet": "ant"}, limit=20, semantic=False
    )
    assert results.hits
    assert all(h.item.type == "toolkit" and h.item.top_facet == "ant" for h in results.hits)


def test_cli_search_prints_json_hits(capsys):
    assert (
        main(
            ["library", "search", "cancer", "--limit", "3", "--format", "json", "--full-text-only"]
        )
        == 0
    )
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) <= 3 and set(hits[0]) >= {"key", "title", "type", "score"}


def test_export_imports_back_unchanged(tmp_path, capsys):
    out = tmp_path / "library.jsonl"
    assert main(["library", "export", "--output", str(out)]) == 0
    before = out.read_text()
    assert main(["library", "import", str(out)]) == 0
    assert "0 new" in capsys.readouterr().out
    assert main(["library", "export", "--output", str(out)]) == 0
    assert out.read_text() == before
    csv_out = tmp_path / "library.csv"
    assert main(["library", "export", "--format", "csv", "--output", str(csv_out)]) == 0
    from_csv = [record for _where, record in read_records(csv_out.read_bytes(), "library.csv")]
    from_jsonl = [record for _where, record in read_records(before.encode(), "library.jsonl")]
    assert from_csv == from_jsonl


def test_a_bad_import_changes_nothing_and_names_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"key": "new-case", "type": "case", "title": "T", "summary": "S"}\n'
        '{"key": "x", "type": "case", "title": "T", "summary": "S", "country": "Atlantis"}\n'
    )
    count = LibraryItem.objects.count()
    assert main(["library", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "country" in err
    assert LibraryItem.objects.count() == count


def test_private_cases_are_seen_only_by_their_organisation(client_for, alice, org_a, carol, org_b):
    response = client_for(alice).post(
        reverse("library:private", args=["org-a"]),
        {
            "title": "Our failed chatbot",
            "summary": "We tried a chatbot for tax questions.",
            "lessons": "Start from the questions people ask.",
            "facets": "enh",
        },
    )
    item = LibraryItem.objects.get(organisation=org_a)
    assert response["Location"] == reverse("library:item", args=[item.key])
    assert client_for(alice).get(response["Location"]).status_code == 200
    assert client_for(carol).get(response["Location"]).status_code == 404
    assert client_for(carol).get(reverse("library:private", args=["org-a"])).status_code == 404
    assert item.key not in [
        h.item.key for h in search("chatbot tax", organisation=org_b, semantic=False).hits
    ]
    assert item.key in [
        h.item.key for h in search("chatbot tax", organisation=org_a, semantic=False).hits
    ]


def test_an_organisation_cannot_overwrite_a_shared_item(alice, org_a):
    from django.core.exceptions import ValidationError

    record = LibraryItem.objects.get(key="in-aadhaar").as_record()
    with pytest.raises(ValidationError, match="another collection"):
        services.library_import(actor=alice, records=[("line 1", record)], organisation=org_a)


def test_the_search_page_and_item_page_render(client):
    page = client.get(reverse("library:search"), {"q": "foresight"}).content.decode()
    assert "<mark>" in page
    item = client.get(reverse("library:item", args=["se-vision-zero-cancer"]))
    assert "Vision Zero Cancer" in item.content.decode()
    assert client.get(reverse("library:item", args=["no-such-item"])).status_code == 404


def test_full_text_follows_edits_and_deletions():
    item = LibraryItem.objects.get(key="se-vision-zero-road-safety")
    assert search("zeppelin", semantic=False).hits == []
    record = {**item.as_record(), "summary": item.summary + " Later tested with a zeppelin."}
    services.library_import(actor=None, records=[("test", record)])
    assert [h.item.key for h in search("zeppelin", semantic=False).hits] == [item.key]
    item.delete()
    assert search("zeppelin", semantic=False).hits == []


def test_an_item_page_lists_similar_items_but_never_itself(client):
    html = client.get(reverse("library:item", args=["se-vision-zero-cancer"])).content.decode()
    similar = html.split("<h2>Similar</h2>", 1)[1]
    assert 'href="/library/se-vision-zero-cancer/"' not in similar
    assert similar.count('href="/library/') >= 3


def test_the_facet_filter_is_labelled_in_the_readers_language(client):
    html = client.get(reverse("library:search"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">Orientée vers une mission</option>" in html
