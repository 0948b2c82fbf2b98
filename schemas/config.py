"""Typed run configuration, validated when loaded (etl/config.py loads YAML into these)."""

from __future__ import annotations

import codecs
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    # An unknown key is a typo that would silently change nothing: refuse it.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _codec_name(value: str) -> str:
    codecs.lookup(value)  # LookupError -> a validation error that names the key
    return value


Encoding = Annotated[str, AfterValidator(_codec_name)]


def _language(code: str) -> str:
    from etl.languages import CODES  # the language packs are the languages clinetl reads

    if code not in CODES:
        raise ValueError(f"not a language clinetl has a pack for ({', '.join(CODES)}; etl/languages/)")
    return code


Language = Annotated[str, AfterValidator(_language)]


def _pack_models() -> dict[str, str]:
    from etl.languages import PACKS

    return {code: pack.model for code, pack in PACKS.items()}


class AdapterConfig(_Strict):
    """A source adapter turned on: the files of the source folder it reads."""

    # globs over paths relative to the source folder, as source.notes.paths; a file matched that the adapter
    # does not read is inventoried with why
    paths: list[str] = Field(min_length=1)


class NotesSourceConfig(_Strict):
    """Where notes are found and how their columns are named, relative to the source folder."""

    # globs over paths relative to the source folder, matched without regard to case ("*" within a folder,
    # "**/" any folders): notes split over files (notes_2024.csv) are read, Notes.CSV too
    paths: list[str] = Field(default_factory=lambda: ["notes*.csv", "notes*.jsonl", "notes*.parquet", "notes/**/*.txt"])
    # canonical field -> column name in the file (NOTE_ID, PATIENT, ENCOUNTER, DATE, NOTE_TYPE, TEXT, LANG)
    columns: dict[str, str] = Field(default_factory=dict)
    encoding: Encoding = "utf-8"


class TablesSourceConfig(_Strict):
    folders: list[str] = Field(default_factory=lambda: [".", "csv"])
    encoding: Encoding = "utf-8"


class SqlSourceConfig(_Strict):
    """Tables (and named queries) read from a database through SQLAlchemy. The URL, which holds the
    credentials, is read from the environment variable named here: it never enters the config or outputs."""

    url_env: str = "CLINETL_SQL_URL"
    schema_name: str | None = None  # database schema of the tables (PostgreSQL: "public" by default)
    tables: list[str] = Field(default_factory=list)  # empty: every table in the schema
    queries: dict[str, str] = Field(default_factory=dict)  # table name -> SELECT statement
    notes_table: str | None = None  # a table or query that holds notes (NOTE_ID, TEXT, … as in notes.csv)


class SourceConfig(_Strict):
    notes: NotesSourceConfig = NotesSourceConfig()
    # HL7 C-CDA documents: a patients row and one note per section each
    ccda_paths: list[str] = Field(default_factory=lambda: ["*.xml", "ccda/*.xml"])
    # FHIR R4 bundles (Synthea's FHIR export): Patient, Encounter, Condition, MedicationRequest, Procedure,
    # Observation -> the Synthea tables; DocumentReference -> notes. Off by default: an export folder often
    # holds the same run as CSV and FHIR, and reading both would count every patient twice.
    fhir_paths: list[str] = Field(default_factory=list)
    # source adapters turned on, by the name they have in etl/sources/registry.py SOURCES, each with the
    # files it reads; e.g. omop: {paths: ["omop/*"]} reads OMOP CDM v5.4 tables (etl/sources/omop.py)
    adapters: dict[str, AdapterConfig] = Field(default_factory=dict)
    tables: TablesSourceConfig = TablesSourceConfig()
    sql: SqlSourceConfig | None = None


class DeidConfig(_Strict):
    # the NLP pipeline of each language detection reads (each language's pack names its default)
    models: dict[Language, str] = Field(default_factory=_pack_models)
    default_lang: Language = "en"
    score_threshold: float = Field(0.3, ge=0.0, le=1.0)
    # per-label overrides of score_threshold (our labels, see schemas.records.LABELS)
    label_thresholds: dict[str, float] = Field(default_factory=dict)
    record_linked: bool = True  # look for the patient's own structured identifiers in their notes
    # surrogate: realistic values, consistent per patient (persistent map under restricted/); tag: "[PERSON]"
    replacement: Literal["surrogate", "tag"] = "surrogate"
    # safe_harbor: dates -> year, ages over 89 -> "90+". date_shift: every date of a patient moves by one random
    # offset, format kept -- an Expert Determination method, not Safe Harbor.
    date_mode: Literal["safe_harbor", "date_shift"] = "safe_harbor"
    max_shift_days: int = Field(365, ge=1, le=3650)
    max_note_chars: int = Field(500_000, gt=0)  # longer notes are quarantined, never truncated
    # the steward's site list (facilities and their abbreviations, buildings and wards, staff: names no table
    # holds), a YAML file relative to the source folder, kept with the clinic's records; see etl/deid/clinic.py.
    # Only its path is in the config (which is written to the shareable audit/ folder), never its entries.
    site_list: str | None = None
    # detection in this many worker processes, each loading the models once (~0.6 GB each); 1: in-process
    workers: int = Field(1, ge=1, le=64)


