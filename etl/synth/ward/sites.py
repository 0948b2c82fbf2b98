"""The places and words ward notes are written with: each template family's hospital (name, initials,
buildings, towns, area codes), relatives as notes name them, and names that are also English words."""

from __future__ import annotations

from dataclasses import dataclass

# names that are also English words: only context can tell them apart
WORD_FIRST = "Hope Faith Grace Joy Rose Iris Ivy Dawn April June May Summer Sandy Holly Olive Ruby Will Bill Mark Frank Grant Chase Hunter Wade Rusty Victor".split()
WORD_LAST = "Brown White Black Green King Young Long Little Baker Cook Hill Wood Stone Welsh Rome Church Bell Rice Hall Lane Wells Frost Marsh Price Bush Fox Moody Snow".split()


@dataclass(frozen=True)
class Site:
    """A hospital as its staff write it: full name, abbreviation, buildings (with floors), nearby places."""

    name: str
    abbr: str
    buildings: tuple[str, ...]
    other_hospitals: tuple[str, ...]
    facilities: tuple[str, ...]  # rehab units, nursing homes, shelters
    towns: tuple[str, ...]
    area_codes: tuple[str, ...]


SITES = {
    "dev": Site(
        "Harborview Sinai Medical Center",
        "HSMC",
        ("Kessler", "Bancroft", "Whitcomb"),
        ("St. Alban's Hospital", "Mercy Ridge Hospital", "Northgate General", "Cape Pines Hospital"),
        ("Brookline Manor", "Maple Crest Rehab", "Hollis House", "Seabury Shelter"),
        (
            "Dorchester",
            "Quincy",
            "Braintree",
            "Revere",
            "Malden",
            "Somerville",
            "Chelsea",
            "Everett",
            "Dedham",
            "Brockton",
            "Lynn",
            "Peabody",
            "Framingham",
            "Natick",
            "Waltham",
            "Medford",
            "Saugus",
            "Weymouth",
        ),
        ("617", "781", "508"),
    ),
    "heldout": Site(
        "Lakeshore Methodist Hospital",
        "LMH",
        ("Ferris", "Stanhope", "Carrow"),
        ("Good Shepherd Medical Center", "Riverbend Regional", "St. Casimir Hospital", "Valley Oaks Hospital"),
        ("Elmhurst Gardens", "Pinecrest Nursing Home", "Oak Hollow Rehab", "Harbor Light Mission"),
        (
            "Evanston",
            "Skokie",
            "Cicero",
            "Oak Park",
            "Berwyn",
            "Joliet",
            "Aurora",
            "Naperville",
            "Waukegan",
            "Gary",
            "Hammond",
            "Kenosha",
            "Racine",
            "Elgin",
            "Schaumburg",
            "Glenview",
            "Wheaton",
            "Lombard",
        ),
        ("312", "773", "847"),
    ),
    "blind": Site(
        "Saint Brendan Regional Medical Center",
        "SBRMC",
        ("Oakhurst", "Pemberton", "Galloway"),
        ("Mountainview Baptist Hospital", "Cedar Falls Medical Center", "Holy Redeemer Hospital"),
        ("Autumn Ridge Care Center", "Bayside Hospice House", "Willow Creek Assisted Living"),
        (
            "Tacoma",
            "Olympia",
            "Renton",
            "Kent",
            "Auburn",
            "Puyallup",
            "Lakewood",
            "Bremerton",
            "Everett",
            "Lynnwood",
            "Bellevue",
            "Issaquah",
            "Redmond",
            "Kirkland",
            "Bothell",
            "Federal Way",
        ),
        ("206", "253", "425"),
    ),
    "final": Site(
        "Greystone Valley University Hospital",
        "GVUH",
        ("Thornbury", "Ashcombe", "Linfield"),
        ("Prairie Lutheran Hospital", "St. Ignatius Medical Center", "Copper Basin Community Hospital"),
        ("Meadowlark Transitional Care", "Sunbrook Senior Living", "New Dawn Recovery House"),
        (
            "Boulder",
            "Longmont",
            "Loveland",
            "Greeley",
            "Littleton",
            "Englewood",
            "Golden",
            "Arvada",
            "Westminster",
            "Broomfield",
            "Parker",
            "Castle Rock",
            "Pueblo",
            "Brighton",
            "Lafayette",
            "Erie",
        ),
        ("303", "720", "970"),
    ),
}
RELATIONS = {
    "daughter": ("daughter", "dtr", "dau", "d."),
    "son": ("son", "son", "s."),
    "wife": ("wife", "wife", "spouse"),
    "husband": ("husband", "husb", "spouse"),
    "sister": ("sister", "sis"),
    "brother": ("brother", "bro"),
    "niece": ("niece",),
    "friend": ("friend", "neighbor"),
    "hcp": ("HCP", "health care proxy", "POA"),
}
