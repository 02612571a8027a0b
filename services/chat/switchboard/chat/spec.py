from switchboard.core.service import ServiceSpec

SPEC = ServiceSpec.laid_out("chat", 8001, worker=True, admin=True)
