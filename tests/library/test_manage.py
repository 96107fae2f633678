"""Managing the library on the web: administrators and the shared library,
members and their organisation's private cases; the search and item pages."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from facetscope.audit.models import AuditEvent
from facetscope.library import services
from facetscope.library.forms import LibraryImportForm
from facetscope.library.models import LibraryItem
from facetscope.library.records import clean_record, read_records
from facetscope.library.urls import urlpatterns
from tests.factories import make_administrator

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(db):
    return make_administrator(email="ada@example.org", name="Ada Admin")


@pytest.fixture
def private_case(org_a, alice):
    return services.library_item_create(
        actor=alice,
        organisation=org_a,
        record={
            "key": "org-a-chatbot",
            "type": "case",
            "title": "Our failed chatbot",
            "summary": "We tried a chatbot for tax questions.",
            "lessons": "Start from the questions people ask.",
            "facets": {"enh": 0.7, "ada": 0.3},
            "sectors": ["public_admin_reform", "digital"],
        },
    )


class _FormValues(HTMLParser):
    """What a browser sends for the page's form with ``action`` unchanged: every named
    input's value, checked boxes, selected options and text areas."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select = self._textarea = None
        self._text = ""
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "file"):
                self.values.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # a browser drops one newline right after <textarea>
            self.values.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def form_values(html: str, **changes) -> dict:
    parser = _FormValues()
    parser.feed(html)
    data: dict = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return data


def hit_keys(page: str) -> list[str]:
    results = page.split('<ol class="search-results">', 1)
    if len(results) == 1:
        return []
    return re.findall(r'<h2><a href="/library/([a-z0-9-]+)/">', results[1].split("</ol>")[0])


# --------------------------------------------------------------------------- administrators


def test_an_administrator_adds_a_case(client_for, ada):
    response = client_for(ada).post(
        reverse("library:new", args=["case"]),
        {
            "key": "",
            "title": "Citizens' budget in Tallinn",
            "summary": "Residents propose and vote on city projects.",
            "facets_enh": "20",
            "facets_mis": "",
            "facets_ada": "80",
            "facets_ant": "",
            "country": "EE",
            "level": "local",
            "year": "2020",
            "sectors": ["economic_affairs", "public_admin_reform"],
            "stage": "implementation",
            "tags": "Participatory budgeting; democracy",
            "language": "en",
        },
    )
    item = LibraryItem.objects.get(key="citizens-budget-in-tallinn")
    assert response.status_code == 302
    assert response["Location"] == reverse("library:item", args=[item.key])
    assert item.organisation is None and item.type == "case"
    assert item.as_record() == {
        "key": "citizens-budget-in-tallinn",
        "type": "case",
        "title": "Citizens' budget in Tallinn",
        "summary": "Residents propose and vote on city projects.",
        "country": "EE",
        "level": "local",
        "year": 2020,
        "sectors": ["economic_affairs", "public_admin_reform"],
        "stage": "implementation",
        "facets": {"enh": 0.2, "mis": 0.0, "ada": 0.8, "ant": 0.0},
        "tags": ["participatory budgeting", "democracy"],
        "language": "en",
    }
    assert item.top_facet == "ada" and item.country == "EE" and item.year == 2020
    event = AuditEvent.objects.get(action="library.shared.item.created")
    assert event.organisation is None and event.actor == ada
    assert event.object_repr == "Citizens' budget in Tallinn"


def test_an_administrator_adds_a_toolkit_with_its_own_fields(client_for, ada):
    client = client_for(ada)
    page = client.get(reverse("library:new", args=["toolkit"])).content.decode()
    assert "<legend>About the toolkit or method</legend>" in page
    # the action labels come from the innovation-management instrument
    assert "Authorising environment" in page
    client.post(
        reverse("library:new", args=["toolkit"]),
        {
            "key": "team-canvas",
            "title": "Team canvas",
            "summary": "A one-page canvas to agree a team's purpose.",
            "language": "en",
            "publisher": "Example Lab",
            "toolkit_type": "canvas",
            "actions": ["articulate", "mobilise"],
            "capabilities": ["stewardship"],
            "stages": ["generating_ideas"],
        },
    )
    record = LibraryItem.objects.get(key="team-canvas").as_record()
    assert record["type"] == "toolkit"
    assert record["actions"] == ["articulate", "mobilise"]
    assert record["capabilities"] == ["stewardship"]
    assert record["publisher"] == "Example Lab" and record["stages"] == ["generating_ideas"]
    assert client.get(reverse("library:new", args=["recipe"])).status_code == 404


