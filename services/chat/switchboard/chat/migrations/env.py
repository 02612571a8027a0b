# The tables of chat's feature packages are on the same metadata (their models use Base).
import switchboard.chat.notifications.store.models
import switchboard.chat.quick_replies.store.models  # noqa: F401  (its tables, in Base.metadata)
from switchboard.chat.store.models import Base
from switchboard.core.migrations import run_env

run_env(Base.metadata)
