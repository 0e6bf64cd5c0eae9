"""The shape of the demo surveys' answers: levels, planted units, trends and free texts. Data only;
`answers.py` turns it into answer rows. Written for the demo: the texts hold no names and no numbers."""

DANISH_MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip

# Typical well-being ("goodness", 0–100, high is good) per scale; demand scales are stored the other
# way round (100 − goodness), as their items ask about the strain itself.
SCALE_GOODNESS = {
    "workload": 56, "pace": 42, "emotional_demands": 55, "influence": 57, "development": 68,
    "meaning": 80, "role_clarity": 74, "conflicting_demands": 60, "leadership_quality": 62,
    "recognition": 64, "predictability": 58, "colleague_support": 71, "cooperation": 68,
    "work_life_conflict": 66, "trust_management": 67, "trust_colleagues": 74, "justice": 60,
    "job_satisfaction": 70, "exhaustion": 64, "stress": 69, "general_health": 66,
}  # fmt: skip
DEFAULT_GOODNESS = 60

# Units planted clearly low or high (latent units per domain), so the reports have a story to tell.
PLANTED_UNIT_EFFECTS: dict[str, dict[str, float]] = {
    "Vestervangskolen": {"leadership": -1.2, "demands": -1.1, "social_capital": -0.7, "health": -0.5},
    "Plejecenter Birkebo": {"leadership": -1.1, "demands": -1.2, "work_life": -0.6, "health": -0.5},
    "Børnehuset Regnbuen": {
        "leadership": 1.0, "organisation": 0.8, "social_capital": 0.9, "health": 0.7,
        "demands": 0.5, "work_life": 0.5,
    },
}  # fmt: skip
PLANTED_LOW = ("Vestervangskolen", "Plejecenter Birkebo")
# Units where exactly this many people answer the latest yearly survey, so its report shows them as
# hidden (below the threshold of 5) — on every page, in the PDF and in the XLSX.
PLANTED_FEW_RESPONDENTS = {"Plan og Udvikling": 4}
# Change from one year to the next: most units a little better, these worse (or clearly better).
PLANTED_TRENDS = {
    "Plejecenter Birkebo": -0.35,
    "Hjemmepleje Distrikt Syd": -0.4,
    "Materielgården": -0.3,
    "Borgerservice": -0.25,
    "Vestervangskolen": 0.35,
}
TYPICAL_TREND = 0.15

# Small, plausible shifts by job group (latent units, positive is better).
JOB_GROUP_EFFECTS: dict[str, dict[str, float]] = {
    "Leder": {"influence": 0.7, "workload": -0.5, "work_life_conflict": -0.4, "role_clarity": 0.3},
    "Lærer": {"workload": -0.5, "work_life_conflict": -0.4, "meaning": 0.4},
    "Social- og sundhedshjælper": {
        "pace": -0.5,
        "emotional_demands": -0.4,
        "influence": -0.4,
        "meaning": 0.3,
    },
    "Social- og sundhedsassistent": {"pace": -0.4, "emotional_demands": -0.4, "meaning": 0.3},
    "Sygeplejerske": {"pace": -0.5, "emotional_demands": -0.3, "meaning": 0.4},
    "Pædagog": {"emotional_demands": -0.2, "meaning": 0.4, "pace": -0.2},
    "Pædagogmedhjælper": {"influence": -0.3, "development": -0.3},
    "Administrativ medarbejder": {"emotional_demands": 0.5, "meaning": -0.2},
    "Rengøringsassistent": {"influence": -0.5, "development": -0.5, "recognition": -0.3},
    "Køkkenmedarbejder": {"influence": -0.3, "development": -0.3, "pace": -0.3},
    "Konsulent": {"influence": 0.3, "emotional_demands": 0.4},
}

CARE = {"Social- og sundhedshjælper", "Social- og sundhedsassistent", "Sygeplejerske"}
CHILDCARE = {"Pædagog", "Pædagogmedhjælper", "Pædagogisk assistent"}
SCHOOL = {"Lærer"}

# Offensive behaviour in the past year: share answering anything but "No", by item; citizens'
# threats and violence are more common in care and childcare.
OFFENSIVE_SHARES = {
    "offensive_bullying": 0.07,
    "offensive_sexual": 0.03,
    "offensive_threats": 0.05,
    "offensive_violence": 0.02,
    "offensive_degrading": 0.09,
}
OFFENSIVE_FROM_CITIZENS = {"offensive_threats", "offensive_violence", "offensive_sexual"}
OFFENSIVE_SOURCE = "offensive_source"

PULSE_SECTIONS = (
    ("Trivsel og arbejdsmængde", "Well-being and workload", ("job_satisfaction", "workload", "stress")),
    (
        "Ledelse og samarbejde",
        "Leadership and relations",
        ("leadership_quality", "recognition", "colleague_support"),
    ),
    ("Din kommentar", "Your comment", ("open_change",)),
)
PULSE_NAME = "Pulsmåling"

