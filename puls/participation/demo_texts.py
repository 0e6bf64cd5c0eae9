"""Danish texts of the dialogue demo ("Fælles værdier 2027", `demo.py`): our own, written for the
demo. Ideas are put together from a topic's fragments (a core statement, sometimes a detail and a
proposal), so several participants write near-duplicates of the same core, as people do.

Data only; `demo.py` turns it into ballots through the real submit path.
"""

from dataclasses import dataclass

PROCESS_TITLE = "Fælles værdier 2027"
PROCESS_PURPOSE = (
    "Demo Kommunes værdier skal fornyes i 2027. Før politikerne og Hoved-MED vedtager dem, spørger vi "
    "medarbejdere fra alle forvaltninger: hvilke udfordringer står vi overfor, hvad betyder mest, og "
    "hvordan står det til i dag? Alt, hvad du skriver, er anonymt. Med din kvitteringskode kan du "
    "altid se, hvad der blev af dit input."
)

ROUND_TITLES = (
    "Hvilke udfordringer står vi overfor?",
    "Hvad betyder mest?",
    "Hvordan står det til i dag?",
)
ROUND_QUESTIONS = (
    "Skriv de udfordringer, du oplever i din hverdag, og som vores fælles værdier bør hjælpe os med. "
    "Du kan også støtte andres forslag.",
    "Her er de temaer, vi fandt i jeres input. Vælg i hvert par det tema, der betyder mest for dig.",
    "Hvor godt lever vi i dag op til de vigtigste temaer? Giv en vurdering, og skriv gerne, hvad der "
    "virker, og hvad der står i vejen.",
)

# Categories of round 1 (participants may leave the category empty).
WORK_ENVIRONMENT = "Arbejdsmiljø og trivsel"
COOPERATION = "Samarbejde og kommunikation"
LEADERSHIP = "Ledelse"
CITIZENS = "Opgaver og borgere"
CATEGORIES = [WORK_ENVIRONMENT, COOPERATION, LEADERSHIP, CITIZENS]


@dataclass(frozen=True)
class Topic:
    key: str
    theme: str  # key of the theme the facilitator groups the topic's ideas under ("" = none)
    category: str
    weight: int  # how often participants write about it
    cores: tuple[str, ...]
    details: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()


