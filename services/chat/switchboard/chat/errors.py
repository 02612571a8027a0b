"""Every error chat answers beyond core's: one class per code, with its status (its base) and
its message unless the raise says more. A status change the rules refuse is answered through
the one table, ``REFUSALS``, in the rule's own words (``domain.status``); a refused deletion
through ``DELETION_REFUSALS`` (``deletion.domain.rules``)."""

from __future__ import annotations

from switchboard.chat.deletion.domain.rules import DeletionRefusal
from switchboard.chat.domain.finding import FindingRefusal
from switchboard.chat.domain.status import StatusRefusal
from switchboard.chat.quick_replies.domain.audience import AudienceRefusal, AudienceRefused
from switchboard.core.errors import (
    AppError,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    Unprocessable,
    UnsupportedMediaType,
)
from switchboard.core.errors import ConversationNotFound as ConversationNotFound
from switchboard.core.errors import InboxNotFound as InboxNotFound
from switchboard.core.errors import InvalidRange as InvalidRange
from switchboard.core.errors import TeamNotFound as TeamNotFound

# The codes this service answers with that are core's, because other services answer them too
# (one class each, in core.errors); imported from here like this service's own.
SHARED = (ConversationNotFound, InboxNotFound, InvalidRange, TeamNotFound)


class VisitorNotFound(NotFound):
    code = "visitor_not_found"
    message = "no such visitor"


class NotificationNotFound(NotFound):
    code = "notification_not_found"
    message = "no such notification of yours"


class MentionsNeedPrivateNote(Unprocessable):
    code = "mentions_need_private_note"
    message = "only a private note (private: true) can mention agents"


class UnknownMention(Unprocessable):
    code = "unknown_mention"
    message = "a mentioned agent is not an active agent of this account"


class ReadOnly(Forbidden):
    code = "read_only"
    message = "you can read this conversation but not write to it: join it first"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class StatusUnchanged(Conflict):
    code = "status_unchanged"


class SnoozedUntilInPast(Unprocessable):
    code = "snoozed_until_in_past"


class SnoozedUntilNotAllowed(Unprocessable):
    code = "snoozed_until_not_allowed"


class SnoozedUntilRequired(Unprocessable):
    code = "snoozed_until_required"


class AttachmentNotFound(NotFound):
    code = "attachment_not_found"
    message = "no such attachment"


class AttachmentTooLarge(PayloadTooLarge):
    code = "attachment_too_large"
    message = "the file is larger than this inbox takes"


class AttachmentTypeNotAllowed(UnsupportedMediaType):
    code = "attachment_type_not_allowed"
    message = (
        "this kind of file is not taken (its content, not its name, says what it is): images"
        " jpeg/png/gif/webp, video mp4/webm/quicktime, audio mpeg/ogg/wav/webm/mp4, files pdf,"
        " zip, plain text and office documents"
    )


class UploadNotMultipart(UnsupportedMediaType):
    code = "upload_not_multipart"
    message = "send the file as multipart/form-data, in a part named 'file'"


class UploadWithoutFile(Unprocessable):
    code = "upload_without_file"
    message = "the upload has no part named 'file' with a file name"


class AttachmentNotSendable(Unprocessable):
    code = "attachment_not_sendable"
    message = (
        "every attachment_ids entry must be an upload of yours into this conversation that no"
        " message has taken"
    )


class AttachmentLinkExpired(Forbidden):
    code = "attachment_link_expired"
    message = "this download link has expired: read the message again for a fresh one"


class AttachmentLinkInvalid(Forbidden):
    code = "attachment_link_invalid"
    message = "this download link is not one chat signed"


REFUSALS: dict[StatusRefusal, type[AppError]] = {
    StatusRefusal.snoozed_until_required: SnoozedUntilRequired,
    StatusRefusal.snoozed_until_in_past: SnoozedUntilInPast,
    StatusRefusal.snoozed_until_not_allowed: SnoozedUntilNotAllowed,
    StatusRefusal.status_unchanged: StatusUnchanged,
    StatusRefusal.invalid_transition: InvalidTransition,
}


def refused(refusal: StatusRefusal, message: str) -> AppError:
    """The error that answers a refused status change, in the rule's own words."""
    return REFUSALS[refusal](message)


FINDING_REFUSALS: dict[FindingRefusal, type[AppError]] = {
    FindingRefusal.invalid_range: InvalidRange,
}


def refused_finding(refusal: FindingRefusal, message: str) -> AppError:
    """The error that answers a question the conversation list cannot answer."""
    return FINDING_REFUSALS[refusal](message)


class LabelNotFound(NotFound):
    code = "label_not_found"
    message = "no such label"


class LabelNameTaken(Conflict):
    code = "label_name_taken"
    message = "the account has a label of that name already"


class MessageNotFound(NotFound):
    code = "message_not_found"
    message = "no such message in this conversation"


class NotMessageAuthor(Forbidden):
    code = "not_message_author"
    message = "only the message's author or an admin may delete it"


class SystemMessageNotDeletable(Conflict):
    code = "system_message_not_deletable"
    message = "a system message is the conversation's history: it cannot be deleted"


class MessageAlreadyDeleted(Conflict):
    code = "message_already_deleted"
    message = "the message was deleted before"


DELETION_REFUSALS: dict[DeletionRefusal, type[AppError]] = {
    DeletionRefusal.system_message: SystemMessageNotDeletable,
    DeletionRefusal.not_author: NotMessageAuthor,
    DeletionRefusal.already_deleted: MessageAlreadyDeleted,
}
# --- quick replies (``quick_replies/``) ------------------------------------------------------


class CannedResponseNotFound(NotFound):
    code = "canned_response_not_found"
    message = "no such quick reply"


class CannedResponseFilesFull(Unprocessable):
    code = "canned_response_files_full"
    message = "a quick reply holds at most 10 files, what one message takes"


class CannedResponseFileNotFound(NotFound):
    code = "canned_response_file_not_found"
    message = "no such file of this quick reply"


class ShortcutTaken(Conflict):
    code = "shortcut_taken"
    message = "another quick reply of the account has this shortcut"


class UnknownPlaceholder(Unprocessable):
    code = "unknown_placeholder"


class SharedResponseAdminOnly(Forbidden):
    code = "shared_response_admin_only"


class TeamIdsRequired(Unprocessable):
    code = "team_ids_required"


class TeamIdsNotAllowed(Unprocessable):
    code = "team_ids_not_allowed"


AUDIENCE_REFUSALS: dict[AudienceRefusal, type[AppError]] = {
    AudienceRefusal.shared_response_admin_only: SharedResponseAdminOnly,
    AudienceRefusal.team_ids_required: TeamIdsRequired,
    AudienceRefusal.team_ids_not_allowed: TeamIdsNotAllowed,
}


def refused_audience(refused: AudienceRefused) -> AppError:
    """The error that answers a quick reply's audience the rules refuse."""
    return AUDIENCE_REFUSALS[refused.refusal](str(refused))
