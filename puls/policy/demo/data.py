"""The Danish texts of Demo Kommune's staff policy. Written for Puls; data only."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Initiative:
    title: str
    text: str
    responsible: str = ""


@dataclass(frozen=True)
class FocusArea:
    title: str
    text: str
    initiatives: list[Initiative] = field(default_factory=list)


@dataclass(frozen=True)
class Policy:
    title: str
    text: str
    rationale: str
    responsible: str
    focus_areas: list[FocusArea]
    # How far the policy has come: "political" (adopted politically), "med" (adopted by MED),
    # "revision" (adopted, a revised text in hearing), "draft".
    state: str = "political"
    # A revised text adopted later (a second version), so the demo shows a diff.
    revised_text: str = ""


INTRO = (
    "Personalepolitikken er vores fælles grundlag for at være en god arbejdsplads. Værdierne er "
    "rødderne, politikkerne er grenene, og indsatsområder og initiativer er dér, hvor det bliver "
    "konkret. Hver arbejdsplads omsætter politikken til sin egen hverdag – uden at gå imod den fælles."
)
HANDBOOK_TITLE = "Personalepolitik for Demo Kommune"

VALUES: list[tuple[str, str]] = [
    (
        "Tillid",
        "Vi har tillid til hinandens faglighed og gode vilje. Vi giver hinanden ansvar og plads til at "
        "handle, og vi siger til, når noget er svært.",
    ),
    (
        "Åbenhed",
        "Vi deler viden, beslutninger og begrundelser. Vi er nysgerrige på andres perspektiver og taler "
        "med hinanden – ikke om hinanden.",
    ),
    (
        "Respekt",
        "Vi møder borgere og kolleger ligeværdigt og anerkender, at vi er forskellige. Vi holder vores "
        "aftaler og respekterer hinandens tid og grænser.",
    ),
    (
        "Ansvar",
        "Vi tager ansvar for opgaven, for helheden og for vores fælles arbejdsmiljø. Vi følger op på "
        "det, vi sætter i gang.",
    ),
    (
        "Faglighed",
        "Vi bygger arbejdet på viden og erfaring, udvikler os hele tiden og bruger hinandens "
        "kompetencer på tværs af fag og afdelinger.",
    ),
    (
        "Mod",
        "Vi tør tænke nyt, prøve af og lære af fejl. Vi siger vores mening, også når den er ubekvem.",
    ),
    (
        "Arbejdsglæde",
        "Vi skaber et arbejdsliv med mening, humor og fællesskab, hvor der er plads til både travlhed "
        "og pauser.",
    ),
]

HOVED_MED = "Hoved-MED"
COUNCIL = "Kommunalbestyrelsen"

POLICIES: list[Policy] = [
    Policy(
        "Trivsel og sundhed",
        "Alle medarbejdere skal have et godt psykisk og fysisk arbejdsmiljø. Trivsel skabes i det "
        "daglige arbejde – i opgaverne, i samarbejdet og i ledelsen – og vi måler den, drøfter den og "
        "handler på den.",
        "Trivselsmålingerne viser, at arbejdspres og uklare forventninger er de største udfordringer.",
        HOVED_MED,
        [
            FocusArea(
                "Arbejdspres og balance",
                "Vi prioriterer opgaverne åbent, så ingen står alene med for meget.",
                [
                    Initiative(
                        "Fast drøftelse af opgaver og ressourcer",
                        "Hvert personalemøde har et punkt om, hvad vi gør, og hvad vi lader være.",
                        "Lokal leder",
                    ),
                    Initiative(
                        "Trivselsmåling hvert andet år",
                        "Resultaterne drøftes i alle enheder inden for tre måneder.",
                        "HR og lokal-MED",
                    ),
                ],
            ),
            FocusArea(
                "Sundhed på arbejdspladsen",
                "Vi gør det let at vælge det sunde – uden at det bliver privat.",
                [Initiative("Tilbud om fysioterapi og motion", "Gratis for alle ansatte.", "HR")],
            ),
        ],
        state="political",
        revised_text=(
            "Alle medarbejdere skal have et godt psykisk og fysisk arbejdsmiljø. Trivsel skabes i det "
            "daglige arbejde – i opgaverne, i samarbejdet og i ledelsen – og vi måler den, drøfter den "
            "åbent i alle enheder og følger op med konkrete handlinger, der har en ansvarlig og en dato."
        ),
    ),
    Policy(
        "Rekruttering og fastholdelse",
        "Vi vil være et attraktivt sted at arbejde. Vi rekrutterer bredt, tager godt imod nye kolleger og "
        "giver medarbejderne grund til at blive.",
        "Der bliver færre hænder inden for omsorg og undervisning; vi skal både tiltrække og fastholde.",
        HOVED_MED,
        [
            FocusArea(
                "God start",
                "Nye medarbejdere får en plan for de første tre måneder og en fast kollega at spørge.",
                [
                    Initiative("Introduktionsprogram", "Fælles introduktionsdag to gange om året.", "HR"),
                    Initiative(
                        "Makkerordning", "Hver ny medarbejder får en makker i enheden.", "Lokal leder"
                    ),
                ],
            ),
            FocusArea(
                "Unge og elever",
                "Vi viser unge, hvad et job i kommunen rummer.",
                [
                    Initiative(
                        "Praktikpladser i alle forvaltninger", "Mindst én elev pr. 30 ansatte.", "Direktionen"
                    )
                ],
            ),
        ],
    ),
    Policy(
        "Medindflydelse og dialog",
        "Medarbejderne har indflydelse på eget arbejde og på de beslutninger, der vedrører dem. Ledelse og "
        "medarbejdere er i løbende dialog gennem MED-systemet og i hverdagen.",
        "Indflydelse på eget arbejde er en af de stærkeste kilder til trivsel og kvalitet.",
        HOVED_MED,
        [
            FocusArea(
                "Dialog før beslutning",
                "Store ændringer drøftes med medarbejderne, før de besluttes.",
                [
                    Initiative(
                        "Høring i MED ved organisationsændringer",
                        "Lokal-MED høres, før en ændring besluttes.",
                        "Lokal-MED",
                    )
                ],
            ),
            FocusArea(
                "Indflydelse på egne opgaver",
                "Teams planlægger selv så meget af arbejdet som muligt.",
                [Initiative("Selvtilrettelagte vagtplaner", "Afprøves i hjemmeplejen og på plejecentrene.")],
            ),
        ],
        state="med",
    ),
    Policy(
        "Kompetenceudvikling",
        "Alle medarbejdere har en udviklingsplan, der hænger sammen med arbejdspladsens opgaver og "
        "medarbejderens egne ønsker.",
        "Opgaverne ændrer sig hurtigt; faglighed skal vedligeholdes og udvikles hele tiden.",
        HOVED_MED,
        [
            FocusArea(
                "Udviklingssamtaler med effekt",
                "MUS fører til aftaler, der bliver fulgt op.",
                [
                    Initiative(
                        "Opfølgning på MUS-aftaler", "Lederen følger op efter et halvt år.", "Lokal leder"
                    ),
                    Initiative("Værdierne i MUS", "Samtalen tager udgangspunkt i de fælles værdier."),
                ],
            )
        ],
    ),
    Policy(
        "Seniorpolitik",
        "Vi vil gerne beholde erfarne medarbejdere. Seniorer kan aftale en tilpasset arbejdstid eller andre "
        "opgaver, når det passer med arbejdspladsens behov.",
        "En fjerdedel af medarbejderne er over 55 år.",
        COUNCIL,
        [
            FocusArea(
                "Seniorsamtaler",
                "Fra 58 år tilbydes en årlig samtale om de næste arbejdsår.",
                [
                    Initiative(
                        "Seniorsamtale i forbindelse med MUS", "Lederen tilbyder samtalen.", "Lokal leder"
                    )
                ],
            )
        ],
        state="revision",
        revised_text=(
            "Vi vil gerne beholde erfarne medarbejdere og bruge deres viden. Seniorer kan aftale en "
            "tilpasset arbejdstid, andre opgaver eller en rolle som mentor, når det passer med "
            "arbejdspladsens behov."
        ),
    ),
    Policy(
        "Sygefravær",
        "Vi tager hånd om hinanden, når nogen bliver syge. Kontakten under sygdom er omsorgsfuld og har "
        "fokus på, hvad der skal til for at vende tilbage.",
        "Fravær koster både for den syge, for kollegerne og for borgerne.",
        HOVED_MED,
        [
            FocusArea(
                "Tidlig og omsorgsfuld kontakt",
                "Lederen tager kontakt i den første uge.",
                [
                    Initiative(
                        "Fraværssamtale efter fire uger",
                        "Med fokus på muligheder, ikke skyld.",
                        "Lokal leder",
                    )
                ],
            )
        ],
    ),
    Policy(
        "Vold, mobning og chikane",
        "Vi accepterer ikke vold, trusler, mobning eller chikane – hverken fra borgere eller kolleger. "
        "Hændelser registreres, drøftes og følges op.",
        "Medarbejdere i borgerrettet arbejde møder oftere trusler end andre.",
        HOVED_MED,
        [
            FocusArea(
                "Forebyggelse",
                "Vi kender risikoen i vores opgaver og har en plan for den.",
                [
                    Initiative(
                        "Beredskabsplan i alle enheder", "Gennemgås hvert år i lokal-MED.", "Lokal-MED"
                    ),
                    Initiative("Kursus i konfliktnedtrapning", "For alle i borgerrettede job.", "HR"),
                ],
            )
        ],
    ),
    Policy(
        "Løn",
        "Løn er et redskab til at rekruttere, fastholde og anerkende. Lønforhandlingerne er åbne, og "
        "kriterierne kendes af alle.",
        "Medarbejderne skal kunne se sammenhængen mellem opgaver, kompetencer og løn.",
        COUNCIL,
        [
            FocusArea(
                "Gennemsigtige kriterier",
                "Hver enhed beskriver sine kriterier for tillæg.",
                [Initiative("Lønkriterier på intranettet", "Opdateres før hver forhandling.", "HR")],
            )
        ],
        state="draft",
    ),
]


@dataclass(frozen=True)
class WalkPlan:
    unit_code: str
    title: str
    participants: str
    days_ago: int
    # value title -> the points at the four stops
    points: dict[str, list[list[str]]]


WALKS: list[WalkPlan] = [
    WalkPlan(
        "1131",
        "Værdivejen på Nordskolen",
        "Alle lærere og pædagoger, 34 deltagere",
        40,
        {
            "Tillid": [
                ["Vi stoler på, at kollegerne gør deres bedste", "Vi må prøve ting af i undervisningen"],
                ["Teamene planlægger selv ugerne", "Vi dækker for hinanden uden at tælle timer"],
                ["Beslutninger om skemaet kommer for sent ud", "Nye kolleger bliver ikke inddraget nok"],
                ["Skemaet for næste skoleår lægges sammen med teamene", "Fast makker til alle nye"],
            ],
            "Åbenhed": [
                ["Vi deler materialer og erfaringer", "Vi forklarer, hvorfor vi beslutter, som vi gør"],
                ["Fælles drev med forløb", "Referater fra ledelsesmøder ligger frit"],
                ["Vi taler for lidt om det, der ikke lykkes"],
                ["Ti minutter om 'det, vi lærte' på hvert personalemøde"],
            ],
        },
    ),
    WalkPlan(
        "1211",
        "Værdivejen på Plejecenter Lindehøj",
        "Dag- og aftenvagten, 22 deltagere",
        25,
        {
            "Respekt": [
                ["Vi banker på og venter", "Beboernes vaner går forud for vores rutiner"],
                ["Vi kender beboernes livshistorier", "Vi hilser på hinanden på tværs af vagter"],
                [
                    "Overlap mellem vagterne bliver hektisk",
                    "Vi taler for hurtigt hen over hovedet på beboerne",
                ],
                ["Rolig overlevering i et fast lokale", "Kursus i ligeværdig kommunikation for alle"],
            ],
        },
    ),
]

LOCAL_READINGS: dict[str, dict[str, str]] = {
    "1131": {
        "Tillid": "På Nordskolen betyder tillid, at teamene selv tilrettelægger undervisningen, og at "
        "ledelsen spørger, før den beslutter.",
        "Åbenhed": "Vi deler forløb og erfaringer – også dem, der ikke lykkedes.",
        "Faglighed": "Vi bruger hinandens fag på tværs af årgange.",
    },
    "1211": {
        "Respekt": "På Lindehøj betyder respekt, at beboerens hjem er beboerens – vi er gæster.",
        "Arbejdsglæde": "Vi griner sammen og holder pause sammen, også på travle dage.",
    },
}

LOCAL_NODES: dict[str, list[tuple[str, str, list[str]]]] = {
    # unit code -> (central policy title, local focus area, its initiatives)
    "1131": [
        (
            "Trivsel og sundhed",
            "Ro i skoledagen",
            ["Fælles pauser for teamene", "Stillezone på lærerværelset"],
        ),
        ("Rekruttering og fastholdelse", "Gode vilkår for nyuddannede", ["Mentor det første år"]),
    ],
    "1211": [
        ("Vold, mobning og chikane", "Tryghed om aftenen", ["To på vagt ved urolige beboere"]),
    ],
}

REPORT_TOOLS = [
    "Værdivejen",
    "Hverdagsfortællinger",
    "Værdikonsulent",
    "Brætspil om værdierne",
    "Værdierne i MUS",
    "Personalemøde om værdierne",
]
REPORT_DONE = [
    "Vi har haft værdierne på dagsordenen på tre personalemøder.",
    "Vi har gennemført Værdivejen med hele personalegruppen og hængt plakaten op i personalerummet.",
    "Værdierne indgik i alle medarbejderudviklingssamtaler i år.",
    "Vi brugte hverdagsfortællingerne som oplæg til en temadag.",
    "En værdikonsulent hjalp os med en workshop om tillid og ansvar.",
    "Vi har spillet brætspillet om værdierne på en personaledag.",
]
REPORT_EFFECT = [
    "Flere tager ordet på personalemøderne, og vi taler mere åbent om det svære.",
    "Nye kolleger siger, at de hurtigt forstod, hvordan vi arbejder sammen.",
    "Vi har fået en fælles sprogbrug om, hvad god kvalitet er hos os.",
    "Det er endnu for tidligt at sige, men stemningen ved overleveringerne er blevet bedre.",
    "Trivselsmålingen viste fremgang i social kapital.",
]
REPORT_NEXT = [
    "Vi følger op på handlingerne fra Værdivejen efter sommerferien.",
    "Vi vil tage værdien mod op på næste temadag.",
    "Værdierne skal indgå i introduktionen af nye medarbejdere.",
    "Vi gentager workshoppen med de nye kolleger.",
]
