"""Every error routing answers beyond core's: a class per code (two where one code has two
statuses), with its status (its base) and its message unless the raise says more. The domain's
rules refuse with enums; ``refused`` answers each refusal through the one table, ``REFUSALS``.
"""

from __future__ import annotations

from typing import TypeVar

from switchboard.core.errors import (
    AppError,
    Conflict,
    Forbidden,
    NotFound,
    TooManyRequests,
    Unauthorized,
    Unprocessable,
    UpstreamUnavailable,
)
from switchboard.core.errors import ConversationNotFound as ConversationNotFound
from switchboard.core.errors import InboxNotFound as InboxNotFound
from switchboard.core.errors import TeamNotFound as TeamNotFound
from switchboard.routing.assignment.domain.capacity import CapacityRefusal
from switchboard.routing.assignment.domain.offers import OfferRefusal
from switchboard.routing.transfers.domain.participants import InviteRefusal, ParticipantRefusal
from switchboard.routing.transfers.domain.transfers import TransferRefusal

# The codes this service answers with that are core's, because other services answer them too
# (one class each, in core.errors); imported from here like this service's own.
SHARED = (ConversationNotFound, InboxNotFound, TeamNotFound)


class AccountNotFound(NotFound):
    code = "account_not_found"
    message = "no such account"


class AgentNotFound(NotFound):
    code = "agent_not_found"
    message = "no such agent"


class InvitationNotFound(NotFound):
    code = "invitation_not_found"
    message = "no such invitation"


class MemberNotFound(NotFound):
    code = "member_not_found"
    message = "the agent is not a member of this team"


class NotQueued(NotFound):
    code = "not_queued"
    message = "the conversation is not waiting in the queue"


class OfferNotFound(NotFound):
    code = "offer_not_found"
    message = "no such offer"


class TransferNotFound(NotFound):
    code = "transfer_not_found"
    message = "no such transfer"


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"
    message = "wrong email or password"


class RefreshTokenReused(Unauthorized):
    code = "refresh_token_reused"
    message = "this refresh token was used before: every session of this login is revoked"


class AgentDeactivated(Forbidden):
    code = "agent_deactivated"
    message = "this agent has been deactivated"


class InviterNotAParticipant(Forbidden):
    code = "not_a_participant"
    message = "only the assignee and participants invite"


class NotAssignee(Forbidden):
    code = "not_assignee"
    message = "only the conversation's assignee can transfer it"


class NotInvitee(Forbidden):
    code = "not_invitee"
    message = "this invitation is not addressed to you"


class NotOffered(Forbidden):
    code = "not_offered"
    message = "this offer was not made to you"


class NotTransferTarget(Forbidden):
    code = "not_transfer_target"
    message = "this transfer is not addressed to you"


class OverrideNotAllowed(Forbidden):
    code = "override_not_allowed"
    message = "only admins override capacity"


class WrongPassword(Forbidden):
    code = "wrong_password"
    message = "the current password is wrong"


class AgentOffline(Conflict):
    code = "agent_offline"
    message = "the agent is not online"


class AlreadyAssigned(Conflict):
    code = "already_assigned"
    message = "the conversation is assigned to this agent"


class AlreadyInvited(Conflict):
    code = "already_invited"
    message = "the agent has a pending invitation to this conversation"


class AlreadyMember(Conflict):
    code = "already_member"
    message = "the agent is a member of this team already"


class AlreadyParticipant(Conflict):
    code = "already_participant"
    message = "the agent is in this conversation already"


class AssigneeCannotLeave(Conflict):
    code = "assignee_cannot_leave"
    message = "the assignee cannot leave: transfer the conversation instead"


class AtCapacity(Conflict):
    code = "at_capacity"
    message = "the agent is at capacity"


class ConversationClosed(Conflict):
    code = "conversation_closed"
    message = "the conversation is resolved or snoozed"


class EmailTaken(Conflict):
    code = "email_taken"
    message = "an agent with this email exists already"


class FromQueueOnly(Conflict):
    code = "not_queued"
    message = "agents take conversations from the queue only"


class InvitationNotPending(Conflict):
    code = "invitation_not_pending"
    message = "the invitation was answered already"


