"""An attachment as a reader sees it: its row with download links signed for him now."""

from __future__ import annotations

import time
from dataclasses import dataclass
from uuid import UUID

from switchboard.chat.attachments.domain.links import link_key, signed_path
from switchboard.chat.store.models import Attachment
from switchboard.contracts import chat as contract
from switchboard.core.settings import Settings

__all__ = ["AttachmentView", "Links"]


@dataclass(frozen=True)
class AttachmentView:
    attachment: Attachment
    url: str
    thumbnail_url: str | None

    def contract(self) -> contract.Attachment:
        a = self.attachment
        return contract.Attachment(
            id=a.id,
            kind=a.kind,
            content_type=a.content_type,
            size=a.size,
            file_name=a.file_name,
            width=a.width,
            height=a.height,
            url=self.url,
            thumbnail_url=self.thumbnail_url,
        )


class Links:
    """Signs the links of attachments, each valid SB_ATTACHMENT_URL_TTL_SECONDS from now."""

    def __init__(self, settings: Settings) -> None:
        self.key = link_key(settings.signing_secret())
        self.ttl = settings.attachment_url_ttl_seconds

    def urls(
        self, file_id: UUID, thumbnail_key: str | None, *, now: float | None = None
    ) -> tuple[str, str | None]:
        """The links of a file (a conversation's attachment or a quick reply's)."""
        expires = int(now if now is not None else time.time()) + self.ttl
        thumbnail = None
        if thumbnail_key is not None:
            thumbnail = signed_path(self.key, file_id, "thumbnail", expires)
        return signed_path(self.key, file_id, "content", expires), thumbnail

    def view(self, attachment: Attachment, *, now: float | None = None) -> AttachmentView:
        url, thumbnail = self.urls(attachment.id, attachment.thumbnail_key, now=now)
        return AttachmentView(attachment=attachment, url=url, thumbnail_url=thumbnail)

    def views(self, attachments: list[Attachment]) -> list[AttachmentView]:
        now = time.time()
        return [self.view(attachment, now=now) for attachment in attachments]

    def of_messages(self, taken: dict[UUID, list[Attachment]]) -> dict[UUID, list[AttachmentView]]:
        return {message_id: self.views(attachments) for message_id, attachments in taken.items()}
