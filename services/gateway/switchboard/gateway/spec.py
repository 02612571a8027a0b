from switchboard.core.service import ServiceSpec

SPEC = ServiceSpec.laid_out("gateway", 8000, stored=False)
