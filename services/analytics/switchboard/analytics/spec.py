from switchboard.core.service import ServiceSpec

SPEC = ServiceSpec(
    name="analytics",
    default_port=8004,
    app="switchboard.analytics.app:create_app",
    migrations="switchboard.analytics.migrations",
    schema="analytics",
)
