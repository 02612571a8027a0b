import switchboard.chat.quick_replies.store.models  # noqa: F401  (its tables, in Base.metadata)
from switchboard.chat.store.models import Base
from switchboard.core.migrations import run_env

run_env(Base.metadata)
