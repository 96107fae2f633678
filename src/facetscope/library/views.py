from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from facetscope.library import services
from facetscope.library.forms import PrivateCaseForm, SearchForm
from facetscope.library.models import LibraryItem
from facetscope.library.records import RecordError, clean_record
from facetscope.library.search import search, visible_items
from facetscope.organisations.access import get_organisation_for_user
from facetscope.organisations.selectors import membership_for
from facetscope.reports.templatetags.charts import facet_labels


def _current_organisation(request):
    """The organisation whose private cases the reader may also see, if any."""
    slug = request.session.get("current_organisation")
    if not slug or not request.user.is_authenticated:
        return None
    membership = (
        request.user.memberships.select_related("organisation")
        .filter(organisation__slug=slug)
        .first()
    )
    return membership.organisation if membership else None


def library_search(request):
    form = SearchForm(request.GET or None)
    organisation = _current_organisation(request)
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
            "counts": {
                t: visible_items(organisation=organisation).filter(type=t).count()
                for t in ("case", "toolkit")
            },
        },
    )


def library_item(request, key):
    item = LibraryItem.objects.filter(key=key).select_related("organisation").first()
    if item is None:
        raise Http404
    if (
        item.organisation is not None
        and membership_for(user=request.user, organisation=item.organisation) is None
    ):
        raise Http404
    labels = facet_labels()
    facets = item.record.get("facets") or {}
    return render(
        request,
        "library/item.html",
        {
            "item": item,
            "record": item.record,
            "facet_rows": [{"label": labels[f], "share": facets.get(f)} for f in labels if facets],
            "similar": search(
                item.title + " " + item.summary,
                filters={"type": item.type},
                limit=6,
                organisation=item.organisation,
            ).hits[1:6],
        },
    )


@login_required
def private_cases(request, slug):
    access = get_organisation_for_user(request, slug, "projects.contribute")
    organisation = access.organisation
    form = PrivateCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "", [])}
        data["key"] = f"{organisation.slug}-{slugify(data['title'])[:60]}"
        data["type"] = "case"
        try:
            record = clean_record(data, where="form")
            item = services.library_item_save(
                actor=request.user, record=record, organisation=organisation
            )
        except RecordError as exc:
            for _where, field, message in exc.errors:
                form.add_error(field if field in form.fields else None, message)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("Case saved. Only your organisation sees it."))
            return redirect("library:item", key=item.key)
    return render(
        request,
        "library/private.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "items": LibraryItem.objects.filter(organisation=organisation),
        },
    )