def test_the_form_uses_the_import_rules_and_names_the_field(client_for, ada):
    count = LibraryItem.objects.count()
    response = client_for(ada).post(
        reverse("library:new", args=["case"]),
        {
            "key": "Not A Key!",
            "title": "T",
            "summary": "S",
            "language": "en",
            "facets_enh": "50",
            "facets_mis": "20",
            "url": "www.example.org",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "not a valid key" in form.errors["key"][0]
    assert "add up to 0.7, not 1" in form.errors["facets"][0]
    assert "start it with http:// or https://" in form.errors["url"][0]
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and 'href="#id_key"' in page
    assert LibraryItem.objects.count() == count


def test_a_new_item_never_overwrites_another(client_for, ada):
    existing = LibraryItem.objects.get(key="in-aadhaar")
    client = client_for(ada)
    response = client.post(
        reverse("library:new", args=["case"]),
        {"key": "in-aadhaar", "title": "Another", "summary": "S", "language": "en"},
    )
    assert "already used" in response.context["form"].errors["key"][0]
    # left empty, the key is made from the title, and made unique
    client.post(
        reverse("library:new", args=["case"]),
        {"key": "", "title": existing.title, "summary": "A second one", "language": "en"},
    )
    second = LibraryItem.objects.get(summary="A second one")
    assert second.key != existing.key and second.key.startswith("aadhaar-digital-identity")
    assert LibraryItem.objects.get(key="in-aadhaar").as_record() == existing.as_record()


def test_editing_without_touching_the_facets_keeps_the_record(client_for, ada):
    item = services.library_item_create(
        actor=ada,
        record={
            "key": "mixed-case",
            "type": "case",
            "title": "Mixed",
            "summary": "First line.\nSecond line.",
            "facets": {"enh": 0.6, "mis": 0.4},
            "sectors": ["transport", "digital", "health"],
            "tags": ["a tag", "another"],
            "publisher": "A publisher on a case",
        },
    )
    before = item.as_record()
    assert before["facets"] == {"enh": 0.6, "mis": 0.4, "ada": 0.0, "ant": 0.0}
    client = client_for(ada)
    url = reverse("library:edit", args=["mixed-case"])
    page = client.get(url).content.decode()
    response = client.post(url, form_values(page, title="Mixed, renamed"))
    assert response.status_code == 302, response.context["form"].errors
    item.refresh_from_db()
    assert item.as_record() == {**before, "title": "Mixed, renamed"}
    event = AuditEvent.objects.get(action="library.shared.item.updated")
    assert event.payload == {"fields": ["title"]} and event.organisation is None


def test_saving_an_unchanged_form_changes_nothing_in_any_starter_item(client_for, ada):
    client = client_for(ada)
    for item in LibraryItem.objects.all():
        before = item.as_record()
        url = reverse("library:edit", args=[item.key])
        response = client.post(url, form_values(client.get(url).content.decode()))
        assert response.status_code == 302, (item.key, response.context["form"].errors)
        assert LibraryItem.objects.get(key=item.key).as_record() == before, item.key
    assert not AuditEvent.objects.filter(action="library.shared.item.updated").exists()


def test_emptying_a_field_removes_it(client_for, ada):
    client = client_for(ada)
    url = reverse("library:edit", args=["se-vision-zero-cancer"])
    data = form_values(client.get(url).content.decode(), lessons="", sectors=[])
    client.post(url, data)
    record = LibraryItem.objects.get(key="se-vision-zero-cancer").as_record()
    assert "lessons" not in record and "sectors" not in record
    assert record["country"] == "SE"


def test_an_administrator_deletes_after_confirming(client_for, ada):
    client = client_for(ada)
    url = reverse("library:delete", args=["in-aadhaar"])
    page = client.get(url).content.decode()
    assert "Delete Aadhaar digital identity?" in page
    assert LibraryItem.objects.filter(key="in-aadhaar").exists()
    response = client.post(url)
    assert response["Location"] == reverse("library:search")
    assert not LibraryItem.objects.filter(key="in-aadhaar").exists()
    event = AuditEvent.objects.get(action="library.shared.item.deleted")
    assert event.organisation is None and event.object_repr == "Aadhaar digital identity"
    assert str(event.actor) == "Ada Admin"


def test_administrators_cannot_edit_private_cases_as_shared_items(client_for, ada, private_case):
    client = client_for(ada)
    for name in ("edit", "delete"):
        url = reverse(f"library:{name}", args=[private_case.key])
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "x"}).status_code == 404
    assert LibraryItem.objects.filter(key=private_case.key).exists()


