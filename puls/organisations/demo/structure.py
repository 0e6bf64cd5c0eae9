"""The shape of the demo organisations: job groups, staffing of each kind of unit, the unit trees
and the demo logins. Data only; `generator.py` turns it into rows."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from puls.organisations.models import Role

# Published on purpose (README, `make run`): it opens only the demo's logins.
DEMO_PASSWORD = "demo-puls-2026"  # noqa: S105  # nosec B105
DEMO_SLUG = "demo"
NEIGHBOUR_SLUG = "nabo"
PLATFORM_ADMIN_EMAIL = "platform@puls.test"


@dataclass(frozen=True)
class JobGroup:
    female_share: float
    # Care, cleaning and kitchen staff often have no work e-mail: they are invited by printed letter.
    without_email_share: float


LEADER = "Leder"

JOB_GROUPS: dict[str, JobGroup] = {
    LEADER: JobGroup(0.6, 0.0),
    "Pædagog": JobGroup(0.8, 0.08),
    "Pædagogmedhjælper": JobGroup(0.7, 0.4),
    "Pædagogisk assistent": JobGroup(0.75, 0.3),
    "Lærer": JobGroup(0.65, 0.02),
    "Social- og sundhedshjælper": JobGroup(0.9, 0.6),
    "Social- og sundhedsassistent": JobGroup(0.88, 0.45),
    "Sygeplejerske": JobGroup(0.93, 0.08),
    "Sundhedsplejerske": JobGroup(0.98, 0.0),
    "Fysioterapeut": JobGroup(0.7, 0.05),
    "Ergoterapeut": JobGroup(0.85, 0.05),
    "Psykolog": JobGroup(0.8, 0.0),
    "Socialrådgiver": JobGroup(0.85, 0.0),
    "Køkkenmedarbejder": JobGroup(0.8, 0.55),
    "Rengøringsassistent": JobGroup(0.8, 0.7),
    "Administrativ medarbejder": JobGroup(0.8, 0.0),
    "Konsulent": JobGroup(0.65, 0.0),
    "IT-medarbejder": JobGroup(0.25, 0.0),
    "Ingeniør": JobGroup(0.3, 0.0),
    "Bygningskonstruktør": JobGroup(0.3, 0.0),
    "Planlægger": JobGroup(0.5, 0.0),
    "Teknisk servicemedarbejder": JobGroup(0.1, 0.3),
    "Håndværker": JobGroup(0.1, 0.4),
    "Driftsmedarbejder": JobGroup(0.15, 0.45),
    "Gartner": JobGroup(0.3, 0.45),
}


@dataclass(frozen=True)
class Staffing:
    """How many people a kind of unit employs (besides its leader) and in which job groups."""

    headcount: tuple[int, int]
    job_groups: dict[str, int]  # job group -> weight


STAFFING: dict[str, Staffing] = {
    "management": Staffing((6, 10), {"Konsulent": 5, "Administrativ medarbejder": 5}),
    "department": Staffing((3, 7), {"Konsulent": 6, "Administrativ medarbejder": 4}),
    "daycare": Staffing(
        (24, 40),
        {
            "Pædagog": 55,
            "Pædagogmedhjælper": 28,
            "Pædagogisk assistent": 10,
            "Køkkenmedarbejder": 4,
            "Rengøringsassistent": 3,
        },
    ),
    "school": Staffing(
        (55, 80),
        {
            "Lærer": 68,
            "Pædagog": 14,
            "Pædagogmedhjælper": 6,
            "Administrativ medarbejder": 4,
            "Teknisk servicemedarbejder": 4,
            "Rengøringsassistent": 4,
        },
    ),
    "youth_school": Staffing((16, 24), {"Lærer": 70, "Pædagog": 20, "Administrativ medarbejder": 10}),
    "psychology": Staffing(
        (18, 26), {"Psykolog": 50, "Konsulent": 20, "Socialrådgiver": 15, "Administrativ medarbejder": 15}
    ),
    "family_centre": Staffing(
        (20, 28), {"Socialrådgiver": 50, "Pædagog": 30, "Psykolog": 10, "Administrativ medarbejder": 10}
    ),
    "health_visitors": Staffing((12, 18), {"Sundhedsplejerske": 90, "Administrativ medarbejder": 10}),
    "nursing_home": Staffing(
        (55, 85),
        {
            "Social- og sundhedshjælper": 40,
            "Social- og sundhedsassistent": 32,
            "Sygeplejerske": 10,
            "Køkkenmedarbejder": 6,
            "Rengøringsassistent": 7,
            "Ergoterapeut": 3,
            "Administrativ medarbejder": 2,
        },
    ),
    "home_care": Staffing(
        (45, 65),
        {
            "Social- og sundhedshjælper": 55,
            "Social- og sundhedsassistent": 33,
            "Sygeplejerske": 8,
            "Administrativ medarbejder": 4,
        },
    ),
    "home_nursing": Staffing(
        (35, 45), {"Sygeplejerske": 85, "Social- og sundhedsassistent": 10, "Administrativ medarbejder": 5}
    ),
    "training": Staffing(
        (20, 30), {"Fysioterapeut": 50, "Ergoterapeut": 40, "Administrativ medarbejder": 10}
    ),
    "central_kitchen": Staffing(
        (18, 26), {"Køkkenmedarbejder": 85, "Rengøringsassistent": 10, "Administrativ medarbejder": 5}
    ),
    "group_home": Staffing(
        (34, 46),
        {
            "Pædagog": 45,
            "Social- og sundhedsassistent": 30,
            "Social- og sundhedshjælper": 15,
            "Pædagogmedhjælper": 10,
        },
    ),
    "day_centre": Staffing((15, 22), {"Pædagog": 60, "Pædagogmedhjælper": 25, "Håndværker": 15}),
    "depot": Staffing((30, 40), {"Driftsmedarbejder": 55, "Håndværker": 35, "Administrativ medarbejder": 10}),
    "parks": Staffing((24, 32), {"Gartner": 75, "Driftsmedarbejder": 20, "Administrativ medarbejder": 5}),
    "building_control": Staffing(
        (13, 19), {"Ingeniør": 45, "Bygningskonstruktør": 30, "Administrativ medarbejder": 25}
    ),
    "planning": Staffing((10, 15), {"Planlægger": 55, "Ingeniør": 25, "Administrativ medarbejder": 20}),
    "property_service": Staffing(
        (20, 28), {"Teknisk servicemedarbejder": 60, "Håndværker": 30, "Administrativ medarbejder": 10}
    ),
    "cleaning": Staffing((50, 60), {"Rengøringsassistent": 95, "Administrativ medarbejder": 5}),
    "finance": Staffing((24, 32), {"Konsulent": 55, "Administrativ medarbejder": 45}),
    "hr": Staffing((20, 28), {"Konsulent": 60, "Administrativ medarbejder": 40}),
    "it": Staffing((22, 30), {"IT-medarbejder": 80, "Administrativ medarbejder": 20}),
    "citizen_service": Staffing((28, 36), {"Administrativ medarbejder": 85, "Konsulent": 15}),
    # Nabo Kommune: a small neighbour that only shows that tenants are kept apart.
    "small_town_hall": Staffing((3, 3), {"Konsulent": 2, "Administrativ medarbejder": 1}),
    "small_school": Staffing((9, 9), {"Lærer": 7, "Pædagog": 2}),
    "small_nursing_home": Staffing(
        (8, 8), {"Social- og sundhedshjælper": 4, "Social- og sundhedsassistent": 3, "Sygeplejerske": 1}
    ),
    "small_daycare": Staffing((6, 6), {"Pædagog": 4, "Pædagogmedhjælper": 2}),
}


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    staffing: str
    children: list["UnitSpec"] = field(default_factory=list)


def _leaves(staffing: str, first_code: int, names: list[str]) -> list[UnitSpec]:
    return [UnitSpec(str(first_code + i), name, staffing) for i, name in enumerate(names)]


DEMO_TREE = UnitSpec(
    "1000", "Demo Kommune", "management", [
        UnitSpec("1100", "Børne- og Ungeforvaltningen", "management", [
            UnitSpec("1110", "Dagtilbud", "department", _leaves("daycare", 1111, [
                "Børnehuset Solsikken", "Børnehuset Regnbuen", "Børnehuset Kastanjen",
                "Daginstitution Skovtrolden", "Daginstitution Bakketoppen", "Vuggestuen Mælkebøtten",
                "Naturbørnehaven Egernet", "Børnehuset Spiren", "Børnehuset Troldehøj",
                "Vuggestuen Myretuen", "Børnehuset Humlebien",
            ])),
            UnitSpec("1130", "Skoler", "department", [
                *_leaves("school", 1131, [
                    "Nordskolen", "Søndermarkskolen", "Vestervangskolen", "Østre Skole", "Bakkeskolen",
                    "Engskolen",
                ]),
                UnitSpec("1137", "Ungdomsskolen", "youth_school"),
            ]),
            UnitSpec("1150", "Familie og Forebyggelse", "department", [
                UnitSpec("1151", "Pædagogisk Psykologisk Rådgivning", "psychology"),
                UnitSpec("1152", "Familiecentret", "family_centre"),
                UnitSpec("1153", "Sundhedsplejen", "health_visitors"),
            ]),
        ]),
        UnitSpec("1200", "Social- og Sundhedsforvaltningen", "management", [
            UnitSpec("1210", "Plejecentre", "department", _leaves("nursing_home", 1211, [
                "Plejecenter Lindehøj", "Plejecenter Solgården", "Plejecenter Birkebo",
                "Plejecenter Åhaven", "Plejecenter Egely",
            ])),
            UnitSpec("1220", "Hjemmeplejen", "department", _leaves("home_care", 1221, [
                "Hjemmepleje Distrikt Nord", "Hjemmepleje Distrikt Syd", "Hjemmepleje Distrikt Øst",
                "Hjemmepleje Distrikt Vest",
            ])),
            UnitSpec("1230", "Sundhed og Træning", "department", [
                UnitSpec("1231", "Hjemmesygeplejen", "home_nursing"),
                UnitSpec("1232", "Træningscentret", "training"),
                UnitSpec("1233", "Centralkøkkenet", "central_kitchen"),
            ]),
            UnitSpec("1240", "Handicap og Psykiatri", "department", [
                UnitSpec("1241", "Bostedet Kildevang", "group_home"),
                UnitSpec("1242", "Aktivitetscentret Værkstedet", "day_centre"),
            ]),
        ]),
        UnitSpec("1300", "Teknik og Miljø", "management", [
            UnitSpec("1310", "Vej og Park", "department", [
                UnitSpec("1311", "Materielgården", "depot"),
                UnitSpec("1312", "Park og Natur", "parks"),
            ]),
            UnitSpec("1320", "Byg og Plan", "department", [
                UnitSpec("1321", "Byggesagsafdelingen", "building_control"),
                UnitSpec("1322", "Plan og Udvikling", "planning"),
            ]),
            UnitSpec("1330", "Kommunale Ejendomme", "department", [
                UnitSpec("1331", "Ejendomsservice", "property_service"),
                UnitSpec("1332", "Rengøringsservice", "cleaning"),
            ]),
        ]),
        UnitSpec("1400", "Økonomi og Personale", "management", [
            UnitSpec("1410", "Økonomi", "finance"),
            UnitSpec("1420", "HR og Personale", "hr"),
            UnitSpec("1430", "IT og Digitalisering", "it"),
            UnitSpec("1440", "Borgerservice", "citizen_service"),
        ]),
    ],
)  # fmt: skip

NEIGHBOUR_TREE = UnitSpec(
    "100", "Nabo Kommune", "small_town_hall", [
        UnitSpec("110", "Nabo Skole", "small_school"),
        UnitSpec("120", "Plejecenter Nabohjem", "small_nursing_home"),
        UnitSpec("130", "Børnehuset Nabo", "small_daycare"),
    ],
)  # fmt: skip


@dataclass(frozen=True)
class DemoLogin:
    """A demo account: the first person of `job_group` in the unit `unit_code` gets this e-mail
    and a login. The platform administrator has no organisation: it is a User only."""

    email: str
    organisation_slug: str | None
    unit_code: str
    job_group: str
    role: str | None
    role_unit_codes: tuple[str, ...]
    title: str | Promise
    what_to_try: str | Promise


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin(
        "hr@demo.puls.test", DEMO_SLUG, "1420", "Konsulent", Role.ORG_ADMIN, (),
        _("HR / organisation administrator"),
        _("the whole unit tree and staff, imports, role assignments and the audit log"),
    ),
    DemoLogin(
        # The leader role comes with the unit, like a leader column in an import.
        "leder@demo.puls.test", DEMO_SLUG, "1131", LEADER, None, (),
        _("Unit leader (school head)"),
        _("your own school and its staff; other units stay out of sight"),
    ),
    DemoLogin(
        "med@demo.puls.test", DEMO_SLUG, "1211", "Social- og sundhedsassistent", Role.MED_REP, ("1200",),
        _("MED/AMO representative (Social- og Sundhedsforvaltningen)"),
        _("the units of the social and health administration"),
    ),
    DemoLogin(
        "facilitator@demo.puls.test", DEMO_SLUG, "1420", "Konsulent", Role.FACILITATOR, (),
        _("Facilitator"),
        _("running dialogue processes: moderation, themes and outcomes"),
    ),
    DemoLogin(
        "medarbejder@demo.puls.test", DEMO_SLUG, "1131", "Lærer", None, (),
        _("Employee (teacher)"),
        _("what every employee sees: your own workplace, nobody else's data"),
    ),
    DemoLogin(
        "hr@nabo.puls.test", NEIGHBOUR_SLUG, "100", "Konsulent", Role.ORG_ADMIN, (),
        _("HR administrator of Nabo Kommune"),
        _("another tenant: Demo Kommune's addresses answer 404"),
    ),
    DemoLogin(
        PLATFORM_ADMIN_EMAIL, None, "", "", None, (),
        _("Platform administrator"),
        _("all organisations; creating a new organisation with its first HR administrator"),
    ),
]  # fmt: skip
