from switchboard.core.service import ServiceSpec

SPEC = ServiceSpec(
    name="routing",
    default_port=8002,
    app="switchboard.routing.app:create_app",
    migrations="switchboard.routing.migrations",
    schema="routing",
    worker="switchboard.routing.jobs:WorkerSettings",
    admin="switchboard.routing.admin",
)
