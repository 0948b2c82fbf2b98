"""Shared word lists for the recognizers."""

from __future__ import annotations

MONTHS_EN = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|(?-i:May|MAY)|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
MONTHS_ES = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
    r"|ene|feb|mar|abr|jun|jul|ago|sep|sept|oct|nov|dic)\.?"
)
US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho"
    "|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota"
    "|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York"
    "|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina"
    "|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming"
    "|District of Columbia"
)
US_STATE_ABBR = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC"
    "|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR"
)
# USPS street suffixes (Publication 28, C1) and common abbreviations.
STREET_SUFFIXES = (
    "Alley|Aly|Annex|Arcade|Avenue|Ave|Av|Bayou|Beach|Bend|Bluff|Bluffs|Bottom|Boulevard|Blvd|Branch|Bridge"
    "|Brook|Brooks|Burg|Burgs|Bypass|Camp|Canyon|Cape|Causeway|Center|Centers|Circle|Cir|Circles|Cliff"
    "|Cliffs|Club|Common|Commons|Corner|Corners|Course|Court|Ct|Courts|Cove|Coves|Creek|Crescent|Crest"
    "|Crossing|Crossroad|Curve|Dale|Dam|Divide|Drive|Dr|Drives|Estate|Estates|Expressway|Expy|Extension"
    "|Extensions|Falls|Ferry|Field|Fields|Flat|Flats|Ford|Fords|Forest|Forge|Forges|Fork|Forks|Fort"
    "|Freeway|Fwy|Garden|Gardens|Gateway|Glen|Glens|Green|Greens|Grove|Groves|Harbor|Harbors|Haven"
    "|Heights|Hts|Highway|Hwy|Hill|Hills|Hollow|Inlet|Island|Islands|Isle|Junction|Junctions|Key|Keys"
    "|Knoll|Knolls|Lake|Lakes|Landing|Lane|Ln|Light|Lights|Loaf|Lock|Locks|Lodge|Loop|Mall|Manor|Manors"
    "|Meadow|Meadows|Mews|Mill|Mills|Mission|Motorway|Mount|Mountain|Mountains|Neck|Orchard|Oval"
    "|Overpass|Park|Parks|Parkway|Pkwy|Parkways|Pass|Passage|Path|Pike|Pine|Pines|Place|Pl|Plain|Plains"
    "|Plaza|Point|Points|Port|Ports|Prairie|Radial|Ramp|Ranch|Rapid|Rapids|Rest|Ridge|Ridges|River|Road"
    "|Rd|Roads|Route|Rte|Row|Rue|Run|Shoal|Shoals|Shore|Shores|Skyway|Spring|Springs|Spur|Spurs|Square"
    "|Sq|Squares|Station|Stravenue|Stream|Street|St|Streets|Summit|Terrace|Ter|Throughway|Trace|Track"
    "|Trafficway|Trail|Trl|Trailer|Tunnel|Turnpike|Underpass|Union|Unions|Valley|Valleys|Via|Viaduct"
    "|View|Views|Village|Villages|Ville|Vista|Walk|Walks|Wall|Way|Ways|Well|Wells"
)
# Capitalized words that follow a cue ("Pt: Denies ...", "Patient Education") but are not names.
NOT_NAMES = frozenset(
    """
    a an the he she they his her their this that it is was has had and or but not no yes none denies denied
    reports reported states stated presents presented complains notes noted admits will would should could may
    might patient pt name history hpi education instructions information seen signed dictated referred here
    today tomorrow yesterday mr mrs ms dr doctor nurse md do rn np pa hospital clinic center unit department
    service team floor room bed ward male female man woman boy girl child infant baby adult january february
    march april june july august september october november december monday tuesday wednesday thursday friday
    saturday sunday paciente nombre el la los las un una es fue ha con sin y o si phone telephone tel fax cell
    mobile pager email e-mail address addr dob mrn ssn acct account re ref dra drs doctora sr sra srta don doña
    dña acude presenta refiere ingresa acudió ingresó teléfono telefono móvil movil correo
    domicilio dirección direccion
    """.split()
)

