"""Campaigns for stewards and readers: list, open, close, results, exports, quality."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facetscope.assessments import exports, selectors, services
from facetscope.assessments.forms import CampaignForm, PetImportForm
from facetscope.assessments.guidance import group_result_view
from facetscope.assessments.models import Campaign, Response
from facetscope.assessments.presentation import result_page
from facetscope.assessments.quality import campaign_quality
from facetscope.core.forms import add_service_errors
from facetscope.organisations.access import get_object_in_organisation, get_organisation_for_user


def _campaign(request, slug, pk, permission="results.view"):
    access = get_organisation_for_user(request, slug, permission)
    campaign = get_object_in_organisation(
        access, Campaign.objects.select_related("instrument_version", "organisation"), pk=pk
    )
    return access, campaign


@login_required
def campaign_list(request, slug):
    access = get_organisation_for_user(request, slug)
    campaigns = selectors.campaigns_for_organisation(organisation=access.organisation)
    return render(
        request,
        "assessments/campaign_list.html",
        {"access": access, "organisation": access.organisation, "campaigns": campaigns},
    )


@login_required
def campaign_new(request, slug):
    access = get_organisation_for_user(request, slug, "campaigns.manage")
    organisation = access.organisation
    form = CampaignForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Campaign %(title)s opened.") % {"title": campaign.title})
            return redirect("assessments:campaign", slug=slug, pk=campaign.pk)
    return render(
        request,
        "assessments/campaign_new.html",
        {"access": access, "organisation": organisation, "form": form},
    )


@login_required
def campaign_detail(request, slug, pk):
    access, campaign = _campaign(request, slug, pk, "organisation.view")
    may_answer = True
    why_not = ""
    try:
        services.check_may_answer(campaign=campaign, user=request.user)
    except ValidationError as exc:
        may_answer, why_not = False, " ".join(exc.messages)
    if campaign.anonymous:
        # Only this device knows its anonymous response, through its cookie.
        mine = services.response_for_token(request.COOKIES.get(f"fs_resp_{campaign.pk}", ""))
        mine = mine if mine is not None and mine.campaign_id == campaign.pk else None
    else:
        mine = Response.objects.filter(campaign=campaign, respondent=request.user).first()
    link = request.build_absolute_uri(reverse("assessments:start_link", args=[campaign.link_token]))
    return render(
        request,
        "assessments/campaign_detail.html",
        {
            "access": access,
            "organisation": access.organisation,
            "campaign": campaign,
            "counts": selectors.response_counts(campaign=campaign),
            "may_answer": may_answer,
            "why_not": why_not,
            "mine": mine,
            "public_link": link if campaign.audience == "link" else None,
            "previous": selectors.previous_wave(campaign=campaign),
        },
    )


@login_required
@require_POST
def campaign_close(request, slug, pk):
    _access, campaign = _campaign(request, slug, pk, "campaigns.manage")
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Campaign closed. No more answers are accepted."))
    return redirect("assessments:campaign", slug=slug, pk=pk)


@login_required
def campaign_results(request, slug, pk):
    access, campaign = _campaign(request, slug, pk)
    data = selectors.campaign_result(campaign=campaign)
    definition = campaign.instrument_version.definition
    page = result_page(campaign, data)
    org_view = group_result_view(definition, data["groups"]["all"]) if data["shown"] else None
    return render(
        request,
        "assessments/results.html",
        {
            "access": access,
            "organisation": access.organisation,
            "campaign": campaign,
            "data": data,
            "page": page,
            "org_view": org_view,
        },
    )


@login_required
def campaign_result_json(request, slug, pk):
    _access, campaign = _campaign(request, slug, pk)
    return JsonResponse(exports.result_document(campaign), json_dumps_params={"indent": 2})


@login_required
def campaign_export(request, slug, pk, fmt):
    _access, campaign = _campaign(request, slug, pk, "campaigns.manage")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    exporter = exports.ResponsesExporter(campaign)
    if fmt == "csv":
        body, content_type = exporter.to_csv(), "text/csv; charset=utf-8"
    else:
        body = exporter.to_xlsx()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename(fmt)}"'
    return response


@login_required
def campaign_quality_page(request, slug, pk):
    access, campaign = _campaign(request, slug, pk)
    return render(
        request,
        "assessments/quality.html",
        {
            "access": access,
            "organisation": access.organisation,
            "campaign": campaign,
            "quality": campaign_quality(campaign),
        },
    )


MAX_IMPORT_BYTES = 20_000_000


@login_required
def campaign_import(request, slug, pk):
    access, campaign = _campaign(request, slug, pk, "campaigns.manage")
    form = PetImportForm(
        request.POST or None, request.FILES or None, organisation=access.organisation
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            problems = [_("The file is larger than 20 MB.")]
        else:
            try:
                count = services.responses_import_pet_csv(
                    actor=request.user,
                    campaign=campaign,
                    data=upload.read(),
                    level=form.cleaned_data["level"],
                    unit=form.cleaned_data["unit"],
                )
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("%(n)s responses imported.") % {"n": count})
                return redirect("assessments:campaign", slug=slug, pk=pk)
    return render(
        request,
        "assessments/import.html",
        {
            "access": access,
            "organisation": access.organisation,
            "campaign": campaign,
            "form": form,
            "problems": problems,
        },
        status=400 if problems else 200,
    )
