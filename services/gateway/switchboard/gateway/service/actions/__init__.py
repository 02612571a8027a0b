"""The socket actions, one module per concern, each action registered once with its payload.

- ``session``: ``login`` and ``ping``, and a socket's login by query string and its end;
- ``messaging``: ``send_message`` and ``typing``;
- ``availability``: ``set_availability`` (the agent's routing status) and ``set_away`` (this
  connection's);
- ``answers``: ``accept_offer``, ``accept_transfer``, ``reject_transfer``;
- ``resume``: the events missed since an id, from the push stream.

``table`` pairs the protocol's actions (``domain/frames.py``) with their handlers, ``parts`` is
what a handler reaches, and ``dispatch`` serves a socket's frames with them.
"""
