"""Consumed events (group ``chat``, stream ``routing``): each model to its use case.

- ``agent.*`` and ``team.*``: the name projections, and team memberships (who sees a
  team's quick replies);
- ``assignment.*``: the conversation's assignee, and its team (``organising.service.teams``);
- ``participant.*``: who else the conversation's events reach;
- ``transfer.*``: a system message each;
- ``inbox.member_*`` and ``invitation.*``: who may see which conversations
  (``service.access``);
- ``queue.priority_set``: a supervisor's priority from the queue, the conversation's own
  (``organising.service.priority``).
"""

from __future__ import annotations

from switchboard.chat.organising.service import priority, teams
from switchboard.chat.service import access
from switchboard.chat.service.agents import record_agent
from switchboard.chat.service.conversations import apply_assignment, remove_assignment
from switchboard.chat.service.participants import apply_participant_change
from switchboard.chat.service.teams import record_team, record_team_membership
from switchboard.chat.service.transfers import record_transfer_step
from switchboard.contracts.routing import (
    AgentCreated,
    AgentUpdated,
    AssignmentCreated,
    AssignmentRemoved,
    AssignmentTeamChanged,
    InboxMemberAdded,
    InboxMemberRemoved,
    InvitationAccepted,
    InvitationCreated,
    InvitationDeclined,
    ParticipantAdded,
    ParticipantRemoved,
    QueuePrioritySet,
    TeamCreated,
    TeamMemberAdded,
    TeamMemberRemoved,
    TeamUpdated,
    TransferAccepted,
    TransferExpired,
    TransferRejected,
    TransferRequested,
)
from switchboard.core.handlers import Handlers

handlers = Handlers()
handlers.on(AgentCreated, AgentUpdated)(record_agent)
handlers.on(TeamCreated, TeamUpdated)(record_team)
handlers.on(TeamMemberAdded, TeamMemberRemoved)(record_team_membership)
handlers.on(AssignmentCreated)(apply_assignment)
handlers.on(AssignmentRemoved)(remove_assignment)
handlers.on(AssignmentTeamChanged)(teams.apply_team_change)
handlers.on(ParticipantAdded, ParticipantRemoved)(apply_participant_change)
handlers.on(TransferRequested, TransferAccepted, TransferRejected, TransferExpired)(
    record_transfer_step
)
handlers.on(InboxMemberAdded, InboxMemberRemoved)(access.record_membership)
handlers.on(InvitationCreated, InvitationAccepted, InvitationDeclined)(access.record_invitation)
handlers.on(QueuePrioritySet)(priority.apply_queue_priority)
