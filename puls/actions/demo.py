"""Demo action plans and APVs for Demo Kommune (issue 7 part 7), built through the real services.

About 40 actions in the units of the demo tree, in every state: planned, in progress, done with an
evaluated effect, cancelled, overdue and without owner; an APV in progress at Plejecenter Lindehøj
(where the demo MED/AMO representative works) whose written plan holds actions made from its
findings; completed APVs and working-environment discussions of other units, some of them due
soon so the reminders have something to say. Fixed seed, dates relative to today, idempotent.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.actions import reminders, services
from puls.actions.models import Action, ApvCycle, ApvFinding, WorkingEnvironmentDiscussion, add_years
from puls.organisations.models import Organisation, Person, Unit

SEED = 1907


@dataclass(frozen=True)
class ActionText:
    title: str
    problem: str
    solution: str
    evaluation: str


# Our own Danish texts, typical of what workplaces write after a well-being survey or an APV.
TEXTS = [
    ActionText(
        "Faste tider til forberedelse",
        "Forberedelsestiden bliver brugt på akutte opgaver, så undervisningen planlægges om aftenen.",
        "Hver medarbejder får to faste forberedelsesmoduler om ugen, som ikke bruges til vikardækning.",
        "Spørgsmålet om tid til opgaverne i næste trivselsmåling; status på teammødet efter tre måneder.",
    ),
    ActionText(
        "Færre afbrydelser i vagtplanen",
        "Vagtplanen ændres ofte med kort varsel, og det går ud over fritid og familieliv.",
        "Vagtplanen lægges otte uger frem, og ændringer under 14 dage aftales med den enkelte.",
        "Optælling af ændringer med kort varsel hver måned i et halvt år.",
    ),
    ActionText(
        "Bedre overlevering mellem vagter",
        "Vigtige oplysninger går tabt mellem dag- og aftenvagt.",
        "Fast overleveringsskema og ti minutters overlap mellem vagterne.",
        "Gennemgang af utilsigtede hændelser før og efter; drøftelse på personalemødet.",
    ),
    ActionText(
        "Tydelig rollefordeling i teamet",
        "Det er uklart, hvem der har ansvaret for forældresamarbejde og dokumentation.",
        "Teamet laver en skriftlig aftale om roller, som lederen godkender og følger op på.",
        "Spørgsmålet om klare krav i næste pulsmåling.",
    ),
    ActionText(
        "Anerkendelse i hverdagen",
        "Medarbejderne oplever, at godt arbejde sjældent bliver set.",
        "Fast punkt på personalemødet: 'det lykkedes i denne måned'. Lederen giver konkret feedback i MUS.",
        "Skalaen for anerkendelse i næste trivselsmåling.",
    ),
    ActionText(
        "Forebyggelse af vold og trusler",
        "Flere episoder med trusler fra borgere i det seneste halve år.",
        "Kursus i konflikthåndtering for alle og en fast procedure for efterbehandling.",
        "Antal registrerede episoder og oplevet tryghed ved opfølgning efter et år.",
    ),
    ActionText(
        "Bedre støjforhold",
        "Høj støj i fællesrum og kantine giver træthed og hovedpine.",
        "Lydabsorberende plader i loftet og faste stille perioder i løbet af dagen.",
        "Støjmåling før og efter; spørgsmål på næste APV.",
    ),
    ActionText(
        "Løftehjælpemidler på alle afsnit",
        "Der mangler loftlifte, så forflytninger sker med manuelle løft.",
        "Indkøb af to loftlifte og instruktion af alle medarbejdere.",
        "Registrering af arbejdsskader og samtale med forflytningsvejlederen efter seks måneder.",
    ),
    ActionText(
        "Introduktion af nye kolleger",
        "Nye medarbejdere føler sig alene de første uger.",
        "Fast introduktionsprogram med en makker de første fire uger.",
        "Kort samtale med hver ny medarbejder efter tre måneder.",
    ),
    ActionText(
        "Mødekultur med færre og kortere møder",
        "Mange møder uden klar dagsorden tager tid fra kerneopgaven.",
        "Alle møder har dagsorden og beslutningsreferat; fredag er mødefri.",
        "Optælling af mødetimer før og efter; drøftelse i MED-udvalget.",
    ),
    ActionText(
        "Sygefravær: tidlig dialog",
        "Samtaler om trivsel og arbejdsmiljø kommer først, når nogen har været syge længe.",
        "Lederen tager en uformel trivselssnak med alle i teamet hvert kvartal.",
        "Drøftelse af erfaringerne i MED-udvalget efter et år.",
    ),
    ActionText(
        "Indflydelse på egen arbejdsdag",
        "Medarbejderne oplever lidt indflydelse på, hvordan opgaverne løses.",
        "Teamene planlægger selv ugens opgaver ud fra fælles mål.",
        "Skalaen for indflydelse i næste trivselsmåling.",
    ),
    ActionText(
        "Bedre IT-udstyr i marken",
        "Tablets er langsomme, og dokumentationen må laves om på kontoret bagefter.",
        "Nye tablets og mobilt netværk til alle grupper.",
        "Tidsforbrug på dokumentation måles før og efter.",
    ),
    ActionText(
        "Ergonomi ved skrivebordene",
        "Flere klager over ondt i nakke og skuldre.",
        "Hæve-sænkeborde og en gennemgang af arbejdsstillinger med en fysioterapeut.",
        "Spørgsmål om smerter på næste APV.",
    ),
]

# (days from today to the deadline, status, has owner, with follow-up)
STATES: list[tuple[int, str, bool, bool]] = [
    (45, Action.Status.PLANNED, True, False),
    (20, Action.Status.IN_PROGRESS, True, True),
    (5, Action.Status.IN_PROGRESS, True, True),  # due within the week: a reminder goes out
    (-12, Action.Status.IN_PROGRESS, True, True),  # overdue
    (-40, Action.Status.PLANNED, True, False),  # overdue, never started
    (-90, Action.Status.DONE, True, True),
    (30, Action.Status.PLANNED, False, False),  # nobody owns it yet
    (90, Action.Status.PLANNED, True, False),
    (-5, Action.Status.PLANNED, False, False),  # overdue and without owner
    (-150, Action.Status.CANCELLED, True, True),
]

UNIT_CODES = [
    "1111", "1112", "1131", "1132", "1133", "1152", "1211", "1212", "1213",
    "1221", "1222", "1232", "1233", "1241", "1311", "1332", "1410", "1440",
]  # fmt: skip

LINDEHOJ = "1211"


@dataclass
class DemoActionsSummary:
    actions: int = 0
    overdue: int = 0
    apv_cycles: int = 0
    created: bool = False
    codes: list[str] = field(default_factory=list)


def _people(unit: Unit) -> list[Person]:
    return list(
        Person.objects.filter(employments__unit=unit, anonymised_at__isnull=True)
        .distinct()
        .order_by("employee_number")
    )


@transaction.atomic
def actions_demo_create(*, organisation: Organisation, today: date | None = None) -> DemoActionsSummary:
    summary = DemoActionsSummary()
    if Action.objects.filter(organisation=organisation).exists():
        return summary
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  # nosec B311  (reproducible demo data)
    units = {u.code: u for u in Unit.objects.filter(organisation=organisation, code__in=UNIT_CODES)}
    if not units:
        return summary

    cycle = _apv_in_progress(organisation, units.get(LINDEHOJ), today, summary)
    index = 0
    for code in UNIT_CODES:
        unit = units.get(code)
        if unit is None:
            continue
        leaders = reminders.unit_leaders(unit)
        staff = _people(unit)
        reps = services.med_reps_for_unit(unit)
        for _n in range(2 if code not in {"1131", LINDEHOJ} else 3):
            text = TEXTS[index % len(TEXTS)]
            days, status, has_owner, follow = STATES[index % len(STATES)]
            index += 1
            owner = None
            if has_owner:
                candidates = leaders + staff[:4]
                owner = rng.choice(candidates) if candidates else None
            action = services.action_create(
                actor=None,
                organisation=organisation,
                unit=unit,
                title=text.title,
                problem=text.problem,
                solution=text.solution,
                owner=owner,
                co_owner=reps[0] if reps and rng.random() < 0.6 else None,
                deadline=today + timedelta(days=days),
                priority=rng.choice([Action.Priority.HIGH, Action.Priority.MEDIUM, Action.Priority.MEDIUM]),
                evaluation_method=text.evaluation,
                evaluation_date=today + timedelta(days=days + 90),
            )
            _backdate(action, today + timedelta(days=min(days, 0) - 60))
            if follow:
                _follow_ups(action, status, today)
            elif status != Action.Status.PLANNED:
                services.action_update(actor=None, action=action, status=status)
            summary.actions += 1
            summary.overdue += int(action.is_overdue(today))
    if cycle is not None:
        summary.actions += _apv_actions(cycle, today)
    _completed_apvs(organisation, units, today, summary)
    summary.created = True
    return summary


def _backdate(action: Action, created: date) -> None:
    moment = timezone.make_aware(datetime.combine(created, time(9, 0)))
    Action.objects.filter(pk=action.pk).update(created_at=moment, updated_at=moment)


def _follow_ups(action: Action, status: str, today: date) -> None:
    services.follow_up_add(
        actor=None,
        action=action,
        text="Drøftet på personalemødet. Vi er i gang, og alle kender planen.",
        status=Action.Status.IN_PROGRESS,
    )
    if status == Action.Status.DONE:
        services.follow_up_add(
            actor=None, action=action, text="Gennemført som planlagt.", status=Action.Status.DONE
        )
        services.action_update(
            actor=None,
            action=action,
            evaluation_result="Medarbejderne oplever en klar forbedring; vi fastholder den nye praksis.",
        )
    elif status == Action.Status.CANCELLED:
        services.follow_up_add(
            actor=None,
            action=action,
            text="Opgivet: løsningen kunne ikke finansieres i år. Tages op igen ved budgetlægningen.",
            status=Action.Status.CANCELLED,
        )
    elif action.deadline and action.deadline < today:
        services.follow_up_add(
            actor=None, action=action, text="Forsinket: afventer leverandør. Ny tidsplan følger."
        )


def _apv_in_progress(
    organisation: Organisation, unit: Unit | None, today: date, summary: DemoActionsSummary
) -> ApvCycle | None:
    """Plejecenter Lindehøj's APV: mapped by checklist walk-through, assessed, now writing its plan."""
    if unit is None:
        return None
    cycle = services.apv_cycle_start(
        actor=None,
        organisation=organisation,
        unit=unit,
        title=f"APV {today.year}",
        mapping_method=ApvCycle.MappingMethod.CHECKLIST,
        started_on=today - timedelta(days=60),
    )
    services.apv_cycle_update(
        actor=None,
        cycle=cycle,
        mapping_notes=(
            "Rundgang med tjekliste på alle tre afsnit den første uge, med arbejdsmiljørepræsentanten "
            "og en medarbejder fra hvert afsnit."
        ),
    )
    findings = [
        ("Manuelle forflytninger på afsnit B", "Loftlifte mangler i fire stuer.", ApvFinding.Risk.HIGH),
        ("Støj i fællesstuen ved måltider", "Høj støj i spisetiden.", ApvFinding.Risk.MEDIUM),
        ("Uklare procedurer ved trusler", "Ikke alle kender proceduren ved udadreagerende adfærd.", "high"),
    ]
    for title, description, risk in findings:
        services.apv_finding_add(actor=None, cycle=cycle, title=title, description=description, risk=risk)
    services.apv_cycle_advance(actor=None, cycle=cycle)
    services.apv_cycle_update(
        actor=None,
        cycle=cycle,
        risk_assessment=(
            "Forflytningerne er den største risiko (belastningsskader) og løses først; proceduren ved "
            "trusler dernæst. Støjen er generende, men ikke farlig."
        ),
    )
    services.apv_cycle_advance(actor=None, cycle=cycle)
    services.apv_cycle_update(
        actor=None,
        cycle=cycle,
        sickness_absence_assessment=(
            "Fraværet på afsnit B er højere end på de andre afsnit. Vi vurderer, at de fysiske "
            "belastninger ved forflytninger spiller en rolle. Vurderingen bygger på afsnittets samlede "
            "fravær, ikke på enkeltpersoner."
        ),
    )
    services.apv_cycle_advance(actor=None, cycle=cycle)  # now: the written action plan
    summary.apv_cycles += 1
    return cycle


