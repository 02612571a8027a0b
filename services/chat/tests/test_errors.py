"""A refused status change is answered by an error of its own code: a conflict with the
conversation's status (409), or a request that does not fit (422)."""

from switchboard.chat.domain.status import StatusRefusal
from switchboard.chat.errors import REFUSALS


def test_refusals_tell_conflicts_from_bad_input() -> None:
    answers = {refusal.value: REFUSALS[refusal] for refusal in StatusRefusal}
    assert {code: error.code for code, error in answers.items()} == {code: code for code in answers}
    assert {code: error.status_code for code, error in answers.items()} == {
        "snoozed_until_required": 422,
        "snoozed_until_in_past": 422,
        "snoozed_until_not_allowed": 422,
        "status_unchanged": 409,
        "invalid_transition": 409,
    }
