"""The token-signing secret: generated per installation, judged before it is used.

No secret is ever a constant of the source. ``switchboard infra`` generates one per data
directory (``<data>/jwt-secret``, readable by its owner only) and exports it as
``SB_JWT_SECRET``; production refuses to start with a secret that is missing, short, of low
entropy, or one that was ever published.
"""

from __future__ import annotations

import math
import secrets
from collections import Counter

__all__ = [
    "MIN_SECRET_BITS",
    "MIN_SECRET_LENGTH",
    "PUBLISHED_SECRETS",
    "generate_secret",
    "secret_weakness",
]

MIN_SECRET_LENGTH = 32
# Shannon entropy of the characters times the length: a floor against "aaaa..." and friends.
MIN_SECRET_BITS = 128.0
# Secrets that have appeared in this repository's history: known to anyone, never accepted.
PUBLISHED_SECRETS = frozenset({"switchboard-development-secret-change-me"})


def generate_secret() -> str:
    """A fresh secret with 384 bits of randomness."""
    return secrets.token_urlsafe(48)


def _entropy_bits(secret: str) -> float:
    counts = Counter(secret)
    total = len(secret)
    per_char = -sum(n / total * math.log2(n / total) for n in counts.values())
    return per_char * total


def secret_weakness(secret: str) -> str | None:
    """Why ``secret`` must not sign production tokens, or None when it may."""
    if not secret:
        return "it is not set"
    if secret in PUBLISHED_SECRETS:
        return "it is published in the source"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"it has {len(secret)} characters, fewer than {MIN_SECRET_LENGTH}"
    if _entropy_bits(secret) < MIN_SECRET_BITS:
        return "its characters repeat too much (low entropy)"
    return None
