from switchboard.core.migrations import run_env
from switchboard.tickets.store.models import Base

run_env(Base.metadata)
