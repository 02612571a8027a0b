from datetime import date

from pydantic import BaseModel, ConfigDict


class DailyActivityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day: date
    conversations: int
    messages: int