# Free-text answers: (text, the domain it is about). Written for the demo; no names, no numbers.
MORE_OF: dict[str, list[tuple[str, str]]] = {
    "general": [
        ("Fælles faglige drøftelser, hvor vi lærer af hinanden.", "organisation"),
        ("Mere anerkendelse i hverdagen, også for de små ting.", "leadership"),
        ("Sociale arrangementer efter arbejdstid, det styrker sammenholdet.", "social_capital"),
        ("Feedback fra ledelsen på det arbejde, vi laver.", "leadership"),
        ("Korte møder med en klar dagsorden.", "organisation"),
        ("Tid til at sparre med kolleger om de svære opgaver.", "social_capital"),
        ("Fortsæt med morgenmøderne, de giver et godt overblik over dagen.", "organisation"),
        ("Information om beslutninger, før de bliver ført ud i livet.", "leadership"),
        ("Kurser og efteruddannelse, så vi kan blive endnu dygtigere.", "organisation"),
        ("Inddragelse af medarbejderne, når nye arbejdsgange bliver planlagt.", "leadership"),
        ("Fejre det, når noget lykkes.", "social_capital"),
        ("Den gode humor og hjælpsomheden mellem kolleger.", "social_capital"),
        ("Plads til at prøve nye ideer af.", "organisation"),
        ("Samarbejde på tværs af afdelingerne.", "social_capital"),
        ("Gode introduktionsforløb for nye kolleger.", "organisation"),
        ("Ledelsen skal fortsætte med at være synlig og let at få fat i.", "leadership"),
        ("Fleksibilitet i planlægningen, når der sker noget derhjemme.", "work_life"),
        ("Pauser, hvor vi faktisk holder fri fra opgaverne.", "demands"),
    ],
    "school": [
        ("Teamsamarbejde om forberedelsen af undervisningen.", "organisation"),
        ("Fælles planlægning i årgangsteamene.", "organisation"),
        ("Tid til faglig fordybelse sammen med kollegerne.", "demands"),
    ],
    "care": [
        ("Tid til at være sammen med beboerne uden at skulle skynde sig.", "demands"),
        ("Faglige oplæg om demens og god pleje.", "organisation"),
        ("Overlap mellem vagterne, så informationen bliver givet ordentligt videre.", "organisation"),
    ],
    "childcare": [
        ("Pædagogiske drøftelser på stuemøderne.", "organisation"),
        ("Ture ud i naturen med børnene.", "organisation"),
        ("Tid til samarbejdet med forældrene.", "demands"),
    ],
}
CHANGE: dict[str, list[tuple[str, str]]] = {
    "general": [
        ("Bedre planlægning, så opgaverne ikke hober sig op sidst på ugen.", "demands"),
        ("Færre møder, der lige så godt kunne have været en mail.", "organisation"),
        ("Klarere forventninger til, hvem der gør hvad.", "organisation"),
        ("Informationen fra ledelsen kommer ofte for sent.", "leadership"),
        ("Vi skal blive bedre til at tage konflikterne tidligt.", "social_capital"),
        ("IT-systemerne driller og tager meget tid fra kerneopgaven.", "demands"),
        ("Der mangler tid til faglig udvikling.", "organisation"),
        ("Beslutninger bliver ændret, uden at vi bliver spurgt.", "leadership"),
        ("Arbejdsmængden er for stor i perioder, og det går ud over kvaliteten.", "demands"),
        ("Indeklimaet er dårligt om sommeren, og det er svært at koncentrere sig.", "demands"),
        ("Der er for meget dokumentation, som ingen læser.", "demands"),
        ("Nye kolleger skal have en bedre introduktion.", "organisation"),
        ("Vi savner mere anerkendelse fra ledelsen.", "leadership"),
        ("Det er svært at få fri, når man har brug for det.", "work_life"),
        ("Ledelsen kunne være mere til stede i hverdagen.", "leadership"),
        ("Mere åbenhed om økonomien og de prioriteringer, der bliver lavet.", "leadership"),
        ("Bedre koordinering mellem afdelingerne.", "social_capital"),
        ("Ledelsen lytter ikke, når vi siger, at travlheden er for stor.", "leadership"),
        ("Der bliver talt dårligt om hinanden bag ryggen, det skal stoppe.", "social_capital"),
        ("Ingenting lige nu, det går godt.", "none"),
        ("Egentlig ikke noget, vi er godt på vej.", "none"),
    ],
    "school": [
        ("Mindre tid på administration og mere tid til forberedelse.", "demands"),
        ("Klarere rammer for samarbejdet med forældrene.", "organisation"),
        ("Skemaet bliver lagt for sent, så det er svært at planlægge.", "leadership"),
    ],
    "care": [
        ("Vagtplanen bliver ændret med kort varsel.", "work_life"),
        ("Der er for lidt tid til hver borger.", "demands"),
        ("Vi mangler hjælpemidler, der virker.", "demands"),
    ],
    "childcare": [
        ("Der er for mange børn på stuen i ydertimerne.", "demands"),
        ("Støjniveauet er højt, især ved frokosten.", "demands"),
        ("Vikardækningen ved sygdom fungerer ikke.", "leadership"),
    ],
}
TEXT_ENDINGS = (
    " Det ville gøre en stor forskel.",
    " Det betyder meget for trivslen.",
    " Tak fordi I spørger.",
    " Det har vi talt om før.",
    " Det gælder især i de travle perioder.",
)
