from switchboard.core.service import ServiceSpec

SPEC = ServiceSpec(
    name="tickets",
    default_port=8003,
    app="switchboard.tickets.app:create_app",
    migrations="switchboard.tickets.migrations",
    schema="tickets",
)
