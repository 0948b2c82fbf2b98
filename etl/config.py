"""Load, validate and hash the run configuration."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from schemas.config import RunConfig

CONF_DIR = Path(__file__).parent / "conf"
DEFAULT_CONFIG = CONF_DIR / "default.yaml"


class ConfigError(ValueError):
    """The configuration file is missing, malformed or invalid."""


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read config {path}: {type(exc).__name__}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config {path} must be a mapping at the top level")
    return data


def load_config(path: str | Path | None = None) -> RunConfig:
    """Defaults from etl/conf/default.yaml, overridden key by key by the file at `path`."""
    data = _read_yaml(DEFAULT_CONFIG)
    if path is not None:
        data = _deep_merge(data, _read_yaml(Path(path)))
    try:
        config = RunConfig.model_validate(data)
    except Exception as exc:  # pydantic's message names fields, never data values from notes
        raise ConfigError(f"invalid config: {exc}") from None
    from etl.sources.registry import adapter_claims  # the registry imports the readers: only when loading

    if unknown := sorted(set(config.source.adapters) - set(adapter_claims())):
        raise ConfigError(f"invalid config: source.adapters: no source adapter named {', '.join(unknown)}")
    return config


def config_dict(config: RunConfig) -> dict[str, Any]:
    return config.model_dump(mode="json")


def config_hash(config: RunConfig) -> str:
    """sha256 of the canonical JSON of the effective config: the same settings give the same hash."""
    canonical = json.dumps(config_dict(config), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_effective_config(config: RunConfig, out_dir: Path) -> str:
    """Write the effective config and its hash into a run's outputs; return the hash."""
    digest = config_hash(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {"config_hash": digest, "config": config_dict(config)}
    (out_dir / "config.effective.yaml").write_text(yaml.safe_dump(payload, sort_keys=True), encoding="utf-8")
    return digest


def load_effective_config(audit_dir: Path) -> RunConfig:
    """The config a run froze at its start (see write_effective_config): every stage of a run uses it,
    so editing the config file while a run is under way cannot change that run half-way."""
    data = _read_yaml(audit_dir / "config.effective.yaml")
    config = RunConfig.model_validate(data["config"])
    if config_hash(config) != data["config_hash"]:
        raise ConfigError(f"{audit_dir / 'config.effective.yaml'}: hash does not match its content")
    return config