def admin_urls():
    return {
        "new": reverse("library:new", args=["case"]),
        "edit": reverse("library:edit", args=["in-aadhaar"]),
        "delete": reverse("library:delete", args=["in-aadhaar"]),
        "import": reverse("library:import"),
        "export": reverse("library:export", args=["jsonl"]),
    }


def test_only_administrators_manage_the_shared_library(client_for, alice, org_a, bob, client):
    before = LibraryItem.objects.get(key="in-aadhaar").as_record()
    for name, url in admin_urls().items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name
    for user in (alice, bob):  # a steward of an organisation is no administrator
        signed_in = client_for(user)
        for name, url in admin_urls().items():
            assert signed_in.get(url).status_code == 403, name
            data = {"title": "Hacked", "summary": "x", "language": "en", "key": "hacked"}
            assert signed_in.post(url, data).status_code == 403, name
    assert LibraryItem.objects.get(key="in-aadhaar").as_record() == before
    assert not LibraryItem.objects.filter(key="hacked").exists()


def test_administrators_see_the_links_others_do_not(client_for, ada, alice, org_a):
    search_page = client_for(ada).get(reverse("library:search"), {"q": "identity"}).content.decode()
    for url in admin_urls().values():
        if "in-aadhaar" not in url:
            assert f'href="{url}"' in search_page
    assert f'href="{reverse("library:edit", args=["in-aadhaar"])}"' in search_page
    item_page = client_for(ada).get(reverse("library:item", args=["in-aadhaar"])).content.decode()
    assert f'href="{reverse("library:edit", args=["in-aadhaar"])}"' in item_page
    assert f'href="{reverse("library:delete", args=["in-aadhaar"])}"' in item_page
    other = client_for(alice)
    for page in (
        other.get(reverse("library:search"), {"q": "identity"}).content.decode(),
        other.get(reverse("library:item", args=["in-aadhaar"])).content.decode(),
    ):
        assert "/library/manage/" not in page and "/edit/" not in page


# --------------------------------------------------------------------------- import, export


def test_importing_a_good_file_adds_and_updates(client_for, ada):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (
        b'{"key": "new-case", "type": "case", "title": "A new case", "summary": "S"}\n'
        b'{"key": "in-aadhaar", "type": "case", "title": "Aadhaar, updated", "summary": "S2"}\n'
    )
    response = client_for(ada).post(
        reverse("library:import"),
        {"file": SimpleUploadedFile("cases.jsonl", body)},
        follow=True,
    )
    assert "Library imported: 1 new, 1 updated." in response.content.decode()
    assert LibraryItem.objects.get(key="new-case").title == "A new case"
    assert LibraryItem.objects.get(key="in-aadhaar").title == "Aadhaar, updated"
    event = AuditEvent.objects.get(action="library.shared.items.imported")
    assert event.payload == {"created": 1, "updated": 1} and event.organisation is None


