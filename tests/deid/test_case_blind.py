"""Detection that does not depend on case, on dates having a year or a cue, or on the model: each case is a
(note, value that must be redacted) or (note, clinical term that must survive) pair."""

import pytest

pytestmark = pytest.mark.model


def _covered(spans, text, value):
    start = text.index(value)
    return all(any(s.start <= i < s.end for s in spans) for i in range(start, start + len(value)) if text[i].isalnum())


def _touched(spans, text, value):
    start = text.index(value)
    return any(s.start < start + len(value) and start < s.end for s in spans)


REDACTED = [
    # a town after a travel or residence cue, even one that is an English word, in any case
    ("BROUGHT BY EMS, TRANSPORTED FROM MOBILE AFTER FALL.", "MOBILE"),
    ("daughter says pt lives in quincy with her.", "quincy"),
    # a day and month joined by a hyphen, no year; "may" in any case between digits
    ("SEEN IN CLINIC 14-OCT, LABS DRAWN.", "14-OCT"),
    ("admit 02-jan, transferred to floor", "02-jan"),
    ("last visit 9-may-2019 per chart", "9-may-2019"),
    # a name as order records print it, last, first and middle initial, in any case
    ("DOUGHERTY, ANNETTE M.  DOB 04/11/1950", "DOUGHERTY, ANNETTE M."),
    ("Pt: Hollis, Graham T.\nAdmitted for CAP.", "Hollis, Graham T."),
    # initials with full stops, and an initial between a name and a credential
    ("Pt (R.T.) tolerated transfer to chair. Seen with M.K. at bedside.", "M.K."),
    ("vitals stable overnight, no prn needed. carmen d., rn", "carmen d."),
    # who told or was told, and a newborn's surname
    ("SPOKE W/ MARISOL RE: DISCHARGE TIME.", "MARISOL"),
    ("Report given to Deshawn on nights, pt stable.", "Deshawn"),
    ("Baby girl Okafor, 36 wks, to warmer.", "Okafor"),
    # a hospital's initials wherever they stand; a ZIP after its town
    ("Records requested from NWMC, pt to bring disc.", "NWMC"),
    ("Moved to Castle Pines, 80108.", "80108"),
    # a weekday abbreviation before what happens on it
    ("would like thu appts if possible", "thu"),
    # names on ALL-CAPS and lower-case lines, found by the safe-list backstop or a cue in any case
    ("PT SLEPT IN SHORT NAPS, AWOKE AT 0200 ASKING FOR MARGARET. DR.WELSH AWARE.", "MARGARET"),
    ("PT SLEPT IN SHORT NAPS, AWOKE AT 0200 ASKING FOR MARGARET. DR.WELSH AWARE.", "WELSH"),
    ("pt resting comfortably. son jermaine called, updated on plan by dr smith.", "jermaine"),
    ("pt resting comfortably. son jermaine called, updated on plan by dr smith.", "smith"),
    ("E. WELSH RN AT BEDSIDE DURING PROCEDURE, TOLERATED WELL.", "E. WELSH"),
    ("FAMILY IN TO VISIT, DAUGHTERS ANN AND BETH UPDATED BY THIS WRITER.", "ANN"),
    ("FAMILY IN TO VISIT, DAUGHTERS ANN AND BETH UPDATED BY THIS WRITER.", "BETH"),
    ("Report called to Una (RN) at 1900, pt stable.", "Una"),
    ("Vent weaned per protocol overnight.\nRN: L.MOODY", "L.MOODY"),
    ("Plan: cont to monitor, f/u AM labs.\n-- J. Welsh, RN", "J. Welsh"),
    ("Plan: cont to monitor, f/u AM labs.\n/jw", "jw"),
    ("Plan: cont to monitor, f/u AM labs. Dr. J. Lane to see in am. /dm", "dm"),
    ("RE: MICHAEL HERNANDEZ (DOB 9/19/1932)\nDEAR DR GLENN,\nThank you.", "MICHAEL HERNANDEZ"),
    ("Thank you for seeing her.\nSincerely,\n\nBrandy Brooks, MD", "Brandy Brooks"),
    ("Discussed with Dr. Gleba (pager 4481) this evening.", "Gleba"),
    ("Identifying data: Hans D. Schmidt is a retired machinist.", "Hans"),
    # dates: every element but the year, wherever it stands
    ("7/23 AT 1400 PT TO CT, RETURNED 1600.", "7/23"),
    ("Hx ESRD, dialysis 8/23 at outside unit.", "8/23"),
    ("3/16-> CABG, uneventful recovery.", "3/16"),
    ("family meeting planned on 7-8 with team", "7-8"),
    ("pt s/p fall at home 1-9, lives alone", "1-9"),
    ("Admitted 3/16-18 for chest pain.", "3/16-18"),
    ("fall at home 05/05, no injury", "05/05"),
    ("was at the hospital in sept. for pneumonia", "sept."),
    ("last seen by pcp on the 11th, labs ok", "11th"),
    ("wife will bring clothes tues, pt aware", "tues"),
    ("Family meeting planned sund. 03/03.", "sund."),
    ("hospitalized over Christmas with flu", "Christmas"),
    ("telephone encounter may 18, 2022 re meds", "may 18"),
    ("Pt is a 92F admitted via ED", "92"),
    # numbers after their cue, phones without an area code or split in odd ways
    ("Dr Downing paged (beeper 62091), no callback.", "62091"),
    ("Call back at 301 944-5032 or x40143.", "301 944-5032"),
    ("Call back at 301 944-5032 or x40143.", "40143"),
    ("Family can be reached at 617/555-0143.", "617/555-0143"),
    # places on case-blind lines
    ("ADMITTED FROM MERCY RIDGE HOSPITAL ON 02/27 WITH SOB.", "MERCY RIDGE HOSPITAL"),
    ("discharged to maple crest rehab on 1-14, stable.", "maple crest rehab"),
    # form fields: the label says what the value is
    ("Domicilio: C BIZKARRETA, 1. Bajo A.\nLocalidad/ Provincia: Las palmas.", "C BIZKARRETA, 1. Bajo A"),
    ("Domicilio: C BIZKARRETA, 1. Bajo A.\nLocalidad/ Provincia: Las palmas.", "Las palmas"),
]

