"""Hashes of everything a run wrote, to show that a change leaves the output bytes as they were.

Surrogates are drawn from the run folder's own store secret, so two runs compare only when they start
from the same store: `prepare` copies one empty store (made once, kept under --store) into a fresh run
folder; run `clinetl run` into it; then `digest` prints one sha256 per file. Times are taken out of the
files that carry them (summary, report, history, stage files); logs, the lock and the SQLite store's
page layout are left out.

    python scripts/output_digest.py prepare build/digest/demo --store build/digest/store.sqlite3
    clinetl run --source demo/clinic --out build/digest/demo
    python scripts/output_digest.py digest build/digest/demo > build/digest/demo.sha256
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
from pathlib import Path

import yaml

from etl.deid.pseudonyms import PseudonymStore

_TIME = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\+00:00|Z)?")
_SKIP = {".clinetl.lock", "pseudonyms.sqlite3", "run.log"}


def prepare(out: Path, store: Path) -> None:
    if not store.is_file():
        store.parent.mkdir(parents=True, exist_ok=True)
        PseudonymStore(store).close()
    shutil.rmtree(out, ignore_errors=True)
    (out / "restricted").mkdir(parents=True, mode=0o700)
    shutil.copy2(store, out / "restricted" / "pseudonyms.sqlite3")


def digest(out: Path, without_config: bool = False) -> list[str]:
    """`without_config`: leave the effective config out and read its hash (whole, or the 12 characters a
    dataset card quotes) as "<config>" wherever it is quoted, to compare two runs whose config differs only
    by a key that changes nothing else."""
    lines = []
    config_hash = b""
    if without_config:
        config_hash = yaml.safe_load((out / "audit" / "config.effective.yaml").read_text())["config_hash"].encode()
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name not in _SKIP):
        if without_config and path.name == "config.effective.yaml":
            continue
        data = path.read_bytes()
        if path.suffix in {".json", ".jsonl", ".md", ".html"} and "audit" in path.relative_to(out).parts:
            data = _TIME.sub(b"<time>", data)
        if config_hash:
            data = data.replace(config_hash, b"<config>").replace(config_hash[:12], b"<config>")
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {path.relative_to(out).as_posix()}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["prepare", "digest"])
    parser.add_argument("out")
    parser.add_argument("--store", default="build/digest/store.sqlite3")
    parser.add_argument("--without-config", action="store_true", help="digest: the config's hash read as <config>")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(Path(args.out), Path(args.store))
    else:
        print("\n".join(digest(Path(args.out), args.without_config)))


if __name__ == "__main__":
    main()
