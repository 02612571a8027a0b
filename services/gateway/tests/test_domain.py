"""The gateway's pure rules: audiences, frames, presence, stream ids, routes, headers."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import orjson
import pytest

from switchboard.gateway.domain.audience import (
    connection_audience,
    matches,
    should_relay,
    typing_audience,
)
from switchboard.gateway.domain.frames import (
    FrameError,
    RejectTransferPayload,
    SendMessagePayload,
    SendText,
    parse_payload,
    parse_request,
    push_frame,
    response_error,
)
from switchboard.gateway.domain.headers import request_headers, response_headers
from switchboard.gateway.domain.presence import (
    ConnectionPresence,
    PresenceSummary,
    decode_presence,
    encode_presence,
    summarize,
    transition,
)
from switchboard.gateway.domain.routes import RouteTable, compile_template
from switchboard.gateway.domain.stream_ids import needs_resync, parse_stream_id


class TestAudience:
    def test_an_admin_hears_every_role_at_or_below_it_and_its_inboxes(self) -> None:
        audience = connection_audience("agent", "a1", role="admin", inbox_ids=["i1"])
        assert audience == {
            "agent:a1",
            "inbox:i1",
            "role:agent",
            "role:supervisor",
            "role:admin",
        }

    def test_an_agent_does_not_hear_supervisors(self) -> None:
        audience = connection_audience("agent", "a1", role="agent")
        assert not matches("acc", audience, "acc", ["role:supervisor"])
        assert matches("acc", audience, "acc", ["role:agent"])

    def test_a_visitor_hears_only_itself(self) -> None:
        audience = connection_audience("visitor", "v1", role="admin", inbox_ids=["i1"])
        assert audience == {"visitor:v1"}

    def test_another_account_never_matches(self) -> None:
        audience = connection_audience("visitor", "v1")
        assert matches("acc", audience, "acc", ["inbox:x", "visitor:v1"])
        assert not matches("acc", audience, "other", ["visitor:v1"])

    def test_only_events_with_an_audience_are_relayed(self) -> None:
        assert should_relay(["inbox:x"])
        assert not should_relay([])

    def test_typing_of_a_visitor_reaches_assignee_and_inbox_of_an_agent_the_visitor(
        self,
    ) -> None:
        assert typing_audience("visitor", inbox_id="i", assignee_id="a", visitor_id="v") == [
            "inbox:i",
            "agent:a",
        ]
        assert typing_audience("visitor", inbox_id="i", assignee_id=None, visitor_id="v") == [
            "inbox:i"
        ]
        assert typing_audience("agent", inbox_id="i", assignee_id="a", visitor_id="v") == [
            "visitor:v"
        ]


class TestFrames:
    def test_a_request_is_parsed(self) -> None:
        request = parse_request(
            '{"type":"request","request_id":"c-1","action":"ping","payload":{}}'
        )
        assert (request.request_id, request.action) == ("c-1", "ping")

    @pytest.mark.parametrize(
        "text",
        [
            "not json",
            "[1, 2]",
            '{"type":"event","request_id":"c-1","action":"ping"}',
            '{"type":"request","action":"ping"}',
            '{"type":"request","request_id":7,"action":"ping"}',
            '{"type":"request","request_id":"c-1","action":"ping","payload":[]}',
        ],
    )
    def test_malformed_frames_are_bad_frames(self, text: str) -> None:
        with pytest.raises(FrameError) as caught:
            parse_request(text)
        assert caught.value.code == "bad_frame"

    def test_a_bad_frame_keeps_its_request_id_when_readable(self) -> None:
        with pytest.raises(FrameError) as caught:
            parse_request('{"type":"request","request_id":"c-9"}')
        assert caught.value.request_id == "c-9"

    def test_unknown_actions_and_invalid_payloads(self) -> None:
        with pytest.raises(FrameError) as caught:
            parse_payload(parse_request('{"type":"request","request_id":"1","action":"fly"}'))
        assert caught.value.code == "unknown_action"
        frame = '{"type":"request","request_id":"1","action":"set_away","payload":{"away":"y"}}'
        with pytest.raises(FrameError) as caught:
            parse_payload(parse_request(frame))
        assert caught.value.code == "invalid_payload"
        frame = (
            '{"type":"request","request_id":"1","action":"resume","payload":{"last_event_id":"x"}}'
        )
        with pytest.raises(FrameError) as caught:
            parse_payload(parse_request(frame))
        assert caught.value.code == "invalid_payload"

    def test_send_message_payload(self) -> None:
        raw = {
            "type": "request",
            "request_id": "1",
            "action": "send_message",
            "payload": {"conversation_id": "0190c0de-0000-7000-8000-000000000000", "content": "hi"},
        }
        payload = parse_payload(parse_request(orjson.dumps(raw)))
        assert isinstance(payload, SendMessagePayload)
        assert isinstance(payload.root, SendText) and payload.root.content == "hi"
        assert payload.root.private is False and payload.root.client_message_id is None

    def test_send_message_takes_attachments_with_or_without_content(self) -> None:
        conversation_id, attachment_id = str(uuid.uuid4()), str(uuid.uuid4())

        def parse(payload: dict[str, object]) -> object:
            raw = {"type": "request", "request_id": "1", "action": "send_message"}
            return parse_payload(parse_request(orjson.dumps({**raw, "payload": payload})))

        voice = parse({"conversation_id": conversation_id, "attachment_ids": [attachment_id]})
        assert isinstance(voice, SendMessagePayload) and isinstance(voice.root, SendText)
        assert voice.root.content == ""
        assert [str(a) for a in voice.root.attachment_ids] == [attachment_id]
        refused: list[dict[str, object]] = [
            {"conversation_id": conversation_id},
            {"conversation_id": conversation_id, "content": "", "attachment_ids": []},
            {"conversation_id": conversation_id, "attachment_ids": ["not-an-id"]},
            {"conversation_id": conversation_id, "attachment_ids": [attachment_id] * 11},
        ]
        for empty in refused:
            with pytest.raises(FrameError) as caught:
                parse(empty)
            assert caught.value.code == "invalid_payload"

    def test_offer_and_transfer_payloads(self) -> None:
        transfer_id = "0190c0de-0000-7000-8000-000000000000"

        def parse(action: str, payload: Mapping[str, object]) -> object:
            raw = {"type": "request", "request_id": "1", "action": action, "payload": payload}
            return parse_payload(parse_request(orjson.dumps(raw)))

        rejected = parse("reject_transfer", {"transfer_id": transfer_id, "reason": "busy"})
        assert isinstance(rejected, RejectTransferPayload) and rejected.reason == "busy"
        for action, payload in (
            ("accept_offer", {}),
            ("accept_transfer", {"transfer_id": transfer_id, "extra": 1}),
            ("reject_transfer", {"transfer_id": transfer_id, "reason": "x" * 501}),
        ):
            with pytest.raises(FrameError) as caught:
                parse(action, payload)
            assert caught.value.code == "invalid_payload"

    def test_a_push_names_the_request_only_for_the_connection_that_made_it(self) -> None:
        mine = push_frame("1-0", "message.created", {"a": 1}, origin="c1:r-7", connection_id="c1")
        assert mine == {
            "type": "event",
            "id": "1-0",
            "event": "message.created",
            "data": {"a": 1},
            "request_id": "r-7",
        }
        theirs = push_frame("1-0", "message.created", {}, origin="c1:r-7", connection_id="c2")
        assert "request_id" not in theirs
        none = push_frame("1-0", "message.created", {}, origin=None, connection_id="c1")
        assert "request_id" not in none

    def test_an_error_response(self) -> None:
        assert response_error("r", "ping", "bad_frame", "no") == {
            "type": "response",
            "request_id": "r",
            "action": "ping",
            "ok": False,
            "error": {"code": "bad_frame", "message": "no"},
        }


class TestPresence:
    HEARTBEAT = 10.0

    def summary(self, *connections: ConnectionPresence, now: float = 1000.0) -> PresenceSummary:
        return summarize(
            {str(i): c for i, c in enumerate(connections)},
            now=now,
            heartbeat_seconds=self.HEARTBEAT,
        )

    def test_online_needs_one_live_connection_that_is_not_away(self) -> None:
        assert self.summary(ConnectionPresence(away=False, seen=1000.0)).online
        assert not self.summary(ConnectionPresence(away=True, seen=1000.0)).online
        both = self.summary(
            ConnectionPresence(away=True, seen=1000.0), ConnectionPresence(away=False, seen=990.0)
        )
        assert both.online and both.connections == 2

    def test_a_connection_without_heartbeats_for_three_beats_is_dead(self) -> None:
        assert self.summary(ConnectionPresence(away=False, seen=970.0)).online
        stale = self.summary(ConnectionPresence(away=False, seen=969.0))
        assert not stale.online and stale.connections == 0

    def test_only_changes_are_announced(self) -> None:
        online = self.summary(ConnectionPresence(away=False, seen=1000.0))
        offline = self.summary()
        assert transition(False, online) == "online"
        assert transition(True, online) is None
        assert transition(True, offline) == "offline"
        assert transition(False, offline) is None

    def test_the_stored_value_round_trips_and_garbage_is_ignored(self) -> None:
        value = ConnectionPresence(away=True, seen=12.5)
        assert decode_presence(encode_presence(value)) == value
        assert decode_presence(b"{") is None
        assert decode_presence(b'{"away": true}') is None


class TestStreamIds:
    def test_parsing(self) -> None:
        assert parse_stream_id("1700000000000-3") == (1700000000000, 3)
        with pytest.raises(ValueError):
            parse_stream_id("1700000000000")

    def test_nothing_trimmed_never_needs_a_resync(self) -> None:
        assert not needs_resync(
            "5-0", first_id="10-0", last_generated_id="20-0", entries_added=3, length=3
        )

    def test_trimmed_past_the_last_seen_event_needs_a_resync(self) -> None:
        kept = {"first_id": "10-0", "last_generated_id": "20-0", "entries_added": 9, "length": 3}
        assert needs_resync("5-0", **kept)  # type: ignore[arg-type]
        assert not needs_resync("10-0", **kept)  # type: ignore[arg-type]
        assert not needs_resync("15-0", **kept)  # type: ignore[arg-type]

    def test_an_id_from_the_future_belongs_to_another_stream(self) -> None:
        assert needs_resync(
            "30-0", first_id="10-0", last_generated_id="20-0", entries_added=3, length=3
        )

    def test_a_deleted_entry_after_the_last_seen_needs_a_resync(self) -> None:
        assert needs_resync(
            "5-0",
            first_id="1-0",
            last_generated_id="20-0",
            entries_added=3,
            length=3,
            max_deleted_id="6-0",
        )


class TestRoutes:
    def test_templates_match_one_segment_per_parameter(self) -> None:
        pattern = compile_template("/v1/conversations/{id}/messages")
        assert pattern.match("/v1/conversations/abc/messages")
        assert not pattern.match("/v1/conversations/abc/def/messages")
        assert not pattern.match("/v1/conversations//messages")
        assert not pattern.match("/v1/conversations/abc/messages/x")

    def test_the_table_prefers_literal_paths_and_finds_the_upstream(self) -> None:
        table = RouteTable(
            {
                "routing": ["/v1/agents/{agent_id}", "/v1/agents/me"],
                "chat": ["/v1/conversations/{id}/messages", "/v1/inboxes"],
            }
        )
        me = table.match("/v1/agents/me")
        assert me is not None and me.template == "/v1/agents/me"
        other = table.match("/v1/agents/42")
        assert other is not None and other.upstream == "routing"
        messages = table.match("/v1/conversations/7/messages")
        assert messages is not None and messages.upstream == "chat"
        assert table.match("/v1/nothing") is None
        assert len(table) == 4


class TestHeaders:
    def test_hop_by_hop_headers_are_dropped_and_the_client_is_forwarded(self) -> None:
        sent = request_headers(
            [
                ("Host", "gw"),
                ("Connection", "keep-alive, x-private"),
                ("X-Private", "1"),
                ("Authorization", "Bearer t"),
                ("X-Forwarded-For", "10.0.0.1"),
                ("Content-Length", "3"),
                ("X-Switchboard-Origin", "someone-elses-socket:r-1"),
            ],
            client_host="10.0.0.2",
        )
        assert sent == [("Authorization", "Bearer t"), ("x-forwarded-for", "10.0.0.1, 10.0.0.2")]

    def test_the_upstream_encoding_and_transfer_headers_are_dropped(self) -> None:
        kept = response_headers(
            [
                ("content-type", "application/json"),
                ("content-encoding", "gzip"),
                ("transfer-encoding", "chunked"),
                ("set-cookie", "a=1"),
                ("set-cookie", "b=2"),
            ]
        )
        assert kept == [
            ("content-type", "application/json"),
            ("set-cookie", "a=1"),
            ("set-cookie", "b=2"),
        ]
