from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from facetscope.core.forms import add_service_errors
from facetscope.library import selectors, services, vectors
from facetscope.library.choices import item_facts
from facetscope.library.forms import LibraryImportForm, LibraryItemForm, SearchForm
from facetscope.library.models import LibraryItem
from facetscope.library.records import RecordError, read_records
from facetscope.library.search import INLINE_ENCODE, search, visible_items
from facetscope.organisations.access import get_object_in_organisation, get_organisation_for_user
from facetscope.organisations.permissions import role_can
from facetscope.organisations.selectors import membership_for
from facetscope.reports.templatetags.charts import facet_labels

#: Members with this permission add, edit and delete their organisation's private cases.
PRIVATE_CASES_PERMISSION = "projects.contribute"
EXPORT_TYPES = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}


def administrator_required(view):
    """Installation administrators only: others get 403, signed-out visitors sign in."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _current_membership(request):
    """The reader's membership of the organisation whose private cases they also see, if any."""
    slug = request.session.get("current_organisation")
    if not slug or not request.user.is_authenticated:
        return None
    return (
        request.user.memberships.select_related("organisation")
        .filter(organisation__slug=slug)
        .first()
    )


def library_search(request):
    form = SearchForm(request.GET or None)
    membership = _current_membership(request)
    organisation = membership.organisation if membership else None
    results = None
    if form.is_valid() and (form.cleaned_data.get("q") or form.has_filters()):
        results = search(
            form.cleaned_data.get("q") or "",
            organisation=organisation,
            filters=form.filters(),
            limit=30,
        )
    return render(
        request,
        "library/search.html",
        {
            "form": form,
            "results": results,
            "organisation": organisation,
            "is_administrator": request.user.is_staff,
            "semantic": vectors.embedder().available(),
            "can_edit_private": membership is not None
            and role_can(membership.role, PRIVATE_CASES_PERMISSION),
            "counts": {
                t: visible_items(organisation=organisation).filter(type=t).count()
                for t in ("case", "toolkit")
            },
        },
    )


def _manage_urls(request, item: LibraryItem, membership) -> dict[str, str] | None:
    """The edit and delete pages of ``item``, if the reader may use them (``membership``: the
    reader's in the organisation of a private item)."""
    if item.organisation is None:
        if not request.user.is_staff:
            return None
        return {
            "edit": reverse("library:edit", args=[item.key]),
            "delete": reverse("library:delete", args=[item.key]),
        }
    if membership is None or not role_can(membership.role, PRIVATE_CASES_PERMISSION):
        return None
    slug = item.organisation.slug
    return {
        "edit": reverse("library:private_edit", args=[slug, item.key]),
        "delete": reverse("library:private_delete", args=[slug, item.key]),
    }


def library_item(request, key):
    item = LibraryItem.objects.filter(key=key).select_related("organisation").first()
    if item is None:
        raise Http404
    membership = None
    if item.organisation is not None:
        membership = membership_for(user=request.user, organisation=item.organisation)
        if membership is None:  # another organisation's private case: as if it did not exist
            raise Http404
    labels = facet_labels()
    facets = item.record.get("facets") or {}
    return render(
        request,
        "library/item.html",
        {
            "item": item,
            "record": item.record,
            "facts": item_facts(item),
            "manage": _manage_urls(request, item, membership),
            "facet_rows": [{"label": labels[f], "share": facets.get(f)} for f in labels if facets],
            "similar": [
                hit
                for hit in search(
                    item.title + " " + item.summary,
                    filters={"type": item.type},
                    limit=6,
                    organisation=item.organisation,
                ).hits
                if hit.item.pk != item.pk  # the item itself, wherever the fusion ranks it
            ][:5],
        },
    )


# --------------------------------------------------------------------------- one item


def _save_item(request, form: LibraryItemForm, save):
    """Validate and save through ``save(form)``; the item, or ``None`` with the form's errors."""
    if not form.is_valid():
        return None
    try:
        return save(form)
    except RecordError as exc:  # the record format's rules, as for an import
        for _where, field, message in exc.errors:
            form.add_error(field if field in form.fields else None, message)
    except ValidationError as exc:
        add_service_errors(form, exc)
    return None


def _item_form_page(request, *, form, heading, cancel_url):
    return render(
        request,
        "library/item_form.html",
        {"form": form, "heading": heading, "cancel_url": cancel_url},
        status=400 if form.errors else 200,
    )


@administrator_required
def item_new(request, kind):
    if kind not in (LibraryItem.CASE, LibraryItem.TOOLKIT):
        raise Http404
    form = LibraryItemForm(request.POST or None, kind=kind, with_key=True)

    def save(form):
        key = form.cleaned_data.get("key") or selectors.library_key_for(
            title=form.cleaned_data["title"], fallback=kind
        )
        return services.library_item_create(actor=request.user, record=form.record(key=key))

    if request.method == "POST" and (item := _save_item(request, form, save)) is not None:
        messages.success(request, _("%(title)s added to the library.") % {"title": item.title})
        return redirect("library:item", key=item.key)
    heading = _("Add a case") if kind == LibraryItem.CASE else _("Add a toolkit or method")
    return _item_form_page(
        request, form=form, heading=heading, cancel_url=reverse("library:search")
    )


