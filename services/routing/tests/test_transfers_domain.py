"""The pure rules of transfers and participants: who may ask, answer, invite, leave and
monitor."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from switchboard.routing.transfers.domain import participants
from switchboard.routing.transfers.domain.transfers import (
    TransferRefusal,
    TransferStatus,
    decision_refusal,
    request_refusal,
)

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


class TestTransfers:
    def test_only_the_assignee_of_an_open_conversation_asks_an_online_agent(self) -> None:
        me, other = UUID(int=1), UUID(int=2)

        def refusal(**over: object) -> TransferRefusal | None:
            args: dict[str, object] = {
                "requester_id": me,
                "assignee_id": me,
                "conversation_active": True,
                "has_pending": False,
                "to_agent_id": other,
                "target_online": True,
            }
            args.update(over)
            return request_refusal(**args)  # type: ignore[arg-type]

        assert refusal() is None
        assert refusal(assignee_id=other) is TransferRefusal.not_assignee
        assert refusal(conversation_active=False) is TransferRefusal.conversation_closed
        assert refusal(has_pending=True) is TransferRefusal.transfer_pending
        assert refusal(to_agent_id=me) is TransferRefusal.transfer_to_self
        assert refusal(target_online=False) is TransferRefusal.agent_offline
        assert refusal(to_agent_id=None, target_online=False) is None  # a team

    def test_answers_are_for_the_target_of_a_pending_unexpired_transfer(self) -> None:
        target = UUID(int=2)
        later = T0 + timedelta(minutes=2)

        def refusal(
            status: TransferStatus, who: UUID = target, now: datetime = T0
        ) -> TransferRefusal | None:
            return decision_refusal(
                status=status, expires_at=later, now=now, targets=[target], agent_id=who
            )

        assert refusal(TransferStatus.pending) is None
        assert refusal(TransferStatus.pending, UUID(int=9)) is TransferRefusal.not_transfer_target
        assert refusal(TransferStatus.pending, now=later) is TransferRefusal.transfer_expired
        assert refusal(TransferStatus.expired) is TransferRefusal.transfer_expired
        assert refusal(TransferStatus.accepted) is TransferRefusal.transfer_not_pending
        assert refusal(TransferStatus.cancelled) is TransferRefusal.transfer_not_pending


class TestParticipants:
    def test_invitations(self) -> None:
        assignee, helper, monitor, other = (UUID(int=n) for n in (1, 2, 3, 4))
        present = {
            helper: participants.ParticipantKind.participant,
            monitor: participants.ParticipantKind.monitor,
        }

        def refusal(
            inviter: UUID, invitee: UUID, invited: bool = False
        ) -> participants.InviteRefusal | None:
            return participants.invite_refusal(
                inviter_id=inviter,
                invitee_id=invitee,
                assignee_id=assignee,
                present=present,
                already_invited=invited,
            )

        assert refusal(assignee, other) is None
        assert refusal(helper, other) is None
        assert refusal(monitor, other) is participants.InviteRefusal.not_a_participant
        assert refusal(other, UUID(int=5)) is participants.InviteRefusal.not_a_participant
        assert refusal(assignee, helper) is participants.InviteRefusal.already_participant
        assert refusal(helper, assignee) is participants.InviteRefusal.already_participant
        assert refusal(assignee, other, True) is participants.InviteRefusal.already_invited

    def test_anyone_but_the_assignee_leaves_and_monitors_join_once(self) -> None:
        assignee, helper = UUID(int=1), UUID(int=2)
        present = {helper: participants.ParticipantKind.participant}
        assert (
            participants.leave_refusal(agent_id=helper, assignee_id=assignee, present=present)
            is None
        )
        assert (
            participants.leave_refusal(agent_id=assignee, assignee_id=assignee, present=present)
            is participants.ParticipantRefusal.assignee_cannot_leave
        )
        assert (
            participants.leave_refusal(agent_id=UUID(int=3), assignee_id=assignee, present=present)
            is participants.ParticipantRefusal.not_a_participant
        )
        assert (
            participants.monitor_refusal(
                agent_id=UUID(int=3), assignee_id=assignee, present=present
            )
            is None
        )
        assert (
            participants.monitor_refusal(agent_id=helper, assignee_id=assignee, present=present)
            is participants.ParticipantRefusal.already_participant
        )

    def test_only_a_monitor_stops_monitoring(self) -> None:
        assignee, helper, monitor = UUID(int=1), UUID(int=2), UUID(int=3)
        present = {
            helper: participants.ParticipantKind.participant,
            monitor: participants.ParticipantKind.monitor,
        }

        def refusal(agent_id: UUID) -> participants.ParticipantRefusal | None:
            return participants.stop_monitoring_refusal(
                agent_id=agent_id, assignee_id=assignee, present=present
            )

        assert refusal(monitor) is None
        assert refusal(helper) is participants.ParticipantRefusal.not_monitoring
        assert refusal(assignee) is participants.ParticipantRefusal.not_monitoring