def test_a_bad_file_saves_nothing_and_lists_every_problem(client_for, ada):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (
        b"key,type,title,summary,country,year\n"
        b"good-one,case,Good,Fine,FR,2020\n"
        b"bad-one,case,Bad,Wrong,Atlantis,2020\n"
        b"worse-one,case,Worse,Wrong,SE,1066\n"
    )
    count = LibraryItem.objects.count()
    response = client_for(ada).post(
        reverse("library:import"), {"file": SimpleUploadedFile("cases.csv", body)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    rows = re.findall(r"<tr><td>(row \d+)</td><td>(\w*)</td><td>([^<]*)</td></tr>", page)
    assert [(where, field) for where, field, _message in rows] == [
        ("row 3", "country"),
        ("row 4", "year"),
    ]
    assert "unknown country &#x27;Atlantis&#x27;" in rows[0][2]
    assert LibraryItem.objects.count() == count
    assert not LibraryItem.objects.filter(key="good-one").exists()
    assert not AuditEvent.objects.filter(action="library.shared.items.imported").exists()


def test_a_file_too_large_is_refused_with_a_clear_message(client_for, ada, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(LibraryImportForm, "MAX_BYTES", 10)
    body = b'{"key": "new-case", "type": "case", "title": "A new case", "summary": "S"}\n'
    response = client_for(ada).post(
        reverse("library:import"), {"file": SimpleUploadedFile("cases.jsonl", body)}
    )
    assert response.status_code == 400
    assert "larger than 20 MB" in response.context["form"].errors["file"][0]
    assert not LibraryItem.objects.filter(key="new-case").exists()


def test_exports_download_and_read_back(client_for, ada, private_case):
    client = client_for(ada)
    jsonl = client.get(reverse("library:export", args=["jsonl"]))
    csv = client.get(reverse("library:export", args=["csv"]))
    assert jsonl["Content-Disposition"] == 'attachment; filename="library.jsonl"'
    assert csv["Content-Disposition"] == 'attachment; filename="library.csv"'
    assert csv.content.startswith(b"\xef\xbb\xbf")  # utf-8-sig, for spreadsheets
    from_jsonl = [r for _where, r in read_records(jsonl.content, "library.jsonl")]
    from_csv = [r for _where, r in read_records(csv.content, "library.csv")]
    shared = LibraryItem.objects.filter(organisation=None).order_by("key")
    expected = [clean_record(item.as_record(), where="db") for item in shared]
    assert from_jsonl == from_csv == expected
    assert private_case.key not in {r["key"] for r in from_jsonl}
    assert client.get(reverse("library:export", args=["xlsx"])).status_code == 404


# --------------------------------------------------------------------------- private cases


def test_a_member_adds_edits_and_deletes_a_private_case(client_for, bob, org_a):
    client = client_for(bob)
    client.post(
        reverse("library:private", args=["org-a"]),
        {
            "title": "Night buses on demand",
            "summary": "A pilot of buses called by app.",
            "language": "en",
            "facets_ada": "100",
            "sectors": ["transport"],
        },
    )
    item = LibraryItem.objects.get(organisation=org_a)
    assert item.key == "org-a-night-buses-on-demand" and item.type == "case"
    assert item.record["facets"] == {"enh": 0.0, "mis": 0.0, "ada": 1.0, "ant": 0.0}
    # a second case with the same title gets a key of its own
    client.post(
        reverse("library:private", args=["org-a"]),
        {"title": "Night buses on demand", "summary": "Again.", "language": "en"},
    )
    assert LibraryItem.objects.filter(organisation=org_a).count() == 2
    assert LibraryItem.objects.get(key=item.key).summary == "A pilot of buses called by app."

    page = client.get(reverse("library:item", args=[item.key])).content.decode()
    edit_url = reverse("library:private_edit", args=["org-a", item.key])
    assert f'href="{edit_url}"' in page
    form_page = client.get(edit_url).content.decode()
    assert "About the toolkit or method" not in form_page  # private items are cases
    response = client.post(edit_url, form_values(form_page, lessons="Ask drivers first."))
    assert response["Location"] == reverse("library:item", args=[item.key])
    item.refresh_from_db()
    assert item.record["lessons"] == "Ask drivers first."
    assert item.organisation == org_a and item.type == "case"
    assert item.record["sectors"] == ["transport"]

    delete_url = reverse("library:private_delete", args=["org-a", item.key])
    assert "Delete Night buses on demand?" in client.get(delete_url).content.decode()
    response = client.post(delete_url)
    assert response["Location"] == reverse("library:private", args=["org-a"])
    assert not LibraryItem.objects.filter(key=item.key).exists()
    actions = list(
        AuditEvent.objects.filter(organisation=org_a, action__startswith="library.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "library.item.created",
        "library.item.created",
        "library.item.updated",
        "library.item.deleted",
    ]


def private_urls(slug, key):
    return {
        "private": reverse("library:private", args=[slug]),
        "private_edit": reverse("library:private_edit", args=[slug, key]),
        "private_delete": reverse("library:private_delete", args=[slug, key]),
    }


def test_the_isolation_list_covers_every_organisation_url_of_the_library():
    scoped = {p.name for p in urlpatterns if "<slug:slug>" in str(p.pattern)}
    assert scoped == set(private_urls("x", "y"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisations_steward_gets_404(client_for, carol, org_b, private_case, method):
    client = client_for(carol)
    before = private_case.as_record()
    data = {"title": "Taken over", "summary": "x", "language": "en"}
    for name, url in private_urls("org-a", private_case.key).items():
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (name, method)
    # nor under their own organisation's address
    for name, url in private_urls("org-b", private_case.key).items():
        if name != "private":
            assert getattr(client, method)(url, data).status_code == 404, (name, method)
    assert LibraryItem.objects.get(key=private_case.key).as_record() == before
    assert not LibraryItem.objects.filter(organisation=org_b).exists()


def test_a_viewer_may_read_but_not_change_private_cases(client_for, vera, private_case):
    client = client_for(vera)
    assert client.get(reverse("library:item", args=[private_case.key])).status_code == 200
    for url in private_urls("org-a", private_case.key).values():
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "x"}).status_code == 403
    page = client.get(reverse("library:item", args=[private_case.key])).content.decode()
    assert "/edit/" not in page
    assert LibraryItem.objects.filter(key=private_case.key).exists()


# --------------------------------------------------------------------------- pages


def test_the_sector_filter_narrows_the_search(client):
    url = reverse("library:search")
    everything = hit_keys(client.get(url, {"q": "public service"}).content.decode())
    page = client.get(url, {"q": "public service", "sector": "health"}).content.decode()
    health = hit_keys(page)

    def sectors(key):
        return LibraryItem.objects.get(key=key).record.get("sectors", [])

    assert any("health" not in sectors(key) for key in everything)
    assert health and all("health" in sectors(key) for key in health)
    assert '<label for="id_sector">Sector:</label>' in page
    assert '<option value="health" selected>Health</option>' in page
    assert '<option value="environment">Environment, climate and agriculture</option>' in page


def test_the_item_page_shows_every_field_with_labels(client):
    case = client.get(reverse("library:item", args=["se-vision-zero-cancer"])).content.decode()
    for label, value in [
        ("Country", "Sweden"),
        ("Level of government", "National"),
        ("Kind of organisation", "innovation agency-funded partnership"),
        ("Sectors", "Health, Science and research"),
        ("Stage reached", "Implementation"),
        ("Language", "English"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in case, label
    toolkit = client.get(reverse("library:item", args=["gds-service-manual"])).content.decode()
    for label, value in [
        ("Publisher", "UK Government Digital Service"),
        ("Discipline", "Digital transformation"),
        ("Type of toolkit", "Guide"),
        ("Format", "Website"),
        ("Licence", "Open Government Licence v3.0"),
        ("Stages it helps with", "Developing proposals, Implementation"),
        ("Innovation-management actions", "Extend, Accelerate"),
        ("Capabilities", "Supportive structures, Learning"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in toolkit, label


def test_the_search_results_name_the_country(client):
    page = client.get(reverse("library:search"), {"q": "Vision Zero Cancer"}).content.decode()
    assert "Case · Sweden · 2019" in page
