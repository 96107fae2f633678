"""Search by meaning: the stored index of item vectors, and how search uses it.

These tests run the real packaged model (skipped where the optional `semantic`
extra is not installed, failed instead when FACETSCOPE_REQUIRE_SEMANTIC=1, as
CI sets it); the fallback tests run everywhere.
"""

import json
import os

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from facetscope.cli import main
from facetscope.library import search as search_module
from facetscope.library import services, vectors
from facetscope.library import views as library_views
from facetscope.library.models import EmbeddingVector, LibraryItem
from facetscope.library.records import clean_record
from facetscope.library.search import search
from facetscope.suggest.embedding import Embedder
from tests.factories import make_administrator

pytestmark = pytest.mark.django_db


@pytest.fixture
def semantic():
    encoder = vectors.embedder()
    if not encoder.available():
        if os.environ.get("FACETSCOPE_REQUIRE_SEMANTIC") == "1":
            pytest.fail(f"search by meaning is required here: {encoder.reason}")
        pytest.skip(encoder.reason)
    return encoder


@pytest.fixture
def no_model(monkeypatch):
    """The installation without the embedding model (e.g. `semantic` extra not installed)."""
    monkeypatch.setattr(vectors, "_embedder", Embedder(enabled=False))


def _case(organisation, key, title, summary):
    record = clean_record(
        {"key": key, "type": "case", "title": title, "summary": summary}, where="test"
    )
    services.library_import(actor=None, records=[("test", record)], organisation=organisation)
    return LibraryItem.objects.get(key=key)


def test_index_embeds_what_is_missing_once_and_resumes(semantic):
    items = LibraryItem.objects.count()
    EmbeddingVector.objects.all().delete()
    assert vectors.index_status() == vectors.IndexStatus(items=items, indexed=0)

    first = LibraryItem.objects.order_by("pk")[:7]
    assert vectors.build_index(queryset=first) == 7  # as if interrupted after one batch
    seen = []
    encoded = vectors.build_index(batch_size=50, progress=lambda d, t: seen.append((d, t)))
    assert encoded == items - 7
    assert seen[0] == (0, items - 7) and seen[-1] == (items - 7, items - 7)
    assert vectors.index_status() == vectors.IndexStatus(items=items, indexed=items)
    assert vectors.build_index() == 0
    assert EmbeddingVector.objects.count() == items


def test_meaning_finds_items_that_share_no_word_with_the_query(semantic):
    assert search("tumour", semantic=False).hits == []
    results = search("tumour", limit=5)
    assert results.semantic and not results.notice
    keys = [hit.item.key for hit in results.hits]
    # only what is related: items far in meaning are not listed just to fill the page
    assert set(keys) == {"us-cancer-moonshot", "se-vision-zero-cancer"}

    crashes = search("automobile crashes", limit=3)
    assert crashes.hits[0].item.key == "se-vision-zero-road-safety"


def test_filters_apply_to_meaning_too(semantic):
    hits = search("imagining possible futures", filters={"type": "toolkit"}, limit=10).hits
    assert len(hits) >= 3 and all(hit.item.type == "toolkit" for hit in hits)
    assert search("tumour", filters={"type": "toolkit"}, limit=10).hits == []  # none relates
    hits = search("tumour", filters={"country": "SE"}, limit=10).hits
    assert hits[0].item.key == "se-vision-zero-cancer"
    assert all(hit.item.country == "SE" for hit in hits)


def test_private_cases_are_found_by_meaning_only_by_their_organisation(semantic, org_a, org_b):
    _case(
        org_b,
        "org-b-hedgehogs",
        "Hedgehog crossings under ring roads",
        "Tunnels so that small wild animals are not run over by lorries.",
    )
    query = "protecting wildlife from traffic"
    theirs = [hit.item.key for hit in search(query, organisation=org_b, limit=5).hits]
    assert "org-b-hedgehogs" in theirs  # no word in common: found by meaning
    ours = [hit.item.key for hit in search(query, organisation=org_a, limit=200).hits]
    shared = [hit.item.key for hit in search(query, limit=200).hits]
    assert "org-b-hedgehogs" not in ours and "org-b-hedgehogs" not in shared


