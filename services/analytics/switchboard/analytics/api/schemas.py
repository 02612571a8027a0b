from datetime import date

from pydantic import BaseModel


class DailyActivityRead(BaseModel):
    day: date
    conversations: int
    messages: int


class DailyActivityList(BaseModel):
    items: list[DailyActivityRead]
