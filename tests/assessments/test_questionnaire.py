from facetscope.assessments.questionnaire import page_form_data, read_page, sections_for_level
from facetscope.instruments.loader import load_builtin
from facetscope.instruments.scoring import normalize_answers
from tests.assessments.test_services import full_answers


def test_form_data_reads_back_to_the_same_answers():
    definition = load_builtin("portfolio-exploration")
    flat = normalize_answers(definition, full_answers())
    for section in sections_for_level(definition, "individual"):
        form: dict[str, list[str]] = {}
        for name, value in page_form_data(definition, section, level="individual", answers=flat):
            form.setdefault(name, []).append(value)
        read = read_page(definition, section, level="individual", form=form)
        expected = {i: flat.get(i) for i in section.items}
        cleaned = {k: v for k, v in read.items() if v is not None}
        assert normalize_answers(definition, _nest(cleaned)) == normalize_answers(
            definition, _nest({k: v for k, v in expected.items() if v is not None})
        ), section.id


def _nest(flat):
    from facetscope.assessments.answers import nest

    return nest(flat)


def test_senior_managers_see_only_pages_with_questions_for_them():
    definition = load_builtin("portfolio-exploration")
    assert sections_for_level(definition, "senior_manager")
