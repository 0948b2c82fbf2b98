"""The steward's run report, free of PHI: built only from counts (summary.json, residual.json, evaluation
results), never from note text. Written as audit/report.json, report.md and a self-contained report.html
(inline CSS and SVG, no script, nothing fetched), appended to audit/history.jsonl for trends across runs,
and published as Prefect artifacts when run inside a flow.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from etl.io import atomic_open, write_json


def build_report(summary: dict[str, Any], residual: dict[str, Any], evaluations: dict[str, Any]) -> dict[str, Any]:
    notes = summary["records"]["notes"]
    datasets = summary.get("datasets", {})
    return {
        "finished_at": summary["finished_at"],
        "config_hash": summary["config_hash"],
        "clinetl_version": summary["clinetl_version"],
        "gate": summary["gate"],
        "warnings": summary.get("warnings", []),
        "records": {
            "notes": notes,
            "tables": summary["records"]["tables"],
            "quarantine_reasons": summary["quarantine_reasons"],
            "filtered_reasons": summary["filtered_reasons"],
            "examples_removed": datasets.get("removed", {}),
        },
        "entities_by_type": summary["entities"],
        "entities_by_recognizer": summary["recognizers"],
        "entities_by_source": summary.get("entities_by_source", {}),
        "entities_by_note_type": summary.get("entities_by_note_type", {}),
        "residual": {
            "files_scanned": residual["files_scanned"],
            "known_total": residual["known_total"],
            "known_by_file": _sum_by(residual["known"], "file"),
            "known_by_kind": _sum_by(residual["known"], "kind"),
            "patterns_by_kind": _sum_by(residual["patterns"], "kind"),
        },
        "evaluation": evaluations,
    }


def _sum_by(rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in rows:
        totals[row[key]] = totals.get(row[key], 0) + row["count"]
    return dict(sorted(totals.items()))


def load_evaluations(paths: list[str], base: Path) -> dict[str, Any]:
    """name -> clinetl's metrics from `clinetl eval --out` folders (eval.json), where they exist."""
    results = {}
    for entry in paths:
        path = Path(entry) if Path(entry).is_absolute() else base / entry
        path = path / "eval.json" if path.is_dir() else path
        if path.is_file():
            report = json.loads(path.read_text(encoding="utf-8"))
            system = report.get("systems", {}).get("clinetl", report)
            overall = system.get("token", system)
            results[path.parent.name] = {k: overall[k] for k in ("precision", "recall", "f1") if k in overall}
    return results


def history_row(report: dict[str, Any]) -> dict[str, Any]:
    notes = report["records"]["notes"]
    return {
        "finished_at": report["finished_at"],
        "config_hash": report["config_hash"],
        "notes_in": notes["in"],
        "notes_out": notes["out"],
        "notes_quarantined": notes["quarantined"],
        "notes_filtered": notes["filtered"],
        "entities": sum(report["entities_by_type"].values()),
        "entities_by_type": report["entities_by_type"],
        "residual_known": report["residual"]["known_total"],
        "gate_passed": report["gate"]["passed"],
    }


