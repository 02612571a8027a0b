"""What the Switchboard services tell each other: one frozen model per event type.

``event`` holds the base class, ``values`` the types events share, ``inputs`` and ``text`` the
values read exactly as their JSON schema says (``inputs.Timestamp``, every moment of events,
reads and requests), ``messages`` the kinds of message and the parts of a send body, and one
module per producing service (``chat``, ``routing``, ``tickets``, ``gateway``) its events;
``catalogue`` lists them all. This package depends on pydantic only, so any service (and any
client) can read it without the others.
"""