class KAnonymityConfig(_Strict):
    """Re-identification risk over quasi-identifiers, reported per table under OUT/audit/."""

    k: int = Field(5, ge=2)
    # quasi-identifier columns of the *output* tables, by table ("age_band" is derived from BIRTHDATE)
    quasi_identifiers: dict[str, list[str]] = Field(
        default_factory=lambda: {"patients": ["age_band", "GENDER", "ZIP", "RACE", "ETHNICITY"]}
    )
    age_band_years: int = Field(10, ge=1)
    suppress: bool = False  # remove the rows of classes smaller than k (reported, to quarantine)


class TablesConfig(_Strict):
    policy: str = "synthea_safe_harbor"  # a policy name in etl/conf/ or a path to a YAML file
    contract: str | None = "synthea"  # a table contract in schemas/contracts/ (None: every column a string)
    k_anonymity: KAnonymityConfig = KAnonymityConfig()


TemplateLang = Literal["en", "es", "zh"]


def _format(name: str) -> str:
    from etl.convert.exporters import EXPORTERS  # the exporters' registry is the list of formats

    if name not in EXPORTERS:
        raise ValueError(f"not an output format ({', '.join(EXPORTERS)}; etl/convert/exporters.py)")
    return name


def _every_format() -> list[str]:
    from etl.convert.exporters import EXPORTERS

    return list(EXPORTERS)


Format = Annotated[str, AfterValidator(_format)]


class ConvertConfig(_Strict):
    min_answer_chars: int = Field(20, ge=1)
    min_prompt_chars: int = Field(20, ge=1)
    formats: list[Format] = Field(default_factory=_every_format)
    near_duplicate_threshold: float = Field(0.9, gt=0.0, le=1.0)  # TF-IDF cosine within a task
    # patient-level splits: a patient's examples all land in one split, the same one in every run
    split_fractions: dict[str, float] = Field(default_factory=lambda: {"train": 0.8, "validation": 0.1, "test": 0.1})
    split_salt: str = "clinetl-splits-v1"
    # the target model's tokenizer (a tokenizer.json file or a folder holding one): longer examples are dropped
    tokenizer: str | None = None
    max_tokens: int = Field(4096, gt=0)
    # languages of the instruction templates for examples built from structured records (codes stay English)
    record_languages: list[TemplateLang] = Field(default_factory=lambda: list[TemplateLang](["en"]))


class AuditConfig(_Strict):
    """The steward's evidence: the residual-PHI gate, the review sample, the run report."""

    # known identifiers from the structured source found in shareable outputs: above this, the run fails and
    # its datasets are withheld (kept under restricted/withheld/, never published)
    gate_max_known: int = Field(0, ge=0)
    # what a failed gate does: withhold every dataset (the default), or drop_records: take out only the records
    # the scan flagged (notes with the examples built from them, flagged examples, table rows; counted, kept
    # under restricted/residual/) and publish the rest once a second scan finds nothing
    on_residual: Literal["withhold", "drop_records"] = "withhold"
    # high-recall pattern hits (SSN-, phone-, e-mail-shaped text that is not a logged surrogate); None: reported,
    # never gating (realistic surrogates look like identifiers)
    gate_max_patterns: int | None = Field(None, ge=0)
    review_sample: int = Field(20, ge=0)  # notes in restricted/review/, stratified by note type and language
    review_seed: int = 0
    # evaluation results to put in the report (an `clinetl eval --out` folder's eval.json), when gold exists
    eval_results: list[str] = Field(default_factory=list)
    # TEST HOOK, never for production: notes whose de-identification is skipped (their text passes unchanged),
    # to prove the gate catches what escapes. Recorded in the config hash and reported in summary.json.
    bypass_deid_for_testing: list[str] = Field(default_factory=list)


class RunConfig(_Strict):
    version: Literal[1] = 1
    source: SourceConfig = SourceConfig()
    deid: DeidConfig = Field(default_factory=DeidConfig)
    tables: TablesConfig = TablesConfig()
    convert: ConvertConfig = Field(default_factory=ConvertConfig)
    audit: AuditConfig = AuditConfig()
    batch_size: int = Field(256, gt=0)
