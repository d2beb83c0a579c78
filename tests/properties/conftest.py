"""Hypothesis profiles: a quick one for every pytest run, ``ci`` for the dedicated CI step.

``HYPOTHESIS_PROFILE=ci pytest tests/properties`` runs 10,000 examples per property with a
derandomised (fixed) seed, so a CI failure replays on any machine.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "ci",
    max_examples=10_000,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
