from switchboard.core.service import ServiceSpec

SPEC = ServiceSpec(
    name="chat",
    default_port=8001,
    app="switchboard.chat.app:create_app",
    migrations="switchboard.chat.migrations",
    schema="chat",
    worker="switchboard.chat.jobs:WorkerSettings",
    admin="switchboard.chat.admin",
)
