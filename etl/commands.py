"""The commands besides `run` and `deid-text`: generators of test clinics and gold notes, evaluation,
benchmarks, the lexicon and NER builds, the residual scan on its own, fine-tuning, chat and serving.
Each takes the parsed arguments and returns an exit code; etl/cli.py builds the parser and handles errors."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from etl.config import load_config  # etl/cli.py has set the offline environment before importing this


def cmd_synth(args: argparse.Namespace) -> int:
    from etl.synth import generate_clinic

    langs = tuple(code.strip() for code in args.langs.split(",") if code.strip())
    counts = generate_clinic(Path(args.out), patients=args.patients, seed=args.seed, langs=langs)
    print(f"wrote synthetic clinic to {args.out}: {json.dumps(counts)}")
    return 0


def cmd_synth_gold(args: argparse.Namespace) -> int:
    if args.lang == "zh":
        from etl.synth.zh_gold import write_zh_gold

        count = write_zh_gold(Path(args.out), args.notes, args.family, args.seed)
        print(f"wrote {count} Chinese gold notes ({args.family}) to {args.out}")
        return 0
    from etl.synth.gold_notes import write_gold

    count = write_gold(Path(args.out), args.notes, args.seed)
    print(f"wrote {count} held-out gold notes to {args.out}")
    return 0


def cmd_synth_ward(args: argparse.Namespace) -> int:
    from etl.synth.ward import write_ward_clinic, write_ward_gold

    if args.clinic:
        counts = write_ward_clinic(Path(args.out), args.patients, args.notes_per_patient, args.split, args.seed)
        print(f"wrote a {args.split} ward clinic to {args.out}: {json.dumps(counts)}")
    else:
        count = write_ward_gold(Path(args.out), args.notes, args.split, args.seed)
        print(f"wrote {count} {args.split} ward gold notes to {args.out}")
    return 0


def cmd_build_lexicon(args: argparse.Namespace) -> int:
    from etl.deid.lexicon.build import build_lexicon

    counts = build_lexicon(Path(args.mtsamples))
    print(f"wrote the English lexicons: {json.dumps(counts)}")
    return 0


def cmd_train_ner(args: argparse.Namespace) -> int:
    import shutil

    from etl.deid.analyzer import MODELS_DIR
    from etl.train.ner import train

    work = Path(args.work)
    best = train(work / "output", work / "data", recipe=args.name)
    target = MODELS_DIR / args.name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(best, target)
    print(f"trained model copied to {target}; configure it as deid.models.es: clinetl/{args.name}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from etl.config import config_hash
    from etl.deid.text import TextDeidentifier
    from etl.evaluate.baseline import PresidioDefault
    from etl.evaluate.gold import read_gold, recase
    from etl.evaluate.runner import Detector, Renderer, evaluate_system, surrogate_renderer, to_markdown, write_report

    config = load_config(args.config)
    if args.lang not in config.deid.models:  # a language a run leaves off (deid.models) is evaluated by its pack
        from etl.languages import language_pack

        models = {**config.deid.models, args.lang: language_pack(args.lang).model}
        config = config.model_copy(update={"deid": config.deid.model_copy(update={"models": models})})
    docs = recase(read_gold(Path(args.gold), args.format, args.lang)[: args.limit or None], args.case)
    clinetl = TextDeidentifier(config.deid)
    systems: dict[str, Detector] = {"clinetl": lambda text, lang: clinetl.detect(text, lang)}
    renderers: dict[str, Renderer] = {"clinetl": surrogate_renderer(config.deid)}
    if args.baseline == "presidio-default":
        systems["presidio-default"] = PresidioDefault().detect
    report = {
        "gold": Path(args.gold).name,
        "format": args.format,
        "lang": args.lang,
        "documents": len(docs),
        "case": args.case,
        "config_hash": config_hash(config),
        "systems": {name: evaluate_system(docs, detect, renderers.get(name)) for name, detect in systems.items()},
    }
    if args.out:
        write_report(report, Path(args.out))
    print(to_markdown(report))
    return 0


def cmd_finetune(args: argparse.Namespace) -> int:
    from etl.train.finetune import AuditRefused, finetune, load_finetune_config

    data = Path(args.data)
    out = Path(args.out) if args.out else data.parent / "finetune"
    try:
        metrics = finetune(data, args.base_model, out, load_finetune_config(args.config))
    except AuditRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({k: v for k, v in metrics.items() if k != "loss_history"}, indent=1))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from etl.train.finetune import chat

    prompts = [args.prompt] if args.prompt else iter(lambda: input("> "), "")
    for prompt in prompts:
        print(chat(args.base_model, args.adapter, prompt, args.max_new_tokens))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the refresh flow as a Prefect deployment on a cron schedule (needs a Prefect API server)."""
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        print(
            "clinetl serve needs a Prefect API server, whose scheduler creates the nightly runs: start one with "
            "`prefect server start` (SQLite by default; PostgreSQL for production) and set "
            "PREFECT_API_URL=http://127.0.0.1:4200/api",
            file=sys.stderr,
        )
        return 2
    load_config(args.config)  # refuse a broken config now, not at 2 a.m.
    from flows.clinic_run import clinic_run

    parameters = {"source": str(Path(args.source).resolve()), "out": str(Path(args.out).resolve())}
    if args.config:
        parameters["config_path"] = str(Path(args.config).resolve())
    clinic_run.serve(name=args.name, cron=args.cron, parameters=parameters, pause_on_shutdown=False)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from etl.evaluate.bench import SYSTEMS, load_notes, ratios, run_bench, to_markdown
    from etl.io import write_json

    texts, name = load_notes(Path(args.source) if args.source else None, args.notes)
    systems = run_bench(texts, tuple(args.systems or SYSTEMS), args.processes, args.repeat)
    report: dict = {
        "notes_source": name,
        "notes": len(texts),
        "chars": sum(map(len, texts)),
        "repeat": args.repeat,
        "systems": systems,
    }
    report["ratios"] = ratios(systems, args.processes)
    if args.out:
        write_json(Path(args.out) / "bench.json", report)
        (Path(args.out) / "bench.md").write_text(to_markdown(report), encoding="utf-8")
    print(to_markdown(report))
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    import pandas as pd

    from etl.evaluate.residual import scan_outputs

    patients = pd.read_csv(args.patients, dtype=str, keep_default_na=False)
    report = scan_outputs(Path(args.out), patients)
    print(json.dumps(report, indent=1))
    return 1 if report["findings"] else 0
