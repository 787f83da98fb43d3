"""Settings for `make bench`: the production settings (config.settings.base, configured from the environment
exactly as a deployment is) with two changes — the API's per-caller budget and the certificate-verification
budget per IP address are raised, because the bench loads the API with a single token and the public verify
page from a single address (127.0.0.1), and would otherwise measure "429 Too Many Requests" answers. Both
limits still run (and cost what they cost) on every request."""

import os

from config.settings.base import *  # noqa: F403

SHIKHON_API_RATE_PER_MINUTE = int(os.environ.get("BENCH_API_RATE_PER_MINUTE", "100000000"))
SHIKHON_VERIFY_PER_MINUTE = int(os.environ.get("BENCH_VERIFY_PER_MINUTE", "100000000"))
