from switchboard.core.service import ServiceSpec

SPEC = ServiceSpec.laid_out("tickets", 8003)
