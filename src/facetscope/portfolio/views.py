from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from facetscope.assessments.questionnaire import page_items, read_page, sections_for_level
from facetscope.core.forms import add_service_errors
from facetscope.instruments.selectors import latest_version
from facetscope.library.selectors import methods_for_project, project_facet, similar_cases
from facetscope.organisations.access import get_object_in_organisation, get_organisation_for_user
from facetscope.portfolio import importer, selectors, services
from facetscope.portfolio.choices import ZONES, Stage
from facetscope.portfolio.exports import ProjectsExporter, projects_document
from facetscope.portfolio.forms import (
    DecisionForm,
    IntentForm,
    MapOptionsForm,
    ProjectForm,
    ReviewForm,
)
from facetscope.portfolio.geometry import ZONE_CENTRES
from facetscope.portfolio.importing import template_csv, template_xlsx
from facetscope.portfolio.models import PortfolioReview, Project, ProjectImport, SynergyReview
from facetscope.portfolio.reviews import compare_snapshots
from facetscope.portfolio.synergies import find_synergies
from facetscope.reports import svg
from facetscope.reports.templatetags.charts import facet_labels
from facetscope.suggest.services import correction_record, suggestion_for

FILTER_KEYS = ("unit", "stage", "tag", "goal", "zone", "q")


def _project(access, pk):
    return get_object_in_organisation(
        access, Project.objects.select_related("unit", "owner"), pk=pk
    )


def _filters(request) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip() for k in FILTER_KEYS if request.GET.get(k)}


@login_required
def project_list(request, slug):
    access = get_organisation_for_user(request, slug, "results.view")
    organisation = access.organisation
    filters = _filters(request)
    projects = list(selectors.projects_for_organisation(organisation=organisation, filters=filters))
    return render(
        request,
        "portfolio/project_list.html",
        {
            "access": access,
            "organisation": organisation,
            "projects": projects,
            "filters": filters,
            "choices": selectors.filter_choices(organisation=organisation),
            "units": organisation.units.order_by("name"),
            "stages": Stage.choices,
            "zones": ZONES,
        },
    )


@login_required
def project_new(request, slug):
    access = get_organisation_for_user(request, slug, "projects.contribute")
    form = ProjectForm(request.POST or None, organisation=access.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                actor=request.user,
                organisation=access.organisation,
                owner=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Project added. Now place it on the facets."))
            return redirect("portfolio:place", slug=slug, pk=project.pk)
    return render(
        request,
        "portfolio/project_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "project": None,
        },
    )


@login_required
def project_edit(request, slug, pk):
    access = get_organisation_for_user(request, slug, "projects.contribute")
    project = _project(access, pk)
    initial = {f: getattr(project, f) for f in services.PROJECT_FIELDS if f not in ("key", "owner")}
    form = ProjectForm(request.POST or None, organisation=access.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("portfolio:project", slug=slug, pk=pk)
    return render(
        request,
        "portfolio/project_form.html",
        {
            "access": access,
            "organisation": access.organisation,
            "form": form,
            "project": project,
        },
    )


@login_required
def project_detail(request, slug, pk):
    access = get_organisation_for_user(request, slug, "results.view")
    project = _project(access, pk)
    placements = list(project.placements.select_related("placed_by"))
    facet, suggested = project_facet(project)
    return render(
        request,
        "portfolio/project_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "project": project,
            "zone_label": ZONES.get(project.zone, project.zone),
            "placements": [
                {"by": p.placed_by, "zone": ZONES.get(p.result.get("zone"), ""), "result": p.result}
                for p in placements
            ],
            "decisions": project.decisions.select_related("decided_by"),
            "decision_form": DecisionForm(),
            "facet_labels": facet_labels(),
            "public_value_cells": _public_value_cells(project),
            "similar_cases": similar_cases(project),
            "methods": methods_for_project(project, facet=facet),
            "method_facet": _method_facet(facet, suggested),
        },
    )


def _method_facet(facet: str | None, suggested: bool) -> str:
    """The sentence that says which facet the methods were chosen for."""
    if facet is None:
        return _("Place the project on the facets to see methods for its facet.")
    label = facet_labels()[facet].lower()
    if suggested:
        return _("For its stage and %(facet)s, the facet its description suggests.") % {
            "facet": label
        }
    return _("For its stage and %(facet)s, its main facet.") % {"facet": label}