TOPICS: tuple[Topic, ...] = (
    Topic(
        "workload",
        "time",
        WORK_ENVIRONMENT,
        16,
        (
            "Vi har for travlt til at løse opgaverne ordentligt.",
            "Der er for mange opgaver og for lidt tid.",
            "Arbejdspresset er blevet for stort de sidste par år.",
            "Vi når ikke det, vi er uddannet til, fordi dagen går med alt det andet.",
            "Der kommer hele tiden nye opgaver, men ingen bliver taget væk.",
            "Når en kollega er syg, bliver opgaverne bare fordelt på os andre.",
            "Dokumentationen tager tid fra kerneopgaven.",
            "Vi løber stærkt hele dagen og går hjem med dårlig samvittighed.",
            "Der er ikke tid til faglig sparring i hverdagen.",
            "Normeringen passer ikke til de opgaver, vi har fået.",
        ),
        (
            "Det går ud over kvaliteten.",
            "Mange af os tager arbejde med hjem.",
            "Pauserne bliver sprunget over flere gange om ugen.",
            "Det er især slemt i ferieperioderne.",
            "Det slider på både os og borgerne.",
            "Vi oplever, at ingen rigtig lytter, når vi siger det.",
            "Det er svært at sige nej, når alt er vigtigt.",
        ),
        (
            "Vi skal have hjælp til at prioritere, hvad der kan vente.",
            "Lad os blive enige om, hvad vi holder op med at gøre.",
            "Nye opgaver bør komme med tid eller penge.",
            "Lederen bør tage prioriteringen, når vi ikke kan nå det hele.",
            "Hvad med en fast time om ugen uden forstyrrelser?",
            "Vikardækningen skal være på plads, før det brænder på.",
        ),
    ),
    Topic(
        "meetings",
        "time",
        COOPERATION,
        7,
        (
            "Vi holder for mange møder uden klar dagsorden.",
            "Møderne tager tid fra borgerne og børnene.",
            "Mange møder ender uden en beslutning.",
            "Der bliver indkaldt til møder, som kunne have været en mail.",
            "Personalemøderne bliver brugt på information i stedet for dialog.",
            "Det er svært at deltage i møder, når man arbejder i skiftende vagter.",
        ),
        (
            "Så bliver det de samme, der taler hver gang.",
            "Referaterne kommer sent eller slet ikke.",
            "Bagefter ved ingen, hvem der gør hvad.",
            "Møderne starter ofte for sent.",
        ),
        (
            "Alle møder bør have en dagsorden og et kort beslutningsreferat.",
            "Lad os prøve en mødefri dag om ugen.",
            "Information kan sendes ud på skrift, så møderne bruges til at drøfte.",
            "Hold møderne korte, og slut til tiden.",
        ),
    ),
    Topic(
        "cooperation",
        "cooperation",
        COOPERATION,
        11,
        (
            "Samarbejdet på tværs af afdelinger fungerer ikke godt nok.",
            "Vi kender for lidt til, hvad de andre enheder laver.",
            "Borgerne bliver sendt rundt mellem afdelingerne.",
            "Der er for mange skel mellem forvaltningerne.",
            "Overleveringen mellem hjemmeplejen og plejecentrene kan blive bedre.",
            "Vi sidder i hver vores silo og opfinder den dybe tallerken hver for sig.",
            "Det er svært at finde ud af, hvem man skal ringe til i en anden afdeling.",
            "Skole og dagtilbud taler for lidt sammen, når børnene skifter.",
        ),
        (
            "Det koster tid og frustration for både borgere og medarbejdere.",
            "Vi har de samme borgere, men forskellige systemer og regler.",
            "Det gode samarbejde afhænger af, om man tilfældigvis kender nogen.",
            "Der går vigtig viden tabt undervejs.",
        ),
        (
            "Fælles temadage på tværs kunne hjælpe.",
            "Lad os lave en liste med faste kontaktpersoner.",
            "Prøv at låne en kollega ud til en anden enhed en dag.",
            "Vi har brug for fælles mål for borgeren på tværs af afdelinger.",
            "Vi bør besøge hinandens arbejdspladser.",
        ),
    ),
    Topic(
        "digital",
        "digital",
        CITIZENS,
        8,
        (
            "Vi har for mange IT-systemer, der ikke taler sammen.",
            "Nye systemer bliver indført uden ordentlig oplæring.",
            "IT driller ofte, og så står arbejdet stille.",
            "Vi skal taste de samme oplysninger flere steder.",
            "Tablets og telefoner er for langsomme ude hos borgerne.",
            "Digitaliseringen bliver besluttet langt væk fra dem, der skal bruge den.",
            "Ældre kolleger bliver hægtet af, når alt bliver digitalt.",
        ),
        (
            "Det tager tid fra borgerne.",
            "Man føler sig dum, når man ikke kan finde ud af det.",
            "Support svarer først dagen efter.",
            "Det giver fejl i dokumentationen.",
        ),
        (
            "Inddrag medarbejderne, før nye systemer bliver valgt.",
            "Vi har brug for superbrugere i hver enhed, som har tid til at hjælpe.",
            "Bedre oplæring, også for dem, der arbejder om aftenen og natten.",
            "Lad os afskaffe dobbeltregistrering.",
        ),
    ),
    Topic(
        "absence",
        "wellbeing",
        WORK_ENVIRONMENT,
        9,
        (
            "Sygefraværet er højt, og det smitter af på dem, der er tilbage.",
            "Der er for mange, der går ned med stress.",
            "Vi taler for lidt om trivsel, før det går galt.",
            "Det fysisk hårde arbejde giver mange skader.",
            "Når nogen er langtidssyge, hører vi intet om, hvordan det går.",
            "Vi mangler tid til at passe på hinanden.",
            "Fraværssamtalerne opleves som kontrol.",
        ),
        (
            "Så bliver presset endnu større for os andre.",
            "Mange kommer på arbejde, selvom de er syge.",
            "Det er de samme, der hele tiden træder til.",
            "Det er svært at sige, at man ikke kan mere.",
        ),
        (
            "Lederen skal spørge til trivslen løbende, ikke kun til MUS.",
            "Lad os tale åbent om stress på personalemøderne.",
            "Vi har brug for tidlig og omsorgsfuld kontakt, ikke kun regler.",
            "Bedre hjælpemidler og tid til at bruge dem.",
        ),
    ),
    Topic(
        "trust",
        "trust",
        COOPERATION,
        10,
        (
            "Vi bliver kontrolleret for meget og har for lidt frihed til at bruge vores faglighed.",
            "Der mangler tillid mellem ledelse og medarbejdere.",
            "Beslutninger bliver truffet, uden at vi ved hvorfor.",
            "Vi skal turde sige tingene højt uden at være bange for konsekvenserne.",
            "Der bliver talt om hinanden i stedet for med hinanden.",
            "Der er for meget registrering for at vise, at vi gør vores arbejde.",
            "Det er svært at sige fra, når noget er forkert.",
            "Rygter spreder sig, fordi informationen kommer for sent.",
        ),
        (
            "Det gør, at mange holder deres idéer for sig selv.",
            "Det skaber utryghed, især ved omstruktureringer.",
            "Vi ved godt selv, hvad der skal til.",
            "Så opstår der et os og dem.",
        ),
        (
            "Fortæl, hvorfor beslutninger bliver truffet, også når svaret er nej.",
            "Vis os tillid, og lad os løse opgaven, som vi finder bedst.",
            "Lad os aftale, hvordan vi giver hinanden feedback.",
            "Mindre kontrol og flere samtaler.",
        ),
    ),
    Topic(
        "leadership",
        "leadership",
        LEADERSHIP,
        9,
        (
            "Lederen er for langt væk fra hverdagen.",
            "Vores leder har for mange medarbejdere til at kende os.",
            "Vi skifter leder for tit.",
            "Lederne sidder i møder det meste af dagen.",
            "Der mangler anerkendelse af det arbejde, vi laver.",
            "Det er uklart, hvem der bestemmer hvad.",
            "Lederne får ikke selv den støtte, de har brug for.",
        ),
        (
            "Så bliver konflikter ikke taget i tide.",
            "Vi savner nogen at sparre med, når det er svært.",
            "Det går ud over retningen for arbejdet.",
            "Det er svært at få en beslutning.",
        ),
        (
            "Lederen skal være synlig i hverdagen, også i aftenvagten.",
            "Mindre administration til lederne, så de har tid til os.",
            "Vi har brug for tydelige forventninger begge veje.",
            "Sig tak, når noget lykkes.",
        ),
    ),
    Topic(
        "recruitment",
        "newcomers",
        WORK_ENVIRONMENT,
        9,
        (
            "Det er svært at rekruttere uddannet personale.",
            "Mange nye kolleger stopper igen inden for det første år.",
            "Nye kolleger bliver kastet ud i det uden introduktion.",
            "Vi har for mange vikarer, som ikke kender stedet.",
            "Der er ikke tid til at tage ordentligt imod elever og studerende.",
            "Det er svært at holde på de erfarne kolleger.",
            "Nye kolleger ved ikke, hvem de skal spørge.",
            "Kolleger med en anden baggrund har svært ved at komme ind i fællesskabet.",
        ),
        (
            "Så er det os andre, der skal lære dem op ved siden af alt det andet.",
            "Vi mister viden, hver gang nogen stopper.",
            "Det er dyrt og trættende for alle.",
            "Det første indtryk betyder meget.",
        ),
        (
            "Alle nye skal have en fast makker de første måneder.",
            "Vi har brug for et ordentligt introduktionsprogram i hele kommunen.",
            "Der skal være tid i normeringen til at tage imod nye og elever.",
            "Flere muligheder for deltid og fleksible vagter kan gøre det lettere at rekruttere.",
        ),
    ),
    Topic(
        "citizens",
        "citizens",
        CITIZENS,
        7,
        (
            "Borgernes forventninger er større end det, vi kan levere.",
            "Vi får skylden for politiske beslutninger om serviceniveauet.",
            "Pårørende forventer, at vi altid er til rådighed.",
            "Der kommer flere klager, og tonen er blevet hårdere.",
            "Borgerne forventer svar med det samme på mail og sms.",
            "Vi mangler et fælles sprog om, hvad borgerne kan forvente af os.",
        ),
        (
            "Det er hårdt at stå med det alene.",
            "Vi bliver klemt mellem borgeren og reglerne.",
            "Det tager tid at forklare det samme igen og igen.",
            "Det skaber utryghed hos kollegerne.",
        ),
        (
            "Vi har brug for tydelig besked om, hvad kommunen tilbyder, og hvad den ikke tilbyder.",
            "Ledelsen skal bakke op, når vi siger nej.",
            "Lad os tale med borgerne om, hvad de selv kan bidrage med.",
            "Kurser i den svære samtale ville hjælpe.",
        ),
    ),
    Topic(
        "premises",
        "premises",
        WORK_ENVIRONMENT,
        4,
        (
            "Der er for få parkeringspladser ved rådhuset.",
            "Personalestuen er for lille til, at vi kan holde pause sammen.",
            "Lokalerne er slidte, og indeklimaet er dårligt.",
            "Der mangler omklædningsrum og bad.",
            "Kaffemaskinen er tit i stykker.",
            "Vi mangler stille rum, når man skal koncentrere sig.",
        ),
        ("Det påvirker humøret.", "Om sommeren er det alt for varmt."),
        ("Det burde kunne løses hurtigt.", "Lad os bruge pengene på de fysiske rammer."),
    ),
    Topic(
        "general",
        "",
        "",
        2,
        (
            "Værdierne må ikke bare blive ord på en plakat.",
            "Hvad skal værdierne egentlig bruges til i hverdagen?",
            "Mere humor i hverdagen.",
            "Husk dem, der arbejder om aftenen og natten.",
            "God idé at spørge os, før værdierne bliver skrevet.",
        ),
    ),
)

