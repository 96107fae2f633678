"""Two devices saving the same response at the same moment never lose an answer."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from facetscope.assessments import services
from tests.factories import make_campaign


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_from_two_devices_both_land(alice, org_a, bob):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the PostgreSQL run checks true concurrency")
    campaign = make_campaign(organisation=org_a, steward=alice)
    response, token = services.response_start(campaign=campaign, user=bob)
    services.response_set_profile(response=response, level="individual")
    pages = [
        {"q1": {"mis": 3, "enh": 1}},
        {"q17": "yes"},
        {"q3": {"enh": 2}},
        {"q19": "no"},
        {"q5": {"enh": 1, "mis": 2, "ant": 3, "ada": 4}},
        {"q20": "unsure"},
    ]
    barrier = threading.Barrier(len(pages))
    errors = []

    def save(answers):
        try:
            device = services.response_for_token(token)
            barrier.wait(timeout=10)
            services.response_save(response=device, answers=answers)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    saved = services.response_answers(response=response)
    assert set(saved) == {"q1", "q17", "q3", "q19", "q5", "q20"}


@pytest.mark.django_db(transaction=True)
def test_a_save_racing_a_submit_cannot_change_the_submitted_answers(alice, org_a, bob):
    from tests.assessments.test_services import full_answers
    from tests.factories import answer_campaign

    campaign = make_campaign(organisation=org_a, steward=alice)
    response, token = answer_campaign(
        campaign=campaign, user=bob, answers=full_answers(), submit=False
    )
    services.response_submit(response=response, user=bob)
    late = services.response_for_token(token)
    late.status = "in_progress"  # a device that loaded the page before the submission
    with pytest.raises(ValidationError, match="can no longer change"):
        services.response_save(response=late, answers={"q1": {"mis": 0}})
