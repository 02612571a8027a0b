"""An agent's signature under what he sends."""

from __future__ import annotations

__all__ = ["signed"]


def signed(content: str, signature: str | None, *, private: bool) -> str:
    """The content with the agent's signature under it, a blank line between; a private note,
    or an agent without a signature, as it is."""
    if private or not signature:
        return content
    return f"{content.rstrip()}\n\n{signature}"