KEPT = [
    ("PT TRANSFERRED FROM DIALYSIS, CAME FROM HOME WITH WIFE.", "DIALYSIS"),
    # abbreviations written with full stops, clinical capitals ending in H, counts after a comma
    ("Meds given P.O. at 0800, repeat in A.M. if needed.", "P.O."),
    ("Echo shows LVH, TSH pending, ETOH use denied.", "LVH"),
    ("Heparin drip restarted, 12500 units in 250 mL.", "12500"),
    # a sentence ending does not join a regimen to the next sentence's head word
    ("C1D8 FOLFIRI. Labs reviewed, ANC adequate.", "FOLFIRI"),
    # a dose is not a house number, "per" before ordinary words is no name
    ("PREMEDS GIVEN, DEXAMETHASONE 12 MG. IRINOTECAN OVER 90 MIN, NO REACTION.", "DEXAMETHASONE"),
    ("SLEPT 5 HRS PER NIGHT STAFF, REPOSITIONED Q2H.", "NIGHT STAFF"),
    ("SBP 90s after 1/2 tab lopressor, held next dose.", "1/2 tab"),
    ("BP 120/80, HR 72, strength 5/5 bilaterally.", "120/80"),
    ("BP 120/80, HR 72, strength 5/5 bilaterally.", "5/5"),
    ("2/6 SEM at LUSB, no rub.", "2/6"),
    ("c/o incisional pain 6/10, relief to 3/10 after percocet.", "6/10"),
    ("c/o incisional pain 6/10, relief to 3/10 after percocet.", "3/10"),
    ("Sats 94-96% on 2-3L NC overnight.", "2-3L"),
    ("RR 12-20, FS 180-220 covered per scale.", "12-20"),
    ("SOB 2/2 CHF exacerbation, diuresing.", "2/2"),
    ("Took 1 1/2 tabs of oxycodone.", "1 1/2"),
    ("Drank 2-3 glasses of juice today.", "2-3"),
    ("BiPAP 12/5 at 40%, tolerating.", "12/5"),
    ("MMSE 24/30 today.", "24/30"),
    ("FOLEY DRAINING CLEAR YELLOW URINE 30-60CC/HR. ABD SOFT, NT/ND.", "FOLEY DRAINING"),
    ("FOLEY DRAINING CLEAR YELLOW URINE 30-60CC/HR. ABD SOFT, NT/ND.", "NT/ND"),
    ("NEURO: ALERT, CONFUSED AT TIMES, REORIENTS EASILY. HD MWF.", "REORIENTS"),
    ("NEURO: ALERT, CONFUSED AT TIMES, REORIENTS EASILY. HD MWF.", "MWF"),
    ("GUAIAC + BROWN STOOL X2, ON ALBUTEROL/ATROVENT NEBS.", "BROWN STOOL"),
    ("GUAIAC + BROWN STOOL X2, ON ALBUTEROL/ATROVENT NEBS.", "ALBUTEROL/ATROVENT"),
    ("pt resting comfortably, extubated to 4L, dr aware, son at bedside.", "dr aware"),
    ("pt resting comfortably, extubated to 4L, dr aware, son at bedside.", "son at bedside"),
    ("Paged MD re: K 3.2, repleted.", "Paged MD"),
    ("Dan Vincent, RN, BSN", "BSN"),
    ("HX PARKINSON'S DISEASE AND ALZHEIMER'S DEMENTIA.", "PARKINSON'S DISEASE"),
    ("Grade 2 chondromalacia patellae on MRI.", "chondromalacia patellae"),
    ("Injured the 5th digit of the left hand.", "5th digit"),
    ("Sat 95% on room air.", "Sat 95%"),
    ("Code: ICD-10 M17.11; SNOMED 239873007.", "SNOMED"),
    ("8am.cont meds; seen by Dr.Torres.", "8am.cont"),
]


