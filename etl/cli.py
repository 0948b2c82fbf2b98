"""`clinetl` command line: synth, run, deid-text.

Errors we anticipate (bad config, unreadable source, a policy gap) print one clear line and exit 2;
their messages name files, tables and columns, never record content.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from etl.offline import set_offline_env
from schemas.layout import RunLayout

set_offline_env()  # before anything imports prefect, presidio or tldextract

from etl.commands import (  # noqa: E402
    cmd_bench,
    cmd_build_lexicon,
    cmd_chat,
    cmd_eval,
    cmd_finetune,
    cmd_scan,
    cmd_serve,
    cmd_synth,
    cmd_synth_gold,
    cmd_synth_ward,
    cmd_train_ner,
)
from etl.config import ConfigError, load_config  # noqa: E402
from etl.deid.tables import PolicyError  # noqa: E402
from etl.evaluate.bench import SYSTEMS as BENCH_SYSTEMS  # noqa: E402
from etl.languages import CODES  # noqa: E402
from etl.sources import SourceError  # noqa: E402

log = logging.getLogger("clinetl")
_EXPECTED = (ConfigError, PolicyError, SourceError, FileNotFoundError)


def _setup_logging(log_file: Path | None = None) -> None:
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    log.propagate = False  # Prefect's root console handler would print every line twice
    if not log.handlers:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(fmt)
        log.addHandler(console)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(fmt)
        for name in ("clinetl", "prefect"):
            logging.getLogger(name).addHandler(handler)


class _QuietFailures(logging.Filter):
    """On the console, Prefect's own report of a failed task or flow (a traceback, then the same message
    three times) is left out: clinetl prints the one line that matters, and the log file keeps them all."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(("prefect.flow_runs", "prefect.task_runs")):
            return True
        message = record.getMessage()
        failed = "state Failed" in message or "failed with exception" in message or "exception during" in message
        return record.levelno < logging.ERROR and not failed


def _quiet_prefect_console() -> None:
    for handler in logging.getLogger().handlers:
        if type(handler).__name__ == "PrefectConsoleHandler" and not any(
            isinstance(f, _QuietFailures) for f in handler.filters
        ):
            handler.addFilter(_QuietFailures())


def cmd_run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    load_config(args.config)  # validate before starting Prefect
    if not Path(args.source).is_dir():
        raise SourceError(f"source folder not found: {args.source}")
    from flows.clinic_run import clinic_run  # Prefect sets its logging up on import: the log file comes after

    _setup_logging(RunLayout(out).log_file)
    if not args.debug:
        _quiet_prefect_console()

    run = clinic_run
    if args.task_runner == "dask":
        from prefect_dask import DaskTaskRunner  # pip install .[dask]

        runner = (
            DaskTaskRunner(address=args.dask_address)
            if args.dask_address
            else DaskTaskRunner(cluster_kwargs={"n_workers": args.dask_workers, "threads_per_worker": 1})
        )
        run = clinic_run.with_options(task_runner=runner)  # type: ignore[arg-type]  # Dask futures, same protocol
    from etl.audit.stage import GateFailed

    try:
        summary_path = Path(
            run(
                source=str(Path(args.source).resolve()),
                out=str(out.resolve()),
                config_path=args.config,
                distributed=args.task_runner == "dask",
            )
        )
    except GateFailed as exc:  # the run finished, its datasets withheld: the steward reads the report
        print(f"clinetl: {exc}; report: {out / 'audit' / 'report.html'}", file=sys.stderr)
        return 3
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    from rich.console import Console

    from etl.progress import summary_table

    Console(stderr=True).print(summary_table(summary))
    notes, datasets = summary["records"]["notes"], summary["datasets"]["examples"]
    print(
        f"notes: {notes['in']} in, {notes['out']} de-identified, {notes['filtered']} filtered, "
        f"{notes['quarantined']} quarantined"
        + (f", {dropped} dropped by the residual scan" if (dropped := notes.get("dropped_by_residual_scan")) else "")
    )
    print(f"tables: {len(summary['records']['tables'])}; examples: {json.dumps(datasets)}")
    print(f"summary: {summary_path}")
    return 0