def _public_value_cells(project):
    labels = {
        "individual_good": (_("Individual"), _("The good (benefit, quality, efficiency)")),
        "individual_fair": (_("Individual"), _("The fair and just (rights, fairness)")),
        "collective_good": (_("Collective"), _("The good (benefit, quality, efficiency)")),
        "collective_fair": (_("Collective"), _("The fair and just (rights, fairness)")),
    }
    cells = []
    for key, (level, kind) in labels.items():
        entry = (project.public_value or {}).get(key) or {}
        cells.append(
            {
                "key": key,
                "level": level,
                "kind": kind,
                "rating": entry.get("rating"),
                "note": entry.get("note", ""),
            }
        )
    return cells


@login_required
def project_public_value(request, slug, pk):
    access = get_organisation_for_user(request, slug, "projects.contribute")
    project = _project(access, pk)
    if request.method == "POST":
        scorecard = {
            cell: {
                "rating": request.POST.get(f"{cell}_rating", ""),
                "note": request.POST.get(f"{cell}_note", ""),
            }
            for cell in ("individual_good", "individual_fair", "collective_good", "collective_fair")
        }
        try:
            services.project_set_public_value(
                actor=request.user, project=project, scorecard=scorecard
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Public value scorecard saved."))
            return redirect("portfolio:project", slug=slug, pk=pk)
    return render(
        request,
        "portfolio/public_value.html",
        {
            "access": access,
            "organisation": access.organisation,
            "project": project,
            "cells": _public_value_cells(project),
            "ratings": range(5),
        },
    )


@login_required
def project_place(request, slug, pk):
    access = get_organisation_for_user(request, slug, "projects.contribute")
    project = _project(access, pk)
    version = latest_version("project-facets")
    definition = version.definition
    lang = get_language() or "en"
    sections = sections_for_level(definition, "individual")
    mine = project.placements.filter(placed_by=request.user).first()
    answers = dict(mine.answers) if mine else {}
    suggestion = None if mine else suggestion_for(project.description)
    if suggestion:  # a first placement starts from the suggestion, for the person to check
        answers = {"purpose": suggestion["likely_purpose"], "driver": suggestion["likely_driver"]}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = dict(request.POST.lists())
        submitted = {}
        for section in sections:
            submitted.update(read_page(definition, section, level="individual", form=form))
        given = {k: v for k, v in submitted.items() if v is not None}
        try:
            placement = services.project_place(actor=request.user, project=project, answers=given)
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
            answers = given
        else:
            shown = {
                k: request.POST.get(f"suggested_{k}", "") for k in ("top", "purpose", "driver")
            }
            if shown["top"]:
                correction_record(
                    actor=request.user,
                    project=project,
                    suggested=shown,
                    mix=placement.result.get("mix"),
                    answers=given,
                )
            messages.success(request, _("Placement saved."))
            return redirect("portfolio:project", slug=slug, pk=pk)
    pages = [
        {
            "section": s,
            "items": page_items(
                definition, s, level="individual", lang=lang, answers=answers, errors=errors
            ),
        }
        for s in sections
    ]
    labels = facet_labels()
    return render(
        request,
        "portfolio/place.html",
        {
            "access": access,
            "organisation": access.organisation,
            "project": project,
            "pages": pages,
            "errors": errors,
            "suggestion": suggestion,
            "suggestion_rows": [
                {"label": labels[f], "share": suggestion["facets"][f]} for f in labels
            ]
            if suggestion
            else [],
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def project_decide(request, slug, pk):
    access = get_organisation_for_user(request, slug, "portfolio.steer")
    project = _project(access, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.project_decide(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Decision recorded."))
    else:
        messages.error(request, _("Choose a decision and say why."))
    return redirect(reverse("portfolio:project", args=[slug, pk]) + "#decisions")


def _map_svg(request, access):
    filters = _filters(request)
    options = MapOptionsForm(request.GET)
    chosen = options.cleaned_data if options.is_valid() else {}
    size_by = chosen.get("size_by") or "budget"
    colour_by = chosen.get("colour_by") or "stage"
    projects = list(
        selectors.projects_for_organisation(organisation=access.organisation, filters=filters)
    )
    points = selectors.map_points(projects, size_by=size_by, colour_by=colour_by)
    dots = [
        {
            "x": d["x"],
            "y": d["y"],
            "r": d["r"],
            "colour": d["colour"],
            "label": f"{d['project'].title} — {ZONES.get(d['project'].zone)} — {d['group']}",
            "href": reverse("portfolio:project", args=[access.organisation.slug, d["project"].pk]),
        }
        for d in points["dots"]
    ]
    drawing = svg.portfolio_map(
        dots,
        zone_counts=points["zone_counts"],
        zone_centres=ZONE_CENTRES,
        labels=facet_labels(),
        title=_("Portfolio map of %(org)s") % {"org": access.organisation},
    )
    return drawing, points, options, filters, projects


@login_required
def portfolio_map(request, slug):
    access = get_organisation_for_user(request, slug, "results.view")
    drawing, points, options, filters, projects = _map_svg(request, access)
    legend = [
        {"label": g, "colour": svg.PALETTE[i % len(svg.PALETTE)]}
        for i, g in enumerate(points["groups"])
    ]
    zone_rows = [{"zone": ZONES[z], "count": points["zone_counts"].get(z, 0)} for z in ZONES]
    return render(
        request,
        "portfolio/map.html",
        {
            "access": access,
            "organisation": access.organisation,
            "svg": mark_safe(drawing),  # noqa: S308
            "points": points,
            "options": options,
            "filters": filters,
            "legend": legend,
            "zone_rows": zone_rows,
            "projects": projects,
            "zones": ZONES,
            "query": request.GET.urlencode(),
            "units": access.organisation.units.order_by("name"),
            "stages": Stage.choices,
            "choices": selectors.filter_choices(organisation=access.organisation),
        },
    )


@login_required
def portfolio_map_svg(request, slug):
    access = get_organisation_for_user(request, slug, "results.view")
    drawing = _map_svg(request, access)[0]
    response = HttpResponse(drawing, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="portfolio-{slug}.svg"'
    return response


@login_required
def balance(request, slug):
    access = get_organisation_for_user(request, slug, "results.view")
    organisation = access.organisation
    intent = selectors.current_intent(organisation=organisation)
    form = None
    if access.can("portfolio.steer"):
        initial = (
            dict(intent.mix, rationale=intent.rationale)
            if intent
            else {"enh": 25, "mis": 25, "ada": 25, "ant": 25}
        )
        form = IntentForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.intent_set(
                    actor=request.user,
                    organisation=organisation,
                    mix=form.mix(),
                    rationale=form.cleaned_data["rationale"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Intended mix saved."))
                return redirect("portfolio:balance", slug=slug)
    elif request.method == "POST":
        raise Http404
    from facetscope.portfolio.balance_view import balance_context

    weight = request.GET.get("weight", "budget")
    context = balance_context(organisation, intent=intent, weight=weight)
    return render(
        request,
        "portfolio/balance.html",
        {
            "access": access,
            "organisation": organisation,
            "form": form,
            "intent": intent,
            **context,
        },
    )


@login_required
def export(request, slug, fmt):
    access = get_organisation_for_user(request, slug, "results.view")
    projects = list(selectors.projects_for_organisation(organisation=access.organisation))
    if fmt == "json":
        body = json.dumps(
            projects_document(access.organisation, projects), indent=2, ensure_ascii=False
        )
        response = HttpResponse(body, content_type="application/json")
    elif fmt in ("csv", "xlsx"):
        exporter = ProjectsExporter(projects, organisation=access.organisation)
        if fmt == "csv":
            response = HttpResponse(exporter.to_csv(), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                exporter.to_xlsx(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="portfolio-{slug}.{fmt}"'
    return response


@login_required
def review_list(request, slug):
    access = get_organisation_for_user(request, slug, "results.view")
    form = None
    if access.can("portfolio.steer"):
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                review = services.review_create(
                    actor=request.user, organisation=access.organisation, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Review recorded, with a snapshot of the portfolio."))
                return redirect("portfolio:review", slug=slug, pk=review.pk)
    elif request.method == "POST":
        raise Http404
    reviews = PortfolioReview.objects.filter(organisation=access.organisation)
    return render(
        request,
        "portfolio/reviews.html",
        {
            "access": access,
            "organisation": access.organisation,
            "reviews": reviews,
            "form": form,
        },
    )


@login_required
def review_detail(request, slug, pk):
    access = get_organisation_for_user(request, slug, "results.view")
    review = get_object_in_organisation(access, PortfolioReview, pk=pk)
    previous = (
        PortfolioReview.objects.filter(organisation=access.organisation)
        .filter(held_on__lte=review.held_on)
        .exclude(pk=review.pk)
        .exclude(held_on=review.held_on, pk__gt=review.pk)
        .first()
    )
    changes = compare_snapshots(review.snapshot, previous.snapshot) if previous else None
    zone_rows = [
        {
            "zone": label,
            "count": review.snapshot["zones"].get(key, 0),
            "delta": (changes or {}).get("zones", {}).get(key),
        }
        for key, label in ZONES.items()
    ]
    return render(
        request,
        "portfolio/review_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "review": review,
            "previous": previous,
            "changes": changes,
            "zone_rows": zone_rows,
            "zones": ZONES,
            "stages": dict(Stage.choices),
            "facet_labels": facet_labels(),
        },
    )


REASON_LABELS = {
    "goals": _lazy("Same policy goals"),
    "partners": _lazy("Shared partners"),
    "sdgs": _lazy("Same Sustainable Development Goals"),
    "text": _lazy("Similar descriptions"),
}


@login_required
def synergies(request, slug):
    access = get_organisation_for_user(request, slug, "results.view")
    organisation = access.organisation
    if request.method == "POST":
        access = get_organisation_for_user(request, slug, "portfolio.steer")
        first = get_object_in_organisation(access, Project, pk=request.POST.get("a") or 0)
        second = get_object_in_organisation(access, Project, pk=request.POST.get("b") or 0)
        try:
            services.synergy_review(
                actor=request.user,
                organisation=organisation,
                first=first,
                second=second,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect("portfolio:synergies", slug=slug)
    projects = {p.pk: p for p in Project.objects.filter(organisation=organisation)}
    found = find_synergies(
        [
            {
                "id": p.pk,
                "title": p.title,
                "description": p.description,
                "policy_goals": p.policy_goals,
                "partners": p.partners,
                "sdgs": p.sdgs,
                "tags": p.tags,
            }
            for p in projects.values()
        ]
    )
    verdicts = {
        (r.project_a_id, r.project_b_id): r
        for r in SynergyReview.objects.filter(organisation=organisation)
    }
    show_dismissed = request.GET.get("dismissed") == "1"
    pairs = []
    for pair in found:
        a, b = sorted((pair["a"], pair["b"]))
        verdict = verdicts.get((a, b))
        if verdict and verdict.status == SynergyReview.DISMISSED and not show_dismissed:
            continue
        pairs.append(
            {
                "a": projects[a],
                "b": projects[b],
                "score": pair["score"],
                "verdict": verdict,
                "reasons": [
                    {"label": REASON_LABELS[r["kind"]], "shared": r["shared"]}
                    for r in pair["reasons"]
                ],
            }
        )
    return render(
        request,
        "portfolio/synergies.html",
        {
            "access": access,
            "organisation": organisation,
            "pairs": pairs,
            "show_dismissed": show_dismissed,
        },
    )


@login_required
def project_import(request, slug):
    access = get_organisation_for_user(request, slug, "projects.contribute")
    organisation = access.organisation
    context = {"access": access, "organisation": organisation, "problems": [], "plan": None}
    if request.method == "POST" and request.POST.get("confirm"):
        upload = get_object_in_organisation(
            access,
            ProjectImport.objects.filter(uploaded_by=request.user),
            pk=request.POST["confirm"],
        )
        try:
            counts = importer.import_commit(actor=request.user, upload=upload)
        except ValidationError as exc:
            context["problems"] = exc.messages
        else:
            messages.success(
                request, _("Imported: %(created)s new projects, %(updated)s updated.") % counts
            )
            return redirect("portfolio:projects", slug=slug)
    elif request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["problems"] = [_("Choose a CSV or XLSX file.")]
        elif upload.size > importer.MAX_BYTES:
            context["problems"] = [_("The file is larger than 20 MB; split it.")]
        else:
            try:
                stored, plan = importer.import_prepare(
                    actor=request.user,
                    organisation=organisation,
                    data=upload.read(),
                    filename=upload.name,
                )
            except ValidationError as exc:
                context["problems"] = exc.messages
            else:
                context.update(
                    upload=stored,
                    plan=plan,
                    creates=sum(1 for r in plan if r.action == "create"),
                    updates=sum(1 for r in plan if r.action == "update"),
                )
    status = 400 if context["problems"] else 200
    return render(request, "portfolio/import.html", context, status=status)


@login_required
def import_template(request, slug, fmt):
    access = get_organisation_for_user(request, slug, "results.view")
    unit = access.organisation.units.order_by("name").first()
    example = unit.name if unit else "Digital Services"
    if fmt == "csv":
        # with a byte-order mark, so spreadsheet programs read accents right
        response = HttpResponse(
            "\ufeff" + template_csv(example_unit=example), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            template_xlsx(example_unit=example),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="projects-template.{fmt}"'
    return response