@pytest.mark.parametrize(("text", "value"), REDACTED)
def test_when_identifier_in_any_case_or_without_cue_then_redacted(deidentifier, text, value):
    spans = deidentifier.detect(text, "en")
    assert _covered(spans, text, value), [(text[s.start : s.end], s.label, s.recognizer) for s in spans]


@pytest.mark.parametrize(("text", "value"), KEPT)
def test_when_clinical_number_or_word_then_it_survives(deidentifier, text, value):
    spans = deidentifier.detect(text, "en")
    assert not _touched(spans, text, value), [(text[s.start : s.end], s.label, s.recognizer) for s in spans]


REDACTED_ES = [
    ("En la exploración física, Maialen estaba consciente y orientada.", "Maialen"),
    ("Se remite al hospital de referencia en Jaén para estudio.", "Jaén"),
    ("Antecedentes: intervenido en enero 2001 y en marzo de 2005.", "enero 2001"),
    ("Fecha de nacimiento: 16/018/1961.", "16/018/1961"),
    ("NHC: 436434/875.", "436434/875"),
]
KEPT_ES = [
    ("Remitida al Servicio de Neuropediatría para valoración.", "Neuropediatría"),
    ("Tratada con Loperamida y Colecalciferol.", "Loperamida"),
    ("Estadio IV de la enfermedad de Crohn.", "Crohn"),
]


@pytest.mark.parametrize(("text", "value"), REDACTED_ES)
def test_when_spanish_identifier_without_cue_then_redacted(deidentifier, text, value):
    spans = deidentifier.detect(text, "es")
    assert _covered(spans, text, value), [(text[s.start : s.end], s.label, s.recognizer) for s in spans]


@pytest.mark.parametrize(("text", "value"), KEPT_ES)
def test_when_spanish_clinical_word_then_it_survives(deidentifier, text, value):
    spans = deidentifier.detect(text, "es")
    assert not _touched(spans, text, value), [(text[s.start : s.end], s.label, s.recognizer) for s in spans]
