"""Dates as clinicians write them: numeric, textual, partial ("3/14", "March 2023"), Spanish.

A year alone is not PHI under Safe Harbor and is not reported; any element more specific is.
"""

from __future__ import annotations

import re

from etl.calendar_names import MONTHS_EN as MONTH_NAMES
from etl.deid.recognizers.base import CaseBlind, GroupPattern, GroupRegexRecognizer, by_first_char, compile_pattern
from etl.deid.recognizers.partial_dates import UNIT_AFTER
from etl.deid.recognizers.vocab import MONTHS_EN, MONTHS_ES

_I = re.IGNORECASE
# words before a partial date ("seen 3/14"), regrouped by first letter: the same matches, found faster
_DATE_CUES = by_first_char(
    "on|since|from|until|till|through|thru|dated|seen|admitted|discharged|as of|by|before"
    "|after|el|desde|hasta|día|dia|note|encounter|visit|appointment|appt|call|surgery|admission|discharge"
    r"|f/u|follow-up|follow\s+up|nota|consulta|visita|ingreso|alta|cita",
    ignore_case=True,
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_MON = r"(?:1[0-2]|0?[1-9])"
_YEAR = r"(?:1[89]\d{2}|2[01]\d{2})"
_YY = r"(?:\d{2})"
_ORD = r"(?:st|nd|rd|th)?"
_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"


def _numeric(lang: str) -> list[GroupPattern]:
    first, second = (_MON, _DAY) if lang == "en" else (_DAY, _MON)
    return [
        compile_pattern(
            "iso",
            rf"(?<![\d.])(?P<phi>{_YEAR}[-/.]{_MON}[-/.]{_DAY}(?:[ T]{_TIME})?)(?![\d])",
            "DATE",
            0.9,
            engine="regex",
        ),
        compile_pattern(
            "numeric_full",
            rf"(?<![\d/.-])(?P<phi>(?:{_MON}|{_DAY})[/-](?:{_MON}|{_DAY})[/-](?:{_YEAR}|{_YY}))(?![\d/])",
            "DATE",
            0.85,
            anchor=r"(?<![\d/.-])(?=\d{1,2}[/-]\d{1,2}[/-]\d\d)",
        ),
        compile_pattern(
            "dotted", rf"(?<![\d.])(?P<phi>{_DAY}\.{_MON}\.(?:{_YEAR}|{_YY}))(?![\d.])", "DATE", 0.7, engine="regex"
        ),
        # the US order with full stops ("3.16.21"); a version or dose has no day above 12 in second place
        compile_pattern(
            "dotted_month_first",
            rf"(?<![\d.])(?P<phi>{_MON}\.(?:1[3-9]|2\d|3[01])\.(?:{_YEAR}|{_YY}))(?![\d.])",
            "DATE",
            0.7,
            engine="regex",
        ),
        # "3/14" is a fraction, a murmur grade or a strength score unless a date cue precedes it.
        compile_pattern(
            "partial_cued",
            rf"(?:\b(?:{_DATE_CUES})\s+|\b(?:DOS|DOB|date|fecha)\s*[:#]?\s*)"
            rf"(?P<phi>{first}/{second})(?![\d/])",
            "DATE",
            0.8,
            _I,
            engine="regex",
        ),
        compile_pattern(
            "month_year_numeric", rf"(?<![\d/.-])(?P<phi>{_MON}/{_YEAR})(?![\d/])", "DATE", 0.7, engine="regex"
        ),
    ]


def _textual_en() -> list[GroupPattern]:
    m = MONTHS_EN
    m_any = MONTHS_EN.replace("(?-i:May|MAY)", "may")  # where digits stand around it, "may" in any case
    # where the day-first forms can start; a digit first lets `re` skip ahead to digits
    day_first = re.compile(rf"(?=\d)\b(?={_DAY}(?:{_ORD}\s+(?:of\s+)?|[-\s]){m_any})", _I)
    month_first = rf"\b(?={m})"  # where the month-first forms can start
    return [
        compile_pattern(
            "mdy", rf"\b(?P<phi>{m}\s+{_DAY}{_ORD},?\s+{_YEAR})\b", "DATE", 0.95, _I, anchor=month_first, engine="regex"
        ),
        compile_pattern(
            "dmy", rf"\b(?P<phi>{_DAY}{_ORD}\s+(?:of\s+)?{m},?\s+{_YEAR})\b", "DATE", 0.95, _I, anchor=day_first
        ),
        compile_pattern(
            "d_mon_y", rf"\b(?P<phi>{_DAY}[-\s]{m_any}[-\s](?:{_YEAR}|{_YY}))\b", "DATE", 0.95, _I, anchor=day_first
        ),
        # a day and its month joined by a hyphen, no year ("27-jun", "03-MAY"): between digits and a hyphen
        # even "may" is a month
        compile_pattern("d_mon", rf"\b(?P<phi>{_DAY}-{m_any})(?![\w'-])(?!\s*\d)", "DATE", 0.8, _I, anchor=day_first),
        compile_pattern(
            "month_day",
            rf"\b(?P<phi>{m}\s+{_DAY}{_ORD})\b(?!\s*(?:mg|ml|units?)\b)",
            "DATE",
            0.7,
            _I,
            anchor=month_first,
            engine="regex",
        ),
        compile_pattern("day_of_month", rf"\b(?P<phi>{_DAY}{_ORD}\s+of\s+{m})", "DATE", 0.8, _I, anchor=day_first),
        # a day before its month, no year ("16 Mar", "3rd June"); not before a dose or count
        compile_pattern(
            "day_month",
            rf"\b(?P<phi>{_DAY}{_ORD}\s+{m})(?![\w'])(?!\s*\d)",
            "DATE",
            0.75,
            _I,
            anchor=day_first,
        ),
        compile_pattern(
            "month_year", rf"\b(?P<phi>{m},?\s+{_YEAR})\b", "DATE", 0.85, _I, anchor=month_first, engine="regex"
        ),
        compile_pattern(
            "weekday", r"\b(?P<phi>(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b", "DATE", 0.6, _I, engine="regex"
        ),
    ]


# Words before a month, weekday or ordinal that make it a date ("in sept.", "since tues", "on the 11th").
_BEFORE_ALONE_WORDS = (
    r"in|on|since|during|early|mid|late|last|this|next|of|until|till|by|from|through|thru|before|after"
    r"|around|about|circa|end\s+of|beginning\s+of|start\s+of|middle\s+of|since\s+early|since\s+late"
)
_BEFORE_ALONE = rf"(?:{_BEFORE_ALONE_WORDS})"
_MONTH_FULL = r"(?:january|february|march|april|june|july|august|september|october|november|december)"
_MONTH_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_WEEKDAY_ABBR = r"(?:mon|tue|tues|wed|weds|wedn|thu|thur|thurs|fri|sat|sun)\.?"
# a weekday cut short with a full stop: "Satur.", "sund.", "Wednes." (no English word ends so)
_WEEKDAY_CUT = r"(?:mond?|tues?|wedn?e?s?|thur?s?|frid?|satu?r?|sund?)\."
# a month cut short with a full stop: "Octo.", "sept.", "Janu." (the prefixes of four letters or more)
_MONTH_CUT = "|".join(
    sorted({m[:n].lower() for m in MONTH_NAMES for n in range(4, len(m))} - {"marc", "june", "july"}, reverse=True)
)
# before a weekday abbreviation, besides the words before any date element: planning and visiting verbs
_WEEKDAY_VERBS = (
    r"planned|scheduled|visit|visiting|come|coming|return|returning|bring|call|see|appt|appointment|meeting"
    r"|surgery|discharge|d/c"
)
_BEFORE_WEEKDAY = rf"(?:{_BEFORE_ALONE_WORDS}|{_WEEKDAY_VERBS})"
# where the forms above can start, so they are tried only there (see GroupPattern.anchor): a cue word, a
# month or weekday stem, a holiday
_CUE_WORD_AT = CaseBlind(rf"\b(?=(?:{by_first_char(f'{_BEFORE_ALONE_WORDS}|{_WEEKDAY_VERBS}|the', True)})\s)")
_STEM_AT = CaseBlind(r"\b(?=(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun))")
_HOLIDAYS = (
    r"christmas(?:\s+eve|\s+day)?|xmas|x-mas|thanksgiving|easter|new\s+year'?s(?:\s+(?:day|eve))?|halloween"
    r"|labou?r\s+day|memorial\s+day|independence\s+day|(?:fourth|4th)\s+of\s+july|valentine'?s\s+day"
    r"|mother'?s\s+day|father'?s\s+day|hanukk?ah|chanukk?ah|passover|rosh\s+hashanah|yom\s+kippur|ramadan"
    r"|eid|kwanzaa|veterans\s+day|presidents'?\s+day|columbus\s+day|mlk\s+day"
)
_HOLIDAY_AT = CaseBlind(
    r"\b(?=(?:christ|xmas|x-mas|thanksg|easter|new\s+year|hallow|labo|memorial|indep|fourth|4th|valent|mother|father"
    r"|hanuk|chanuk|passo|rosh|yom|ramad|eid|kwanz|veter|presid|colum|mlk))"
)
# after an ordinal that is a day: the end of the clause, "of", "at", a range, a time -- not a noun ("5th digit")
_AFTER_DAY = r"(?=\s*(?:$|[^\sA-Za-z]|(?:of|at|and|or|to|through|thru|until|in|when|per|for|-)\b))"


def _alone_en() -> list[GroupPattern]:
    """Date elements standing alone: a month, a weekday abbreviation, a day ordinal, a holiday."""
    stem, cue = _STEM_AT, _CUE_WORD_AT
    return [
        # a full month name wherever it stands (May only with a cue: it is a verb)
        compile_pattern("month_name", rf"\b(?P<phi>{_MONTH_FULL})\b", "DATE", 0.6, _I, anchor=stem, engine="regex"),
        compile_pattern(
            "month_cued",
            rf"\b{_BEFORE_ALONE}\s+(?P<phi>{_MONTH_ABBR}|may)(?![\w'])",
            "DATE",
            0.7,
            _I,
            anchor=cue,
            engine="regex",
        ),
        # an abbreviated month capitalized in running text ("Sept", "Dec."): not "DEC" (decreased) in capitals
        compile_pattern(
            "month_abbr",
            r"\b(?P<phi>(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)(?![\w'])",
            "DATE",
            0.6,
            anchor=stem,
        ),
        # "may" in any case before a day ("may 18, 2022", "may 10th"), not before a dose
        compile_pattern(
            "may_day",
            rf"\b(?P<phi>may\s+{_DAY}{_ORD}(?:,?\s+{_YEAR})?)\b(?!\s*(?:mg|ml|units?)\b)",
            "DATE",
            0.7,
            _I,
            anchor=stem,
        ),
        compile_pattern(
            "weekday_cut", rf"\b(?P<phi>{_WEEKDAY_CUT})(?!\w)", "DATE", 0.6, _I, anchor=stem, engine="regex"
        ),
        compile_pattern(
            "month_cut", rf"\b(?P<phi>(?:{_MONTH_CUT})\.)(?!\w)", "DATE", 0.6, _I, anchor=stem, engine="regex"
        ),
        compile_pattern(
            "weekday_cued",
            rf"\b{_BEFORE_WEEKDAY}\s+(?P<phi>{_WEEKDAY_ABBR})(?![\w'%])",
            "DATE",
            0.7,
            _I,
            anchor=cue,
            engine="regex",
        ),
        compile_pattern(
            "weekday_before_time",
            rf"\b(?P<phi>{_WEEKDAY_ABBR})"
            r"(?=\s+(?:am|pm|a\.m\.|p\.m\.|morning|night|evening|eve|afternoon|\d{1,2}[/-]\d"
            r"|(?:slots?|appts?|appointments?|visits?|sessions?|clinic|dialysis|rounds|schedule)\b))",
            "DATE",
            0.7,
            _I,
            anchor=stem,
        ),
        compile_pattern(
            "weekday_abbr",
            r"\b(?P<phi>(?:Mon|Tue|Tues|Wed|Weds|Thu|Thur|Thurs|Fri)\.?)(?![\w'%])(?!\s*\d)"
            r"|\b(?P<phi2>(?i:tue|tues|wedn|weds|thur|thurs|fri|frid)\.?)(?![\w'%])",  # no English word in any case
            "DATE",
            0.6,
            anchor=stem,
            also=(("phi2", "weekday_unambiguous", "DATE", 0.6),),
            engine="regex",
        ),
        compile_pattern(
            "ordinal_day",
            rf"\b(?:{_BEFORE_ALONE}|the)\s+(?:the\s+)?(?P<phi>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)){_AFTER_DAY}",
            "DATE",
            0.7,
            _I,
            anchor=cue,
            engine="regex",
        ),
        compile_pattern("holiday", rf"\b(?P<phi>{_HOLIDAYS})\b", "DATE", 0.7, _I, anchor=_HOLIDAY_AT, engine="regex"),
    ]


def _textual_es() -> list[GroupPattern]:
    m = MONTHS_ES
    return [
        compile_pattern(
            "d_de_m_de_y", rf"\b(?P<phi>{_DAY}\s+de\s+{m}(?:\s+(?:de|del)\s+{_YEAR})?)\b", "DATE", 0.95, _I
        ),
        compile_pattern("m_de_y", rf"\b(?P<phi>{m}\s+(?:de|del)\s+{_YEAR})\b", "DATE", 0.85, _I, engine="regex"),
        compile_pattern("mes_de", rf"\bmes\s+de\s+(?P<phi>{m})\b", "DATE", 0.8, _I, engine="regex"),
        # a month and year without "de" ("enero 2001", "Noviembre 2008"), a month name alone ("en febrero")
        compile_pattern("m_y", rf"\b(?P<phi>{m},?\s+{_YEAR})\b", "DATE", 0.85, _I, engine="regex"),
        compile_pattern(
            "mes",
            r"\b(?P<phi>enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre"
            r"|diciembre)\b",
            "DATE",
            0.6,
            _I,
            engine="regex",
        ),
        compile_pattern("d_mon_y", rf"\b(?P<phi>{_DAY}[-\s/]{m}[-\s/](?:{_YEAR}|{_YY}))\b", "DATE", 0.9, _I),
        compile_pattern(
            "dia",
            r"\b(?P<phi>lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)\b",
            "DATE",
            0.6,
            _I,
            engine="regex",
        ),
    ]


class ClinicalDateRecognizer(GroupRegexRecognizer):
    LANGS = ("en", "es")

    def validate(self, text: str, start: int, end: int, pattern: GroupPattern) -> bool:
        # "after 1/2 tab": a cue word before a fraction and its unit
        return pattern.name != "partial_cued" or not UNIT_AFTER.match(text, end)

    def patterns(self, lang: str) -> list[GroupPattern]:
        textual = [*_textual_en(), *_alone_en()] if lang == "en" else [*_textual_es(), *_textual_en()]
        return [*_numeric(lang), *textual]