def _apv_actions(cycle: ApvCycle, today: date) -> int:
    reps = services.med_reps_for_unit(cycle.unit)
    leaders = reminders.unit_leaders(cycle.unit)
    made = 0
    for finding, days in zip(cycle.findings.order_by("created_at")[:2], (30, -3), strict=False):
        services.action_create_from_finding(
            actor=None,
            finding=finding,
            solution="Se risikovurderingen: løses i prioriteret rækkefølge.",
            owner=leaders[0] if leaders else None,
            co_owner=reps[0] if reps else None,
            deadline=today + timedelta(days=days),
            priority=Action.Priority.HIGH,
            evaluation_method="Gennemgås ved opfølgningen på APV'en.",
        )
        made += 1
    return made


def _completed_apvs(
    organisation: Organisation, units: dict[str, Unit], today: date, summary: DemoActionsSummary
) -> None:
    """Earlier APVs and discussions: Nordskolen's next APV and discussion are due soon, Hjemmepleje
    Nord's APV is overdue, Solgården is up to date."""
    plan = [
        ("1131", add_years(today, -3) + timedelta(days=20), today - timedelta(days=355)),
        ("1221", add_years(today, -3) - timedelta(days=120), today - timedelta(days=400)),
        ("1212", today - timedelta(days=380), today - timedelta(days=120)),
    ]
    for code, completed_on, discussed_on in plan:
        unit = units.get(code)
        if unit is None:
            continue
        ApvCycle.objects.create(
            organisation=organisation,
            unit=unit,
            title=f"APV {completed_on.year}",
            stage=ApvCycle.Stage.COMPLETED,
            mapping_method=ApvCycle.MappingMethod.SURVEY,
            started_on=completed_on - timedelta(days=120),
            completed_on=completed_on,
            mapping_notes="Kortlagt med APV-spørgeskemaet.",
            risk_assessment="Ingen alvorlige risici; arbejdspres og støj prioriteres.",
            sickness_absence_assessment="Fraværet ligger på niveau med sammenlignelige enheder.",
            follow_up_notes="Handlingerne er gennemført og evalueret på personalemødet.",
        )
        WorkingEnvironmentDiscussion.objects.create(
            organisation=organisation,
            unit=unit,
            held_on=discussed_on,
            notes="Årlig arbejdsmiljødrøftelse i MED.",
        )
        summary.apv_cycles += 1


def actions_demo_line(summary: DemoActionsSummary) -> str:
    return _("%(actions)d actions (%(overdue)d overdue), %(apvs)d APVs") % {
        "actions": summary.actions,
        "overdue": summary.overdue,
        "apvs": summary.apv_cycles,
    }
