from switchboard.core.service import ServiceSpec

SPEC = ServiceSpec.laid_out("analytics", 8004)
