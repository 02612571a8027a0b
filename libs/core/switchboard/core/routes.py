"""What a route answers, said once by what it does: the keyword arguments of every router's
``@router.get/post/...``, so that a path that lists, creates or removes is declared the same way
in every service.

Each helper takes the route's body model (where there is one) and the errors its use case
answers beyond the common ones (``refusals``, see ``core.openapi``)::

    @router.get("/{team_id}/members", **lists(TeamMemberDetail, TeamNotFound))
    @router.post("", **creates(TeamRead, TeamNameTaken))
    @router.delete("/{team_id}/members/{agent_id}", **removes(TeamNotFound, MemberNotFound))

A removing route then ends with ``return done()``.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response, status
from pydantic import BaseModel

from switchboard.core.errors import AppError
from switchboard.core.openapi import refusals
from switchboard.core.pagination import Page

__all__ = ["Responses", "answers", "creates", "done", "lists", "removes"]

Responses = dict[int | str, dict[str, Any]]
RouteArguments = dict[str, Any]


def answers(model: type[BaseModel], *refused: type[AppError]) -> RouteArguments:
    """A path that answers 200 with ``model`` (a read, a change), or one of ``refused``."""
    return {"response_model": model, "responses": refusals(*refused)}


def lists(item: type[BaseModel], *refused: type[AppError]) -> RouteArguments:
    """A list path: 200 with a ``Page`` of ``item`` (see ``core.pagination``), or one of
    ``refused``."""
    return answers(Page[item], *refused)  # type: ignore[valid-type]


def creates(
    model: type[BaseModel], *refused: type[AppError], also: Responses | None = None
) -> RouteArguments:
    """A path that creates: 201 with ``model``, or one of ``refused``; ``also``: the other
    answers it documents (chat's 200 of a replayed send)."""
    return {
        "response_model": model,
        "status_code": status.HTTP_201_CREATED,
        "responses": {**(also or {}), **refusals(*refused)},
    }


def removes(*refused: type[AppError]) -> RouteArguments:
    """A path that removes (or ends) something: 204 and no body, or one of ``refused``."""
    return {
        "status_code": status.HTTP_204_NO_CONTENT,
        "response_class": Response,
        "responses": refusals(*refused),
    }


def done() -> Response:
    """The answer of a path declared with ``removes``: 204, no body."""
    return Response(status_code=status.HTTP_204_NO_CONTENT)
