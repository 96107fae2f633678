"""Answering a questionnaire: start, about you, one page per section, review, own result.

Works without JavaScript. The response's private token is in the URL (the
resume link) and, for the same device, in a cookie. Pages are shown in the
respondent's chosen language.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from facetscope.assessments import services
from facetscope.assessments.forms import AboutYouForm
from facetscope.assessments.guidance import own_result_view
from facetscope.assessments.models import Campaign, Response
from facetscope.assessments.questionnaire import page_items, read_page, sections_for_level
from facetscope.core.forms import add_service_errors
from facetscope.organisations.access import get_object_in_organisation, get_organisation_for_user

COOKIE_PREFIX = "fs_resp_"
COOKIE_AGE = 60 * 60 * 24 * 120


def _cookie_name(campaign: Campaign) -> str:
    return f"{COOKIE_PREFIX}{campaign.pk}"


def _go(token: str, view: str = "respond", **kwargs):
    return redirect(reverse(f"assessments:{view}", kwargs={"token": token, **kwargs}))


def _remember(response_obj, campaign: Campaign, token: str):
    response_obj.set_cookie(
        _cookie_name(campaign),
        token,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=False,
    )
    return response_obj


def _start(request, campaign: Campaign, user):
    existing = services.response_for_token(request.COOKIES.get(_cookie_name(campaign), ""))
    if existing is not None and existing.campaign_id == campaign.pk and not existing.is_submitted:
        return _go(request.COOKIES[_cookie_name(campaign)])
    try:
        _response, token = services.response_start(
            campaign=campaign, user=user, language=translation.get_language() or "en"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    return _remember(_go(token), campaign, token)


@login_required
@require_POST
def start_member(request, slug, pk):
    access = get_organisation_for_user(request, slug)
    campaign = get_object_in_organisation(access, Campaign, pk=pk)
    redirect_to = _start(request, campaign, request.user)
    return redirect_to or redirect("organisations:detail", slug=slug)


def start_link(request, link_token):
    """Public landing page of a campaign open to anyone with the link."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("organisation", "instrument_version"),
        link_token=link_token,
        audience="link",
    )
    if request.method == "POST":
        redirect_to = _start(request, campaign, None)
        if redirect_to is not None:
            return redirect_to
    return render(request, "assessments/start_link.html", {"campaign": campaign})


def _response(request, token: str) -> Response:
    response = services.response_for_token(token)
    if response is None:
        raise Http404
    if response.respondent_id is not None and response.respondent_id != request.user.pk:
        raise Http404
    return response


def _context(response: Response, token: str, **extra):
    campaign = response.campaign
    definition = campaign.instrument_version.definition
    sections = sections_for_level(definition, response.level) if response.level else []
    return {
        "response": response,
        "campaign": campaign,
        "definition": definition,
        "token": token,
        "sections": sections,
        "total_pages": len(sections) + 2,
        "resume_url": reverse("assessments:respond", kwargs={"token": token}),
        **extra,
    }


def respond(request, token):
    """Where the resume link lands: the next thing to do."""
    response = _response(request, token)
    if response.is_submitted:
        return _go(token, "result")
    if not response.level:
        return _go(token, "about")
    answered = set(services.response_answers(response=response))
    definition = response.campaign.instrument_version.definition
    for number, section in enumerate(sections_for_level(definition, response.level), start=1):
        if not answered.intersection(section.items):
            return _go(token, "section", number=number)
    return _go(token, "review")


def about(request, token):
    response = _response(request, token)
    if response.is_submitted:
        return _go(token, "result")
    campaign = response.campaign
    initial = {"level": response.level, "unit": response.unit, "language": response.language}
    form = AboutYouForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_set_profile(
                response=response,
                level=form.cleaned_data["level"],
                unit=form.cleaned_data.get("unit"),
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _go(token, "section", number=1)
    with translation.override(response.language):
        return render(
            request, "assessments/about.html", _context(response, token, form=form, page=1)
        )


def section(request, token, number):
    response = _response(request, token)
    if response.is_submitted:
        return _go(token, "result")
    if not response.level:
        return _go(token, "about")
    campaign = response.campaign
    definition = campaign.instrument_version.definition
    sections = sections_for_level(definition, response.level)
    if not 1 <= number <= len(sections):
        raise Http404
    current = sections[number - 1]
    errors: dict[str, str] = {}
    if request.method == "POST":
        submitted = read_page(
            definition, current, level=response.level, form=dict(request.POST.lists())
        )
        try:
            services.response_save(response=response, answers=submitted)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return _go(token)
            errors = {key: " ".join(msgs) for key, msgs in exc.message_dict.items()}
            if request.headers.get("X-Autosave"):
                return JsonResponse({"saved": False, "errors": errors}, status=400)
        else:
            if request.headers.get("X-Autosave"):
                return JsonResponse({"saved": True})
            action = request.POST.get("action", "next")
            if action == "later":
                messages.success(request, _("Saved. Use your private link to continue later."))
                return _go(token, "saved")
            if action == "back":
                return (
                    _go(token, "section", number=number - 1) if number > 1 else _go(token, "about")
                )
            if number < len(sections):
                return _go(token, "section", number=number + 1)
            return _go(token, "review")
    answers = services.response_answers(response=response)
    if errors:
        answers = {**answers, **{k: v for k, v in submitted.items() if v is not None}}
    with translation.override(response.language):
        items = page_items(
            definition,
            current,
            level=response.level,
            lang=response.language,
            answers=answers,
            errors=errors,
        )
        return render(
            request,
            "assessments/section.html",
            _context(
                response,
                token,
                section=current,
                number=number,
                items=items,
                errors=errors,
                page=number + 1,
            ),
            status=400 if errors else 200,
        )


def saved(request, token):
    response = _response(request, token)
    with translation.override(response.language):
        return render(request, "assessments/saved.html", _context(response, token))


def review(request, token):
    response = _response(request, token)
    if response.is_submitted:
        return _go(token, "result")
    if not response.level:
        return _go(token, "about")
    definition = response.campaign.instrument_version.definition
    sections = sections_for_level(definition, response.level)
    problems: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.response_submit(response=response, user=request.user)
        except ValidationError as exc:
            problems = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        else:
            return _go(token, "result")
    answered = set(services.response_answers(response=response))
    rows = []
    for number, sec in enumerate(sections, start=1):
        asked = [i for i in sec.items if response.level in definition.item(i).levels]
        missing = [i for i in asked if definition.item(i).required and i not in answered]
        flagged = sorted({key.split("[")[0] for key in problems if key.split("[")[0] in sec.items})
        rows.append(
            {
                "number": number,
                "section": sec,
                "asked": len(asked),
                "answered": len([i for i in asked if i in answered]),
                "missing": missing,
                "flagged": flagged,
            }
        )
    with translation.override(response.language):
        return render(
            request,
            "assessments/review.html",
            _context(response, token, rows=rows, problems=problems, page=len(sections) + 2),
            status=400 if problems else 200,
        )


def result(request, token):
    response = _response(request, token)
    if not response.is_submitted:
        return _go(token)
    with translation.override(response.language):
        view = own_result_view(response)
        return render(request, "assessments/own_result.html", _context(response, token, **view))