def test_a_large_unindexed_import_does_not_hold_up_search(semantic, monkeypatch, capsys):
    vectors.build_index()  # the starter library is indexed
    monkeypatch.setattr(search_module, "INLINE_ENCODE", 2)
    for i in range(3):
        _case(None, f"bulk-{i}", f"Bulk case {i}", "Ferry timetables for islanders.")
    results = search("islanders", limit=5)
    assert results.unindexed == 3
    assert {hit.item.key for hit in results.hits} == {f"bulk-{i}" for i in range(3)}  # by words

    assert main(["library", "search", "boats to islands", "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "3 items are not in the index of meanings yet" in err

    assert main(["library", "index"]) == 0
    assert "embedded 3 items" in capsys.readouterr().out
    results = search("boats to islands", limit=5)
    assert results.unindexed == 0  # the next search sees what another process stored
    assert results.hits[0].item.key.startswith("bulk-")


def test_a_few_new_items_are_embedded_during_the_search(semantic):
    vectors.build_index()
    _case(None, "new-lighthouse", "Lighthouse keepers' cottages", "Homes for nurses.")
    results = search("accommodation for health workers", limit=10)
    assert results.unindexed == 0
    assert "new-lighthouse" in [hit.item.key for hit in results.hits]
    assert vectors.index_status().missing == 0


def test_cli_import_embeds_what_it_imported(semantic, tmp_path, capsys):
    vectors.build_index()
    path = tmp_path / "cases.jsonl"
    path.write_text(
        json.dumps({"key": "x-canal", "type": "case", "title": "Canal", "summary": "Barges."})
        + "\n",
        encoding="utf-8",
    )
    assert main(["library", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "imported 1 new" in out and "embedded 1 items" in out
    assert main(["library", "import", str(path), "--no-index"]) == 0
    assert "embedded" not in capsys.readouterr().out
    assert main(["library", "index", "--status"]) == 0
    items = LibraryItem.objects.count()
    assert f"{items:,} of {items:,} items have vectors (0 missing)" in capsys.readouterr().out


def test_without_the_model_search_uses_words_and_says_so(no_model, capsys):
    results = search("digital identity", limit=5)
    assert not results.semantic
    assert "disabled" in results.notice
    assert "in-aadhaar" in [hit.item.key for hit in results.hits]

    assert main(["library", "search", "digital identity", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["key"]
    assert "semantic search is off" in captured.err


def test_without_the_model_index_says_why_and_import_still_works(no_model, tmp_path, capsys):
    assert main(["library", "index"]) == 1
    assert "search by meaning is off" in capsys.readouterr().err
    path = tmp_path / "cases.jsonl"
    path.write_text(
        json.dumps({"key": "x-dam", "type": "case", "title": "Dam", "summary": "Water."}) + "\n",
        encoding="utf-8",
    )
    assert main(["library", "import", str(path)]) == 0
    captured = capsys.readouterr()
    assert "imported 1 new" in captured.out and "search by meaning is off" in captured.err
    assert LibraryItem.objects.filter(key="x-dam").exists()


def test_the_search_page_says_what_search_by_meaning_cannot_see(semantic, monkeypatch, client_for):
    vectors.build_index()
    monkeypatch.setattr(search_module, "INLINE_ENCODE", 1)
    for i in range(2):
        _case(None, f"waiting-{i}", f"Waiting case {i}", "Night buses for shift workers.")
    admin = make_administrator()
    page = client_for(admin).get(reverse("library:search"), {"q": "late transport"})
    html = page.content.decode()
    assert "searchable by meaning as well as by words" in html
    assert "2 items are not yet indexed by meaning" in html
    assert "facetscope library index" in html  # administrators are told what to do


def test_a_large_web_import_warns_that_items_wait_for_the_index(semantic, monkeypatch, client_for):
    vectors.build_index()
    monkeypatch.setattr(library_views, "INLINE_ENCODE", 2)
    lines = [
        json.dumps({"key": f"web-{i}", "type": "case", "title": f"Web {i}", "summary": "Ferries."})
        for i in range(3)
    ]
    upload = SimpleUploadedFile("cases.jsonl", ("\n".join(lines) + "\n").encode())
    client = client_for(make_administrator())
    response = client.post(reverse("library:import"), {"file": upload}, follow=True)
    html = response.content.decode()
    assert "3 new, 0 updated" in html
    assert "3 items are not yet indexed by meaning" in html


def test_without_the_model_the_search_page_promises_words_only(no_model, client):
    html = client.get(reverse("library:search"), {"q": "digital identity"}).content.decode()
    assert "searchable by words." in html and "by meaning as well" not in html
    assert "Search by meaning is not available on this installation" in html
    assert "Aadhaar" in html


def test_unindexed_counts_only_what_the_reader_may_see(semantic, monkeypatch, org_a, org_b):
    vectors.build_index()
    monkeypatch.setattr(search_module, "INLINE_ENCODE", 0)
    _case(org_b, "org-b-secret", "Secret pilot", "Something org B keeps to itself.")
    assert search("pilot", organisation=org_b).unindexed == 1
    assert search("pilot", organisation=org_a).unindexed == 0  # no hint of B's private cases
    assert search("pilot").unindexed == 0


def _as_dict(snapshot):
    return {int(pk): snapshot.vectors[i] for i, pk in enumerate(snapshot.ids)}


def test_edits_and_additions_refresh_only_what_changed_and_match_a_full_load(semantic):
    vectors.build_index()
    search("anything")  # loads the vectors
    edited = LibraryItem.objects.get(key="se-vision-zero-road-safety")
    record = {**edited.as_record(), "summary": "Lighthouses guiding ships along rocky coasts."}
    services.library_import(actor=None, records=[("test", record)])
    _case(None, "new-ferries", "Island ferries", "Boats that link small islands.")
    before = search_module._MATRIX.snapshot
    matrix = search_module._MATRIX
    assert matrix._refresh(matrix._version()) is not None  # the partial path applies here

    keys = [hit.item.key for hit in search("lighthouse keepers guiding vessels").hits]
    assert "se-vision-zero-road-safety" in keys  # its new text, by meaning
    refreshed = search_module._MATRIX.snapshot
    assert refreshed is not before
    full = search_module._Matrix._load()
    fresh, loaded = _as_dict(refreshed), _as_dict(full)
    assert fresh.keys() == loaded.keys()
    assert all(np.allclose(fresh[pk], loaded[pk], atol=1e-6) for pk in loaded)

    LibraryItem.objects.filter(key="new-ferries").delete()  # a deletion reloads everything
    assert "new-ferries" not in [hit.item.key for hit in search("boats for islands").hits]
    assert len(search_module._MATRIX.snapshot.ids) == LibraryItem.objects.count()