# Ideas the moderator hides, each with the reason participants read instead of the idea.
HIDDEN: tuple[tuple[str, str, str], ...] = (
    (
        "leadership",
        "Bent i lønafdelingen svarer aldrig på mails, og det er helt uacceptabelt.",
        "Skjult, fordi indlægget nævner en navngiven kollega. Skriv gerne igen om problemet uden navne.",
    ),
    (
        "citizens",
        "Borgeren på Kildevej har klaget tre gange over det samme, og vi får ikke lov at gøre noget.",
        "Skjult, fordi indlægget handler om en enkelt borger (tavshedspligt). Klager og tonen over for "
        "medarbejderne er med i temaet om borgernes forventninger.",
    ),
    (
        "leadership",
        "Cheferne på rådhuset aner ikke, hvad de laver, og burde fyres alle sammen.",
        "Skjult på grund af tonen. Kritik af ledelsen er velkommen; mange indlæg om ledelse er samlet i "
        "temaet 'Ledelse tæt på hverdagen'.",
    ),
    (
        "general",
        "Køb lækre lagkager til personalefesten hos min svigerinde, ring på 20 12 34 56.",
        "Skjult: reklame og telefonnumre hører ikke hjemme i dialogen.",
    ),
)


@dataclass(frozen=True)
class ThemeText:
    key: str
    title: str
    description: str


