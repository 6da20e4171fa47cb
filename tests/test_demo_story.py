"""The generated demo province reproduces the story (shared/domain/STORY.md):
Cao Lộc's 22 communes from 2005, most staff below standard in 2005, about 18
people a year sent to degree training and 116 attendances a year, remedial
education in especially difficult communes, 12 people expelled from the Party
in 2005–2020, annual evaluations, retirements on the Labour Code schedule,
elections with turnover, and the merger of 1/7/2025. Figures are read back
from the database, so the adapter is tested with the generator.

The demo is the whole province (every commune of Lạng Sơn, issue 12); the story's
figures are Cao Lộc's, so each is counted over the people who held a post in its
22 old communes (nobody moves between communes in the simulation)."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db.models import Q

from canbo.conduct.models import Evaluation
from canbo.core import retirement
from canbo.registry.generate import generate
from canbo.registry.models import Assignment, Person, Qualification, Unit, UnitAreaFlag, UnitLineage
from canbo.training.models import TrainingEnrolment

END = date(2026, 11, 27)


def in_post(on: date):
    return Assignment.objects.filter(start__lte=on).exclude(end__lt=on)


@pytest.fixture
def demo(db):
    counts = generate("demo", seed=2005, end=END)
    return counts


@pytest.mark.slow
def test_demo_reproduces_the_story(demo):
    # The 22 communes of the former Cao Lộc district, each staffed within its quota.
    legacy = Unit.objects.filter(parent__code="183", parent__level="district")
    assert legacy.count() == 22
    people = Person.objects.filter(assignments__unit__in=legacy).distinct()
    assert people.count() > 1000 and Person.objects.count() > 8 * people.count()
    staffed_2010 = Counter(
        in_post(date(2010, 6, 30))
        .filter(is_concurrent=False, unit__in=legacy)
        .values_list("unit_id", flat=True)
    )
    assert set(staffed_2010) == set(legacy.values_list("id", flat=True))
    assert all(15 <= n <= 25 for n in staffed_2010.values()), staffed_2010

    # Most staff below standard in 2005: without a university degree, many without upper secondary.
    on = date(2005, 6, 30)
    people_2005 = set(in_post(on).filter(unit__in=legacy).values_list("person_id", flat=True))
    graduates = set(
        Qualification.objects.filter(
            person_id__in=people_2005,
            dimension="professional",
            level__in=["university", "master"],
            obtained_on__lte=on,
        ).values_list("person_id", flat=True)
    )
    upper = set(
        Qualification.objects.filter(
            person_id__in=people_2005,
            dimension="general_education",
            level="upper_secondary",
            obtained_on__lte=on,
        ).values_list("person_id", flat=True)
    )
    assert len(graduates) / len(people_2005) < 0.25
    assert len(upper) / len(people_2005) < 0.75

    # About 18 a year sent to degree training, about 116 attendances a year (2005–2020).
    years = range(2005, 2021)
    training = TrainingEnrolment.objects.filter(person__in=people)
    degree = Counter(d.year for d in training.filter(kind="degree").values_list("start", flat=True))
    attend = Counter(
        d.year for d in training.exclude(kind__in=["degree", "remedial"]).values_list("start", flat=True)
    )
    assert 15 <= sum(degree[y] for y in years) / len(years) <= 21
    assert 100 <= sum(attend[y] for y in years) / len(years) <= 132
    kinds = set(training.values_list("kind", flat=True))
    assert {"political_theory", "state_management", "it", "professional", "remedial", "degree"} <= kinds
    assert training.filter(kind="degree", status="completed", qualification__isnull=False).exists()

    # Remedial general education only in especially difficult communes (the whole province's).
    remedial = TrainingEnrolment.objects.filter(kind="remedial").select_related("person")
    assert remedial.exists()
    difficult = set(
        UnitAreaFlag.objects.filter(flag="especially_difficult").values_list("unit_id", flat=True)
    )
    for e in remedial:
        units = set(
            Assignment.objects.filter(person=e.person, start__lte=e.start)
            .exclude(end__lt=e.start)
            .values_list("unit_id", flat=True)
        )
        assert units & difficult, e

    # 12 people disciplined and expelled from the Party between 2005 and 2020.
    expelled = people.filter(
        party_left_reason="expelled", party_left_on__year__gte=2005, party_left_on__year__lte=2020
    )
    assert expelled.count() == 12
    for p in expelled:
        assert p.disciplines.filter(track="party", form="expulsion").exists()
        assert p.disciplines.filter(track="administrative").exists()
        assert p.inspections.filter(found_violation=True).exists()
        assert p.assignments.filter(end_reason="dismissal").exists()

    # Annual evaluations: everybody in post all year long is evaluated.
    for year in (2006, 2012, 2019, 2024):
        whole_year = set(
            Assignment.objects.filter(start__lte=date(year, 1, 1), unit__in=legacy)
            .exclude(end__lt=date(year, 12, 31))
            .values_list("person_id", flat=True)
        )
        evaluated = set(
            Evaluation.objects.filter(year=year)
            .exclude(rating="not_rated")
            .values_list("person_id", flat=True)
        )
        assert whole_year and whole_year <= evaluated

    # Retirements on the Labour Code schedule (Decree 135/2020), before the reform's staff reduction.
    retired = Assignment.objects.filter(
        end_reason="retirement", end__lt=date(2025, 7, 1), unit__in=legacy
    ).select_related("person")
    assert retired.count() > 50
    for a in retired:
        assert a.end == retirement.retirement_date(a.person.birth_date, a.person.sex) - timedelta(days=1) or (
            a.person.birth_date_precision != "day"
        )

    # Elections every five years with turnover.
    term_ends = Counter(
        (a.end.year, a.title.code)
        for a in Assignment.objects.filter(end_reason="term_end", unit__in=legacy).select_related("title")
    )
    for year in (2010, 2015, 2020):
        assert sum(n for (y, t), n in term_ends.items() if y == year and t in {"BT_DU", "PBT_DU"}) >= 3
    for year in (2011, 2016, 2021):
        assert (
            sum(
                n
                for (y, t), n in term_ends.items()
                if y == year and t in {"CT_UBND", "PCT_UBND", "CT_HDND", "PCT_HDND"}
            )
            >= 3
        )

    # The merger of 1/7/2025: nobody stays in an old commune; everyone in post moves to its successor.
    assert not Assignment.objects.filter(unit__in=legacy).filter(end__isnull=True).exists()
    assert not Assignment.objects.filter(unit__in=legacy, end__gt=date(2025, 6, 30)).exists()
    successor = dict(
        UnitLineage.objects.filter(predecessor__in=legacy, is_primary=True).values_list(
            "predecessor_id", "successor_id"
        )
    )
    merged = Assignment.objects.filter(unit__in=legacy, end=date(2025, 6, 30), end_reason="unit_merged")
    assert merged.count() > 300
    for a in merged:
        assert Assignment.objects.filter(
            person_id=a.person_id, unit_id=successor[a.unit_id], start=date(2025, 7, 1), start_reason="placed"
        ).exists()

    # People: synthetic but well-formed; the mix of Lạng Sơn (Nùng and Tày first).
    ethnic = Counter(people.values_list("ethnicity", flat=True))
    assert [code for code, _ in ethnic.most_common(2)] in (["07", "02"], ["02", "07"])
    sample = Person.objects.exclude(identity_number__isnull=True)[:200]
    for p in sample:
        p.full_clean()
    # Every generated assignment, qualification and enrolment of Cao Lộc's people (and of one
    # in seven others) satisfies the models' own rules.
    others = list(Person.objects.exclude(pk__in=people).order_by("pk").values_list("pk", flat=True))[::7]
    sample = Q(person__in=people) | Q(person_id__in=others)
    for record in (
        *Assignment.objects.filter(sample).select_related("person", "unit", "title"),
        *Qualification.objects.filter(sample).select_related("person"),
        *TrainingEnrolment.objects.filter(sample).select_related("person"),
    ):
        record.full_clean(validate_unique=False)


def test_generation_refuses_to_run_twice(db):
    from canbo.registry.generate import AlreadyGenerated

    generate("demo", seed=2005, end=END, districts={"183"})
    people = Person.objects.count()
    with pytest.raises(AlreadyGenerated):
        generate("demo", seed=2005, end=END)
    assert Person.objects.count() == people


def test_generate_refuses_a_district_with_no_commune_and_writes_nothing(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="999"):
        call_command("generate", "--scale", "demo", "--district", "999")
    assert not Person.objects.exists() and not Unit.objects.exists()
