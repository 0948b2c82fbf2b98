"""Dates as Chinese notes write them: 2023年3月14日, 2023-03-14, 2023/3/14, 2023.3.14, 3月14日, 3月14号,
二〇二三年三月十四日, 三月十四日; and what Safe Harbor and date shifting make of them, written back in the
same layout (Arabic or Chinese numerals, the same separators)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from etl.languages.zh.text import NUMERAL, numeral_value, to_numeral, width_view

_N = f"[{NUMERAL}]"
# a year, month and day in Arabic digits or in Chinese numerals
_Y = rf"(?:(?:19|20)\d{{2}}|{_N}{{4}})"
_M = rf"(?:1[0-2]|0?[1-9]|{_N}{{1,2}})"
_D = rf"(?:3[01]|[12]\d|0?[1-9]|{_N}{{1,3}})"
_SP = r"\s{0,2}"
# (the pattern, what is reported): full dates first, then the month and day, then the cued month
DATE_PATTERNS = (
    ("ymd", rf"(?<!\d)(?P<phi>{_Y}{_SP}年{_SP}{_M}{_SP}月(?:{_SP}{_D}{_SP}[日号])?)"),
    (
        "iso",
        r"(?<![\d.])(?P<phi>(?:19|20)\d{2}(?P<sep>[-/.])(?:1[0-2]|0?[1-9])(?P=sep)(?:3[01]|[12]\d|0?[1-9]))(?![\d.])",
    ),
    ("year_month", r"(?<![\d.])(?P<phi>(?:19|20)\d{2}[-/.](?:1[0-2]|0[1-9]))(?![\d./-])"),
    ("md", rf"(?<![\d年{NUMERAL}])(?P<phi>{_M}{_SP}月{_SP}{_D}{_SP}[日号])"),
    # a month alone is a date only with a cue ("于3月", "3月份"): "病史3月" is also three months
    ("month_cued", rf"(?:于|在|自|从|至|到|今年|去年|明年|前年)(?P<phi>{_M}月)(?!\d)(?![{NUMERAL}余多])"),
    ("month_fen", rf"(?<![\d年{NUMERAL}])(?P<phi>{_M}月份)"),
    ("day_cued", rf"(?:本月|上月|下月|当月|同月)(?P<phi>{_D}[日号])"),
)

_PARSE = re.compile(
    rf"^(?:(?P<y>{_Y})(?P<s1>{_SP}年{_SP}))?(?P<m>{_M})(?P<s2>{_SP}月{_SP})(?:(?P<d>{_D})(?P<s3>{_SP}[日号]))?$"
)
_ISO = re.compile(r"^(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?:(?P=sep)(?P<d>\d{1,2}))?$")


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else numeral_value(text)


def _like(value: int, original: str, year: bool = False, padded: bool = False) -> str:
    """`value` written as `original` is: Chinese numerals, zero-padded digits or plain digits."""
    if not original.isdigit():
        return to_numeral(value, digit_by_digit=year)
    return f"{value:02d}" if padded or original.startswith("0") else str(value)


def reduce_date(text: str) -> str | None:
    """Safe Harbor: the year in its own writing ("2023年", "二〇二三年", "2023"); None without a year."""
    view = width_view(text.strip())
    if match := _PARSE.match(view):
        return f"{match['y']}年" if match["y"] else None
    if match := _ISO.match(view):
        return match["y"]
    return None


def shift_date(text: str, days: int) -> str | None:
    """`text` moved by `days` and written back in its own layout; None when it does not parse."""
    view = width_view(text.strip())
    try:
        if match := _ISO.match(view):
            year, month, day = int(match["y"]), int(match["m"]), int(match["d"] or 15)
            new = date(year, month, day) + timedelta(days=days)
            padded = len(match["m"]) == 2  # "2023-03-14": both zero-padded
            parts = [str(new.year), _like(new.month, match["m"], padded=padded)]
            if match["d"]:
                parts.append(_like(new.day, match["d"], padded=padded))
            return match["sep"].join(parts)
        if match := _PARSE.match(view):
            parsed_year = _number(match["y"]) if match["y"] else 2000  # no year: a leap year, as elsewhere
            parsed_month, parsed_day = _number(match["m"]), _number(match["d"]) if match["d"] else 15
            if parsed_year is None or parsed_month is None or parsed_day is None:
                return None
            new = date(parsed_year, parsed_month, parsed_day) + timedelta(days=days)
            out = f"{_like(new.year, match['y'], year=True)}{match['s1']}" if match["y"] else ""
            out += f"{_like(new.month, match['m'])}{match['s2']}"
            if match["d"]:
                out += f"{_like(new.day, match['d'])}{match['s3']}"
            return out
    except ValueError:
        return None
    return None