THEMES: tuple[ThemeText, ...] = (
    ThemeText(
        "time",
        "Tid til kerneopgaven",
        "Arbejdspres, prioritering og møder, der tager tid fra borgerne, børnene og fagligheden.",
    ),
    ThemeText(
        "trust",
        "Tillid og åbenhed",
        "Frihed til at bruge sin faglighed, ærlig information om beslutninger og mod til at sige fra.",
    ),
    ThemeText(
        "leadership",
        "Ledelse tæt på hverdagen",
        "Synlige og tilgængelige ledere, anerkendelse og tydelige forventninger.",
    ),
    ThemeText(
        "wellbeing",
        "Trivsel og sygefravær",
        "Stress, nedslidning og fravær, og hvordan vi passer på hinanden i tide.",
    ),
    ThemeText(
        "cooperation",
        "Samarbejde på tværs",
        "Samarbejde og overlevering mellem enheder og forvaltninger, så borgerne ikke sendes rundt.",
    ),
    ThemeText(
        "newcomers",
        "Gode første måneder for nye kolleger",
        "Rekruttering, introduktion, elever og at holde på de erfarne kolleger.",
    ),
    ThemeText(
        "citizens",
        "Borgernes forventninger",
        "Forventninger, klager og tone, og et fælles sprog om, hvad kommunen tilbyder.",
    ),
    ThemeText(
        "digital",
        "Digitale værktøjer, der hjælper",
        "IT-systemer, oplæring og dobbeltregistrering.",
    ),
    ThemeText(
        "premises",
        "Lokaler, parkering og udstyr",
        "Fysiske rammer: personalestuer, indeklima, parkering og kaffemaskiner.",
    ),
)

