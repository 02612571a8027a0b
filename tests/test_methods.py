"""Through the gateway, a method a path does not have answers 405 with the path's methods,
whatever the method; OPTIONS answers them (the upstream's router decides, for any method)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from switchboard.core.testing import assert_method_not_allowed


@pytest.mark.parametrize("method", ["PUT", "DELETE", "TRACE"])
async def test_a_method_the_path_lacks_is_405_naming_the_paths_methods(
    http: httpx.AsyncClient, method: str
) -> None:
    response = await http.request(method, "/v1/inboxes")
    assert_method_not_allowed(response, "GET, OPTIONS, POST")
    assert len(response.headers.get_list("date")) == 1  # the gateway's, not the upstream's too


async def test_options_answers_the_methods_of_the_path(http: httpx.AsyncClient) -> None:
    response = await http.options(f"/v1/conversations/{uuid.uuid4()}")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, OPTIONS, PATCH"
