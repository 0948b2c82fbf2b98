"""Keep every library off the network at run time. Imported first by the CLI and the flows."""

from __future__ import annotations

import os

_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_UI_ENABLED": "false",
    # the ephemeral Prefect server can take >10 s to come up on a busy 2-core CI machine
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "TLDEXTRACT_CACHE_TIMEOUT": "0",
}


def set_offline_env() -> None:
    """Set offline defaults without overriding what the operator set explicitly."""
    for key, value in _OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


def patch_tldextract() -> None:
    """Presidio's email recognizer calls `tldextract.extract`, which downloads the public suffix list.

    Replace it with an extractor that only ever uses the snapshot bundled in the package.
    """
    import tldextract

    if getattr(tldextract.extract, "_clinetl_offline", False):
        return
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)

    def extract(url: str, include_psl_private_domains: bool | None = None) -> object:
        return offline(url, include_psl_private_domains=include_psl_private_domains)

    extract._clinetl_offline = True  # type: ignore[attr-defined]
    tldextract.extract = extract  # type: ignore[assignment]