# Clinical abbreviations (labs, vitals, scores, units, services) that small NER models mistake for names.
CLINICAL_ABBREVIATIONS = frozenset(
    """
    npo yo y/o wnl nad aox3 aaox3 perrla perrl eomi rrr ctab ntnd nt nd bs abd ext neuro psych resp cv gi gu ob
    gyn heent msk sob doe cp n/v loc hpi tachy brady tachycardic bradycardic afeb diaphoretic lethargic obtunded
    bp hr rr t temp spo2 sao2 o2 fio2 map cvp bmi wt ht gcs nihss mmse moca phq phq-9 gad gad-7 ciwa cows na k
    cl co2 hco3 bun cr creat glu ca mg phos alb tbili dbili ast alt alp ggt ldh ck ckmb trop tnt tni bnp
    ntprobnp inr pt ptt aptt hgb hb hct wbc rbc plt mcv rdw anc esr crp procal lactate a1c hba1c tsh ft4 ft3 ldl
    hdl tg chol psa cea afp ua ucx bcx abg vbg ph pco2 po2 ekg ecg echo ef lvef cxr ct cta mri mra us pet dexa
    eeg emg ncs ra nc nrb bipap cpap ett ngt peg picc cvc iv im sc sq po pr sl prn bid tid qid qd qhs qam qpm
    q2w qod hs ac pc mg mcg ml l dl kg g mmol meq iu units mmhg bpm cm mm c f pacu icu ed er or nicu picu ccu
    sicu micu pt ot slp snf ltac ltc hpi ros pmh psh fh sh cc a/p ap soap mdm dx ddx tx rx hx sx fx abx nsaid
    nsaids ssri snri tca maoi ace arb ccb ppi h2 doac lmwh ufh tpa dvt pe mi cad chf hf copd ckd esrd dm t2dm
    htn hld afib osa gerd ibd uti cva tia sah ich ards sepsis aki dka hhs prp bmac prn ivf ns lr d5w nka nkda
    dnr dni polst hcp poa mrsa vre cdiff covid hiv hcv hbv ebv cmv hsv rsv
    """.split()
)
# Generic drug-name stems (WHO INN) that mark a word as a drug, not a name.
DRUG_SUFFIXES = (
    "mab",
    "nib",
    "pril",
    "sartan",
    "olol",
    "statin",
    "xaban",
    "gatran",
    "parin",
    "azole",
    "cycline",
    "mycin",
    "cillin",
    "floxacin",
    "tidine",
    "prazole",
    "gliptin",
    "gliflozin",
    "glutide",
    "dipine",
    "afil",
    "setron",
    "triptan",
    "lukast",
    "vir",
    "vudine",
    "caine",
    "zepam",
    "zolam",
    "barbital",
    "tropin",
    "semide",
    "thiazide",
    "oxetine",
    "aline",
    "triptyline",
    "pramine",
    "peridol",
    "apine",
    "idone",
    "profen",
    "coxib",
    "sone",
    "olone",
    "dronate",
    "parib",
    "tinib",
    "lisib",
    "ciclib",
    "zumab",
    "ximab",
    "cept",
    "kinra",
    "ase",
    "plase",
    "oxacin",
    "conazole",
    "fungin",
    "navir",
    "previr",
    "buvir",
    "tegravir",
    "amine",
    "terol",
    "tropium",
    "onium",
    "curium",
    "proxen",
    "fenac",
    "oxicam",
    "dazole",
    "bactam",
    "penem",
    "platin",
    "rubicin",
    "taxel",
    "tecan",
    "uracil",
    "trexate",
    "mustine",
    "sporin",
    "lamide",
)
# Health plans and public programs: a plan's name is not an identifier (a member number is).
PAYERS = frozenset(
    """
    medicare medicaid medi-cal tricare champva humana aetna cigna anthem unitedhealthcare united healthcare
    kaiser permanente blue cross shield bcbs highmark centene molina wellcare ambetter oscar dual eligible
    self-pay self pay uninsured no insurance health medical plan
    """.split()
)
DOSAGE_FORMS = frozenset(
    """
    oral tablet tablets tab caps capsule capsules injection injectable solution suspension syrup cream ointment gel
    patch inhaler spray drops topical transdermal extended release delayed chewable disintegrating vial prefilled
    syringe pen auto-injector vaccine vaccination dose doses
    mg mcg µg g ml ul units unit iu meq mmol daily bid tid qid qd qod qhs qam qpm prn nightly weekly monthly
    hourly q4h q6h q8h q12h q24h po iv im sc sq subq sl once twice
    """.split()
)
VACCINES = frozenset("mmr dtap tdap td hpv ipv opv pcv pcv13 ppsv23 hib hepa hepb bcg mmrv varicella zoster".split())
SALTS = (
    r"(?:\s+(?:sodium|potassium|calcium|magnesium|hydrochloride|hcl|sulfate|sulphate|succinate|tartrate|citrate"
    r"|besylate|maleate|mesylate|phosphate|acetate|bromide|chloride|er|xr|sr|dr|odt))*"
)
DOSE = r"\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|g|mL|ml|units?|IU|mEq|mmol|%|tabs?|caps?|puffs?)\b"

# Words that introduce a name and are never part of one: titles, relations, credentials, letter cues.
CUE_WORDS = frozenset(
    """
    dr drs doctor dra mr mrs ms miss mx prof professor nurse attending resident fellow intern pcp surgeon
    rn np md pa pa-c rrt lpn lvn cna lna msw licsw lcsw crna aprn fnp fnp-bc bsn msn pharmd dpt slp otr
    wife husband husb spouse partner son sons daughter daughters dtr dtrs dau mother mom father dad brother
    bro brothers sister sis sisters niece nephew aunt uncle grandson granddaughter grandchildren grandmother
    grandfather cousin friend neighbor neighbour fiance fiancee girlfriend boyfriend hcp poa proxy guardian
    caregiver children kids family re dear attn cc signed sincerely regards
    """.split()
)

# Endings of Spanish medical words, which no given name or surname has: specialties, diseases, procedures,
# drug stems ("Neuropediatría", "Priapismo", "Loperamida", "Colecalciferol").
MEDICAL_SUFFIXES_ES = (
    "logía", "logia", "iatría", "iatria", "itis", "osis", "emia", "ectomía", "otomía", "ostomía", "scopia",
    "scopía", "grafía", "terapia", "plastia", "patía", "algia", "uria", "penia", "trofia", "plasia", "ismo",
    "micina", "cilina", "azol", "prazol", "floxacino", "ciclina", "statina", "sartán", "pril", "olol", "mab",
    "nib", "vir", "parina", "dipino", "zepam", "zolam", "tidina", "setrón", "triptán", "metasona", "cortisona",
    "tiazida", "semida", "amida", "ferol", "ficina", "coco", "cocos", "bacter", "bacteria", "micosis",
)  # fmt: skip
# Roman numerals (stages, classes, cranial nerves): never names
ROMAN_NUMERALS = frozenset("i ii iii iv v vi vii viii ix x xi xii".split())
