"""Consumed events: every new visitor of chat becomes a contact."""

from switchboard.contracts.chat import VisitorCreated
from switchboard.core.handlers import Handlers
from switchboard.tickets.service.contacts import record_visitor

handlers = Handlers()
handlers.on(VisitorCreated)(record_visitor)