def _shared_item(key) -> LibraryItem:
    item = LibraryItem.objects.filter(key=key, organisation__isnull=True).first()
    if item is None:
        raise Http404
    return item


def _edit(request, item: LibraryItem, *, other_kind: bool):
    record = item.as_record()
    form = LibraryItemForm(
        request.POST or None,
        kind=item.type,
        other_kind=other_kind,
        initial=LibraryItemForm.initial_from(record),
    )

    def save(form):
        return services.library_item_update(
            actor=request.user, item=item, record=form.record(key=item.key, base=record)
        )

    if request.method == "POST" and _save_item(request, form, save) is not None:
        messages.success(request, _("Changes to %(title)s saved.") % {"title": item.title})
        return redirect("library:item", key=item.key)
    return _item_form_page(
        request,
        form=form,
        heading=_("Edit %(title)s") % {"title": item.title},
        cancel_url=reverse("library:item", args=[item.key]),
    )


def _delete(request, item: LibraryItem, *, done_url: str):
    """A confirmation page; the item is deleted only by the POST it sends."""
    if request.method == "POST":
        services.library_item_delete(actor=request.user, item=item)
        messages.success(request, _("%(title)s deleted.") % {"title": item.title})
        return redirect(done_url)
    return render(
        request,
        "library/item_delete.html",
        {"item": item, "cancel_url": reverse("library:item", args=[item.key])},
    )


@administrator_required
def item_edit(request, key):
    return _edit(request, _shared_item(key), other_kind=True)


@administrator_required
@require_http_methods(["GET", "POST"])
def item_delete(request, key):
    return _delete(request, _shared_item(key), done_url=reverse("library:search"))


# --------------------------------------------------------------------------- import, export


@administrator_required
def library_import(request):
    form = LibraryImportForm(request.POST or None, request.FILES or None)
    problems: list = []
    more = 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = read_records(upload.read(), upload.name, max_bytes=form.MAX_BYTES)
            counts = services.library_import(actor=request.user, records=records)
            waiting = _waiting_for_index(counts)
        except RecordError as exc:
            problems, more = exc.errors, exc.more
        except ValidationError as exc:
            problems = [("", "", message) for message in exc.messages]
        else:
            messages.success(
                request,
                _("Library imported: %(created)s new, %(updated)s updated.") % counts,
            )
            if waiting:
                messages.warning(
                    request,
                    _(
                        "%(n)s items are not yet indexed by meaning: search finds them by their "
                        "words until someone runs facetscope library index on the server."
                    )
                    % {"n": waiting},
                )
            return redirect("library:search")
    return render(
        request,
        "library/import.html",
        {"form": form, "problems": problems, "more": more},
        status=400 if problems or form.errors else 200,
    )


def _waiting_for_index(counts) -> int:
    """How many items search by meaning cannot see after an import that changed many."""
    if counts["created"] + counts["updated"] <= INLINE_ENCODE:
        return 0  # search embeds this few itself
    if not vectors.embedder().available():
        return 0  # search by meaning is off altogether, and the search page says so
    return vectors.index_status().missing


@administrator_required
def library_export(request, fmt):
    if fmt not in EXPORT_TYPES:
        raise Http404
    text = selectors.library_export(fmt=fmt)
    # with a byte-order mark, so spreadsheet programs read the CSV as UTF-8
    body = text.encode("utf-8-sig" if fmt == "csv" else "utf-8")
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="library.{fmt}"'
    return response


# --------------------------------------------------------------------------- private cases


@login_required
def private_cases(request, slug):
    access = get_organisation_for_user(request, slug, PRIVATE_CASES_PERMISSION)
    organisation = access.organisation
    form = LibraryItemForm(request.POST or None, kind=LibraryItem.CASE, other_kind=False)

    def save(form):
        key = selectors.library_key_for(
            title=form.cleaned_data["title"], prefix=f"{organisation.slug}-", fallback="case"
        )
        return services.library_item_create(
            actor=request.user, record=form.record(key=key), organisation=organisation
        )

    if request.method == "POST" and (item := _save_item(request, form, save)) is not None:
        messages.success(request, _("Case saved. Only your organisation sees it."))
        return redirect("library:item", key=item.key)
    return render(
        request,
        "library/private.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "items": selectors.library_items(organisation=organisation).order_by("title"),
        },
        status=400 if form.errors else 200,
    )


def _private_case(request, slug, key):
    access = get_organisation_for_user(request, slug, PRIVATE_CASES_PERMISSION)
    return access, get_object_in_organisation(access, LibraryItem, key=key)


@login_required
def private_case_edit(request, slug, key):
    _access, item = _private_case(request, slug, key)
    return _edit(request, item, other_kind=False)


@login_required
@require_http_methods(["GET", "POST"])
def private_case_delete(request, slug, key):
    _access, item = _private_case(request, slug, key)
    return _delete(request, item, done_url=reverse("library:private", args=[slug]))