def _table(title: str, counts: dict[str, Any], head: tuple[str, str] = ("", "count")) -> list[str]:
    lines = [f"### {title}", "", f"| {head[0]} | {head[1]} |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in counts.items()] or ["| (none) | 0 |"]
    return [*lines, ""]


def _dropped_line(dropped: dict[str, Any]) -> str:
    rows = sum(dropped["table_rows"].values())
    return (
        f"Records the residual scan flagged ({dropped['findings_before']} findings) were taken out and kept under "
        f"restricted/residual/ (audit.on_residual: drop_records): {dropped['notes']} notes, {dropped['examples']} "
        f"training examples, {rows} table rows; the rest was scanned again before publishing."
    )


def to_markdown(report: dict[str, Any]) -> str:
    gate = report["gate"]
    notes = report["records"]["notes"]
    verdict = "PASSED" if gate["passed"] else "FAILED: datasets withheld"
    lines = [
        "# clinetl run report",
        "",
        f"Finished {report['finished_at']}, config hash `{report['config_hash']}`, "
        f"clinetl {report['clinetl_version']}.",
        "",
        f"**Residual-PHI gate: {verdict}.** Known identifiers found in shareable outputs: {gate['known']} "
        f"(allowed {gate['max_known']}); pattern hits: {gate['patterns']}"
        + (f" (allowed {gate['max_patterns']})" if gate["max_patterns"] is not None else " (reported, not gating)"),
        "",
        f"Notes: {notes['in']} in, {notes['out']} out, {notes['filtered']} filtered, {notes['quarantined']} "
        f"quarantined; balanced: {notes['balanced']}.",
        "",
    ]
    if "dropped" in gate:
        lines += [_dropped_line(gate["dropped"]), ""]
    if report.get("warnings"):
        lines += ["### Warnings", "", *(f"- {w}" for w in report["warnings"]), ""]
    lines += _table("Entities removed, by type", report["entities_by_type"], ("type", "count"))
    lines += _table("Entities removed, by recognizer", report["entities_by_recognizer"], ("recognizer", "count"))
    lines += _table("Entities removed, by source", report["entities_by_source"], ("source", "count"))
    lines += _table("Entities removed, by note type", report["entities_by_note_type"], ("note type", "count"))
    tables = {name: f"{t['in']} in, {t['out']} out, {t['dropped_by_policy']} dropped by policy, "
              f"{t['quarantined']} quarantined" for name, t in report["records"]["tables"].items()}  # fmt: skip
    lines += _table("Tables", tables, ("table", "rows"))
    reasons = {f"{stage}: {reason}": n for stage, r in report["records"]["quarantine_reasons"].items()
               for reason, n in (r.items() if isinstance(r, dict) else [])}  # fmt: skip
    lines += _table("Quarantined, by reason", reasons, ("reason", "records"))
    lines += _table("Filtered, by reason", report["records"]["filtered_reasons"].get("notes", {}), ("reason", "notes"))
    lines += _table("Residual scan: known identifiers by file", report["residual"]["known_by_file"], ("file", "hits"))
    lines += _table("Residual scan: pattern hits by kind", report["residual"]["patterns_by_kind"], ("kind", "hits"))
    evaluation = {name: ", ".join(f"{k} {v:.3f}" for k, v in m.items()) for name, m in report["evaluation"].items()}
    lines += _table("Evaluation against gold", evaluation or {"no gold configured": "-"}, ("corpus", "token P/R/F1"))
    return "\n".join(lines)


def _bars(counts: dict[str, int]) -> str:
    """A horizontal bar chart as inline SVG."""
    if not counts:
        return "<p>(none)</p>"
    top = max(counts.values()) or 1
    rows = []
    for i, (name, value) in enumerate(sorted(counts.items(), key=lambda kv: -kv[1])):
        width = 320 * value / top
        rows.append(
            f'<text x="0" y="{i * 22 + 15}">{html.escape(str(name))}</text>'
            f'<rect x="200" y="{i * 22 + 3}" width="{width:.1f}" height="16" fill="#3b7dd8"/>'
            f'<text x="{205 + width:.1f}" y="{i * 22 + 15}">{value}</text>'
        )
    return f'<svg width="600" height="{len(counts) * 22 + 6}" font-size="12">{"".join(rows)}</svg>'


def to_html(report: dict[str, Any]) -> str:
    gate = report["gate"]
    status = "pass" if gate["passed"] else "fail"
    sections = [
        ("Entities removed, by type", _bars(report["entities_by_type"])),
        ("By recognizer", _bars(report["entities_by_recognizer"])),
        ("By source", _bars(report["entities_by_source"])),
        ("By note type", _bars(report["entities_by_note_type"])),
        ("Residual scan: known identifiers by file", _bars(report["residual"]["known_by_file"])),
        ("Residual scan: pattern hits by kind", _bars(report["residual"]["patterns_by_kind"])),
    ]
    body = "".join(f"<section><h2>{html.escape(t)}</h2>{chart}</section>" for t, chart in sections)
    notes = report["records"]["notes"]
    records = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{t['in']}</td><td>{t['out']}</td><td>{t['quarantined']}</td>"
        f"<td>{t['dropped_by_policy']}</td></tr>"
        for name, t in report["records"]["tables"].items()
    )
    evaluation = (
        "".join(
            f"<tr><td>{html.escape(name)}</td>"
            + "".join(f"<td>{m.get(k, 0):.3f}</td>" for k in ("precision", "recall", "f1"))
            + "</tr>"
            for name, m in report["evaluation"].items()
        )
        or "<tr><td colspan='4'>no gold configured (audit.eval_results)</td></tr>"
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>clinetl run report</title><style>"
        "body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}td:first-child{text-align:left}"
        ".pass{background:#1a7f37;color:#fff;padding:.6em}.fail{background:#b00;color:#fff;padding:.6em}"
        "section{display:inline-block;vertical-align:top;margin:1em 2em 0 0}</style></head><body>"
        f"<h1>clinetl run report</h1><p>Finished {html.escape(report['finished_at'])} · config hash "
        f"<code>{html.escape(report['config_hash'])}</code> · clinetl {html.escape(report['clinetl_version'])}</p>"
        f"<p class='{status}'>Residual-PHI gate {'passed' if gate['passed'] else 'FAILED: datasets withheld'}: "
        f"{gate['known']} known identifiers in shareable outputs (allowed {gate['max_known']}), "
        f"{gate['patterns']} pattern hits.</p>"
        + (f"<p>{html.escape(_dropped_line(gate['dropped']))}</p>" if "dropped" in gate else "")
        + (
            "<h2>Warnings</h2><ul class='warnings'>"
            + "".join(f"<li>{html.escape(w)}</li>" for w in report["warnings"])
            + "</ul>"
            if report.get("warnings")
            else ""
        )
        + "<h2>Records</h2><table><tr><th></th><th>in</th><th>out</th><th>quarantined</th><th>filtered / dropped</th>"
        f"</tr><tr><td>notes</td><td>{notes['in']}</td><td>{notes['out']}</td><td>{notes['quarantined']}</td>"
        f"<td>{notes['filtered']}</td></tr>{records}</table>"
        "<h2>Evaluation against gold</h2><table><tr><th>corpus</th><th>precision</th><th>recall</th><th>F1</th></tr>"
        f"{evaluation}</table>{body}</body></html>\n"
    )


def write_report(out_dir: Path, report: dict[str, Any]) -> None:
    audit = out_dir / "audit"
    write_json(audit / "report.json", report)
    with atomic_open(audit / "report.md") as handle:
        handle.write(to_markdown(report))
    with atomic_open(audit / "report.html") as handle:
        handle.write(to_html(report))
    with (audit / "history.jsonl").open("a", encoding="utf-8") as handle:  # one line per run, for trends
        handle.write(json.dumps(history_row(report), sort_keys=True) + "\n")


def publish_artifacts(report: dict[str, Any]) -> bool:
    """The report as Prefect artifacts (markdown + a table of entity counts) when inside a flow run."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact
    from prefect.context import FlowRunContext

    if FlowRunContext.get() is None:
        return False
    create_markdown_artifact(to_markdown(report), key="clinetl-run-report", description="clinetl run report")
    rows = [{"type": k, "count": v} for k, v in report["entities_by_type"].items()]
    create_table_artifact(rows, key="clinetl-entities", description="entities removed, by type")
    return True
