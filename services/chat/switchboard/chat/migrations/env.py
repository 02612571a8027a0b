from switchboard.chat.store.models import Base
from switchboard.core.migrations import run_env

run_env(Base.metadata)
