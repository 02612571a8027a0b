"""Every error chat answers beyond core's: one class per code, with its status (its base) and
its message unless the raise says more. A status change the rules refuse is answered through
the one table, ``REFUSALS``, in the rule's own words (``domain.status``)."""

from __future__ import annotations

from switchboard.chat.domain.finding import FindingRefusal
from switchboard.chat.domain.status import StatusRefusal
from switchboard.chat.quick_replies.domain.audience import AudienceRefusal, AudienceRefused
from switchboard.core.errors import AppError, Conflict, Forbidden, NotFound, Unprocessable
from switchboard.core.errors import ConversationNotFound as ConversationNotFound
from switchboard.core.errors import InboxNotFound as InboxNotFound

# The codes this service answers with that are core's, because other services answer them too
# (one class each, in core.errors); imported from here like this service's own.
SHARED = (ConversationNotFound, InboxNotFound)


class VisitorNotFound(NotFound):
    code = "visitor_not_found"
    message = "no such visitor"


class ReadOnly(Forbidden):
    code = "read_only"
    message = "you can read this conversation but not write to it: join it first"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class StatusUnchanged(Conflict):
    code = "status_unchanged"


class SnoozedUntilInPast(Unprocessable):
    code = "snoozed_until_in_past"


class SnoozedUntilNotAllowed(Unprocessable):
    code = "snoozed_until_not_allowed"


class SnoozedUntilRequired(Unprocessable):
    code = "snoozed_until_required"


REFUSALS: dict[StatusRefusal, type[AppError]] = {
    StatusRefusal.snoozed_until_required: SnoozedUntilRequired,
    StatusRefusal.snoozed_until_in_past: SnoozedUntilInPast,
    StatusRefusal.snoozed_until_not_allowed: SnoozedUntilNotAllowed,
    StatusRefusal.status_unchanged: StatusUnchanged,
    StatusRefusal.invalid_transition: InvalidTransition,
}


def refused(refusal: StatusRefusal, message: str) -> AppError:
    """The error that answers a refused status change, in the rule's own words."""
    return REFUSALS[refusal](message)


class InvalidRange(Unprocessable):
    code = "invalid_range"
    message = "the range starts after it ends"


FINDING_REFUSALS: dict[FindingRefusal, type[AppError]] = {
    FindingRefusal.invalid_range: InvalidRange,
}


def refused_finding(refusal: FindingRefusal, message: str) -> AppError:
    """The error that answers a question the conversation list cannot answer."""
    return FINDING_REFUSALS[refusal](message)


# --- quick replies (``quick_replies/``) ------------------------------------------------------


class CannedResponseNotFound(NotFound):
    code = "canned_response_not_found"
    message = "no such quick reply"


class TeamNotFound(NotFound):
    code = "team_not_found"
    message = "no such team"


class ShortcutTaken(Conflict):
    code = "shortcut_taken"
    message = "another quick reply of the account has this shortcut"


class UnknownPlaceholder(Unprocessable):
    code = "unknown_placeholder"


class SharedResponseAdminOnly(Forbidden):
    code = "shared_response_admin_only"


class TeamIdsRequired(Unprocessable):
    code = "team_ids_required"


class TeamIdsNotAllowed(Unprocessable):
    code = "team_ids_not_allowed"


AUDIENCE_REFUSALS: dict[AudienceRefusal, type[AppError]] = {
    AudienceRefusal.shared_response_admin_only: SharedResponseAdminOnly,
    AudienceRefusal.team_ids_required: TeamIdsRequired,
    AudienceRefusal.team_ids_not_allowed: TeamIdsNotAllowed,
}


def refused_audience(refused: AudienceRefused) -> AppError:
    """The error that answers a quick reply's audience the rules refuse."""
    return AUDIENCE_REFUSALS[refused.refusal](str(refused))