# Ideas of one topic the facilitator also puts under a second theme.
SECOND_THEMES = {"meetings": "leadership", "absence": "time", "trust": "leadership", "citizens": "time"}

# Process outcomes: (key, kind, title, description). Kinds as in `Outcome.Kind`.
OUTCOMES: tuple[tuple[str, str, str, str], ...] = (
    (
        "value_time",
        "draft_value",
        "Tid til det, der gør en forskel",
        "Udkast til værdi: vi prioriterer kerneopgaven og siger tydeligt, hvad vi holder op med.",
    ),
    (
        "value_together",
        "draft_value",
        "Sammen om opgaven",
        "Udkast til værdi: vi løser opgaverne sammen på tværs af faggrupper, enheder og med borgerne.",
    ),
    (
        "value_trust",
        "draft_value",
        "Tillid gennem åbenhed",
        "Udkast til værdi: vi viser hinanden tillid og fortæller, hvorfor beslutninger bliver truffet.",
    ),
    (
        "value_presence",
        "draft_value",
        "Nærvær i ledelse og fællesskab",
        "Udkast til værdi: ledere og kolleger er til stede i hverdagen og ser hinanden.",
    ),
    (
        "text_digital",
        "draft_text",
        "Afsnit: Digitale værktøjer skal lette arbejdet",
        "Udkast til et afsnit i værdigrundlaget om, hvordan vi vælger og indfører nye systemer.",
    ),
    (
        "not_forward",
        "not_taken_forward",
        "Ikke taget med i værdierne",
        "Input, der ikke handler om værdier, sendes videre til dem, der kan gøre noget ved det.",
    ),
)

# Outcome links of every theme: (theme key, "outcome:<key>" or "policy:<node title>", reason).
LINKS: tuple[tuple[str, str, str], ...] = (
    (
        "time",
        "outcome:value_time",
        "Temaet fik flest indlæg og flest støtter. Det bliver til værdien 'Tid til det, der gør en "
        "forskel', som forpligter ledere og medarbejdere til at prioritere sammen.",
    ),
    (
        "time",
        "policy:Arbejdspres og balance",
        "Forslagene om prioritering, vikardækning og færre møder er sendt til arbejdsgruppen bag "
        "indsatsområdet om arbejdspres i personalepolitikken.",
    ),
    (
        "trust",
        "outcome:value_trust",
        "Mange skrev om kontrol, rygter og beslutninger uden begrundelse. Det er kernen i udkastet "
        "'Tillid gennem åbenhed'.",
    ),
    (
        "trust",
        "policy:Tillid",
        "Den nuværende værdi 'Tillid' beholdes, men beskrivelsen skrives om, så den også handler om at "
        "forklare beslutninger.",
    ),
    (
        "leadership",
        "outcome:value_presence",
        "Ønsket om synlige ledere, der har tid til medarbejderne, er blevet til udkastet 'Nærvær i "
        "ledelse og fællesskab'.",
    ),
    (
        "wellbeing",
        "policy:Sygefravær",
        "Forslagene om tidlig og omsorgsfuld kontakt er sendt til revisionen af sygefraværspolitikken.",
    ),
    (
        "wellbeing",
        "outcome:value_presence",
        "At passe på hinanden i tide er en del af udkastet 'Nærvær i ledelse og fællesskab'.",
    ),
    (
        "cooperation",
        "outcome:value_together",
        "Samarbejde på tværs er grundlaget for udkastet 'Sammen om opgaven'.",
    ),
    (
        "newcomers",
        "policy:Introduktionsprogram",
        "Forslagene om makkerordning og introduktion er sendt til HR, som udvider introduktionsprogrammet "
        "til alle nye medarbejdere.",
    ),
    (
        "newcomers",
        "outcome:value_together",
        "At tage godt imod nye kolleger er nævnt som et eksempel i udkastet 'Sammen om opgaven'.",
    ),
    (
        "citizens",
        "outcome:value_together",
        "Forslagene om at tale med borgerne om, hvad de selv kan bidrage med, er med i 'Sammen om opgaven'.",
    ),
    (
        "digital",
        "outcome:text_digital",
        "Udfordringerne med IT er mere et spørgsmål om arbejdsgange end om værdier. De bliver til et afsnit "
        "om, hvordan vi inddrager medarbejderne, før nye systemer indføres.",
    ),
    (
        "premises",
        "outcome:not_forward",
        "Parkering, lokaler og udstyr er vigtige for hverdagen, men de er ikke værdier. Indlæggene er sendt "
        "til Kommunale Ejendomme og til de lokale MED-udvalg, som følger op.",
    ),
)