def cmd_deid_text(args: argparse.Namespace) -> int:
    from etl.deid.pseudonyms import PseudonymStore
    from etl.deid.text import DeidError, TextDeidentifier, make_replacer
    from etl.io import atomic_open, read_jsonl
    from etl.lang import detect_lang

    config = load_config(args.config)
    deidentifier = TextDeidentifier(config.deid)
    store = PseudonymStore(None)  # surrogates consistent per patient_id within this invocation
    replacer = make_replacer(config.deid, store)
    done = failed = 0
    with atomic_open(Path(args.out)) as handle:
        for row in read_jsonl(Path(args.input)):
            text = str(row.get("text") or "")
            lang = args.lang or row.get("lang") or detect_lang(text, config.deid.default_lang)
            try:
                patient = str(row.get("patient_id") or "")
                result = deidentifier.deidentify(text, lang, (), patient, replacer)
                out = {"id": row.get("id"), "text": result.text, "entities": [s.to_dict() for s in result.spans]}
                done += 1
            except DeidError as exc:  # fail closed: the record is reported, its text is not passed on
                out = {"id": row.get("id"), "text": None, "entities": [], "error": str(exc)}
                failed += 1
            handle.write(json.dumps(out, ensure_ascii=False) + "\n")
    print(f"de-identified {done} records, {failed} failed (text withheld) -> {args.out}", file=sys.stderr)
    return 0 if failed == 0 else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clinetl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    synth = sub.add_parser("synth", help="write a synthetic clinic folder with planted identifiers")
    synth.add_argument("--patients", type=int, default=12)
    synth.add_argument("--out", required=True)
    synth.add_argument("--seed", type=int, default=7)
    synth.add_argument("--langs", default="en,es", help="languages of the patients and notes: en,es or en,es,zh")
    synth.set_defaults(func=cmd_synth)

    gold = sub.add_parser("synth-gold", help="write held-out gold notes (a second, independent generator)")
    gold.add_argument("--notes", type=int, default=300)
    gold.add_argument("--out", required=True)
    gold.add_argument("--seed", type=int, default=2024)
    gold.add_argument("--lang", choices=["en", "zh"], default="en", help="zh: Chinese notes (etl/synth/zh_gold.py)")
    families = ["dev", "heldout", "blind", "blind2", "blind3", "blind4", "blind5"]
    gold.add_argument("--family", choices=families, default="dev", help="zh: the template family")
    gold.set_defaults(func=cmd_synth_gold)

    ward = sub.add_parser(
        "synth-ward",
        help="write gold ward notes (nursing, ALL-CAPS, telegraphic, letters: a third, independent generator)",
    )
    ward.add_argument("--split", choices=["dev", "heldout", "blind", "final"], default="dev", help="template family")
    ward.add_argument("--notes", type=int, default=300)
    ward.add_argument("--out", required=True, help="a JSONL file, or with --clinic a folder")
    ward.add_argument("--seed", type=int, help="default: the family's own seed")
    ward.add_argument("--clinic", action="store_true", help="write a clinic folder (tables, notes, gold, planted)")
    ward.add_argument("--patients", type=int, default=40)
    ward.add_argument("--notes-per-patient", type=int, default=9)
    ward.set_defaults(func=cmd_synth_ward)

    run = sub.add_parser("run", help="run the pipeline on a clinic folder (a local Prefect flow)")
    run.add_argument("--source", required=True, help="the clinic folder: tables (CSV/Parquet), notes, C-CDA, FHIR")
    run.add_argument("--out", required=True, help="the run folder: outputs, audit/, logs/; PHI only under restricted/")
    run.add_argument("--config", help="a run config YAML (default: etl/conf/default.yaml; unknown keys refused)")
    run.add_argument("--debug", action="store_true", help="on a stop, print Prefect's report and the traceback too")
    run.add_argument(
        "--task-runner", choices=["local", "dask"], default="local", help="dask: detection mapped over a Dask cluster"
    )
    run.add_argument("--dask-address", help="a running Dask scheduler, tcp://host:8786 (default: a local cluster)")
    run.add_argument("--dask-workers", type=int, default=2, help="workers of the local Dask cluster")
    run.set_defaults(func=cmd_run)

    deid = sub.add_parser("deid-text", help='de-identify JSONL lines {"id","text"}')
    deid.add_argument("--in", dest="input", required=True)
    deid.add_argument("--out", required=True)
    deid.add_argument("--lang", choices=CODES)
    deid.add_argument("--config")
    deid.set_defaults(func=cmd_deid_text)

    tr = sub.add_parser("train-ner", help="train the Spanish PHI NER on the vendored MEDDOCAN train split")
    tr.add_argument("--name", default="es_phi_ner_v2", choices=["es_phi_ner_v1", "es_phi_ner_v2"])
    tr.add_argument("--work", default="build/train-ner")
    tr.set_defaults(func=cmd_train_ner)

    lex = sub.add_parser(
        "build-lexicon", help="rebuild the shipped English safe-word, name and place lists (pip install .[lexicon])"
    )
    lex.add_argument("--mtsamples", required=True, help="MTSamples mtsamples.csv (only its build part is read)")
    lex.set_defaults(func=cmd_build_lexicon)

    ev = sub.add_parser("eval", help="score de-identification on a labelled corpus, beside a baseline")
    ev.add_argument(
        "--gold", required=True, help="gold JSONL file, BRAT folder, Presidio synthetic JSON, or a review folder"
    )
    ev.add_argument(
        "--format",
        choices=["jsonl", "brat", "presidio-synth", "review", "mtsamples"],
        default="jsonl",
        help="review: a run's restricted/review/ folder with the steward's verdicts.csv; mtsamples: the held-out"
        " fifth of MTSamples' mtsamples.csv, without gold (what is removed that should not be)",
    )
    ev.add_argument(
        "--case",
        choices=["as-is", "upper", "lower"],
        default="as-is",
        help="score the documents written all in capitals or all in lower case (offsets kept)",
    )
    ev.add_argument("--lang", choices=CODES, default="en")
    ev.add_argument("--baseline", choices=["presidio-default", "none"], default="presidio-default")
    ev.add_argument("--out", help="folder for eval.json and eval.md")
    ev.add_argument("--limit", type=int, default=0, help="score only the first N documents")
    ev.add_argument("--config")
    ev.set_defaults(func=cmd_eval)

    ft = sub.add_parser(
        "finetune", help="train a LoRA adapter on a run's datasets (TRL + PEFT; pip install .[finetune])"
    )
    ft.add_argument("--data", required=True, help="the run's datasets folder (OUT/datasets)")
    ft.add_argument("--base-model", required=True, help="a local model folder (or hub id, if online)")
    ft.add_argument("--config", help="YAML with FinetuneConfig fields (etl/train/finetune.py)")
    ft.add_argument("--out", help="where the adapter, metrics.json and model card go (default OUT/finetune)")
    ft.set_defaults(func=cmd_finetune)

    ch = sub.add_parser("chat", help="try a fine-tuned adapter: one reply per prompt")
    ch.add_argument("--base-model", required=True)
    ch.add_argument("--adapter", required=True)
    ch.add_argument("--prompt", help="one prompt; without it, read prompts from stdin until an empty line")
    ch.add_argument("--max-new-tokens", type=int, default=256)
    ch.set_defaults(func=cmd_chat)

    serve = sub.add_parser("serve", help="serve the nightly refresh as a Prefect deployment on a cron schedule")
    serve.add_argument("--cron", default="0 2 * * *", help='cron schedule (default "0 2 * * *": 02:00 nightly)')
    serve.add_argument("--source", required=True)
    serve.add_argument("--out", required=True)
    serve.add_argument("--config")
    serve.add_argument("--name", default="nightly-refresh", help="deployment name")
    serve.set_defaults(func=cmd_serve)

    bench = sub.add_parser("bench", help="throughput and peak memory: clinetl, presidio-default, raw spaCy NER")
    bench.add_argument("--notes", type=int, default=200, help="how many notes (at most)")
    bench.add_argument("--source", help="MTSamples CSV, a CSV/JSONL with a text column, or a folder of .txt")
    bench.add_argument("--systems", nargs="+", choices=list(BENCH_SYSTEMS))
    bench.add_argument(
        "--processes", type=int, default=os.cpu_count() or 1, help="also measure clinetl and spaCy on this many"
    )
    bench.add_argument("--repeat", type=int, default=3, help="runs per system (after loading once): the best counts")
    bench.add_argument("--out", help="folder for bench.json and bench.md")
    bench.set_defaults(func=cmd_bench)

    scan = sub.add_parser(
        "scan", help="search a run's shareable outputs for the source's patient identifiers (exit 1 if found)"
    )
    scan.add_argument("--out", required=True, help="the run's output folder (restricted/ is skipped)")
    scan.add_argument("--patients", required=True, help="the source's patients table (CSV, Synthea columns)")
    scan.set_defaults(func=cmd_scan)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging()
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        return handler(args)
    except _EXPECTED as exc:
        if getattr(args, "debug", False):
            raise
        log_file = RunLayout(Path(args.out)).log_file if args.func is cmd_run else None
        where = f" (log: {log_file})" if log_file is not None and log_file.is_file() else ""
        print(f"clinetl: error: {exc}{where}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
