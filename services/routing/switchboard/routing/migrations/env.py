from switchboard.core.migrations import run_env
from switchboard.routing.store.models import Base

run_env(Base.metadata)
