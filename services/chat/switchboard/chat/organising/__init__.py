"""Organising conversations: labels, priority, stars, read positions and who waits for a
reply (see docs/architecture.md, "Organising conversations")."""