class LastAdmin(Conflict):
    code = "last_admin"
    message = "the account must keep an active admin"


class NotAMember(Conflict):
    code = "not_a_member"
    message = "the agent is not a member of the conversation's inbox or team"


class NotAParticipant(Conflict):
    code = "not_a_participant"
    message = "you are not a participant of this conversation"


class NotMonitoring(Conflict):
    code = "not_monitoring"
    message = "you are not monitoring this conversation"


class OfferExpired(Conflict):
    code = "offer_expired"
    message = "the offer has expired"


class OfferTaken(Conflict):
    code = "offer_taken"
    message = "another agent took this conversation"


class TeamNameTaken(Conflict):
    code = "team_name_taken"
    message = "a team of this name exists"


class TransferExpired(Conflict):
    code = "transfer_expired"
    message = "the transfer has expired"


class TransferNotAllowed(Conflict):
    code = "transfer_not_allowed"
    message = "this team may not transfer to that team"


class TransferNotPending(Conflict):
    code = "transfer_not_pending"
    message = "the transfer was answered already"


class TransferPending(Conflict):
    code = "transfer_pending"
    message = "a transfer of this conversation is waiting for an answer"


class TransferToSelf(Conflict):
    code = "transfer_to_self"
    message = "the conversation is yours already"


class AssignmentTargetRequired(Unprocessable):
    code = "assignment_target_required"
    message = "send agent_id, team_id or both"


class InvalidStrategy(Unprocessable):
    code = "invalid_strategy"
    message = "no such routing strategy"


class InvalidTeamReference(Unprocessable):
    code = "invalid_team_reference"
    message = "a team cannot name itself"


class InvalidTransferTarget(Unprocessable):
    code = "invalid_transfer_target"
    message = "send exactly one of to_agent_id and to_team_id"


class LoginLocked(TooManyRequests):
    code = "login_locked"
    message = "too many failed logins with this email: try again later"


class ChatUnavailable(UpstreamUnavailable):
    code = "chat_unavailable"
    message = "chat could not be reached to look up the inbox"


Refusal = CapacityRefusal | OfferRefusal | TransferRefusal | InviteRefusal | ParticipantRefusal

# The refusal enums are plain Enums, not StrEnums: `not_a_participant` is refused by two rules
# with two statuses, and two StrEnum members of one value would be one key here.
REFUSALS: dict[Refusal, type[AppError]] = {
    CapacityRefusal.override_not_allowed: OverrideNotAllowed,
    CapacityRefusal.at_capacity: AtCapacity,
    OfferRefusal.not_offered: NotOffered,
    OfferRefusal.offer_taken: OfferTaken,
    OfferRefusal.offer_expired: OfferExpired,
    TransferRefusal.not_assignee: NotAssignee,
    TransferRefusal.conversation_closed: ConversationClosed,
    TransferRefusal.transfer_pending: TransferPending,
    TransferRefusal.transfer_to_self: TransferToSelf,
    TransferRefusal.agent_offline: AgentOffline,
    TransferRefusal.not_transfer_target: NotTransferTarget,
    TransferRefusal.transfer_expired: TransferExpired,
    TransferRefusal.transfer_not_pending: TransferNotPending,
    InviteRefusal.not_a_participant: InviterNotAParticipant,
    InviteRefusal.already_participant: AlreadyParticipant,
    InviteRefusal.already_invited: AlreadyInvited,
    ParticipantRefusal.assignee_cannot_leave: AssigneeCannotLeave,
    ParticipantRefusal.not_a_participant: NotAParticipant,
    ParticipantRefusal.already_participant: AlreadyParticipant,
    ParticipantRefusal.not_monitoring: NotMonitoring,
}


def refused(refusal: Refusal) -> AppError:
    """The error that answers a domain rule's refusal."""
    return REFUSALS[refusal]()


T = TypeVar("T")


def found(row: T | None, missing: type[NotFound]) -> T:
    """The row a lookup found, or the 404 of its kind: one line where every use case looks
    something up by id (``team = found(await teams.get(...), TeamNotFound)``)."""
    if row is None:
        raise missing()
    return row
