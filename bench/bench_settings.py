"""Settings for `make bench`: the production settings (config.settings.base, configured from the environment
exactly as a deployment is) with one change — the API's per-caller budget is raised, because the bench loads
the API with a single token and would otherwise measure "429 Too Many Requests" answers. The throttle still
runs (and costs what it costs) on every API request."""

import os

from config.settings.base import *  # noqa: F403

SHIKHON_API_RATE_PER_MINUTE = int(os.environ.get("BENCH_API_RATE_PER_MINUTE", "100000000"))
