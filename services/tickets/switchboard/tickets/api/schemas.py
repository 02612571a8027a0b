from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    visitor_id: UUID
    name: str | None
    email: str | None
    phone: str | None
    created_at: datetime
