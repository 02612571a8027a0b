from switchboard.core.service import ServiceSpec

SPEC = ServiceSpec(
    name="gateway",
    default_port=8000,
    app="switchboard.gateway.app:create_app",
)