# Planted strength of each round-1 theme in round 2 (Bradley–Terry log-strengths): the order
# participants' pairwise choices follow, with noise.
PREFERENCE = {
    "time": 1.2,
    "trust": 0.85,
    "leadership": 0.55,
    "wellbeing": 0.45,
    "cooperation": 0.15,
    "newcomers": 0.0,
    "citizens": -0.35,
    "digital": -0.6,
}

# Round 3: how strong today's culture is on each item (mean of 1–5), and what people write.
ASSESSMENT_MEANS = {
    "time": 2.3,
    "trust": 3.2,
    "leadership": 2.9,
    "wellbeing": 2.7,
    "cooperation": 3.0,
    "newcomers": 3.3,
    "citizens": 2.8,
    "digital": 2.5,
}
STRENGTHS = {
    "time": (
        "Kollegerne hjælper hinanden, når det brænder på.",
        "Vi er blevet bedre til at sige, hvad der kan vente.",
        "Teamet har fået en fast time til faglig sparring.",
    ),
    "trust": (
        "Min nærmeste leder lader os selv planlægge dagen.",
        "Vi kan sige tingene højt på personalemøderne.",
        "Vi får at vide, hvorfor tingene bliver besluttet.",
    ),
    "leadership": (
        "Lederen kommer forbi og spørger, hvordan det går.",
        "Der bliver sagt tak, når noget lykkes.",
        "Vores leder tager konflikterne i tide.",
    ),
    "wellbeing": (
        "Vi passer godt på hinanden i teamet.",
        "Der er god opbakning, når nogen kommer tilbage efter sygdom.",
        "Lederen spørger til trivslen ved teammøderne.",
    ),
    "cooperation": (
        "Samarbejdet med sygeplejen er blevet meget bedre.",
        "Vi har faste kontaktpersoner i de andre afdelinger.",
    ),
    "newcomers": (
        "Nye får en makker de første uger.",
        "Eleverne bliver taget godt imod.",
    ),
    "citizens": ("Vi er gode til at forklare borgerne, hvad de kan forvente.",),
    "digital": ("Superbrugerne er en stor hjælp.",),
}
WEAKNESSES = {
    "time": (
        "Der er stadig ingen, der tager opgaver væk.",
        "Vi springer pauserne over, når der mangler folk.",
        "Møderne fylder for meget i ugen.",
        "Dokumentationen tager al tiden om eftermiddagen.",
    ),
    "trust": (
        "Beslutninger om budgettet kommer uden forklaring.",
        "Der er for meget registrering, som ingen bruger.",
        "Det føles ikke trygt at sige fra.",
    ),
    "leadership": (
        "Lederen er sjældent til stede i aftenvagten.",
        "Vi har haft tre ledere på to år.",
        "Det er uklart, hvem vi skal gå til.",
    ),
    "wellbeing": (
        "Stress bliver først taget op, når nogen er sygemeldt.",
        "Det er de samme, der altid træder til.",
        "Fraværssamtalerne føles som kontrol.",
    ),
    "cooperation": (
        "Overleveringen fra sygehuset kommer for sent.",
        "Vi ved ikke, hvem vi skal ringe til i de andre forvaltninger.",
    ),
    "newcomers": (
        "Der er ikke tid til at lære de nye op.",
        "Vikarerne kender ikke rutinerne.",
    ),
    "citizens": ("Vi står alene med de vrede pårørende.",),
    "digital": ("Systemerne taler ikke sammen.",),
}
