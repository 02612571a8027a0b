"""Every refusal of the domain's rules is answered by an error of its own code."""

from typing import get_args

from switchboard.routing.errors import REFUSALS, Refusal


def test_every_refusal_is_answered_with_its_code() -> None:
    for refusals in get_args(Refusal):
        for refusal in refusals:
            assert REFUSALS[refusal].code == refusal.value, refusal
