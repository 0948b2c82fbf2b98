"""`clinetl eval`: score de-identification against labelled corpora, beside a baseline, on the same notes."""
